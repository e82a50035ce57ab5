"""Who gets which task page: the role × page matrix, scoping by unit, and the list's queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from suggestions import services
from suggestions.models import Assignment
from tests import factories, flows

ROLES = [
    "anonymous",
    "staff",
    "clerk",
    "other_clerk",
    "head",
    "leader",
    "other_leader",
    "deputy",
]


def client_for(client, cast, role):
    if role != "anonymous":
        client.force_login(flows.person(cast, role))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status", "sees_row"),
    [
        ("anonymous", 302, False),  # sent to the login page
        ("staff", 403, False),  # staff work in the admin, not on the task pages
        ("clerk", 200, True),  # a member of the lead unit A
        ("other_clerk", 200, False),  # unit B's clerk: a list without A's assignment
        ("head", 200, True),  # the head of unit A
        ("leader", 200, True),  # the leader supervising unit A
        ("other_leader", 200, False),  # another leader: only the units they supervise
        ("deputy", 403, False),  # deputies have their status pages
    ],
)
def test_task_list_shows_only_the_users_units(client, cast, role, status, sees_row):
    """The list answers each role as DESIGN says and lists only the user's units' assignments."""
    suggestion = flows.assigned(cast)
    row = f'id="assignment-{flows.lead(suggestion).pk}"'
    response = client_for(client, cast, role).get(reverse("tasks:list"))
    assert response.status_code == status
    if status == 302:
        assert response.url.startswith(reverse("login"))
    if status == 200:
        assert (row in response.content.decode()) is sees_row


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),  # sent to the login page
        ("staff", 403),  # staff use the admin's change page
        ("clerk", 200),  # unit A's member sees A's assignment
        ("other_clerk", 404),  # unit B's clerk: another unit's id is a 404
        ("head", 200),  # unit A's head
        ("leader", 200),  # A's supervising leader
        ("other_leader", 404),  # a leader of other units: a 404
        ("deputy", 403),  # deputies are not task users
    ],
)
def test_task_detail_is_scoped_by_unit(client, cast, role, status):
    """The detail page answers each role as DESIGN says; another unit's id is a 404."""
    suggestion = flows.assigned(cast)
    url = reverse("tasks:detail", args=[flows.lead(suggestion).pk])
    response = client_for(client, cast, role).get(url)
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert suggestion.title in page
        assert f'id="suggestion-number">{suggestion.number}<' in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),  # sent to the login page
        ("staff", 200),  # the committee office sees every suggestion
        ("clerk", 200),  # the lead unit's clerk
        ("other_clerk", 404),  # another unit's document is a 404
        ("head", 200),  # the lead unit's head
        ("leader", 200),  # the supervising leader
        ("other_leader", 404),  # a leader of other units
        ("deputy", 200),  # the lead deputy may see the reply they sign
    ],
)
def test_document_is_served_only_to_who_may_see_the_suggestion(client, cast, role, status):
    """The signed document goes to the suggestion's units, leader, deputies and staff only."""
    suggestion = flows.handled(cast)
    url = reverse("tasks:document", args=[suggestion.current_reply().pk])
    response = client_for(client, cast, role).get(url)
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "actions"),
    [
        ("clerk", {"communication", "reply", "reassignment", "extension"}),  # lead unit member
        ("head", {"communication", "reply", "reassignment", "extension"}),  # a head is a member
        ("leader", set()),  # a leader only signs, once there is a reply
    ],
)
def test_task_detail_shows_the_forms_of_the_role_when_assigned(client, cast, role, actions):
    """An assigned suggestion's lead assignment offers each role exactly its forms."""
    suggestion = flows.assigned(cast)
    url = reverse("tasks:detail", args=[flows.lead(suggestion).pk])
    page = client_for(client, cast, role).get(url).content.decode()
    shown = {name for name in ACTION_NAMES if f'id="action-{name}"' in page}
    assert shown == actions


ACTION_NAMES = [
    "communication",
    "co_opinion",
    "reply",
    "reassignment",
    "extension",
    "signoff_head",
    "signoff_leader",
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "actions"),
    [
        ("clerk", {"communication"}),  # after the reply: only communications after handling
        ("head", {"communication", "signoff_head"}),  # the head's sign-off, the deputy's done
        ("leader", set()),  # the supervising leader signs after the head
    ],
)
def test_task_detail_shows_the_signoff_forms_when_replied(client, cast, role, actions):
    """A replied suggestion the deputy signed offers the head their sign-off, in turn."""
    suggestion = flows.handled(cast)
    flows.deputy_signs(cast, suggestion)
    url = reverse("tasks:detail", args=[flows.lead(suggestion).pk])
    page = client_for(client, cast, role).get(url).content.decode()
    shown = {name for name in ACTION_NAMES if f'id="action-{name}"' in page}
    assert shown == actions


