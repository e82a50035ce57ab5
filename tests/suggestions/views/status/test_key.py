"""Key suggestions on the deputies' pages (/my/): the badge on their suggestion, its leader,
committee and visits, and the key suggestions they are invited to follow with their visits."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from suggestions.models import InspectionFile
from tests import factories, flows, keys

TODAY = timezone.localdate
LIST = reverse("status:list")
BADGE = 'class="badge key-badge" data-key="true"'


def _row(page, suggestion):
    row = page[page.index(f'id="suggestion-{suggestion.pk}"') :]
    return row[: row.index("</li>")]


@pytest.mark.parametrize("role", ["deputy", "co_deputy"])
def test_the_list_marks_a_key_suggestion(client, cast, role):
    chosen = flows.assigned(cast)
    other = flows.assigned(cast, title="另一件建议")
    keys.designated(cast, chosen)
    client.force_login(flows.person(cast, role))
    page = client.get(LIST).content.decode()
    assert BADGE in _row(page, chosen)
    assert BADGE not in _row(page, other)


def test_the_list_reads_the_same_queries_with_key_suggestions(client, cast):
    """The badge is an annotation of the rows: no query per row (at most 6 for a deputy
    invited to nothing)."""

    def add(n):
        for i in range(n):
            keys.designated(cast, flows.assigned(cast, title=f"第{i}件"), deputies=())

    client.force_login(cast.deputy.user)
    add(1)
    with CaptureQueriesContext(connection) as one:
        client.get(LIST)
    add(11)
    with CaptureQueriesContext(connection) as twelve:
        page = client.get(LIST).content.decode()
    assert page.count(BADGE) == 12
    assert len(one) == len(twelve) <= 6


@pytest.mark.parametrize("role", ["deputy", "co_deputy"])
def test_the_suggestions_page_shows_its_leader_committee_and_visits(client, cast, role):
    cast.leader.first_name = "刘振华（副市长）"
    cast.leader.save()
    suggestion = flows.assigned(cast)
    key = keys.designated(cast, suggestion, deputies=[cast.co_deputy])
    visit = keys.visit(key, cast.leader, deputies=[cast.co_deputy], files=[keys.png("现场.png")])
    client.force_login(flows.person(cast, role))
    page = client.get(reverse("status:detail", args=[suggestion.pk])).content.decode()
    assert BADGE in page
    section = page[page.index('id="key-suggestion"') :]
    section = section[: section.index("</section>")]
    assert 'id="key-leader">刘振华（副市长）<' in section
    assert 'id="key-committee">财政经济委员会<' in section
    assert visit.findings in section and visit.next_steps in section
    assert visit.participants in section
    file = InspectionFile.objects.get()
    assert reverse("tasks:inspection_file", args=[file.pk]) in section
    # The co-signer took part: the page says so to them, not to the lead deputy.
    assert ('class="badge took-part"' in section) is (role == "co_deputy")


def test_a_suggestion_not_chosen_has_no_key_section(client, cast):
    suggestion = flows.assigned(cast)
    client.force_login(cast.deputy.user)
    page = client.get(reverse("status:detail", args=[suggestion.pk])).content.decode()
    assert 'id="key-suggestion"' not in page
    assert BADGE not in page


def test_an_invited_deputy_follows_the_key_suggestion_and_its_visits_on_my(client, cast):
    """A deputy invited to follow another's suggestion sees it on /my/ with every visit,
    those they took part in marked, and can open the visit's files."""
    invited = factories.DeputyFactory(name="赵敏")
    key = keys.designated(cast, deputies=[invited])
    went = keys.visit(
        key,
        cast.leader,
        happened_on=TODAY() - datetime.timedelta(days=9),
        deputies=[invited],
        files=[keys.png("现场.png")],
    )
    later = keys.visit(key, cast.staff, kind="check", findings="督办检查：已招标。")
    client.force_login(invited.user)
    page = client.get(LIST).content.decode()
    section = page[page.index('id="key-followed"') :]
    section = section[: section.index("</section>")]
    assert key.suggestion.title in section
    assert "财政经济委员会" in section
    first = section[section.index(f'id="inspection-{went.pk}"') :]
    assert 'class="badge took-part"' in first[: first.index("</li>")]
    second = section[section.index(f'id="inspection-{later.pk}"') :]
    assert "督办检查：已招标。" in second
    assert 'class="badge took-part"' not in second[: second.index("</li>")]
    file = InspectionFile.objects.get()
    assert client.get(reverse("tasks:inspection_file", args=[file.pk])).status_code == 200
    # Not their suggestion: its page stays the deputies' own.
    detail = reverse("status:detail", args=[key.suggestion_id])
    assert client.get(detail).status_code == 404


def test_a_deputy_invited_to_nothing_has_no_followed_section(client, cast):
    keys.designated(cast, deputies=[cast.other_deputy])
    client.force_login(cast.deputy.user)  # its lead deputy, not invited
    assert 'id="key-followed"' not in client.get(LIST).content.decode()


def test_the_followed_section_reads_the_same_queries_at_1_and_at_4(client, cast):
    invited = factories.DeputyFactory()
    client.force_login(invited.user)

    def add(n):
        for i in range(n):
            key = keys.designated(cast, flows.assigned(cast, title=f"第{i}件"), deputies=[invited])
            keys.visit(key, cast.leader, deputies=[invited], files=[keys.png()])
            keys.visit(key, cast.staff)

    add(1)
    with CaptureQueriesContext(connection) as one:
        client.get(LIST)
    add(3)
    with CaptureQueriesContext(connection) as four:
        page = client.get(LIST).content.decode()
    assert page.count('class="key-followed"') == 4
    assert page.count('class="inspection"') == 8
    assert len(one) == len(four)


def test_the_detail_page_reads_the_same_queries_at_1_and_at_4_visits(client, cast):
    suggestion = flows.assigned(cast)
    key = keys.designated(cast, suggestion, deputies=[cast.co_deputy])
    client.force_login(cast.deputy.user)
    url = reverse("status:detail", args=[suggestion.pk])

    def add(n):
        for _i in range(n):
            keys.visit(key, cast.leader, deputies=[cast.co_deputy], files=[keys.png()])

    add(1)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    add(3)
    with CaptureQueriesContext(connection) as four:
        page = client.get(url).content.decode()
    assert page.count('class="inspection"') == 4
    assert len(one) == len(four)
