"""The annual communiqué (issue 16, item 5): the national figures of a year written out in Arabic
and French, handed to the media service as a draft the central communication cell edits and
publishes. Aggregates only: normal complaints (never protected ones nor complaints against
officers), line 19, the survey, the grievances of the oversight bodies, and the validated
operational results — no name, no reference, nothing personal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from analytics.periods import Period
from analytics.review.figures import Achieved
from cases.choices import RESULT_UNITS, ResultKind
from core.errors import NotFound, ValidationFailed
from media.models import Communique
from media.selectors import watch_for
from media.services import CommuniqueText, communique_draft
from org.choices import UnitKind
from org.models import Unit, User
from oversight.models import Grievance

FIRST_YEAR = 2000

# What each result is called, and the unit it counts in, in the communiqué's two languages.
KIND_NAMES = {
    ResultKind.TABLETS: ("الأقراص المهلوسة", "comprimés psychotropes"),
    ResultKind.CANNABIS_RESIN: ("مخدر الشيرا", "résine de cannabis"),
    ResultKind.COCAINE: ("الكوكايين", "cocaïne"),
    ResultKind.WEAPONS: ("الأسلحة", "armes"),
    ResultKind.VEHICLES: ("العربات", "véhicules"),
    ResultKind.CASH: ("المبالغ المالية", "numéraire"),
}
MEASURES = {
    "tablets": ("قرص", "comprimés"),
    "kg": ("كلغ", "kg"),
    "g": ("غرام", "g"),
    "items": ("وحدة", "unités"),
    "MAD": ("درهم", "dirhams"),
    "persons": ("شخص", "personnes"),
}


@dataclass
class NationalYear:
    """The national figures of one year (None: no figure for it)."""

    year: int
    received: int
    within_deadline: float | None
    response_median: float | None
    satisfied: float | None
    mean_rating: float | None
    grievances: int
    grievances_answered: int
    arrests: Decimal
    seizures: dict[str, Decimal]


def national_unit() -> Unit:
    unit = Unit.objects.filter(parent__isnull=True, kind=UnitKind.CENTRAL).order_by("pk").first()
    if unit is None:
        raise NotFound(_("No central unit."))
    return unit


def national_year(year: int) -> NationalYear:
    """The year's national figures, summed over the whole tree."""
    achieved = Achieved(national_unit(), year)
    period = Period(year)
    tz = timezone.get_current_timezone()
    start = datetime.combine(period.start, datetime.min.time(), tzinfo=tz)
    end = datetime.combine(period.end, datetime.min.time(), tzinfo=tz)
    grievances = Grievance.objects.filter(received_at__gte=start, received_at__lt=end)
    results = achieved.results
    return NationalYear(
        year=year,
        received=int(achieved.value("received") or 0),
        within_deadline=achieved.value("within_deadline_share"),
        response_median=achieved.value("response_median_min"),
        satisfied=achieved.value("satisfied_share"),
        mean_rating=achieved.value("mean_rating"),
        grievances=grievances.count(),
        grievances_answered=grievances.filter(sent_at__isnull=False).count(),
        arrests=results.get(ResultKind.ARRESTS.value, Decimal(0)),
        seizures={k.value: results[k.value] for k in ResultKind if k != ResultKind.ARRESTS and results.get(k.value)},
    )


def number(value: Decimal | float | int, decimals: int = 0) -> str:
    """2 500 000 · 1,5: thousands apart by a space, a decimal comma, no trailing zeros."""
    q = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals)) if decimals else Decimal(round(value))
    whole, _dot, frac = f"{q:f}".partition(".")
    frac = frac.rstrip("0")
    grouped = f"{int(whole):,}".replace(",", " ")
    return f"{grouped},{frac}" if frac else grouped


def percent(share: float) -> str:
    return f"{round(100 * share)} %"


