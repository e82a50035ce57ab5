"""The deputy's suggestion page (status:detail) reads at most 10 queries for every reader
and state, and as many for a suggestion with many records (communications, replies and
their documents, sign-offs, key visits and their files, merged suggestions) as for one
with few."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from suggestions import services
from suggestions.models import Suggestion
from tests import factories, flows, keys

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10


def read_page(client, user, suggestion) -> tuple[int, str]:
    """The page's queries (the first request after logging in: nothing cached) and HTML."""
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("status:detail", args=[suggestion.pk]))
    assert response.status_code == 200
    return len(queries), response.content.decode()


def merged_group(cast, others: int) -> tuple[Suggestion, list[Suggestion]]:
    """The cast's suggestion with ``others`` suggestions merged into it (the first led by
    the cast's other deputy), assigned and replied: (main, merged)."""
    main = flows.reviewed(cast)
    leads = [cast.other_deputy] + [factories.DeputyFactory() for _i in range(others - 1)]
    merged = [
        services.suggestion_create(
            by=cast.staff,
            title=f"关于学校门口交通安全的建议（{i + 1}）",
            content="学校门口上下学时段拥堵。",
            lead_deputy=lead,
        )
        for i, lead in enumerate(leads)
    ]
    services.suggestion_merge(suggestions=merged, into=main, by=cast.staff, reason="同一事项。")
    main = Suggestion.objects.get(pk=main.pk)
    services.suggestion_assign(
        suggestion=main, by=cast.staff, lead_unit=cast.lead_unit, co_units=[]
    )
    flows.prepare_reply(cast, main)
    flows.reply(cast, main)
    return Suggestion.objects.get(pk=main.pk), merged


def deputy_signed(cast) -> Suggestion:
    """Replied and signed by the lead deputy: the head signs next."""
    suggestion = flows.handled(cast)
    flows.deputy_signs(cast, suggestion)
    return suggestion


def on_paper(cast) -> Suggestion:
    """Replied, its lead deputy working for the lead unit: signed on paper, not online."""
    factories.MembershipFactory(unit=cast.lead_unit, user=cast.deputy.user)
    return flows.handled(cast)


def key_visited(cast, visits: int = 1) -> Suggestion:
    """A new key suggestion followed by the co-signing deputy, who took part in each
    visit; two files a visit."""
    key = keys.designated(cast, deputies=[cast.co_deputy])
    for _i in range(visits):
        keys.visit(key, cast.leader, deputies=[cast.co_deputy], files=[keys.png(), keys.png()])
    return key.suggestion


@pytest.mark.parametrize(
    ("reader", "make", "shows"),
    [
        # The lead deputy while a unit handles it.
        ("deputy", flows.assigned, 'id="units"'),
        # A co-signing deputy, the same.
        ("co_deputy", flows.assigned, 'id="units"'),
        # The lead deputy, replied: their sign-off form.
        ("deputy", flows.handled, 'id="signoff-form"'),
        # The lead deputy after signing, the head's signature next.
        ("deputy", deputy_signed, 'id="ratings"'),
        # The lead deputy working for the lead unit: the paper record's notice.
        ("deputy", on_paper, 'id="signoff-on-paper"'),
        # The lead deputy after the revisit.
        ("deputy", flows.revisited, 'id="revisits"'),
        # After two rounds and the revisit.
        ("deputy", flows.redone_and_revisited, 'data-replaced="true"'),
        # A key suggestion with a visit: its leader, committee and visits.
        ("co_deputy", key_visited, 'id="key-suggestion"'),
    ],
)
def test_the_status_page_reads_at_most_10_queries(client, cast, reader, make, shows):
    suggestion = make(cast)
    count, page = read_page(client, flows.person(cast, reader), suggestion)
    assert shows in page
    assert count <= MAX_QUERIES


@pytest.mark.parametrize("page_of", ["main", "merged"])
def test_a_merged_groups_pages_read_at_most_10_queries(client, cast, page_of):
    """The main suggestion's page, and the merged one's, which shows the main one's
    handling and signs it (并案)."""
    main, merged = merged_group(cast, 1)
    count, page = read_page(
        client, cast.other_deputy.user, main if page_of == "main" else merged[0]
    )
    assert 'id="signoff-form"' in page
    assert count <= MAX_QUERIES


def test_the_query_count_does_not_grow_with_communications(client, cast):
    few = flows.assigned(cast)
    flows.communicate(cast, few, 1)
    many = flows.assigned(cast, title="关于完善学校周边交通设施的建议")
    flows.communicate(cast, many, 6)
    one, _page = read_page(client, cast.deputy.user, few)
    six, page = read_page(client, cast.deputy.user, many)
    assert page.count('id="communication-') == 6
    assert one == six <= MAX_QUERIES


def test_the_query_count_does_not_grow_with_rounds_replies_and_sign_offs(client, cast):
    """Revisited after one round, and after a redo (two replies with their documents, two
    ratings, a redo): the same queries."""
    once = flows.revisited(cast)
    twice = flows.redone_and_revisited(cast)
    one, _page = read_page(client, cast.deputy.user, once)
    two, page = read_page(client, cast.deputy.user, twice)
    assert page.count('class="document-link"') == 2
    assert page.count('id="rating-') == 2
    assert one == two <= MAX_QUERIES


def test_the_query_count_does_not_grow_with_key_visits_and_their_files(client, cast):
    one_visit = key_visited(cast)
    four_visits = key_visited(cast, visits=4)
    one, _page = read_page(client, cast.co_deputy.user, one_visit)
    four, page = read_page(client, cast.co_deputy.user, four_visits)
    assert page.count('class="inspection"') == 4
    assert page.count('class="badge took-part"') == 4
    assert page.count('class="document-link"') == 8  # the files (no reply yet)
    assert one == four <= MAX_QUERIES


def test_the_query_count_does_not_grow_with_merged_suggestions(client, cast):
    """The main suggestion of a group of two and of a group of four: the same queries."""
    pair, _merged = merged_group(cast, 1)
    four, _merged = merged_group(cast, 3)
    one, _page = read_page(client, cast.deputy.user, pair)
    three, page = read_page(client, cast.deputy.user, four)
    assert page.count('<li id="merged-') == 3
    assert one == three <= MAX_QUERIES
