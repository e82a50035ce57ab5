"""The station keepers' pages (/stations/): their stations, each station's page with its
"八有" checklist, reception days, activities and opinions, the opinions of their stations,
and an opinion's page, where whoever it waits on moves it on.

Every object is fetched through ``selectors`` (the stations kept by the user, the
opinions visible to them), so another keeper's id is a 404. The forms are the action
table's (``Page.STATION`` on a station, ``Page.OPINION`` on an opinion); one POST view
for each performs only the actions available to the user, as the task pages do.

The station's page and the opinions' list are read at a fixed number of queries whatever
the number of rows (the benchmark's 10,000 stations and 1,000,000 opinions): the latest
rows only, through the index ``opinion_station_idx``, and no count over all of them.
"""

import datetime
import os
from dataclasses import dataclass, field

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import CharField, Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from suggestions import actions
from suggestions import permissions as suggestion_permissions
from suggestions.actions import Page
from suggestions.views.acting import ActionPostMixin
from suggestions.views.documents import serve

from .. import actions as station_actions
from .. import selectors
from ..models import (
    Activity,
    ActivityFile,
    LiaisonStation,
    Opinion,
    OpinionStep,
    ReceptionDay,
    StationCheck,
)

PAGE_SIZE = 20
LATEST = 20  # the activities and opinions a station's page shows
RECENT_DAYS = 5  # the reception days shown on each side of today


def _is_staff(user) -> bool:
    return suggestion_permissions.is_committee_staff(user)


def _refuse_stranger(user) -> None:
    """Not found for a keeper or the office (someone else's id); forbidden for anyone else."""
    if not (_is_staff(user) or selectors.is_keeper(user)):
        raise PermissionDenied
    raise Http404


# The station list.


