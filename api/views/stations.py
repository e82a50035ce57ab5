"""The station keepers' endpoints (``stations/``): their stations (the office: all), a
station as its page shows it, its opinions and activities, an opinion with where it went,
an activity's file, and the action table's rows of a station (``Page.STATION``) and of an
opinion's route, each a POST.

Every read is the stations' pages' (``stations.selectors``, ``stations.views.keeper``):
a station through the stations the user keeps, so another keeper's station or opinion is
a 404; a user who keeps none (and is not the office) gets a 403. Constituents' names and
phones are shown as on the pages: to the station's keepers and the office, unmasked
(``stations.selectors.Contact``)."""

import os

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from stations import actions as station_actions
from stations import selectors
from stations.models import Activity, ActivityFile, LiaisonStation, Opinion, StationCheck
from stations.views import keeper
from suggestions.actions import Page
from suggestions.views.documents import serve

from .. import actions as api_actions
from ..pagination import Cursor
from ..roles import IsKeeper
from ..serializers.stations import (
    ActivityRow,
    OpinionDetail,
    OpinionRow,
    StationDetail,
    StationRow,
)

TAGS = ["stations"]
FIRST_YEAR, LAST_YEAR = 2000, 2100


def query(request, serializer_class) -> dict:
    """The request's query parameters, checked by ``serializer_class``: a 400 per field."""
    found = serializer_class(data=request.query_params)
    if not found.is_valid():
        raise ValidationError(found.errors)
    return {k: v for k, v in found.validated_data.items() if v not in (None, "")}


def kept_station(request, pk: int, rows=None) -> LiaisonStation:
    """The station among those the user keeps (all for the office): another's is a 404,
    and a user who keeps none gets a 403 (``keeper._refuse_stranger``, as the pages)."""
    scope = rows if rows is not None else selectors.stations_kept_by(user=request.user)
    try:
        station = scope.select_related("parent").get(pk=pk)
    except LiaisonStation.DoesNotExist:
        keeper._refuse_stranger(request.user)
    station_actions.known_keeper(request.user, station)
    return station


def shown(user, opinions, kept_ids=None) -> list[Opinion]:
    """The opinions with the constituent's name and phone as the user may see them."""
    contact = selectors.Contact(user, kept_ids=kept_ids)
    for opinion in opinions:
        opinion.shown_name, opinion.shown_phone = contact.shown(opinion)
    return opinions


def with_names_and_files(station, activities: list) -> list[Activity]:
    """Each activity's deputies present and files, in one query (the station page's)."""
    found = {"activity": {}, "file": {}}
    for what, owner, name, pk in keeper._names_and_files(station, [], [a.pk for a in activities]):
        if what in found:
            found[what].setdefault(owner, []).append((pk, name))
    for activity in activities:
        present = sorted(found["activity"].get(activity.pk, []), key=lambda d: (d[1], d[0]))
        activity.present = [{"id": pk, "name": name} for pk, name in present]
        activity.attached = [
            {"id": pk, "name": name, "url": reverse("api:activity-file", args=[pk])}
            for pk, name in sorted(found["file"].get(activity.pk, []))
        ]
    return activities


# The stations.


class StationFilters(serializers.Serializer):
    q = serializers.CharField(required=False, max_length=100, help_text="A part of the name.")


class ByName(Cursor):
    ordering = ("name",)  # unique


class StationList(ListAPIView):
    permission_classes = [IsAuthenticated, IsKeeper]
    serializer_class = StationRow
    pagination_class = ByName

    def get_queryset(self):
        filters = query(self.request, StationFilters)
        year = timezone.localdate().year
        return keeper.station_rows(
            user=self.request.user, year=year, search=filters.get("q", "").strip()
        )

    @extend_schema(parameters=[StationFilters], tags=TAGS)
    def get(self, request, *args, **kwargs):
        """The stations the user keeps (the office: every one), by name, each with its
        opinions waiting, its activities and its 八有 items met this year."""
        return super().get(request, *args, **kwargs)


class YearQuery(serializers.Serializer):
    year = serializers.IntegerField(
        required=False,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        help_text="The checklist's and the counts' year; this year by default.",
    )


def _checklist(station, year: int) -> list[dict]:
    checks = {c.item: c for c in StationCheck.objects.filter(station=station, year=year)}
    rows = []
    for item, item_label in StationCheck.Item.choices:
        check = checks.get(item)
        state = "unchecked" if check is None else ("met" if check.met else "unmet")
        rows.append(
            {
                "item": item,
                "label": str(item_label),
                "state": state,
                "checked_on": check.checked_on if check else None,
                "has_evidence": bool(check and check.evidence),
                "notes": check.notes if check else "",
            }
        )
    return rows


