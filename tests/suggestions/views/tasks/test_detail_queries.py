"""The task page (tasks:detail) reads at most 10 queries for every role and state, and as
many for a suggestion with many records (timeline events, communications, co-units and
their opinions, replies and their documents, merged suggestions) as for one with few."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from suggestions import services
from suggestions.models import Assignment, Suggestion
from tests import factories, flows

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10


def read_page(client, user, assignment) -> tuple[int, str]:
    """The page's queries (the first request after logging in: nothing cached) and HTML."""
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("tasks:detail", args=[assignment.pk]))
    assert response.status_code == 200
    return len(queries), response.content.decode()


def co(suggestion, unit) -> Assignment:
    return suggestion.open_assignments().get(unit=unit)


def deputy_signed(cast) -> Suggestion:
    """Replied and signed by the deputy: the head's signature waits."""
    suggestion = flows.handled(cast)
    flows.deputy_signs(cast, suggestion)
    return suggestion


def merged_group(cast, others: int) -> Suggestion:
    """The cast's suggestion with ``others`` suggestions merged into it, assigned to the
    lead unit and replied: every lead deputy signs next."""
    main = flows.reviewed(cast)
    merged = [
        services.suggestion_create(
            by=cast.staff,
            title=f"关于学校门口交通安全的建议（{i + 1}）",
            content="学校门口上下学时段拥堵。",
            lead_deputy=factories.DeputyFactory(),
            co_deputies=[factories.DeputyFactory()],
        )
        for i in range(others)
    ]
    services.suggestion_merge(suggestions=merged, into=main, by=cast.staff, reason="同一事项。")
    main = Suggestion.objects.get(pk=main.pk)
    services.suggestion_assign(
        suggestion=main, by=cast.staff, lead_unit=cast.lead_unit, co_units=[]
    )
    flows.prepare_reply(cast, main)
    flows.reply(cast, main)
    return Suggestion.objects.get(pk=main.pk)


@pytest.mark.parametrize(
    ("role", "make", "on", "shows"),
    [
        # A clerk of the lead unit, the suggestion in handling: the reply's conditions.
        ("clerk", flows.assigned, "lead", 'id="conditions-reply"'),
        # A clerk of the co-handling unit: its opinion to send.
        ("co_clerk", flows.assigned, "co", 'id="action-co_opinion"'),
        # The lead unit's head while it is handled: naming the responsible person.
        ("head", flows.assigned, "lead", 'id="action-name_handler"'),
        # A clerk of the lead unit, replied: the paper record's upload.
        ("clerk", flows.handled, "lead", 'id="action-paper_submit"'),
        # The head, the deputy having signed: the head's signature waits.
        ("head", deputy_signed, "lead", 'id="action-signoff_head"'),
        # The supervising leader, the head having signed: the leader's signature waits.
        ("leader", flows.awaiting_leader, "lead", 'id="action-signoff_leader"'),
        # The co-unit's clerk once the record is signed: no action, the whole timeline.
        ("co_clerk", flows.signed, "co", 'id="signatures"'),
        # A clerk after two rounds and the revisit.
        ("clerk", flows.redone_and_revisited, "lead", 'id="replies"'),
        # A clerk of a merged group's lead unit (并案), replied: both deputies sign.
        ("clerk", lambda cast: merged_group(cast, 1), "lead", 'id="merged-group"'),
    ],
)
def test_the_task_page_reads_at_most_10_queries(client, cast, role, make, on, shows):
    suggestion = make(cast)
    assignment = co(suggestion, cast.co_unit) if on == "co" else flows.lead(suggestion)
    count, page = read_page(client, flows.person(cast, role), assignment)
    assert shows in page
    assert count <= MAX_QUERIES


def test_the_query_count_does_not_grow_with_communications_and_co_units(client, cast):
    """One co-unit and one communication, or four co-units with their opinions and six
    communications: the same queries."""
    few = flows.assigned(cast)
    flows.communicate(cast, few, 1)
    units = [cast.co_unit] + [factories.HandlingUnitFactory() for _i in range(3)]
    many = flows.reviewed(cast, title="关于完善学校周边交通设施的建议")
    services.suggestion_assign(
        suggestion=many, by=cast.staff, lead_unit=cast.lead_unit, co_units=units
    )
    many = Suggestion.objects.get(pk=many.pk)
    for unit in units:
        clerk = factories.MembershipFactory(unit=unit).user
        services.co_opinion_submit(assignment=co(many, unit), by=clerk, text="同意主办意见。")
    flows.communicate(cast, many, 6)
    one, _page = read_page(client, cast.clerk, flows.lead(few))
    six, page = read_page(client, cast.clerk, flows.lead(many))
    assert page.count('id="co-unit-') == 4
    assert page.count("电话沟通") == 6
    assert one == six <= MAX_QUERIES


def test_the_query_count_does_not_grow_with_rounds_replies_and_sign_offs(client, cast):
    """A suggestion revisited after one round, and one revisited after a redo (two
    replies with their documents, six signatures, a redo): the same queries."""
    once = flows.revisited(cast)
    twice = flows.redone_and_revisited(cast)
    one, _page = read_page(client, cast.clerk, flows.lead(once))
    two, page = read_page(client, cast.clerk, flows.lead(twice))
    assert page.count('class="document-link"') == 2
    assert page.count('class="event event-signoff"') == 6
    assert one == two <= MAX_QUERIES


def test_the_query_count_does_not_grow_with_merged_suggestions(client, cast):
    """A group of two and a group of four (并案), the head's signature not yet due: the
    same queries, each merged suggestion with its deputies."""
    pair = merged_group(cast, 1)
    four = merged_group(cast, 3)
    one, _page = read_page(client, cast.head, flows.lead(pair))
    three, page = read_page(client, cast.head, flows.lead(four))
    assert page.count('class="merged-lead-deputy"') == 3
    assert one == three <= MAX_QUERIES


def test_the_query_count_does_not_grow_with_the_signatures_waiting(client, cast):
    """The head's signature waiting on a replied suggestion of one deputy and of a group
    whose deputies have all signed: the same queries."""
    single = deputy_signed(cast)
    group = merged_group(cast, 2)
    for deputy in [cast.deputy, *(m.lead_deputy for m in group.merged_suggestions.all())]:
        flows.group_deputy_signs(cast, Suggestion.objects.get(pk=group.pk), deputy)
    one, _page = read_page(client, cast.head, flows.lead(single))
    three, page = read_page(client, cast.head, flows.lead(group))
    assert 'id="action-signoff_head"' in page
    assert one == three <= MAX_QUERIES


def test_a_relieved_unit_reads_as_few_queries(client, cast):
    """A unit relieved by a reassignment still opens its assignment, within the limit."""
    suggestion = flows.assigned(cast, co=False)
    old = flows.lead(suggestion)
    request = services.reassignment_request(assignment=old, by=cast.clerk, reason="职责不符")
    services.reassignment_decide(
        request=request, by=cast.staff, approve=True, lead_unit=cast.other_unit
    )
    count, page = read_page(client, cast.clerk, Assignment.objects.get(pk=old.pk))
    assert 'id="actions"' not in page
    assert count <= MAX_QUERIES
