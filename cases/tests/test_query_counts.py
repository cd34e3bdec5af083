"""Pinned query counts of every list and detail route of complaints (staff pages and API), as NetBox
pins them: a page that starts running a query per row, or a second count, fails here before it
reaches a jurisdiction of 200,000 complaints (docs/performance.md). Each route is measured with
several pages' worth of rows, so a count that grows with the rows cannot hide.

When a change adds a query on purpose, raise the pin in the same commit and say why."""

import pytest
from django.test import Client
from django.urls import reverse

from cases import services
from cases.paging import Cursor
from cases.services import ComplainantInput

# route name -> the number of queries it runs (session, user, then the page's own).
PINS = {
    # session, user, unit, jurisdiction ids, filter form (units, officers), page, capped count
    "queue": 8,
    "queue_next_page": 8,
    # one page holds every match: no count query
    "queue_search_reference": 7,
    "queue_overdue": 7,
    "my_cases": 6,
    # session, user, unit, jurisdiction ids, case, buttons (one query for every act), complainant
    # flag, link ids, linked cases, timeline, link references, attachments, units of the
    # assignment form, officers, and the reference list the state's form offers (offences to qualify,
    # prosecutor's offices to refer), the operational results recorded on the case
    "detail": 16,
    "api_list": 6,
    "api_list_next_page": 6,
    "api_list_page_number": 6,
    "api_detail": 5,
    "api_events": 6,
    "api_suggestions": 8,
    # savepoint, counter, case, complainant, event, audit record, release (the gate is kept open)
    "api_intake": 7,
}


@pytest.fixture
def many(org, make_case):
    """30 complaints across the wilaya chief's jurisdiction (two districts), some assigned, one linked."""
    cases = []
    for i in range(30):
        actor = org.desk if i % 2 else org.sibling_officer
        case = make_case(
            actor=actor,
            category=["theft", "fraud", "nuisance"][i % 3],
            complainant=ComplainantInput(full_name="Nadia Fictive", cnie="AB123456"),
            latitude=34.0235,
            longitude=-6.8340,
        )
        if i % 2:
            services.case_assign(case=case, actor=org.chief, officer=org.investigator)
        cases.append(case)
    services.case_link(case=cases[1], other=cases[3], actor=org.investigator)
    return cases


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def measure(django_assert_num_queries, name, call):
    with django_assert_num_queries(PINS[name]):
        response = call()
    assert response.status_code == 200, name
    return response


def test_staff_list_pages(org, many, django_assert_num_queries):
    chief = login(org.wilaya_chief)
    first = measure(django_assert_num_queries, "queue", lambda: chief.get(reverse("cases:queue")))
    assert len(first.context["page"].rows) == 25
    cursor = first.context["page"].next_cursor
    second = measure(
        django_assert_num_queries, "queue_next_page", lambda: chief.get(reverse("cases:queue"), {"cursor": cursor})
    )
    assert len(second.context["page"].rows) == 5
    found = measure(
        django_assert_num_queries,
        "queue_search_reference",
        lambda: chief.get(reverse("cases:queue"), {"q": many[7].reference}),
    )
    assert [c.pk for c in found.context["page"].rows] == [many[7].pk]
    measure(django_assert_num_queries, "queue_overdue", lambda: chief.get(reverse("cases:queue"), {"overdue": "1"}))
    investigator = login(org.investigator)
    mine = measure(django_assert_num_queries, "my_cases", lambda: investigator.get(reverse("cases:my_cases")))
    assert len(mine.context["page"].rows) == 15


def test_case_page(org, many, django_assert_num_queries):
    chief = login(org.wilaya_chief)
    measure(django_assert_num_queries, "detail", lambda: chief.get(reverse("cases:detail", args=[many[1].reference])))


def test_api_routes(org, many, django_assert_num_queries):
    chief = login(org.wilaya_chief)
    first = measure(django_assert_num_queries, "api_list", lambda: chief.get("/api/cases", {"page_size": 20}))
    body = first.json()
    assert len(body["results"]) == 20 and body["count"] == 30 and body["count_exact"]
    second = measure(
        django_assert_num_queries,
        "api_list_next_page",
        lambda: chief.get("/api/cases", {"page_size": 20, "cursor": body["next_cursor"]}),
    )
    assert len(second.json()["results"]) == 10 and second.json()["next_cursor"] is None
    by_number = measure(
        django_assert_num_queries, "api_list_page_number", lambda: chief.get("/api/cases", {"page_size": 20, "page": 2})
    )
    assert [c["reference"] for c in by_number.json()["results"]] == [c["reference"] for c in second.json()["results"]]
    ref = many[1].reference
    measure(django_assert_num_queries, "api_detail", lambda: chief.get(f"/api/cases/{ref}"))
    measure(django_assert_num_queries, "api_events", lambda: chief.get(f"/api/cases/{ref}/events"))
    desk = login(org.desk)
    found = measure(
        django_assert_num_queries,
        "api_suggestions",
        lambda: desk.post(
            "/api/cases/suggestions",
            {"cnie": "AB123456", "latitude": 34.0235, "longitude": -6.8340},
            content_type="application/json",
        ),
    )
    assert found.json()