def _count(queryset) -> Coalesce:
    """The number of ``queryset``'s rows of each station, as a subquery of the station's row."""
    counted = (
        queryset.filter(station=OuterRef("pk"))
        .order_by()
        .values("station")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def station_rows(*, user, year: int, search: str = ""):
    """The stations ``user`` keeps (all for the office), with what waits at each: its
    opinions waiting, its activities of ``year`` (a corrected one once) and the "八有"
    items met in ``year``; one query, however many stations."""
    stations = selectors.stations_kept_by(user=user)
    if search:
        stations = stations.filter(name__icontains=search)
    return (
        stations.select_related("parent")
        .annotate(
            waiting=_count(Opinion.objects.filter(state__in=selectors.WAITING)),
            activities_this_year=_count(
                Activity.objects.filter(happened_on__year=year, corrected_by__isnull=True)
            ),
            met_this_year=_count(StationCheck.objects.filter(year=year, met=True)),
        )
        .order_by("name", "pk")
    )


class StationListView(LoginRequiredMixin, View):
    """The stations the user keeps; the office sees all, with a name search."""

    def get(self, request):
        year = timezone.localdate().year
        search = request.GET.get("q", "").strip()[:100]
        staff = _is_staff(request.user)
        rows = station_rows(user=request.user, year=year, search=search if staff else "")
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        if not staff and not page.object_list:
            raise PermissionDenied  # keeps no station
        context = {
            "page": page,
            "year": year,
            "items": len(StationCheck.Item.choices),
            "staff": staff,
            "search": search,
        }
        return render(request, "stations/list.html", context)


# A station's page.


@dataclass
class StationPage:
    """What a station's page shows, read in a fixed number of queries."""

    station: LiaisonStation
    year: int
    deputies: list  # (id, name) of the station's deputies
    checklist: list  # (item value, label, the check or None)
    upcoming_days: list  # each with ``on_duty``, the deputies' names
    past_days: list
    activities: list  # each with ``present``, the deputies' names, and ``attached`` files
    opinions: list  # (opinion, name, phone) as the user may see them
    unheld_days: list = field(default_factory=list)


def _names_and_files(station: LiaisonStation, day_ids: list, activity_ids: list) -> list:
    """The station's deputies, the deputies on duty on the days shown, the deputies
    present at the activities shown and these activities' files, in one query: rows of
    (what, whose id, name, id)."""
    text = CharField()
    return list(
        LiaisonStation.deputies.through.objects.filter(liaisonstation_id=station.pk)
        .values_list(Value("station", text), "liaisonstation_id", "deputy__name", "deputy_id")
        .union(
            ReceptionDay.deputies.through.objects.filter(receptionday_id__in=day_ids).values_list(
                Value("day", text), "receptionday_id", "deputy__name", "deputy_id"
            ),
            Activity.deputies.through.objects.filter(activity_id__in=activity_ids).values_list(
                Value("activity", text), "activity_id", "deputy__name", "deputy_id"
            ),
            ActivityFile.objects.filter(activity_id__in=activity_ids).values_list(
                Value("file", text), "activity_id", "name", "pk"
            ),
            all=True,
        )
    )


def station_page(*, station: LiaisonStation, user, today: datetime.date) -> StationPage:
    """The station's deputies, this year's checklist, the reception days around ``today``,
    the latest activities and opinions."""
    year = today.year
    checks = {c.item: c for c in StationCheck.objects.filter(station=station, year=year)}
    checklist = [(value, label, checks.get(value)) for value, label in StationCheck.Item.choices]
    # The next few days planned and the last few, in one query.
    upcoming = station.reception_days.filter(day__gte=today).order_by("day").values("pk")
    past = station.reception_days.filter(day__lt=today).order_by("-day").values("pk")
    days = list(
        ReceptionDay.objects.filter(Q(pk__in=upcoming[:RECENT_DAYS]) | Q(pk__in=past[:RECENT_DAYS]))
        .annotate(held=Exists(Activity.objects.filter(reception_day=OuterRef("pk"))))
        .order_by("day")
    )
    activities = list(
        station.activities.select_related("corrected_by", "reception_day").order_by(
            "-happened_on", "-pk"
        )[:LATEST]
    )
    opinions = list(
        station.opinions.select_related("deputy", "unit", "suggestion").order_by(
            "-raised_on", "-pk"
        )[:LATEST]
    )
    found = {"station": {}, "day": {}, "activity": {}, "file": {}}
    for what, owner, name, pk in _names_and_files(
        station, [d.pk for d in days], [a.pk for a in activities]
    ):
        found[what].setdefault(owner, []).append((pk, name))
    for day in days:
        day.on_duty = sorted(name for _pk, name in found["day"].get(day.pk, []))
    for activity in activities:
        activity.present = sorted(name for _pk, name in found["activity"].get(activity.pk, []))
        activity.attached = sorted(found["file"].get(activity.pk, []))
    # The page came through the stations the user keeps: they see this station's contacts.
    contact = selectors.Contact(user, kept_ids={station.pk})
    return StationPage(
        station=station,
        year=year,
        deputies=sorted(found["station"].get(station.pk, []), key=lambda d: (d[1], d[0])),
        checklist=checklist,
        upcoming_days=[d for d in days if d.day >= today],
        past_days=[d for d in reversed(days) if d.day < today],
        activities=activities,
        opinions=[(o, *contact.shown(o)) for o in opinions],
        unheld_days=[d for d in reversed(days) if not d.held and d.day <= today],
    )


class KeeperMixin(LoginRequiredMixin):
    """A station fetched through the stations the user keeps: another keeper's is a 404,
    anyone who keeps none (and is not the office) gets a 403."""

    def get_station(self, pk) -> LiaisonStation:
        try:
            station = (
                selectors.stations_kept_by(user=self.request.user)
                .select_related("parent")
                .get(pk=pk)
            )
        except LiaisonStation.DoesNotExist:
            _refuse_stranger(self.request.user)
        station_actions.known_keeper(self.request.user, station)
        return station


class StationDetailView(KeeperMixin, View):
    def render_detail(self, station, posted=None, status=200):
        """The page, with a form for each station action open to the user; ``posted``, the
        bound form of the action just posted and refused (keeping what was typed)."""
        user = self.request.user
        detail = station_page(station=station, user=user, today=timezone.localdate())
        forms = []
        for action in actions.available(Page.STATION, user=user, obj=station):
            if posted is not None and action.name == posted.prefix:
                form = posted
            else:
                form = action.bind(station)
            _choices_from_page(form, detail)
            forms.append({"action": action, "form": form})
        context = {"detail": detail, "station": station, "forms": forms}
        return render(self.request, "stations/detail.html", context, status=status)

    def get(self, request, pk):
        return self.render_detail(self.get_station(pk))


def _choices_from_page(form, detail: StationPage) -> None:
    """The forms' deputies (or deputy) and reception days, from the page's own reads: the same rows
    (the station's deputies; the days shown and not yet held), not a query per form.
    Only for showing: a submitted value is still checked against the form's queryset."""
    if "deputies" in form.fields:
        form.fields["deputies"].choices = detail.deputies
    if "deputy" in form.fields:  # one deputy (a duty record)
        empty = form.fields["deputy"].empty_label
        form.fields["deputy"].choices = [("", empty), *detail.deputies]
    if "reception_day" in form.fields:
        empty = form.fields["reception_day"].empty_label
        form.fields["reception_day"].choices = [("", empty)] + [
            (d.pk, str(d.day)) for d in detail.unheld_days
        ]


class StationActionView(ActionPostMixin, StationDetailView):
    """One POST view for the station's actions available to the user now."""

    page = Page.STATION
    detail_name = "stations:detail"

    def get_target(self, pk):
        return self.get_station(pk)


# The opinions of the user's stations.


@dataclass
class Slice:
    """A page of rows without a count over all of them: the rows, and whether there are
    more before and after (one query: a row more than the page is read)."""

    rows: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def _page_number(value) -> int:
    try:
        return max(1, min(int(value), 10_000))
    except (TypeError, ValueError):
        return 1


def slice_of(queryset, number: int, size: int = PAGE_SIZE) -> Slice:
    start = (number - 1) * size
    rows = list(queryset[start : start + size + 1])
    return Slice(rows=rows[:size], number=number, has_next=len(rows) > size)


class OpinionListView(LoginRequiredMixin, View):
    """The opinions of the stations the user keeps (all for the office), newest first,
    by station and state."""

    def get(self, request):
        user = request.user
        staff = _is_staff(user)
        kept = selectors.kept_station_ids(user=user)
        if not (staff or kept):
            raise PermissionDenied
        opinions = Opinion.objects.all() if staff else Opinion.objects.filter(station__in=kept)
        station = None
        if request.GET.get("station"):
            try:
                station_id = int(request.GET["station"])
            except ValueError:
                raise Http404 from None
            station = get_object_or_404(selectors.stations_kept_by(user=user), pk=station_id)
            opinions = opinions.filter(station=station)
        state = request.GET.get("state", "")
        if state not in Opinion.State.values:
            state = ""
        if state:
            opinions = opinions.filter(state=state)
        page = slice_of(
            opinions.select_related("station", "deputy", "unit", "suggestion").order_by(
                "-raised_on", "-pk"
            ),
            _page_number(request.GET.get("page")),
        )
        contact = selectors.Contact(user, kept_ids=kept)
        context = {
            "page": page,
            "rows": [(o, *contact.shown(o)) for o in page.rows],
            "station": station,
            "state": state,
            "states": Opinion.State.choices,
        }
        return render(request, "stations/opinions.html", context)


# An opinion's page.


class OpinionDetailView(LoginRequiredMixin, View):
    def get_opinion(self, pk) -> Opinion:
        return get_object_or_404(
            selectors.opinions_visible_to(user=self.request.user).select_related(
                "station", "deputy", "unit", "suggestion"
            ),
            pk=pk,
        )

    def render_detail(self, opinion, posted=None, status=200):
        user = self.request.user
        forms = [
            {
                "action": action,
                "form": posted
                if posted is not None and action.name == posted.prefix
                else action.bind(opinion),
            }
            for action in actions.available(Page.OPINION, user=user, obj=opinion)
        ]
        name, phone = selectors.Contact(user).shown(opinion)
        steps = OpinionStep.objects.filter(opinion=opinion).select_related("deputy", "unit", "by")
        context = {
            "opinion": opinion,
            "name": name,
            "phone": phone,
            "steps": list(steps.order_by("at", "pk")),
            "keeps": opinion.station_id in selectors.kept_station_ids(user=user) or _is_staff(user),
            "forms": forms,
        }
        return render(self.request, "stations/opinion.html", context, status=status)

    def get(self, request, pk):
        return self.render_detail(self.get_opinion(pk))


class OpinionActionView(ActionPostMixin, OpinionDetailView):
    """One POST view for the opinion's actions available to the user now. Sending it on
    and answering it take two POSTs: the first valid one shows what will be recorded,
    with Confirm and Back (``suggestions.confirmation``); the confirmed one records it."""

    page = Page.OPINION
    detail_name = "stations:opinion"

    def get_target(self, pk):
        return self.get_opinion(pk)

    def done_url(self, pk, opinion, chosen) -> str:
        if chosen.name == "to_suggestion" and opinion.suggestion_id is not None:
            # The deputy follows the new suggestion on their status pages.
            return reverse("status:detail", args=[opinion.suggestion_id])
        return super().done_url(pk, opinion, chosen)


# The files, to the station's keepers and the office only.


class ActivityFileView(LoginRequiredMixin, View):
    """An activity's photo or document: the station's keepers and the office; anyone
    else gets a 404."""

    def get(self, request, file_id):
        found = get_object_or_404(
            ActivityFile.objects.filter(
                activity__station__in=selectors.stations_kept_by(user=request.user)
            ),
            pk=file_id,
        )
        stem = os.path.splitext(found.name)[0] or f"activity-{found.activity_id}-{found.pk}"
        return serve(found.file, stem)


class EvidenceView(LoginRequiredMixin, View):
    """A "八有" item's evidence: the station's keepers and the office; anyone else gets
    a 404."""

    def get(self, request, check_id):
        check = get_object_or_404(
            StationCheck.objects.filter(
                station__in=selectors.stations_kept_by(user=request.user)
            ).exclude(evidence=""),
            pk=check_id,
        )
        return serve(check.evidence, f"{check.station_id}-{check.year}-{check.item}")