def _day(day) -> dict:
    return {
        "id": day.pk,
        "day": day.day,
        "on_duty": day.on_duty,
        "held": day.held,
        "notes": day.notes,
    }


def station_body(request, pk: int, year: int | None = None) -> dict:
    """The station as its page shows it (``keeper.station_page``), its counts of ``year``
    (the list's, ``keeper.station_rows``) and the actions open to the user."""
    user = request.user
    today = timezone.localdate()
    year = year or today.year
    station = kept_station(request, pk, keeper.station_rows(user=user, year=year))
    page = keeper.station_page(station=station, user=user, today=today)
    checklist = _checklist(station, year)
    with_names_and_files(station, page.activities)
    opinions = [o for o, _name, _phone in page.opinions]
    shown(user, opinions, kept_ids={station.pk})
    parent = station.parent
    return {
        "id": station.pk,
        "name": station.name,
        "kind": station.kind,
        "kind_label": station.get_kind_display(),
        "level": station.level,
        "level_label": station.get_level_display(),
        "parent": {"id": parent.pk, "name": parent.name} if parent else None,
        "address": station.address,
        "contact": station.contact,
        "phone": station.phone,
        "opening_hours": station.opening_hours,
        "deputies": [{"id": pk, "name": name} for pk, name in page.deputies],
        "year": year,
        "checklist": checklist,
        "counts": {
            "opinions_waiting": station.waiting,
            "activities": station.activities_this_year,
            "checks_met": station.met_this_year,
            "checks_total": len(StationCheck.Item.choices),
        },
        "upcoming_days": [_day(d) for d in page.upcoming_days],
        "past_days": [_day(d) for d in page.past_days],
        "latest_opinions": opinions,
        "latest_activities": page.activities,
        "actions": api_actions.available(
            request,
            Page.STATION,
            station,
            url=lambda name: reverse(f"api:{station_action_url_name(name)}", args=[station.pk]),
        ),
    }


class StationView(APIView):
    permission_classes = [IsAuthenticated, IsKeeper]

    @extend_schema(parameters=[YearQuery], responses={200: StationDetail}, tags=TAGS)
    def get(self, request, pk: int):
        """A station as its page shows it: its facts and deputies, the 八有 checklist of a
        year, the reception days around today, the latest opinions and activities, and the
        actions open to the user (each a POST to its ``url``)."""
        year = query(request, YearQuery).get("year")
        return Response(StationDetail(station_body(request, pk, year)).data)


# A station's opinions and activities.


class OpinionFilters(serializers.Serializer):
    state = serializers.ChoiceField(choices=Opinion.State.choices, required=False)
    q = serializers.CharField(
        required=False, max_length=100, help_text="A part of the matter or the constituent's name."
    )


class Newest(Cursor):
    ordering = ("-raised_on", "-id")  # the index ``opinion_station_idx``


class StationOpinions(ListAPIView):
    permission_classes = [IsAuthenticated, IsKeeper]
    serializer_class = OpinionRow
    pagination_class = Newest

    def get_queryset(self):
        filters = query(self.request, OpinionFilters)
        self.station = kept_station(self.request, self.kwargs["pk"])
        opinions = self.station.opinions.select_related("station", "deputy", "unit", "suggestion")
        if "state" in filters:
            opinions = opinions.filter(state=filters["state"])
        if "q" in filters:
            opinions = opinions.filter(
                Q(matter__icontains=filters["q"]) | Q(name__icontains=filters["q"])
            )
        return opinions

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return shown(self.request.user, page, kept_ids={self.station.pk})

    @extend_schema(parameters=[OpinionFilters], tags=TAGS)
    def get(self, request, *args, **kwargs):
        """The station's opinions, newest first, with the constituents' names and phones
        (its keepers and the office see them)."""
        return super().get(request, *args, **kwargs)


class ActivityFilters(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Activity.Kind.choices, required=False)
    year = serializers.IntegerField(
        required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR, help_text="When it happened."
    )


class Latest(Cursor):
    ordering = ("-happened_on", "-id")  # the index ``activity_station_day_idx``