def test_a_bad_cursor_is_a_clear_422(org, many):
    import base64

    chief = login(org.wilaya_chief)
    for raw in (
        "not-a-cursor",
        "n|9999-12-31T23:59:59-14:00|5",
        "n|2026-01-01T00:00:00|5",
        "x|2026-01-01T00:00:00+00:00|5",
    ):
        cursor = base64.urlsafe_b64encode(raw.encode()).decode()
        r = chief.get("/api/cases", {"cursor": cursor})
        assert r.status_code == 422 and r.json()["message"], raw
        assert chief.get(reverse("cases:queue"), {"cursor": cursor}).status_code == 200  # the first page
    assert Cursor.decode(Cursor(many[0].created_at, many[0].pk).encode()).id == many[0].pk


def test_case_page_queries_do_not_grow_with_the_jurisdiction(org, make_case, django_assert_max_num_queries):
    """The chief's case page runs as many queries with one complaint in the jurisdiction as with 40
    (the linked-cases query used to walk the whole jurisdiction)."""
    case = make_case()
    chief = login(org.wilaya_chief)
    with django_assert_max_num_queries(PINS["detail"]) as alone:
        chief.get(reverse("cases:detail", args=[case.reference]))
    for i in range(40):
        make_case(actor=org.sibling_officer if i % 2 else org.desk)
    with django_assert_max_num_queries(len(alone)) as crowded:
        page = chief.get(reverse("cases:detail", args=[case.reference]))
    assert page.status_code == 200
    assert len(crowded) == len(alone)


# ---------------------------------------------------------------- intake


def test_intake_reads_the_unit_tree_once_and_sees_a_new_district(org, make_case, django_assert_num_queries):
    """Routing and the reference prefix read the units kept in the process: after the first intake,
    registering a complaint reads no unit at all; a district created later routes at once."""
    make_case(latitude=34.0235, longitude=-6.8340)
    # the test factory's category; then the service: savepoint, counter (one upsert), case,
    # complainant, event, audit record, release. No unit, no ancestor, no district read.
    with django_assert_num_queries(8):
        case = make_case(latitude=34.0235, longitude=-6.8340)
    assert case.assigned_unit == org.district
    from org.services import unit_create

    far = unit_create(
        actor=None,
        parent=org.area,
        kind="district",
        code="RBT-D9",
        name_ar="دائرة تجريبية",
        name_fr="Arrondissement d'essai",
        city="Rabat",
        latitude=35.0,
        longitude=-5.0,
    )
    assert make_case(latitude=35.0001, longitude=-5.0001).assigned_unit == far


def test_api_intake_queries(org, make_case, django_assert_num_queries, django_capture_on_commit_callbacks, monkeypatch):
    """An intake through the API, once the process has read the key, the categories and the unit
    tree and has seen the client's address pass the throttle gate: the service's statements
    (savepoint, counter, case, complainant, event, audit record, release); nothing after the commit
    when the complainant left no contact to be told at (it was 15 with the key, the category and the
    notification lookup read on every request, then 8 with the gate read on every request)."""
    from org.services import organisation, throttle
    from org.tests.factories import user_key

    # However slow the machine, the measured request comes within the keeps of the key and the gate (not timed here).
    monkeypatch.setattr(throttle, "GATE_KEEP_SECONDS", 3600.0)
    monkeypatch.setattr(organisation, "API_KEY_KEEP_SECONDS", 3600.0)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {user_key(org.desk)}")
    body = {
        "channel": "counter",
        "category": "theft",
        "description": "سرقة هاتف",
        "full_name": "Nadia Fictive",
        "cnie": "AB123456",
        "latitude": 34.0235,
        "longitude": -6.8340,
    }

    def post(**extra):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/api/cases", {**body, **extra}, content_type="application/json")
        assert response.status_code == 201, response.content
        return response

    post()
    with django_assert_num_queries(PINS["api_intake"]):
        post()
    # With a contact the complainant agreed to, the acknowledgement is still queued after the commit.
    from portal.models import Notification

    created = post(phone="0612345678", notify_consent=True).json()
    assert Notification.objects.filter(case__reference=created["reference"], event="created").count() == 1


def test_reference_search_exact_prefix_and_bounded_contains(org, many):
    from cases import selectors

    chief = org.wilaya_chief
    ref = many[4].reference
    found = selectors.case_list(chief, selectors.CaseFilters(q=ref.lower()))
    assert [c.pk for c in found] == [many[4].pk]
    prefix = ref[:9]  # "RBT-2026-"
    assert set(selectors.case_list(chief, selectors.CaseFilters(q=prefix))) == set(many)
    number = ref.split("-")[2].lstrip("0")
    assert many[4] in selectors.case_list(chief, selectors.CaseFilters(q=number))
    assert "LIKE" in str(selectors.case_list(chief, selectors.CaseFilters(q=prefix)).query)


