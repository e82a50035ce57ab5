"""The signers' queue on /tasks/: "waiting for my signature" for heads and leaders, its
count, their landing tab, and the line of signatures on every replied row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from suggestions import services
from suggestions.models import SignOff
from tests import flows

PASSWORD = "pw-for-tests-1"  # the factories' password


def rows_of(page: str) -> str:
    return page[page.index("<tbody>") : page.index("</tbody>")]


def tabs_of(page: str) -> str:
    return page[page.index('id="tabs"') : page.index('id="filters"')]


def shown(client, user, **params) -> str:
    client.force_login(user)
    response = client.get(reverse("tasks:list"), params)
    assert response.status_code == 200
    return response.content.decode()


def row_id(suggestion) -> str:
    return f'id="assignment-{flows.lead(suggestion).pk}"'


@pytest.fixture
def queue(cast):
    """Three replied suggestions of the lead unit: one the deputy has not signed, one the
    deputy signed (the head's turn), one the head signed too (the leader's turn)."""
    unsigned = flows.handled(cast, title="未签字的建议")
    for_head = flows.handled(cast, title="待主要领导签字的建议")
    flows.deputy_signs(cast, for_head, result=SignOff.Rating.BASICALLY_SATISFIED)
    for_leader = flows.awaiting_leader(cast, title="待分管领导签字的建议")
    assigned = flows.assigned(cast, title="办理中的建议")
    return {"unsigned": unsigned, "head": for_head, "leader": for_leader, "assigned": assigned}


def test_head_queue_lists_what_the_deputy_signed_and_no_head_has(client, cast, queue):
    """The head's queue holds the replied suggestion the deputy signed, not the one the
    deputy has not signed, the one the head already signed, or one still in handling."""
    rows = rows_of(shown(client, cast.head, tab="sign"))
    assert row_id(queue["head"]) in rows
    for other in ("unsigned", "leader", "assigned"):
        assert row_id(queue[other]) not in rows, other


def test_leader_queue_lists_what_the_head_signed(client, cast, queue):
    """The leader's queue holds the suggestion the head signed, nothing before that."""
    rows = rows_of(shown(client, cast.leader, tab="sign"))
    assert row_id(queue["leader"]) in rows
    for other in ("unsigned", "head", "assigned"):
        assert row_id(queue[other]) not in rows, other


def test_a_signature_moves_the_suggestion_to_the_next_signers_queue(client, cast, queue):
    """Once the head signs, the suggestion leaves the head's queue for the leader's."""
    services.signoff_record(suggestion=queue["head"], by=cast.head, level="unit_head")
    assert row_id(queue["head"]) not in rows_of(shown(client, cast.head, tab="sign"))
    assert row_id(queue["head"]) in rows_of(shown(client, cast.leader, tab="sign"))
    services.signoff_record(suggestion=queue["head"], by=cast.leader, level="leader")
    assert row_id(queue["head"]) not in rows_of(shown(client, cast.leader, tab="sign"))


def test_sign_tab_comes_first_with_its_count(client, cast, queue):
    """For a head the first tab is "waiting for my signature", with the number waiting."""
    tabs = tabs_of(shown(client, cast.head))
    assert tabs.index('data-tab="sign"') < tabs.index('data-tab="todo"')
    assert _("Waiting for my signature") in tabs
    assert '<span class="badge count" id="waiting-count">1</span>' in tabs


def test_signer_lands_on_the_queue_when_something_waits(client, cast, queue):
    """Without a tab chosen, a leader with a signature waiting lands on the queue."""
    page = shown(client, cast.leader)
    assert 'data-tab="sign" class="active" aria-current="page"' in tabs_of(page)
    assert row_id(queue["leader"]) in rows_of(page)
    assert row_id(queue["assigned"]) not in rows_of(page)


def test_login_brings_a_head_to_the_queue(client, cast, queue):
    """After logging in, a head's home is the task list opened on their queue."""
    response = client.post(reverse("login"), {"username": cast.head.username, "password": PASSWORD})
    page = client.get(response.url, follow=True).content.decode()
    assert 'data-tab="sign" class="active"' in tabs_of(page)
    assert row_id(queue["head"]) in rows_of(page)


