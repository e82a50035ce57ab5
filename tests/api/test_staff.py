"""The committee office's read-only endpoints through real device tokens: who may read
them, the ledger's rows and filters against the admin changelist's own queryset for the
same filter, no deputy's phone anywhere, one suggestion as the admin's page shows it, the
assessment's figures against ``unit_assessment`` and the dashboard's against its
selector."""

import pytest
from django.contrib import admin
from django.contrib.admin.views.main import SEARCH_VAR
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from api.models import DeviceToken
from reports import services as report_services
from reports.selectors import dashboard as boards
from reports.selectors import unit_assessment
from stations.models import LiaisonStation
from suggestions import actions, selectors
from suggestions.actions import Page
from suggestions.models import Suggestion
from tests import factories, flows
from tests.reports import assessment_data, dashboard_data

pytestmark = pytest.mark.django_db

MOBILE = "13912345678"


def token_client(user) -> APIClient:
    client = APIClient()
    if user is not None:
        _token, key = DeviceToken.objects.create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def people(cast):
    keeper = factories.UserFactory(username="keeper")
    LiaisonStation.objects.create(name="幸福社区联络站", kind="room", level="village").keepers.add(
        keeper
    )
    return {
        "staff": cast.staff,
        "keeper": keeper,
        "clerk": cast.clerk,
        "deputy": cast.deputy.user,
        "leader": cast.leader,
        "anonymous": None,
    }


# Who may read what.

LEDGER = {"staff": 200, "keeper": 403, "clerk": 403, "deputy": 403, "leader": 403, "anonymous": 401}
REPORTS = {**LEDGER, "leader": 200}


@pytest.mark.parametrize("role", list(LEDGER))
def test_each_role_reads_the_offices_endpoints_as_their_pages(role, people, cast):
    suggestion = flows.assigned(cast)
    client = token_client(people[role])
    for url, expected in [
        (reverse("api:ledger"), LEDGER[role]),
        (reverse("api:ledger-detail", args=[suggestion.pk]), LEDGER[role]),
        (reverse("api:assessment", args=[2026]), REPORTS[role]),
        (reverse("api:dashboard"), REPORTS[role]),
    ]:
        answer = client.get(url)
        assert answer.status_code == expected, url
        if expected != 200:
            assert answer["Content-Type"] == "application/problem+json"


def test_an_unknown_suggestion_or_year_is_a_404(cast):
    client = token_client(cast.staff)
    assert client.get(reverse("api:ledger-detail", args=[999999])).status_code == 404
    assert client.get(reverse("api:assessment", args=[1999])).status_code == 404


# The ledger.


def changelist_ids(staff, **params) -> list[int]:
    """The ids the admin's changelist lists for ``params`` (its filters and search)."""
    request = RequestFactory().get("/admin/suggestions/suggestion/", params)
    request.user = staff
    model_admin = admin.site.get_model_admin(Suggestion)
    changelist = model_admin.get_changelist_instance(request)
    return sorted(changelist.get_queryset(request).values_list("pk", flat=True))


def api_ids(client, **params) -> list[int]:
    answer = client.get(reverse("api:ledger"), {**params, "page_size": 100})
    assert answer.status_code == 200, answer.json()
    return sorted(row["id"] for row in answer.json()["results"])


@pytest.fixture
def work(cast):
    """A year of the office's work (``dashboard_data``), a merged pair, a proposed one."""
    year = dashboard_data.a_year_of_work(cast)
    with flows.on(dashboard_data.RAISED):
        year.main, year.merged = flows.merged(cast)
        year.proposed = flows.proposed(cast, title="关于老旧小区加装电梯的建议", category="民生")
    return year


FILTERS = [
    ({"state": "assigned"}, {"state__exact": "assigned"}),
    ({"state": "merged"}, {"state__exact": "merged"}),
    ({"term": 16}, {"term": 16}),
    ({"session": 3}, {"session": 3}),
    ({"category": "民生"}, {"category": "民生"}),
    ({"year": 2025}, {"raised_on__year": 2025}),
    ({"key": "yes"}, {"key": "yes"}),
    ({"key": "no"}, {"key": "no"}),
    ({"followup": "redo_decision"}, {"followup": "redo_decision"}),
    ({"followup": "revisit_due"}, {"followup": "revisit_due"}),
    ({"raised_before": "no"}, {"raised_before": "no"}),
    ({"q": "电梯"}, {SEARCH_VAR: "电梯"}),
    ({"q": "王丽"}, {SEARCH_VAR: "王丽"}),
]


