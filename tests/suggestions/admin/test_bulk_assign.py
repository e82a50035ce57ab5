"""The ledger's bulk action "assign": a page of its own, then every selected suggestion
assigned through the service, or none with the reasons."""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.urls import reverse

from suggestions.models import Suggestion
from tests import flows

CHANGELIST = reverse("admin:suggestions_suggestion_changelist")
D = datetime.date
TODAY = D(2026, 3, 12)


@pytest.fixture
def selected(cast, client):
    """Two suggestions approved on 2 March; staff logged in on 12 March."""
    with flows.on(D(2026, 3, 2)):
        suggestions = [flows.reviewed(cast), flows.reviewed(cast, title="关于加强校园安全的建议")]
    client.force_login(cast.staff)
    with flows.on(TODAY):
        yield cast, suggestions


def _choose(client, suggestions):
    """The first step: the action chosen on the changelist for the ticked suggestions."""
    return client.post(
        CHANGELIST,
        {
            "action": "assign_selected",
            "index": 0,
            ACTION_CHECKBOX_NAME: [s.pk for s in suggestions],
        },
    )


def _confirm(client, suggestions, **fields):
    """The second step: the action's page posted with the assignment."""
    fields = {"assigned_on": "2026-03-05", **fields}
    data = {
        "action": "assign_selected",
        "post": "yes",
        ACTION_CHECKBOX_NAME: [s.pk for s in suggestions],
        # The action table's assign form, prefixed with the action's name.
        **{f"assign-{name}": value for name, value in fields.items()},
    }
    return client.post(CHANGELIST, data)


def _states(suggestions):
    return [Suggestion.objects.get(pk=s.pk).state for s in suggestions]


def test_bulk_assign_is_offered_to_the_committee_office(selected, client):
    """The changelist offers the action to staff who may assign."""
    page = client.get(CHANGELIST).content.decode()
    assert 'value="assign_selected"' in page


def test_bulk_assign_is_not_offered_to_a_reviewer(selected, client, reviewer):
    """A reviewer, who may not assign, is neither offered the action nor can post it."""
    cast, suggestions = selected
    client.force_login(reviewer)
    assert 'value="assign_selected"' not in client.get(CHANGELIST).content.decode()
    response = _confirm(client, suggestions, lead_unit=cast.lead_unit.pk)
    assert response.status_code in (200, 302)
    assert _states(suggestions) == [Suggestion.State.REVIEWED] * 2


def test_bulk_assign_first_shows_its_page(selected, client):
    """Choosing the action shows the selected suggestions and the form, the date today;
    nothing is assigned yet."""
    _cast, suggestions = selected
    response = _choose(client, suggestions)
    assert response.status_code == 200
    assert [s for s, _reasons in response.context["rows"]] == suggestions
    page = response.content.decode()
    for suggestion in suggestions:
        assert suggestion.title in page
    assert response.context["form"]["assigned_on"].value() == TODAY
    # As a date input shows it: ISO, not the localised 2026/03/12.
    assert 'type="date" name="assign-assigned_on" value="2026-03-12"' in page
    assert _states(suggestions) == [Suggestion.State.REVIEWED] * 2


def test_bulk_assign_assigns_every_selected_suggestion(selected, client):
    """Confirmed, each suggestion gets the lead and co-units, assigned on the meeting's
    date, with the deadlines counted from it (6 months when complex)."""
    cast, suggestions = selected
    response = _confirm(
        client,
        suggestions,
        lead_unit=cast.lead_unit.pk,
        co_units=[cast.co_unit.pk],
        complex="on",
    )
    assert response.status_code == 302
    assert response.url.startswith(CHANGELIST)
    for suggestion in suggestions:
        suggestion.refresh_from_db()
        assert suggestion.state == Suggestion.State.ASSIGNED
        assert suggestion.complex is True
        lead, co = flows.lead(suggestion), flows.co(suggestion)
        assert (lead.unit, lead.assigned_on, lead.due_on) == (
            cast.lead_unit,
            D(2026, 3, 5),
            D(2026, 9, 5),
        )
        assert (co.unit, co.due_on) == (cast.co_unit, D(2026, 4, 5))
        assert flows.transitions_of(suggestion).last().by == cast.staff
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "2" in message and "2026-03-05" in message


def test_bulk_assign_assigns_none_when_one_is_refused(selected, client):
    """One selected suggestion not reviewed: nothing is assigned, and the page names the
    refused one with the service's reason."""
    cast, suggestions = selected
    proposed = flows.proposed(cast, title="关于增设公交线路的建议")
    chosen = [*suggestions, proposed]
    before = [flows.snapshot(s) for s in chosen]
    response = _confirm(client, chosen, lead_unit=cast.lead_unit.pk)
    assert response.status_code == 200
    assert [flows.snapshot(s) for s in chosen] == before
    rows = dict((s.pk, reasons) for s, reasons in response.context["rows"])
    assert rows[suggestions[0].pk] == rows[suggestions[1].pk] == []
    assert proposed.get_state_display() in rows[proposed.pk][0]
    assert response.context["refused"] == 1
    # The page shows each as it is after the rollback: still reviewed.
    assert [s.state for s, _reasons in response.context["rows"]][:2] == ["reviewed"] * 2
    assert 'class="npc-refused"' in response.content.decode()


def test_bulk_assign_reports_a_date_before_the_approval_for_each(selected, client):
    """A meeting's date before the approvals is refused for every suggestion; none assigned."""
    cast, suggestions = selected
    response = _confirm(client, suggestions, lead_unit=cast.lead_unit.pk, assigned_on="2026-03-01")
    assert response.status_code == 200
    assert response.context["refused"] == 2
    assert _states(suggestions) == [Suggestion.State.REVIEWED] * 2


def test_bulk_assign_refuses_the_lead_unit_as_a_co_unit(selected, client):
    """The form refuses a lead unit also ticked as a co-unit; nothing is assigned."""
    cast, suggestions = selected
    response = _confirm(
        client, suggestions, lead_unit=cast.lead_unit.pk, co_units=[cast.lead_unit.pk]
    )
    assert response.status_code == 200
    assert response.context["form"].errors["co_units"]
    assert _states(suggestions) == [Suggestion.State.REVIEWED] * 2


def test_bulk_assign_needs_the_meetings_date(selected, client):
    """The date of the meeting is required on the page (it starts as today)."""
    cast, suggestions = selected
    response = _confirm(client, suggestions, lead_unit=cast.lead_unit.pk, assigned_on="")
    assert response.status_code == 200
    assert response.context["form"].errors["assigned_on"]
    assert _states(suggestions) == [Suggestion.State.REVIEWED] * 2