def test_signer_with_an_empty_queue_lands_on_to_do(client, cast):
    """A head with nothing to sign lands on "to do"; the queue's tab says 0."""
    suggestion = flows.assigned(cast)
    page = shown(client, cast.head)
    assert 'data-tab="todo" class="active"' in tabs_of(page)
    assert '<span class="badge count" id="waiting-count">0</span>' in tabs_of(page)
    assert row_id(suggestion) in rows_of(page)


@pytest.mark.parametrize("role", ["clerk", "co_clerk"])
def test_a_clerk_has_no_signing_queue(client, cast, queue, role):
    """A clerk signs nothing: no queue tab, and asking for it shows "to do"."""
    page = shown(client, flows.person(cast, role), tab="sign")
    assert 'data-tab="sign"' not in tabs_of(page)
    assert 'id="waiting-count"' not in page
    assert 'data-tab="todo" class="active"' in tabs_of(page)


def test_another_units_head_does_not_see_the_queue(client, cast, queue):
    """The head of another unit has an empty queue: the lead unit's records are not theirs."""
    page = shown(client, flows.person(cast, "other_head"), tab="sign")
    assert '<span class="badge count" id="waiting-count">0</span>' in tabs_of(page)
    for suggestion in queue.values():
        assert row_id(suggestion) not in page


def test_each_replied_row_says_who_signed_and_who_is_next(client, cast, queue):
    """A replied row reads 代表 ✔ 满意/基本满意 · 主要领导 … · 分管领导; a row in handling has
    no line."""
    deputy, head, leader = (
        pgettext("sign-off level", word) for word in ("Deputy", "Head", "Leader")
    )
    page = shown(client, cast.clerk, tab="all")

    def row(key):
        rows = rows_of(page)
        start = rows.index(row_id(queue[key]))
        return rows[start : rows.index("</tr>", start)]

    rated = (
        f"{deputy} ✔ {SignOff.Rating.SATISFIED.label}/{SignOff.Rating.BASICALLY_SATISFIED.label}"
    )
    assert f'data-state="signed" title="{_("signed")}">{rated}</li>' in row("head")
    assert f'data-level="unit_head" data-state="next" title="{_("signs next")}">{head} …</li>' in (
        row("head")
    )
    assert f'data-level="leader" data-state="later" title="{_("signs later")}">{leader}</li>' in (
        row("head")
    )
    assert f'data-level="deputy" data-state="next" title="{_("signs next")}">{deputy} …</li>' in (
        row("unsigned")
    )
    assert f">{head} ✔</li>" in row("leader")
    assert f'data-state="next" title="{_("signs next")}">{leader} …</li>' in row("leader")
    assert 'class="signatures"' not in row("assigned")


def test_a_signed_row_shows_all_three_signatures(client, cast):
    """Once the leader has signed, the row shows three ticks and nobody next."""
    suggestion = flows.signed(cast)
    page = rows_of(shown(client, cast.clerk, tab="all"))
    assert row_id(suggestion) in page
    line = page[page.index('class="signatures"') :]
    line = line[: line.index("</ol>")]
    assert line.count('<li class="signed"') == 3
    assert 'data-state="next"' not in line


@pytest.mark.parametrize("role", ["head", "leader"])
@pytest.mark.parametrize("tab", [None, "todo", "sign", "all"])
def test_signers_list_query_count_does_not_grow_with_rows(client, cast, role, tab):
    """A signer's list, queue counted and sign-offs prefetched, reads at most 6 queries,
    the same at 1 and at 12 replied suggestions."""

    def add(n):
        for _i in range(n):
            suggestion = flows.handled(cast, co=False)
            flows.deputy_signs(cast, suggestion)
            if role == "leader":
                services.signoff_record(suggestion=suggestion, by=cast.head, level="unit_head")

    params = {"tab": tab} if tab else {}
    client.force_login(flows.person(cast, role))
    add(1)
    with CaptureQueriesContext(connection) as one:
        first = client.get(reverse("tasks:list"), params).content.decode()
    add(11)
    with CaptureQueriesContext(connection) as twelve:
        page = client.get(reverse("tasks:list"), params).content.decode()
    assert first.count('class="signatures"') == 1
    assert page.count('class="signatures"') == 12
    assert len(one) == len(twelve) <= 6
