"""The stations' rows of the one action table (``suggestions.actions``), registered from
``apps.ready``: the keepers' actions on a station, and the three ways an opinion moves on
(its keepers route it, the unit it was referred to answers it, the deputy it was
forwarded to makes it a suggestion). The pages offer what ``available`` says; the
services check everything again."""

from django.utils.translation import gettext_lazy

from deputies import services as deputy_services
from deputies.selectors import deputy_of
from suggestions import permissions as suggestion_permissions
from suggestions.actions import Action, Page

from . import forms, permissions, services
from .models import LiaisonStation, Opinion


def _keeper(user, station: LiaisonStation) -> bool:
    """A keeper of the station (or the office): read once per page, cached on it."""
    cache = station.__dict__.setdefault("_npc_keeps", {})
    if user.pk not in cache:
        cache[user.pk] = permissions.keeps(user, station)
    return cache[user.pk]


def known_keeper(user, station: LiaisonStation) -> None:
    """Tell the table that ``user`` keeps ``station`` (a page fetched it through the
    stations the user keeps), so that ``available`` does not ask again."""
    station.__dict__.setdefault("_npc_keeps", {})[user.pk] = True


def _route(user, opinion: Opinion) -> bool:
    return opinion.state == Opinion.State.OPEN and _keeper(user, opinion.station)


def _answer(user, opinion: Opinion) -> bool:
    return (
        opinion.state == Opinion.State.REFERRED
        and opinion.unit_id is not None
        and opinion.unit_id in suggestion_permissions.units.unit_ids(user, "member")
    )


def _to_suggestion(user, opinion: Opinion) -> bool:
    if opinion.state != Opinion.State.FORWARDED:
        return False
    deputy = deputy_of(user)
    return deputy is not None and opinion.deputy_id == deputy.pk


ACTIONS = [
    # A station's keepers (the station's page), on a station.
    Action(
        "opinion",
        Page.STATION,
        gettext_lazy("Record an opinion"),
        forms.OpinionRecordForm,
        services.opinion_record,
        _keeper,
    ),
    Action(
        "activity",
        Page.STATION,
        gettext_lazy("Record an activity"),
        forms.ActivityForm,
        services.station_activity_record,
        _keeper,
        multipart=True,
    ),
    Action(
        "reception_day",
        Page.STATION,
        gettext_lazy("Plan a reception day"),
        forms.ReceptionDayForm,
        services.reception_day_plan,
        _keeper,
    ),
    Action(
        "duty",
        Page.STATION,
        gettext_lazy("Record a deputy's duty"),
        forms.DutyForm,
        deputy_services.duty_record,
        _keeper,
    ),
    # An opinion's page: whoever it waits on.
    Action(
        "route",
        Page.OPINION,
        gettext_lazy("Send the opinion on"),
        forms.RouteForm,
        services.opinion_route,
        _route,
        confirm=gettext_lazy("An opinion is sent on once; where it went is kept."),
    ),
    Action(
        "answer",
        Page.OPINION,
        gettext_lazy("Answer the opinion"),
        forms.AnswerForm,
        services.opinion_answer,
        _answer,
        confirm=gettext_lazy("The answer is kept and shown to the station; it cannot be changed."),
    ),
    Action(
        "to_suggestion",
        Page.OPINION,
        gettext_lazy("Make it a suggestion"),
        forms.ToSuggestionForm,
        services.opinion_to_suggestion,
        _to_suggestion,
    ),
]