def _seizures(f: NationalYear) -> tuple[list[str], list[str]]:
    ar, fr = [], []
    for kind, quantity in f.seizures.items():
        measure, decimals = RESULT_UNITS[kind]
        amount = number(quantity, decimals)
        ar.append(f"{KIND_NAMES[kind][0]}: {amount} {MEASURES[measure][0]}")
        fr.append(f"{KIND_NAMES[kind][1]} : {amount} {MEASURES[measure][1]}")
    return ar, fr


def annual_text(f: NationalYear) -> CommuniqueText:
    """The communiqué's titles and bodies, one sentence per figure the year has."""
    y = f.year
    ar = [f"تقدم المديرية العامة للأمن الوطني حصيلة سنة {y}."]
    fr = [f"La Direction générale de la sûreté nationale présente le bilan de l'année {y}."]
    ar.append(f"بلغ عدد الشكايات التي توصلت بها المصالح {number(f.received)}.")
    fr.append(f"Plaintes reçues par les services : {number(f.received)}.")
    if f.within_deadline is not None:
        ar.append(f"عولجت {percent(f.within_deadline)} من الشكايات المنجزة داخل الآجال المحددة.")
        fr.append(f"{percent(f.within_deadline)} des plaintes clôturées l'ont été dans les délais.")
    if f.response_median is not None:
        minutes = number(f.response_median, 1)
        ar.append(f"بلغ الزمن الوسيط لتدخل دوريات الخط 19 {minutes} دقيقة.")
        fr.append(f"Le délai médian d'intervention des patrouilles du 19 a été de {minutes} minutes.")
    if f.mean_rating is not None and f.satisfied is not None:
        rating = number(f.mean_rating, 1)
        ar.append(f"بلغ متوسط رضا المرتفقين {rating} من 5، وعبر {percent(f.satisfied)} منهم عن رضاهم.")
        fr.append(f"La satisfaction des usagers a été de {rating} sur 5 ; {percent(f.satisfied)} se disent satisfaits.")
    ar.append(
        f"بلغ عدد التظلمات الواردة من هيئات الوساطة والرقابة {number(f.grievances)}، "
        f"تمت الإجابة عن {number(f.grievances_answered)} منها."
    )
    fr.append(
        f"Doléances des instances de médiation et de contrôle : {number(f.grievances)} reçues, "
        f"{number(f.grievances_answered)} ayant reçu réponse."
    )
    ar.append(f"بلغ عدد الأشخاص المقدمين أمام النيابة العامة المختصة {number(f.arrests)}.")
    fr.append(f"Personnes présentées au parquet compétent : {number(f.arrests)}.")
    seized_ar, seized_fr = _seizures(f)
    if seized_ar:
        ar.append("وأسفرت العمليات عن حجز: " + "؛ ".join(seized_ar) + ".")
        fr.append("Les opérations ont permis la saisie de : " + " ; ".join(seized_fr) + ".")
    return CommuniqueText(
        title_ar=f"الحصيلة السنوية للمديرية العامة للأمن الوطني برسم سنة {y}",
        title_fr=f"Bilan annuel de la Direction générale de la sûreté nationale pour l'année {y}",
        body_ar="\n".join(ar),
        body_fr="\n".join(fr),
    )


def may_generate(user: User) -> bool:
    """The central communication cell only (its watch is national)."""
    watch = watch_for(user)
    return watch is not None and watch.national


def years_open() -> list[int]:
    """The years a communiqué may be generated for, latest first (the current one included)."""
    return list(range(timezone.localdate().year, FIRST_YEAR - 1, -1))


@transaction.atomic
def annual_communique_draft(*, actor: User, year: int) -> Communique:
    """A draft annual communiqué for `year`, from the national figures (audited by media)."""
    if not may_generate(actor):
        raise NotFound(_("No such page."))
    if year not in years_open():
        raise ValidationFailed(_("Choose a past or the current year."), fields={"year": _("Not a year of the record.")})
    return communique_draft(actor=actor, kind="annual", text=annual_text(national_year(year)))
