"""The stations join the loop without `suggestions` importing them: their rows in the one
action table, their reminder rule in the one sweep, and the home page for a keeper."""

import pytest
from django.urls import reverse

from stations import actions as station_actions
from stations import reminders
from suggestions import actions
from suggestions.actions import Action, Page
from suggestions.notifications.reminders import _registered
from tests import factories


def test_the_stations_actions_are_rows_of_the_one_table():
    """Every station action is found in the loop's table under its page."""
    for action in station_actions.ACTIONS:
        assert actions.get(action.page, action.name) is action
    names = {(a.page, a.name) for a in station_actions.ACTIONS}
    assert (Page.STATION, "opinion") in names
    assert (Page.OPINION, "to_suggestion") in names


def test_an_action_declared_twice_on_a_page_is_refused():
    """A second, different action under a name its page already has is refused, and the
    table keeps the first."""
    first = actions.get(Page.OPINION, "route")
    twin = Action(
        "route", Page.OPINION, first.label, first.form.__bases__[0], first.service, lambda u, o: 1
    )
    with pytest.raises(ValueError, match="declared twice"):
        actions.register(twin)
    assert actions.get(Page.OPINION, "route") is first
    actions.register(first)  # the same action again is no second declaration


def test_the_opinion_rule_is_in_the_sweep_once():
    assert _registered.count(reminders.opinion_reminders) == 1


@pytest.mark.django_db
def test_home_sends_a_keeper_to_their_stations(client):
    """A keeper who is neither staff, unit member nor deputy lands on stations:list."""
    keeper = factories.UserFactory(username="keeper")
    factories.LiaisonStationFactory().keepers.add(keeper)
    client.force_login(keeper)
    assert client.get(reverse("home")).url == reverse("stations:list")