def test_co_unit_detail_offers_the_opinion_form(client, cast):
    """A co-unit's clerk sees the co-opinion form, not the reply form."""
    suggestion = flows.assigned(cast)
    page = (
        client_for(client, cast, "co_clerk")
        .get(reverse("tasks:detail", args=[flows.co(suggestion).pk]))
        .content.decode()
    )
    assert 'id="action-co_opinion"' in page
    assert 'id="action-reply"' not in page


def test_deputy_contact_is_shown_only_to_the_assigned_units(client, cast):
    """The deputy's phone appears for the assigned unit's members, not for the leader."""
    cast.deputy.mobile = "13900001234"
    cast.deputy.save()
    suggestion = flows.assigned(cast)
    url = reverse("tasks:detail", args=[flows.lead(suggestion).pk])
    clerk_page = client_for(client, cast, "clerk").get(url).content.decode()
    assert 'id="deputy-contact"' in clerk_page and "13900001234" in clerk_page
    client.logout()
    leader_page = client_for(client, cast, "leader").get(url).content.decode()
    assert "13900001234" not in leader_page


def test_task_detail_shows_co_units_opinions_and_timeline(client, cast):
    """The page lists the co-units with their opinions and the suggestion's timeline."""
    suggestion = flows.assigned(cast)
    flows.prepare_reply(cast, suggestion)
    url = reverse("tasks:detail", args=[flows.lead(suggestion).pk])
    page = client_for(client, cast, "clerk").get(url).content.decode()
    assert cast.co_unit.name in page
    assert "同意主办意见。" in page
    assert 'class="event event-communication"' in page
    assert "走访代表，了解建议背景。" in page


def test_task_detail_shows_the_reassignment_window(client, cast):
    """Inside the window the page shows its end date and how it was computed."""
    with flows.on(datetime.date(2026, 9, 28)):
        suggestion = flows.assigned(cast)
        url = reverse("tasks:detail", args=[flows.lead(suggestion).pk])
        page = client_for(client, cast, "clerk").get(url).content.decode()
    # 7 working days after 28 September 2026 skip the National Day holiday.
    assert 'id="reassignment-window"' in page
    assert "2026-10-" in page.split('id="reassignment-window"')[1][:80]
    assert 'id="action-reassignment"' in page


def test_task_list_tabs_filter_by_state_and_deadline(client, cast):
    """To do, due soon, overdue, replied and all each list the matching assignments."""
    with flows.on(datetime.date(2026, 3, 10)):
        late = flows.assigned(cast, co=False, title="逾期的建议")
    with flows.on(datetime.date(2026, 5, 25)):
        soon = flows.assigned(cast, co=False, title="即将到期的建议")
        done = flows.handled(cast, co=False, title="已答复的建议")
    flows.sign_all(cast, done)
    client_for(client, cast, "clerk")
    rows = {}
    with flows.on(datetime.date(2026, 8, 15)):
        for tab in ("todo", "due_soon", "overdue", "replied", "all"):
            page = client.get(reverse("tasks:list"), {"tab": tab}).content.decode()
            rows[tab] = {
                s.title for s in (late, soon, done) if f"assignment-{flows.lead(s).pk}" in page
            }
        overdue_page = client.get(reverse("tasks:list"), {"tab": "overdue"}).content.decode()
    assert rows["todo"] == {"逾期的建议", "即将到期的建议"}
    assert rows["due_soon"] == {"即将到期的建议"}
    assert rows["overdue"] == {"逾期的建议"}
    assert rows["replied"] == {"已答复的建议"}
    assert rows["all"] == {"逾期的建议", "即将到期的建议", "已答复的建议"}
    assert f'id="assignment-{flows.lead(late).pk}" class="overdue' in overdue_page


