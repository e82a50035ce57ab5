"""The deputies' status pages: who may see what, the content, and the list's queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from suggestions import selectors, services
from suggestions.models import Suggestion
from tests import factories, flows

pytestmark = pytest.mark.django_db


def client_for(client, cast, role):
    if role != "anonymous":
        client.force_login(flows.person(cast, role))
    return client


@pytest.mark.parametrize(
    ("role", "status", "sees_row"),
    [
        ("anonymous", 302, False),  # sent to the login page
        ("staff", 403, False),  # staff work in the admin
        ("clerk", 403, False),  # unit users have their task pages
        ("leader", 403, False),  # so do government leaders
        ("deputy", 200, True),  # the lead deputy
        ("co_deputy", 200, True),  # a co-signer sees the suggestion too
        ("other_deputy", 200, False),  # another deputy: a list without it
    ],
)
def test_status_list_shows_only_the_deputys_suggestions(client, cast, role, status, sees_row):
    """The list answers each role as DESIGN says and lists only the deputy's suggestions."""
    suggestion = flows.assigned(cast)
    response = client_for(client, cast, role).get(reverse("status:list"))
    assert response.status_code == status
    if status == 302:
        assert response.url.startswith(reverse("login"))
    if status == 200:
        assert (f'id="suggestion-{suggestion.pk}"' in response.content.decode()) is sees_row


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),  # sent to the login page
        ("staff", 403),  # not a deputy: staff use the admin's change page
        ("clerk", 403),  # not a deputy: the unit's task page shows the suggestion
        ("head", 403),  # not a deputy
        ("leader", 403),  # not a deputy
        ("deputy", 200),  # the lead deputy
        ("co_deputy", 200),  # a co-signer
        ("other_deputy", 404),  # deputy Y guessing deputy X's id
    ],
)
def test_status_detail_is_scoped_to_the_suggestions_deputies(client, cast, role, status):
    """The detail page is for the suggestion's deputies; another deputy's id is a 404."""
    suggestion = flows.handled(cast)
    response = client_for(client, cast, role).get(reverse("status:detail", args=[suggestion.pk]))
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert f'data-state="{Suggestion.State.HANDLED}"' in page
        assert suggestion.title in page


def test_status_detail_is_404_for_a_missing_id(client, cast):
    """An id that does not exist is a 404 like another deputy's."""
    client.force_login(cast.deputy.user)
    assert client.get(reverse("status:detail", args=[999999])).status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("deputy", 200),  # the lead deputy downloads the reply's document
        ("co_deputy", 200),  # so does a co-signer
        ("other_deputy", 404),  # another deputy's document is a 404
    ],
)
def test_reply_document_is_served_only_to_the_suggestions_deputies(client, cast, role, status):
    """The status page's document link works for its deputies and is a 404 for others."""
    suggestion = flows.handled(cast)
    reply = suggestion.current_reply()
    url = reverse("tasks:document", args=[reply.pk])
    client_for(client, cast, role)
    if status == 200:
        page = client.get(reverse("status:detail", args=[suggestion.pk])).content.decode()
        assert f'href="{url}"' in page
    response = client.get(url)
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_status_list_shows_number_sentence_and_stage(client, cast):
    """Each row carries its number, the plain-words state with unit and date, and the stage."""
    suggestion = flows.assigned(cast)
    due = flows.lead(suggestion).due_on
    client.force_login(cast.deputy.user)
    page = client.get(reverse("status:list")).content.decode()
    row = page.split(f'id="suggestion-{suggestion.pk}"')[1].split("</li>\n")[0]
    assert 'data-stage="2"' in page
    assert suggestion.number in row
    assert cast.lead_unit.name in row
    assert f"{due.year}年{due.month}月{due.day}日" in row
    assert row.count('class="done"') == 2
    assert '<li class="current" aria-current="step">' in row


def test_status_list_is_newest_first(client, cast):
    """Suggestions are listed by the date they were raised, newest first."""
    old = flows.proposed(cast, title="旧的建议", raised_on=datetime.date(2026, 1, 5))
    new = flows.proposed(cast, title="新的建议", raised_on=datetime.date(2026, 3, 5))
    client.force_login(cast.co_deputy.user)
    page = client.get(reverse("status:list")).content.decode()
    assert page.index(f'id="suggestion-{new.pk}"') < page.index(f'id="suggestion-{old.pk}"')


@pytest.mark.parametrize(
    ("state", "stage", "stopped"),
    [
        ("proposed", 0, False),  # just entered
        ("reviewed", 1, False),  # accepted, numbered
        ("assigned", 2, False),  # with its units
        ("handled", 3, False),  # replied
        ("signed", 4, False),  # the three signatures
        ("revisited", 5, False),  # closed
        ("not_accepted", 1, True),  # stopped at the review
        ("withdrawn", 1, True),  # stopped on the deputy's request
    ],
)
def test_status_of_gives_the_stage_of_each_state(state, stage, stopped):
    """Every state maps to one of the six stages; the terminal ones are marked stopped."""
    row = Suggestion(state=state, round=1, lead_deputy_id=1)
    status = selectors.status_of(row, deputy=None, today=datetime.date(2026, 5, 1))
    assert (status.stage, status.stopped) == (stage, stopped)
    assert len(status.stages) == 6
    assert [s["current"] for s in status.stages].index(True) == stage
    assert status.sentence