@pytest.mark.parametrize(("ours", "admins"), FILTERS)
def test_the_ledgers_filters_give_the_admins_rows(ours, admins, work, cast):
    with flows.on(work.today):
        expected = changelist_ids(cast.staff, **admins)
        assert expected, "each filter selects something"
        assert api_ids(token_client(cast.staff), **ours) == expected


def test_the_unit_and_deadline_filters_give_the_admins_rows(work, cast):
    client = token_client(cast.staff)
    with flows.on(work.today):
        for ours, admins in [
            ({"unit": cast.lead_unit.pk}, {"unit": cast.lead_unit.pk}),
            ({"unit": cast.co_unit.pk}, {"unit": cast.co_unit.pk}),
            ({"deadline": "overdue"}, {"deadline": "overdue"}),
            ({"deadline": "week"}, {"deadline": "week"}),
            ({"unit": cast.lead_unit.pk, "deadline": "overdue"},
             {"unit": cast.lead_unit.pk, "deadline": "overdue"}),
        ]:  # fmt: skip
            assert api_ids(client, **ours) == changelist_ids(cast.staff, **admins), ours
        assert api_ids(client, deadline="overdue") == sorted([work.old.pk, work.a.pk, work.b.pk])
        assert api_ids(client, deadline="week") == [work.f.pk]


def test_the_deputy_and_delegation_filters(work, cast):
    client = token_client(cast.staff)
    led_or_signed = Suggestion.objects.filter(
        lead_deputy=cast.co_deputy
    ) | Suggestion.objects.filter(co_deputies=cast.co_deputy)
    assert api_ids(client, deputy=cast.co_deputy.pk) == sorted(
        set(led_or_signed.values_list("pk", flat=True))
    )
    assert api_ids(client, deputy=cast.other_deputy.pk) == [work.merged.pk]
    everyone = sorted(Suggestion.objects.values_list("pk", flat=True))
    assert api_ids(client, delegation="城关区代表团") == sorted(
        Suggestion.objects.filter(delegation="城关区代表团").values_list("pk", flat=True)
    )
    assert api_ids(client) == everyone


def test_a_wrong_filter_is_a_400_per_field(cast):
    answer = token_client(cast.staff).get(reverse("api:ledger"), {"deadline": "soon", "unit": "x"})
    assert answer.status_code == 400
    assert sorted(e["field"] for e in answer.json()["errors"]) == ["deadline", "unit"]


def test_the_ledgers_rows_are_the_changelists_columns(work, cast):
    with flows.on(work.today):
        rows = {
            r["id"]: r
            for r in token_client(cast.staff).get(reverse("api:ledger")).json()["results"]
        }
    late = rows[work.a.pk]
    assert late["state"] == "assigned" and late["lead_unit"] == "市交通运输局"
    assert late["due_on"] == flows.lead(work.a).due_on.isoformat()
    assert late["overdue"] is True and late["days_left"].startswith("逾期")
    assert late["lead_deputy"] == {
        "id": cast.deputy.pk,
        "name": "王丽",
        "delegation": "城关区代表团",
    }
    signed = rows[work.d.pk]
    assert signed["key"] is True and late["key"] is False
    assert (signed["reply_class"], signed["reply_on_time"]) == ("B", True)
    assert (signed["work_rating"], signed["result_rating"]) == ("satisfied", "satisfied")
    assert signed["overdue"] is False and signed["days_left"] is None
    assert rows[work.e.pk]["result_rating"] == "dissatisfied"
    assert rows[work.merged.pk]["merged_into"] == {
        "id": work.main.pk, "number": work.main.number, "title": work.main.title,
    }  # fmt: skip
    assert rows[work.main.pk]["merged_count"] == 1
    assert rows[work.proposed.pk]["lead_unit"] is None and rows[work.proposed.pk]["due_on"] is None