def test_task_list_filters_by_year_and_searches_number_and_title(client, cast):
    """The year filter and the search by number or title narrow the list."""
    with flows.on(datetime.date(2025, 4, 1)):
        old = flows.assigned(cast, co=False, title="去年的建议", session=2)
    with flows.on(datetime.date(2026, 4, 1)):
        new = flows.assigned(cast, co=False, title="今年的路灯建议")
    client_for(client, cast, "clerk")
    url = reverse("tasks:list")

    def listed(params):
        page = client.get(url, {"tab": "all", **params}).content.decode()
        return {s.title for s in (old, new) if f"assignment-{flows.lead(s).pk}" in page}

    assert listed({"year": 2025}) == {"去年的建议"}
    assert listed({"q": "路灯"}) == {"今年的路灯建议"}
    assert listed({"q": new.number}) >= {"今年的路灯建议"}


@pytest.mark.parametrize(
    "year",
    [
        "10000",  # past the last year a date may have
        "-1",  # before the first
        "99999999999",  # past any integer column
        "二〇二六",  # not a number
    ],
)
def test_task_list_lists_every_year_when_the_year_is_no_year(client, cast, year):
    """A year no date can have lists every year, as an empty year filter does."""
    suggestion = flows.assigned(cast, co=False)
    client_for(client, cast, "clerk")
    response = client.get(reverse("tasks:list"), {"tab": "all", "year": year})
    assert response.status_code == 200
    assert f'id="assignment-{flows.lead(suggestion).pk}"' in response.content.decode()


def test_task_list_paginates(client, cast):
    """More rows than a page hold are split across pages."""
    for i in range(25):
        flows.assigned(cast, co=False, title=f"建议{i:02d}")
    client_for(client, cast, "clerk")
    first = client.get(reverse("tasks:list"), {"tab": "all"}).content.decode()
    second = client.get(reverse("tasks:list"), {"tab": "all", "page": 2}).content.decode()
    assert first.count('id="assignment-') == 20
    assert second.count('id="assignment-') == 5


def _assign_many(cast, n):
    for _i in range(n):
        suggestion = factories.SuggestionFactory(lead_deputy=cast.deputy)
        services.suggestion_approve(suggestion=suggestion, by=cast.staff)
        services.suggestion_assign(
            suggestion=suggestion, by=cast.staff, lead_unit=cast.lead_unit, co_units=[cast.co_unit]
        )


@pytest.mark.parametrize("tab", ["todo", "all"])
def test_task_list_query_count_does_not_grow_with_rows(client, cast, tab):
    """The list reads at most 6 queries, the same at 1 and at 50 assignments."""
    _assign_many(cast, 1)
    client_for(client, cast, "clerk")
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("tasks:list"), {"tab": tab})
    _assign_many(cast, 49)
    assert Assignment.objects.filter(unit=cast.lead_unit).count() == 50
    with CaptureQueriesContext(connection) as fifty:
        page = client.get(reverse("tasks:list"), {"tab": tab, "page": 1}).content.decode()
    assert page.count('id="assignment-') == 20
    assert len(one) == len(fifty) <= 6


def test_a_relieved_unit_keeps_its_record_but_not_what_came_after(client, cast):
    """A unit relieved by a reassignment still opens its assignment, with what happened
    until the day it was relieved, but not the new lead unit's later contact and reply."""
    with flows.on(datetime.date(2026, 3, 10)):
        suggestion = flows.assigned(cast, co=False)
        old = flows.lead(suggestion)
        services.communication_record(
            assignment=old,
            by=cast.clerk,
            stage="before",
            method="phone",
            happened_on=datetime.date(2026, 3, 10),
            notes="我们最初的沟通",
        )
    with flows.on(datetime.date(2026, 3, 12)):
        request = services.reassignment_request(assignment=old, by=cast.clerk, reason="职责不符")
        services.reassignment_decide(
            request=request, by=cast.staff, approve=True, lead_unit=cast.other_unit
        )
    with flows.on(datetime.date(2026, 3, 20)):
        new = flows.lead(suggestion)
        services.communication_record(
            assignment=new,
            by=cast.other_clerk,
            stage="during",
            method="visit",
            happened_on=datetime.date(2026, 3, 20),
            notes="新主办单位的走访",
        )
        reply = services.reply_submit(
            assignment=new,
            by=cast.other_clerk,
            classification="A",
            text="新主办单位已办结。",
            document=factories.document(),
        )

    client_for(client, cast, "clerk")
    page = client.get(reverse("tasks:detail", args=[old.pk])).content.decode()
    assert "我们最初的沟通" in page
    assert "新主办单位的走访" not in page
    assert "新主办单位已办结" not in page
    assert client.get(reverse("tasks:document", args=[reply.pk])).status_code == 404
    client.force_login(cast.other_clerk)
    assert client.get(reverse("tasks:document", args=[reply.pk])).status_code == 200
