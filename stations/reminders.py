"""The stations' reminder rule, added to the loop's sweep (``register_rule`` in
``apps.ready``): an opinion that has not moved on within 15 days (still open, or
forwarded to a deputy, or referred to a unit, with nothing since) is reminded to its
station's keepers (the office, for a station without keepers), once per move: a
reminder created after the opinion last moved means it was told already."""

import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, Value
from django.db.models.functions import Concat, Substr
from django.urls import reverse
from django.utils import timezone

from suggestions.models import Reminder
from suggestions.notifications.reminders import Due, staff_ids

from .models import LiaisonStation, Opinion
from .selectors import WAITING

DEFAULT_WAIT_DAYS = 15


def wait_days() -> int:
    return settings.NPC_REMINDERS.get("OPINION_WAIT_DAYS", DEFAULT_WAIT_DAYS)


def target(opinion_id: int) -> str:
    return f"opinion:{opinion_id}"


def opinion_reminders(today: datetime.date) -> list[Due]:
    """The waiting opinions last moved ``wait_days()`` or more days before ``today`` and
    not reminded since (a partial index lists the waiting opinions by ``moved_at``)."""
    wait = wait_days()
    # Moved on the day ``today - wait`` or before: before the next day's start, local time.
    boundary = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=wait - 1), datetime.time.min)
    )
    told = Reminder.objects.filter(
        kind=Reminder.Kind.OPINION_WAITING,
        target=Concat(Value("opinion:"), OuterRef("pk")),
        created_at__gte=OuterRef("moved_at"),
    )
    rows = list(
        Opinion.objects.filter(state__in=WAITING, moved_at__lt=boundary)
        .filter(~Exists(told))
        .order_by("pk")
        .annotate(start=Substr("matter", 1, 120))
        .values_list("pk", "station_id", "station__name", "start", "moved_at")
    )
    if not rows:
        return []
    keepers: dict[int, set[int]] = {}
    for station_id, user_id in (
        LiaisonStation.keepers.through.objects.filter(
            liaisonstation_id__in={station_id for _pk, station_id, *_rest in rows},
            user__is_active=True,
        )
        .order_by()
        .values_list("liaisonstation_id", "user_id")
    ):
        keepers.setdefault(station_id, set()).add(user_id)
    staff = staff_ids() if any(row[1] not in keepers for row in rows) else frozenset()
    recipients = {station_id: frozenset(ids) for station_id, ids in keepers.items()}
    # Per row only what differs: the link is the URL of opinion 0 with its id put in, and
    # the day moved is read in the site's time zone converted once (a reverse() and a
    # localdate() per row were most of the time of a first sweep over a backlog).
    here = timezone.get_current_timezone()
    link = reverse("stations:opinion", args=[0]).replace("/0/", "/{}/")
    delay = datetime.timedelta(days=wait)
    found = []
    for pk, station_id, station_name, matter, moved_at in rows:
        found.append(
            Due(
                Reminder.Kind.OPINION_WAITING,
                None,
                None,
                moved_at.astimezone(here).date() + delay,
                wait,
                recipients.get(station_id, staff),
                about=target(pk),
                summary=f"{station_name}：{' '.join(matter.split())[:60]}",
                link=link.format(pk),
            )
        )
    return found
