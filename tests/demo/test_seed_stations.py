"""The demo's liaison stations (demo/stations.py): 新兴区's stations at three levels, kept by
the ``keeper`` account, with checklists, reception days, activities and opinions in every
state, made through the stations' services."""

import datetime
import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from stations import selectors
from stations.models import Activity, LiaisonStation, Opinion, ReceptionDay, StationCheck
from stations.reminders import opinion_reminders
from suggestions.models import Suggestion

L, K = LiaisonStation.Level, LiaisonStation.Kind


def _seed() -> None:
    call_command("seed_demo", stdout=io.StringIO())


@pytest.mark.django_db
def test_seed_demo_builds_stations_kept_checked_and_active():
    """A county home over three township stations, each over 2-3 village rooms, deputies
    at each (one deputy at two); ``keeper`` keeps one township station and its rooms and
    lands on the stations; this year's 八有 has unmet items (one station short of two) and
    the met ones carry a PNG or PDF; reception days held (with their reception) and
    planned; activities of every kind with deputies and citizens."""
    _seed()
    today = timezone.localdate()
    home = LiaisonStation.objects.get(name="新兴区人大代表之家")
    townships = list(home.children.all())
    keeper = User.objects.get(username="keeper")
    kept = selectors.stations_kept_by(user=keeper)
    checks = StationCheck.objects.filter(year=today.year)

    assert (home.kind, home.level, home.parent) == (K.HOME, L.COUNTY, None)
    assert len(townships) == 3
    for township in townships:
        assert (township.kind, township.level) == (K.STATION, L.TOWNSHIP)
        rooms = list(township.children.all())
        assert 2 <= len(rooms) <= 3
        assert {(r.kind, r.level) for r in rooms} == {(K.ROOM, L.VILLAGE)}
        for station in [township, *rooms]:
            assert station.deputies.count() >= 2
            assert station.address and station.contact and station.phone
            assert station.opening_hours
    wang = home.deputies.get(name="王丽华")
    assert wang.stations.count() == 2
    township = kept.get(level=L.TOWNSHIP)
    assert set(kept) == {township, *township.children.all()}
    assert selectors.is_keeper(keeper)
    client = Client()
    client.force_login(keeper)
    assert client.get("/").headers["Location"] == reverse("stations:list")

    assert checks.count() == 8 * 11 and StationCheck.objects.filter(year=today.year - 1).count()
    short = checks.filter(met=False).values_list("station__name", flat=True)
    assert len(short) >= 3
    assert max(list(short).count(name) for name in short) == 2
    for check in checks.filter(met=True)[:8]:
        head = check.evidence.read()[:8]
        assert head.startswith(b"\x89PNG") or head.startswith(b"%PDF"), check
    assert not checks.filter(met=True, evidence="").exists()

    held = ReceptionDay.objects.filter(day__lt=today, station__in=kept)
    assert held.exists() and ReceptionDay.objects.filter(day__gt=today, station__in=kept)
    for reception in held:
        activity = reception.activities.get()
        assert activity.kind == Activity.Kind.RECEPTION and activity.citizens > 0
        assert set(activity.deputies.all()) == set(reception.deputies.all())
    activities = Activity.objects.all()
    assert set(activities.values_list("kind", flat=True)) == set(Activity.Kind.values)
    assert activities.filter(files__isnull=False).exists()
    assert not activities.filter(deputies__isnull=True).exists()
    assert not activities.filter(happened_on__gt=today).exists()


@pytest.mark.django_db
def test_seed_demo_has_opinions_in_every_state_on_their_paths():
    """Every state; each moved one with its steps in order and its constituent's contact;
    an open one waiting over 15 days that the reminder rule tells the keeper of; the demo
    deputy with a forwarded one waiting and one she made a suggestion (one such approved
    and assigned); the demo clerk's unit with a referred one to answer."""
    _seed()
    today = timezone.localdate()
    keeper = User.objects.get(username="keeper")
    deputy = User.objects.get(username="deputy")
    clerk = User.objects.get(username="clerk")
    opinions = Opinion.objects.all()

    assert set(opinions.values_list("state", flat=True)) == set(Opinion.State.values)
    assert not opinions.filter(name="").exists() and not opinions.filter(phone="").exists()
    for opinion in opinions.exclude(state=Opinion.State.OPEN).prefetch_related("steps"):
        steps = list(opinion.steps.all())
        assert steps and steps[-1].to == opinion.state, opinion
        assert steps[0].at.date() >= opinion.raised_on
        assert opinion.moved_at == steps[-1].at
    stale = opinions.filter(
        state=Opinion.State.OPEN, moved_at__date__lt=today - datetime.timedelta(days=15)
    ).get()
    found = {due.about: due for due in opinion_reminders(today)}
    assert keeper.pk in found[f"opinion:{stale.pk}"].recipient_ids

    theirs = selectors.opinions_forwarded_to(user=deputy)
    assert theirs.filter(state=Opinion.State.FORWARDED).exists()
    made = theirs.filter(state=Opinion.State.SUGGESTED)
    assert made.count() == 2
    assert {o.suggestion.lead_deputy.user for o in made} == {deputy}
    assert {o.suggestion.state for o in made} == {
        Suggestion.State.PROPOSED,
        Suggestion.State.ASSIGNED,
    }
    assert selectors.opinions_referred_to(user=clerk).filter(state=Opinion.State.REFERRED)
    assert selectors.opinions_referred_to(user=clerk).filter(state=Opinion.State.ANSWERED)
    assert selectors.opinions_visible_to(user=keeper).filter(state=Opinion.State.OPEN).count()