def test_no_deputys_phone_in_the_ledger(work, cast):
    type(cast.deputy).objects.update(mobile=MOBILE)
    client = token_client(cast.staff)
    listed = client.get(reverse("api:ledger"))
    assert MOBILE not in listed.content.decode() and "mobile" not in listed.content.decode()
    detail = client.get(reverse("api:ledger-detail", args=[work.main.pk]))
    assert MOBILE not in detail.content.decode() and "mobile" not in detail.content.decode()
    assert MOBILE[-4:] not in detail.content.decode()


def test_the_ledger_reads_at_most_six_queries(cast, django_assert_max_num_queries):
    with flows.on(dashboard_data.RAISED):
        for i in range(22):
            flows.assigned(cast, co=False, title=f"关于第{i}条道路的建议")
    client = token_client(cast.staff)
    with django_assert_max_num_queries(6):
        first = client.get(reverse("api:ledger"), {"q": "道路"})
    assert len(first.json()["results"]) == 20
    with django_assert_max_num_queries(6):
        rest = client.get(first.json()["next"])
    assert len(rest.json()["results"]) == 2


def test_one_suggestion_as_the_admins_page_shows_it(work, cast):
    suggestion = work.e  # replied; the deputy dissatisfied: the office decides
    with flows.on(work.today):
        body = (
            token_client(cast.staff).get(reverse("api:ledger-detail", args=[suggestion.pk])).json()
        )
        timeline = selectors.suggestion_timeline(suggestion, reminders=True, office=True)
        offered = actions.available(Page.ADMIN, user=cast.staff, obj=suggestion)
    assert body["content"] == suggestion.content
    assert body["co_deputies"] == [
        {"id": cast.co_deputy.pk, "name": "李强", "delegation": "城关区代表团"}
    ]
    assert [(a["unit"]["name"], a["role"]) for a in body["assignments"]] == [
        ("市交通运输局", "lead"), ("市公安局交通警察支队", "co"),
    ]  # fmt: skip
    assert [(e["kind"], e["title"]) for e in body["timeline"]] == [
        (e.kind, e.title) for e in timeline
    ]
    assert [(r["round"], r["classification"], r["unit"]["name"]) for r in body["replies"]] == [
        (suggestion.round, "B", "市交通运输局")
    ]
    assert [(s["level"], s["result_rating"]) for s in body["signoffs"]] == [
        ("deputy", "dissatisfied")
    ]
    assert body["redo_eligible"] is True and body["awaiting_redo_decision"] is True
    assert sorted(a["name"] for a in body["actions"]) == sorted(a.name for a in offered)
    assert "order_redo" in [a["name"] for a in body["actions"]]
    detail = reverse("api:ledger-detail", args=[suggestion.pk])
    assert all(a["url"] == f"{detail}{a['name']}/" for a in body["actions"])


# The assessment.


def test_the_assessment_matches_unit_assessment(cast):
    assessment_data.build(cast)
    with flows.on(assessment_data.SEEN):
        body = token_client(cast.staff).get(reverse("api:assessment", args=[2026])).json()
        expected = unit_assessment(year=2026)
    assert body["closed"] is False and body["closed_by"] is None
    assert [r["unit"]["id"] for r in body["rows"]] == [u.unit.pk for u in expected]
    for row, unit in zip(body["rows"], expected, strict=True):
        assert row["rank"] == unit.rank
        assert row["score"] == float(unit.score)
        assert (row["lead_count"], row["co_count"]) == (unit.lead_count, unit.co_count)
        for rate in row["rates"]:
            pair = getattr(unit, rate["rate"])
            assert (rate["numerator"], rate["denominator"], rate["percent"]) == (
                pair.numerator, pair.denominator, pair.percent,
            )  # fmt: skip
        assert [(d["kind"], d["count"], d["points"]) for d in row["deductions"]] == [
            (d.kind, d.count, float(d.points)) for d in unit.deductions
        ]
    lead = next(r for r in body["rows"] if r["unit"]["name"] == "市交通运输局")
    on_time = next(r for r in lead["rates"] if r["rate"] == "on_time")
    assert (on_time["numerator"], on_time["denominator"]) == (1, 2)
    assert lead["score"] == 100 - sum(d["points"] for d in lead["deductions"])
    satisfied = next(r for r in lead["rates"] if r["rate"] == "satisfied_work")
    assert satisfied["percent"] is None  # nothing counted: null, never 0


