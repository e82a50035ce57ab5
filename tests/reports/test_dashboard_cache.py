"""The dashboard's figures are kept between requests under the version of the records they
count: a page read again without a write counts nothing again, and every kind of write
that changes a figure shows on the next read."""

import pytest
from django.urls import reverse

from reports.selectors.dashboard import DASHBOARD_SECONDS, records_version
from suggestions import services
from suggestions.models import SignOff, Suggestion
from tests import flows
from tests.reports.dashboard_data import a_year_of_work, count_queries, page, table_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(cast):

    return a_year_of_work(cast)


def _waiting(client, cast, work) -> dict:
    client.force_login(cast.staff)
    with flows.on(work.today):
        return table_of(page(client.get("/reports/")), "chart-waiting")


def test_dashboard_read_again_counts_nothing_again(client, cast, work):
    """The second read is the version's one query besides the page's own: no count."""
    client.force_login(cast.staff)
    with flows.on(work.today):
        first, _response = count_queries(client, "/reports/")
        again, _response = count_queries(client, "/reports/")
    assert again <= first - 6
    assert DASHBOARD_SECONDS == 300


def test_dashboard_shows_a_signature_given_after_it_was_read(client, cast, work):
    """The leader's signature on ``c`` (waiting for the leader) shows at once."""
    assert _waiting(client, cast, work)[str(SignOff.Level.LEADER.label)] == ["1"]
    with flows.on(work.today):
        services.signoff_record(suggestion=work.c, by=cast.leader, level=SignOff.Level.LEADER)
    assert _waiting(client, cast, work)[str(SignOff.Level.LEADER.label)] == ["0"]


def test_dashboard_shows_a_head_signature_that_is_no_transition(client, cast, work):
    """The head's signature on ``e`` moves no state, yet the waiting levels change."""
    assert _waiting(client, cast, work)[str(SignOff.Level.UNIT_HEAD.label)] == ["1"]
    with flows.on(work.today):
        services.signoff_record(suggestion=work.e, by=cast.head, level=SignOff.Level.UNIT_HEAD)
    waiting = _waiting(client, cast, work)
    assert waiting[str(SignOff.Level.UNIT_HEAD.label)] == ["0"]
    assert waiting[str(SignOff.Level.LEADER.label)] == ["2"]


def test_dashboard_shows_a_new_suggestion_and_an_acceptance_without_redo(client, cast, work):
    """A suggestion entered and the office's acceptance without redo each make a new
    version (neither writes a transition record)."""
    before = records_version()
    client.force_login(cast.staff)
    with flows.on(work.today):
        flows.proposed(cast)
        assert records_version() != before
        table = table_of(page(client.get("/reports/")), "chart-states")
        assert table[str(Suggestion.State.PROPOSED.label)] == ["1"]
        decided = records_version()
        services.redo_waive(suggestion=work.e, by=cast.staff, reason="代表意见已沟通。")
        assert records_version() != decided
        tree = page(client.get("/reports/"))
    assert tree.get_element_by_id("figure-redo-decision").text_content() == "0"


def test_leader_dashboard_list_drops_a_record_once_signed(client, cast, work):
    """The leader's "waiting for my signature" list is kept too, and loses ``c`` as soon as
    the leader signs it."""
    link = reverse("tasks:detail", args=[flows.lead(work.c).pk])

    def waiting_section():
        html = client.get("/reports/").content.decode()
        return html.split('id="waiting-for-me"')[1].split("</section>")[0]

    client.force_login(cast.leader)
    with flows.on(work.today):
        assert link in waiting_section()
        assert link in waiting_section()  # read again, from what was kept
        services.signoff_record(suggestion=work.c, by=cast.leader, level=SignOff.Level.LEADER)
        assert link not in waiting_section()
