"""Operational results on a case: recorded by those who work it, validated by a chief, summed per
unit and period (validated only), bad quantities refused with a clear form error."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from audit.models import AuditRecord
from cases.models import OperationalResult
from cases.selectors import unit_results
from cases.services import result_quantity, result_record, result_validate, result_withdraw
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db


def test_results_are_recorded_validated_and_summed_per_unit(org, make_case):
    case = make_case()
    today = timezone.localdate()
    arrests = result_record(case=case, actor=org.investigator, kind="arrests", quantity="3", occurred_on=today)
    cash = result_record(case=case, actor=org.investigator, kind="cash", quantity="1250.50", occurred_on=today)
    year = (date(today.year, 1, 1), date(today.year + 1, 1, 1))
    assert unit_results(org.district, *year) == {}  # nothing validated yet
    with pytest.raises(PermissionDenied):
        result_validate(result=arrests, actor=org.investigator)
    with pytest.raises(NotFound):
        result_validate(result=arrests, actor=org.sibling_chief)
    result_validate(result=arrests, actor=org.chief)
    result_validate(result=cash, actor=org.area_chief)
    with pytest.raises(Conflict):
        result_validate(result=cash, actor=org.chief)
    assert unit_results(org.district, *year) == {"arrests": Decimal(3), "cash": Decimal("1250.5")}
    assert unit_results(org.area, *year)["arrests"] == 3  # the area sums the districts below it
    assert unit_results(org.sibling, *year) == {}
    assert unit_results(org.district, date(today.year - 1, 1, 1), year[0]) == {}
    actions = set(AuditRecord.objects.values_list("action", flat=True))
    assert {"case.result_record", "case.result_validate"} <= actions


@pytest.mark.parametrize(
    ("kind", "raw", "field_message"),
    [
        ("arrests", "abc", "number"),
        ("arrests", "0", "number"),
        ("arrests", "-2", "number"),
        ("weapons", "1.5", "whole"),
        ("cannabis_resin", "1.2345", "decimals"),
        ("cocaine", "50000000", "check"),
        ("cash", "nan", "number"),
    ],
)
def test_bad_quantities_are_refused(kind, raw, field_message):
    with translation.override("en"), pytest.raises(ValidationFailed) as refused:
        result_quantity(kind, raw)
    assert "quantity" in refused.value.fields
    with translation.override("en"):
        assert field_message in str(refused.value.message)


def test_the_case_page_shows_clear_errors_and_writes_nothing(client, org, make_case):
    case = make_case()
    client.force_login(org.investigator)
    url = f"/cases/{case.reference}/results/"
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    for data in (
        {"kind": "weapons", "quantity": "2.5", "occurred_on": timezone.localdate().isoformat()},
        {"kind": "arrests", "quantity": "2", "occurred_on": future},
        {"kind": "gold", "quantity": "2", "occurred_on": timezone.localdate().isoformat()},
    ):
        answer = client.post(url, data)
        assert answer.status_code == 422, data
        assert "invalid-feedback" in answer.content.decode()
    assert not OperationalResult.objects.exists()
    ok = client.post(
        url, {"kind": "psychotropic_tablets", "quantity": "1200", "occurred_on": timezone.localdate().isoformat()}
    )
    assert ok.status_code == 302
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert "results-table" in page and "1200" in page
    result = OperationalResult.objects.get()
    client.force_login(org.chief)
    assert client.post(f"/cases/{case.reference}/results/{result.pk}/validate/").status_code == 302
    assert OperationalResult.objects.get().validated_by == org.chief
    client.force_login(org.sibling_chief)
    assert client.post(f"/cases/{case.reference}/results/{result.pk}/validate/").status_code == 404


def test_withdraw_before_validation_only(org, make_case):
    case = make_case()
    r = result_record(case=case, actor=org.investigator, kind="vehicles", quantity=1, occurred_on=timezone.localdate())
    result_withdraw(result=r, actor=org.investigator)
    assert not OperationalResult.objects.exists()
    r = result_record(case=case, actor=org.investigator, kind="vehicles", quantity=1, occurred_on=timezone.localdate())
    result_validate(result=r, actor=org.chief)
    with pytest.raises(Conflict):
        result_withdraw(result=r, actor=org.chief)