class StationActivities(ListAPIView):
    permission_classes = [IsAuthenticated, IsKeeper]
    serializer_class = ActivityRow
    pagination_class = Latest

    def get_queryset(self):
        filters = query(self.request, ActivityFilters)
        self.station = kept_station(self.request, self.kwargs["pk"])
        activities = self.station.activities.select_related("corrected_by")
        if "kind" in filters:
            activities = activities.filter(kind=filters["kind"])
        if "year" in filters:
            activities = activities.filter(happened_on__year=filters["year"])
        return activities

    def paginate_queryset(self, queryset):
        return with_names_and_files(self.station, super().paginate_queryset(queryset))

    @extend_schema(parameters=[ActivityFilters], tags=TAGS)
    def get(self, request, *args, **kwargs):
        """The station's activities, latest first, each with the deputies present and its
        files; a corrected record names the one that replaces it."""
        return super().get(request, *args, **kwargs)


# An opinion of the user's stations.


def kept_opinion(request, pk: int) -> Opinion:
    """One opinion of the stations the user keeps (the office: any); another's is a 404."""
    user = request.user
    if not (keeper._is_staff(user) or selectors.is_keeper(user)):
        raise PermissionDenied
    scope = selectors.opinions_visible_to(user=user).filter(
        station__in=selectors.stations_kept_by(user=user).values("pk")
    )
    return get_object_or_404(scope.select_related("station", "deputy", "unit", "suggestion"), pk=pk)


# The opinion's actions with an endpoint here (the keepers'; a unit answers on its task
# endpoints, a deputy makes a suggestion on theirs).
OPINION_ACTIONS = ("route",)


def opinion_body(request, opinion: Opinion) -> dict:
    shown(request.user, [opinion])
    opinion.steps_shown = list(
        opinion.steps.select_related("deputy", "unit", "by").order_by("at", "pk")
    )
    opinion.actions_shown = [
        a
        for a in api_actions.available(
            request,
            Page.OPINION,
            opinion,
            url=lambda name: reverse(f"api:station-opinion-{name}", args=[opinion.pk]),
        )
        if a["name"] in OPINION_ACTIONS
    ]
    return OpinionDetail(opinion).data


class OpinionView(APIView):
    permission_classes = [IsAuthenticated, IsKeeper]

    @extend_schema(responses={200: OpinionDetail}, tags=TAGS)
    def get(self, request, pk: int):
        """One opinion of the user's stations: the constituent, where it went step by step,
        the suggestion made of it and its state now, and the actions open to the user."""
        return Response(opinion_body(request, kept_opinion(request, pk)))


class ActivityFileView(APIView):
    permission_classes = [IsAuthenticated, IsKeeper]

    @extend_schema(
        responses={(200, "*/*"): OpenApiResponse(OpenApiTypes.BINARY, description="The file.")},
        tags=TAGS,
    )
    def get(self, request, file_id: int):
        """An activity's photo or document, as an attachment (the station's keepers and the
        office; another's is a 404)."""
        found = get_object_or_404(
            ActivityFile.objects.filter(
                activity__station__in=selectors.stations_kept_by(user=request.user)
            ),
            pk=file_id,
        )
        stem = os.path.splitext(found.name)[0] or f"activity-{found.activity_id}-{found.pk}"
        return serve(found.file, stem)


# The action table's rows: a station's (its keepers') and an opinion's route.


def _station_done(request, station):
    return Response(StationDetail(station_body(request, station.pk)).data)


def _opinion_done(request, opinion):
    return Response(opinion_body(request, opinion))


def station_action_url_name(name: str) -> str:
    """``station-<name>``; the action "opinion" (record one) is ``station-record-opinion``:
    ``station-opinion`` is an opinion's page (``stations/opinions/<pk>/``)."""
    return "station-record-opinion" if name == "opinion" else f"station-{name}"


urlpatterns = [
    path("stations/", StationList.as_view(), name="stations"),
    path("stations/<int:pk>/", StationView.as_view(), name="station"),
    path("stations/<int:pk>/opinions/", StationOpinions.as_view(), name="station-opinions"),
    path("stations/<int:pk>/activities/", StationActivities.as_view(), name="station-activities"),
    path("stations/opinions/<int:pk>/", OpinionView.as_view(), name="station-opinion"),
    path(
        "stations/opinions/<int:pk>/route/",
        api_actions.action_view(
            Page.OPINION,
            "route",
            get_target=kept_opinion,
            done=_opinion_done,
            response=OpinionDetail,
            tags=TAGS,
        ).as_view(),
        name="station-opinion-route",
    ),
    path(
        "stations/activities/files/<int:file_id>/",
        ActivityFileView.as_view(),
        name="activity-file",
    ),
    *api_actions.action_urls(
        Page.STATION,
        route="stations/<int:pk>/{name}/",
        url_name=station_action_url_name,
        get_target=kept_station,
        done=_station_done,
        response=StationDetail,
        tags=TAGS,
    ),
]