def test_status_of_names_the_unit_and_the_deadline_when_assigned():
    """An assigned row's sentence has the lead unit and the due date; late ones are overdue."""
    row = Suggestion(state="assigned", round=1, lead_deputy_id=1)
    row.lead_unit_name = "市交通运输局"
    row.due_on = datetime.date(2027, 1, 15)
    on_time = selectors.status_of(row, deputy=None, today=datetime.date(2026, 12, 1))
    assert "市交通运输局" in on_time.sentence and "2027年1月15日" in on_time.sentence
    assert on_time.overdue is False
    late = selectors.status_of(row, deputy=None, today=datetime.date(2027, 1, 16))
    assert late.overdue is True


def test_status_of_tells_only_the_lead_deputy_their_signoff_waits(cast):
    """A replied, unsigned row waits for the lead deputy, not for a co-signer."""
    row = Suggestion(state="handled", round=1, lead_deputy=cast.deputy)
    row.deputy_signed = False
    assert selectors.status_of(row, deputy=cast.deputy).waiting_for_me is True
    assert selectors.status_of(row, deputy=cast.co_deputy).waiting_for_me is False
    row.deputy_signed = True
    assert selectors.status_of(row, deputy=cast.deputy).waiting_for_me is False


def test_status_detail_shows_units_communications_replies_and_revisit(client, cast):
    """The page shows units and deadlines, contacts, the reply and the revisit's findings."""
    suggestion = flows.revisited(cast)
    lead = flows.lead(suggestion)
    reply = suggestion.current_reply()
    client.force_login(cast.co_deputy.user)
    page = client.get(reverse("status:detail", args=[suggestion.pk])).content.decode()
    assert f'id="assignment-{lead.pk}" data-role="lead"' in page
    assert f'datetime="{lead.due_on:%Y-%m-%d}"' in page
    assert cast.co_unit.name in page
    assert 'data-stage="before" data-method="visit"' in page
    assert "走访代表，了解建议背景。" in page
    assert f'id="reply-{reply.pk}" data-round="1" data-replaced="false"' in page
    assert "年底前完成信号灯安装" in page
    assert 'data-outcome="kept"' in page
    assert "现场查看，信号灯已安装。" in page
    assert 'id="rating-1" data-round="1" data-work="satisfied"' in page
    assert 'class="event event-revisit"' in page
    assert 'data-stage="5"' in page


def test_status_detail_keeps_a_replaced_reply_and_marks_it(client, cast):
    """After a redo the first reply stays on the page, marked as replaced."""
    suggestion = flows.handled(cast)
    first = suggestion.current_reply()
    flows.sign_all(cast, suggestion, rating="dissatisfied")
    services.suggestion_order_redo(suggestion=suggestion, by=cast.staff, reason="代表不满意。")
    flows.prepare_reply(cast, suggestion)
    second = flows.reply(cast, suggestion)
    client.force_login(cast.deputy.user)
    page = client.get(reverse("status:detail", args=[suggestion.pk])).content.decode()
    assert f'id="reply-{first.pk}" data-round="1" data-replaced="true"' in page
    assert f'id="reply-{second.pk}" data-round="2" data-replaced="false"' in page
    assert page.count('class="replaced-mark"') == 1
    assert 'id="rating-1" data-round="1" data-work="dissatisfied"' in page
    assert 'id="signoff"' in page  # the second round waits for a new sign-off


def test_status_detail_timeline_names_who_acted(client, cast):
    """Each timeline step has its date and the name of who acted."""
    cast.clerk.first_name = "小明"
    cast.clerk.save()
    suggestion = flows.handled(cast)
    client.force_login(cast.deputy.user)
    page = client.get(reverse("status:detail", args=[suggestion.pk])).content.decode()
    timeline = page.split('id="timeline"')[1]
    assert 'class="event event-reply"' in timeline
    assert '<span class="actor">小明</span>' in timeline
    assert timeline.count("<time datetime=") >= 5


def _many(cast, n):
    for _i in range(n):
        suggestion = factories.SuggestionFactory(lead_deputy=cast.deputy)
        suggestion.co_deputies.add(cast.co_deputy)
        services.suggestion_approve(suggestion=suggestion, by=cast.staff)
        services.suggestion_assign(suggestion=suggestion, by=cast.staff, lead_unit=cast.lead_unit)


@pytest.mark.parametrize("role", ["deputy", "co_deputy"])
def test_status_list_query_count_does_not_grow_with_rows(client, cast, role):
    """The list reads at most 6 queries, the same at 1 and at 30 suggestions."""
    _many(cast, 1)
    services.notify(recipients=[flows.person(cast, role)], kind="test", text="一")
    client_for(client, cast, role)
    with CaptureQueriesContext(connection) as one:
        page = client.get(reverse("status:list")).content.decode()
    assert page.count('class="status-item') == 1
    _many(cast, 29)
    with CaptureQueriesContext(connection) as thirty:
        page = client.get(reverse("status:list")).content.decode()
    assert page.count('class="status-item') == 20  # the first page of 30
    assert len(one) == len(thirty) <= 6
