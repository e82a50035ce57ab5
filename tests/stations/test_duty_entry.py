"""A station's keepers enter the duty of the station's deputies (meetings, training,
inspections...) through the station's "duty" action; the deputies' service checks again."""

import datetime

import pytest

from deputies.models import DutyRecord
from suggestions import actions
from suggestions.actions import Page
from tests import factories, flows

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)
ACTION = actions.get(Page.STATION, "duty")


@pytest.fixture
def keeper(db):
    return factories.UserFactory(username="keeper")


@pytest.fixture
def station(cast, keeper):
    station = factories.LiaisonStationFactory(name="向阳街道代表联络站")
    station.keepers.add(keeper)
    station.deputies.add(cast.deputy)
    return station


@pytest.fixture
def other_station(cast):
    """Another station, kept by someone else, with another deputy."""
    other = factories.LiaisonStationFactory(name="桃山街道代表联络站")
    other.keepers.add(factories.UserFactory(username="other_keeper"))
    other.deputies.add(cast.other_deputy)
    return other


def _data(deputy, **overrides) -> dict:
    values = {"deputy": deputy.pk, "kind": "meeting", "happened_on": TODAY.isoformat()}
    values.update(overrides)
    return {f"duty-{name}": value for name, value in values.items()}


def test_a_keeper_records_a_meeting_for_a_deputy_of_their_station(cast, keeper, station):
    assert ACTION.available(keeper, station)
    with flows.on(TODAY):
        form = ACTION.bind(
            station,
            _data(cast.deputy, source="2026年第四季度代表集中视察", notes="视察老旧小区改造"),
        )
        assert form.is_valid(), form.errors
        assert actions.perform(ACTION, user=keeper, form=form) is None
    record = DutyRecord.objects.get()
    assert (record.deputy, record.kind, record.happened_on) == (cast.deputy, "meeting", TODAY)
    assert record.recorded_by == keeper and record.source == "2026年第四季度代表集中视察"
    assert record.notes == "视察老旧小区改造" and record.points is None


def test_the_form_offers_the_stations_deputies_and_the_manual_kinds_only(
    cast, station, other_station
):
    form = ACTION.bind(station)
    assert list(form.fields["deputy"].queryset) == [cast.deputy]
    kinds = {value for value, _label in form.fields["kind"].choices}
    assert {"meeting", "training", "inspection", "contact"} <= kinds
    assert not kinds & {"suggestion_lead", "suggestion_co"}
    bound = ACTION.bind(station, _data(cast.other_deputy))  # another station's deputy
    assert not bound.is_valid() and "deputy" in bound.errors
    assert not ACTION.bind(station, _data(cast.deputy, kind="suggestion_lead")).is_valid()


def test_another_stations_deputy_is_refused_and_nothing_saved(cast, keeper, station, other_station):
    """A keeper who forges the other station's action meets the service's refusal."""
    assert not ACTION.available(keeper, other_station)
    with flows.on(TODAY):
        form = ACTION.bind(other_station, _data(cast.other_deputy))
        assert form.is_valid(), form.errors
        refusal = actions.perform(ACTION, user=keeper, form=form)
    assert refusal is not None and refusal.codes == ["permission_denied"]
    assert not DutyRecord.objects.exists()


def test_a_date_in_the_future_is_refused(cast, keeper, station):
    with flows.on(TODAY):
        form = ACTION.bind(
            station,
            _data(cast.deputy, happened_on=(TODAY + datetime.timedelta(days=1)).isoformat()),
        )
        assert form.is_valid(), form.errors
        refusal = actions.perform(ACTION, user=keeper, form=form)
    assert refusal is not None and refusal.codes == ["date_in_future"]
    assert not DutyRecord.objects.exists()


def test_one_reference_records_a_deputy_once(cast, keeper, station):
    with flows.on(TODAY):
        for _time in range(2):
            form = ACTION.bind(station, _data(cast.deputy, kind="training", source="履职培训班"))
            assert form.is_valid(), form.errors
            refusal = actions.perform(ACTION, user=keeper, form=form)
    assert refusal is not None and refusal.codes == ["already_recorded"]
    assert DutyRecord.objects.count() == 1


def test_a_stranger_is_not_offered_the_action(cast, station):
    assert not ACTION.available(cast.clerk, station)
    assert not ACTION.available(cast.deputy.user, station)