# ---------------------------------------------------------------- plans (PostgreSQL)


@pytest.mark.postgres_only
def test_list_queries_can_be_served_by_their_indexes(org, many):
    """Each list's query shape matches an index (with sequential scans discouraged, as on a table of
    millions): "open" matches the partial indexes' condition, the jurisdiction is a list of unit ids
    the index takes. (Which index wins, and whether the capped count is an index-only scan, depends
    on the statistics and visibility map of a real table: see docs/performance.md.)"""
    from django.db import connection

    from cases import selectors

    if connection.vendor != "postgresql":
        pytest.skip("plans are PostgreSQL's")

    def plan(qs) -> str:
        sql, params = qs.query.sql_with_params()
        with connection.cursor() as cur:
            cur.execute("SET LOCAL enable_seqscan = off")
            cur.execute("SET LOCAL enable_bitmapscan = off")
            # In list order, not sorted afterwards (on a few test rows a sort is cheaper than on 200,000).
            cur.execute("SET LOCAL enable_sort = off")
            cur.execute("SET LOCAL enable_incremental_sort = off")
            cur.execute("EXPLAIN " + sql, params)
            return "\n".join(r[0] for r in cur.fetchall())

    f = selectors.CaseFilters
    chief, desk = org.wilaya_chief, org.desk
    open_indexes = ("case_open_recent", "case_unit_open_recent")
    checks = {
        "open": (selectors.case_list(chief, f(state="open"))[:26], open_indexes),
        "open_unit": (
            selectors.case_list(chief, f(state="open", unit=org.district.pk))[:26],
            (*open_indexes, "case_unit_recent"),
        ),
        "exact": (selectors.case_list(chief, f(q=many[0].reference))[:26], ("case_reference", "case_case_reference")),
        "desk": (selectors.case_list(desk, f(state="open"))[:26], open_indexes),
    }
    for name, (qs, wanted) in checks.items():
        text = plan(qs)
        used = [line.strip() for line in text.splitlines() if " using " in line or "Seq Scan" in line]
        assert any(w in text for w in wanted), (name, used)


# ---------------------------------------------------------------- reports and reference routes


def _staff(org, name: str, *roles: str):
    from org.services import user_create
    from org.tests.factories import PASSWORD

    return user_create(actor=None, username=name, password=PASSWORD, unit=org.wilaya, roles=list(roles))


def _flat(pages, add_rows) -> None:
    """Each route ({pin name: (client, its URL)}) runs its pinned number of queries with 2 rows and
    with 12."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def counts() -> dict[str, int]:
        out = {}
        for name, (client, url) in pages.items():
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url())
            assert response.status_code == 200, name
            out[name] = len(ctx.captured_queries)
        return out

    add_rows(2)
    counts()  # what the process keeps (the unit tree, the categories) is read once, before
    few = counts()
    add_rows(10)
    many = counts()
    pinned = {name: REPORT_PINS[name] for name in pages}
    assert (few, many) == (pinned, pinned)


# route -> queries (session, user, then the route's own)
REPORT_PINS = {
    "reads": 5,
    "officer_reads": 8,
    "judicial": 6,
    "api_categories": 3,
    "api_deidentified": 6,
    "api_routing_propose": 2,
}


def test_report_and_reference_routes(org, make_case):
    from cases.services import complainant_reveal

    analyst = _staff(org, "analyst.q", "analyst")

    made = [0]

    def add(n: int) -> None:
        for _ in range(n):
            case = make_case(complainant=ComplainantInput(full_name="Nadia Fictive", cnie="AB123456"))
            # 2 reading officers at first, 3 after: a query per officer of the report shows too
            reader = [org.investigator, org.chief, org.desk][made[0] % 3]
            made[0] += 1
            if reader == org.investigator:
                services.case_assign(case=case, actor=org.chief, officer=org.investigator)
            complainant_reveal(case=case, actor=reader, purpose="contact")

    chief = login(org.chief)
    pages = {
        "reads": (chief, lambda: reverse("cases:reads")),
        "officer_reads": (chief, lambda: reverse("cases:officer_reads", args=[org.investigator.pk])),
        "judicial": (chief, lambda: reverse("cases:judicial")),
        "api_categories": (chief, lambda: "/api/categories"),
        "api_deidentified": (login(analyst), lambda: "/api/cases/deidentified"),
        "api_routing_propose": (
            chief,
            lambda: "/api/routing/propose?category=theft&latitude=34.0235&longitude=-6.8340",
        ),
    }
    _flat(pages, add)
    from datetime import timedelta

    from django.utils import timezone

    from cases import selectors

    now = timezone.now()
    assert len(selectors.reads_by_officer(org.chief, since=now - timedelta(days=1), until=now)) == 3
