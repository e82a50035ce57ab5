"""The stations' services: activities and opinions recorded by a station's keepers, each
opinion sent on once with its path kept, and made a suggestion only by the deputy it was
forwarded to; every refusal says why and changes nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from stations import services
from stations.models import Activity, LiaisonStation, Opinion, OpinionStep
from suggestions.models import Suggestion
from tests import factories, flows

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)


def _codes(error: ValidationError) -> set[str]:
    return {e.code for e in error.error_list}


def _opinion(station, keeper) -> Opinion:
    with flows.on(TODAY):
        return services.opinion_record(
            station=station, by=keeper, matter="小区路灯不亮。", raised_on=TODAY,
            name="张三", phone="13812341234",
        )  # fmt: skip


def test_activity_recorded_by_keeper_with_deputies_present(station, keeper, cast):
    """A keeper records a reception with the deputy present and the citizens counted."""
    with flows.on(TODAY):
        activity = services.station_activity_record(
            station=station, by=keeper, kind="reception", happened_on=TODAY,
            deputies=[cast.deputy], citizens=12, notes="接待群众12人次。",
        )  # fmt: skip
    assert (activity.kind, activity.citizens, activity.recorded_by) == ("reception", 12, keeper)
    assert list(activity.deputies.all()) == [cast.deputy]


def test_activity_dated_in_the_future_is_refused(station, keeper):
    """An activity dated tomorrow is refused with its reason; nothing is written."""
    with flows.on(TODAY), pytest.raises(ValidationError) as refused:
        services.station_activity_record(
            station=station, by=keeper, kind="briefing",
            happened_on=TODAY + datetime.timedelta(days=1),
        )  # fmt: skip
    assert _codes(refused.value) == {"date_in_future"}
    assert not Activity.objects.exists()


def test_another_stations_keeper_may_not_record_here(station, cast):
    """A keeper of another station, a clerk and a deputy are refused."""
    other = LiaisonStation.objects.create(name="桃源区代表之家", kind="home", level="county")
    other_keeper = factories.UserFactory(username="other-keeper")
    other.keepers.add(other_keeper)
    for user in (other_keeper, cast.clerk, cast.deputy.user):
        with pytest.raises(PermissionDenied):
            services.opinion_record(station=station, by=user, matter="事项", raised_on=TODAY)
    assert not Opinion.objects.exists()


def test_opinion_routed_once_with_its_path_kept(station, keeper, cast):
    """Forwarded to a deputy: the opinion names the deputy, a step records it; a second
    routing is refused (already_routed) and changes nothing."""
    opinion = _opinion(station, keeper)
    services.opinion_route(opinion=opinion, by=keeper, to="deputy", deputy=cast.deputy)
    opinion.refresh_from_db()
    assert (opinion.state, opinion.deputy) == (Opinion.State.FORWARDED, cast.deputy)
    with pytest.raises(ValidationError) as refused:
        services.opinion_route(opinion=opinion, by=keeper, to="unit", unit=cast.lead_unit)
    assert _codes(refused.value) == {"already_routed"}
    opinion.refresh_from_db()
    assert (opinion.state, opinion.unit) == (Opinion.State.FORWARDED, None)
    assert list(OpinionStep.objects.values_list("to", "deputy")) == [("forwarded", cast.deputy.pk)]


@pytest.mark.parametrize(
    ("to", "kwargs", "code"),
    [
        ("unit", {}, "unit_required"),  # referred to no unit
        ("deputy", {}, "deputy_required"),  # forwarded to nobody
        ("settled", {}, "notes_required"),  # settled without saying how
        ("elsewhere", {}, "bad_route"),  # not a route
    ],
)
def test_opinion_route_refused_with_its_reason(station, keeper, to, kwargs, code):
    """Each incomplete routing is refused with its code; the opinion stays open."""
    opinion = _opinion(station, keeper)
    with pytest.raises(ValidationError) as refused:
        services.opinion_route(opinion=opinion, by=keeper, to=to, **kwargs)
    assert code in _codes(refused.value)
    opinion.refresh_from_db()
    assert opinion.state == Opinion.State.OPEN
    assert not OpinionStep.objects.exists()


def test_opinion_referred_to_an_inactive_unit_is_refused(station, keeper, cast):
    """A unit no longer active cannot be sent an opinion."""
    cast.other_unit.is_active = False
    cast.other_unit.save()
    opinion = _opinion(station, keeper)
    with pytest.raises(ValidationError) as refused:
        services.opinion_route(opinion=opinion, by=keeper, to="unit", unit=cast.other_unit)
    assert _codes(refused.value) == {"unit_required"}


def test_opinion_made_a_suggestion_by_the_deputy_it_was_forwarded_to(station, keeper, cast):
    """The deputy makes it a proposed suggestion of theirs; both name each other."""
    opinion = _opinion(station, keeper)
    services.opinion_route(opinion=opinion, by=keeper, to="deputy", deputy=cast.deputy)
    suggestion = services.opinion_to_suggestion(
        opinion=opinion, by=cast.deputy.user, title="关于修复小区路灯的建议", content="路灯不亮。"
    )
    assert (suggestion.state, suggestion.lead_deputy) == (Suggestion.State.PROPOSED, cast.deputy)
    opinion.refresh_from_db()
    assert (opinion.state, opinion.suggestion) == (Opinion.State.SUGGESTED, suggestion)
    assert suggestion.opinion == opinion


def test_opinion_made_a_suggestion_by_another_deputy_is_refused(station, keeper, cast):
    """A deputy it was not forwarded to gets PermissionDenied; no suggestion is made."""
    opinion = _opinion(station, keeper)
    services.opinion_route(opinion=opinion, by=keeper, to="deputy", deputy=cast.deputy)
    with pytest.raises(PermissionDenied):
        services.opinion_to_suggestion(
            opinion=opinion, by=cast.co_deputy.user, title="标题", content="内容"
        )
    assert not Suggestion.objects.exists()
    opinion.refresh_from_db()
    assert opinion.state == Opinion.State.FORWARDED


def test_suggestion_create_refuses_a_deputy_for_another_deputy(cast):
    """A deputy may enter a suggestion of their own only, not another deputy's."""
    with pytest.raises(PermissionDenied):
        flows.services.suggestion_create(
            by=cast.deputy.user, title="标题", content="内容", lead_deputy=cast.co_deputy
        )