def test_a_leader_sees_their_units_rows_with_the_global_rank(cast):
    assessment_data.build(cast)
    with flows.on(assessment_data.SEEN):
        body = token_client(cast.leader).get(reverse("api:assessment", args=[2026])).json()
        expected = {u.unit.pk: u.rank for u in unit_assessment(year=2026)}
    assert [(r["unit"]["id"], r["rank"]) for r in body["rows"]] == [
        (cast.lead_unit.pk, expected[cast.lead_unit.pk])
    ]
    assert len(body["averages"]) == 7  # of all units


def test_a_closed_year_gives_its_frozen_figures(cast):
    assessment_data.build(cast)
    with flows.on(assessment_data.SEEN):
        report_services.assessment_close(year=2026, by=cast.staff)
        frozen = unit_assessment(year=2026)
        flows.handled(cast, title="关闭后的新答复")  # a later write changes nothing
        body = token_client(cast.staff).get(reverse("api:assessment", args=[2026])).json()
    assert body["closed"] is True and body["closed_by"]
    assert [(r["unit"]["id"], r["score"]) for r in body["rows"]] == [
        (u.unit.pk, float(u.score)) for u in frozen
    ]


# The dashboard.


def test_the_offices_dashboard_matches_its_selector(work, cast):
    with flows.on(work.today):
        body = token_client(cast.staff).get(reverse("api:dashboard"), {"year": 2026}).json()
        board = boards.dashboard(year=2026)
    assert body["scope"] == "office" and body["year"] == 2026
    assert (body["total"], body["overdue"], body["due_soon"]) == (
        board.total, board.overdue, board.due_soon,
    )  # fmt: skip
    assert {s["state"]: s["count"] for s in body["states"]} == {
        str(k): v for k, v in board.states.items()
    }
    assert body["waiting"] == {str(k): v for k, v in board.waiting.items()}
    assert [(u["unit"]["id"], u["overdue"], u["due_soon"]) for u in body["units"]] == [
        (u.unit_id, u.overdue, u.due_soon) for u in board.units
    ]
    assert {r["rating"]: r["count"] for r in body["satisfaction"]["result"]} == {
        str(k): v for k, v in board.satisfaction["result"].items()
    }
    assert {s["state"]: s["count"] for s in body["key_stages"]} == {"signed": 1}
    received = next(t for t in body["trends"] if t["measure"] == "received")
    assert received["this_year"] == board.trends["received"][2026]
    assert received["previous_year"] == board.trends["received"][2025]
    assert (body["redo_decision"], body["revisits_due"]) == (
        board.redo_decision,
        board.revisits_due,
    )
    assert body["overdue"] > 0 and body["due_soon"] > 0
    assert body["redo_decision"] == 1


def test_a_leaders_dashboard_counts_their_units(work, cast):
    with flows.on(work.today):
        body = token_client(cast.leader).get(reverse("api:dashboard"), {"year": 2026}).json()
        board, _items = boards.leader_dashboard(
            user=cast.leader, unit_ids=frozenset({cast.lead_unit.pk}), year=2026
        )
    assert body["scope"] == "leader"
    assert body["redo_decision"] is None and body["revisits_due"] is None
    assert [u["unit"]["id"] for u in body["units"]] == [cast.lead_unit.pk]
    assert (body["total"], body["overdue"], body["waiting"]["leader"]) == (
        board.total, board.overdue, board.waiting["leader"],
    )  # fmt: skip
    assert body["waiting"]["leader"] == 1  # c


def test_a_wrong_dashboard_year_is_a_400(cast):
    answer = token_client(cast.staff).get(reverse("api:dashboard"), {"year": "x"})
    assert answer.status_code == 400 and answer.json()["errors"][0]["field"] == "year"


def test_a_merge_shows_in_the_timeline(cast):
    main, merged = flows.merged(cast)
    body = token_client(cast.staff).get(reverse("api:ledger-detail", args=[main.pk])).json()
    assert merged.pk in [e["ref"] for e in body["timeline"]]
