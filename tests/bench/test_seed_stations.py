"""`manage.py seed_bench_stations` and the stations' step (issue 16): stations at three
levels with keepers, opinions in every state with their paths, grown to a total."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count

from bench.data import stations as data
from stations.models import Activity, LiaisonStation, Opinion, OpinionStep, StationCheck

# seed_bench writes through connections of its own on PostgreSQL (see test_seed_bench).
pytestmark = pytest.mark.django_db(transaction=True)


def seed_stations(opinions: int, stations: int = 60) -> str:
    out = io.StringIO()
    call_command("seed_bench_stations", stations=stations, opinions=opinions, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(transactional_db):
    call_command("seed_bench", suggestions=600, stdout=io.StringIO())
    seed_stations(600)


def test_seed_bench_stations_builds_three_levels_kept_and_checked(seeded):
    """60 stations: a county home, six township stations under it, village rooms under
    those, 2-4 deputies each; bench-keeper keeps one township station (bench12345), other
    keepers others; each station's eight checklist items, met ones with evidence;
    activities with their deputies."""
    stations = LiaisonStation.objects.filter(name__startswith=data.MARK)
    keeper = get_user_model().objects.get(username=data.KEEPER)
    kept = keeper.kept_stations.get()
    levels = dict(stations.values_list("level").annotate(n=Count("pk")))

    assert stations.count() == 60
    assert levels == {"county": 1, "township": 6, "village": 53}
    assert not stations.filter(level="township").exclude(parent__level="county").exists()
    assert not stations.filter(level="village").exclude(parent__level="township").exists()
    assert {s.deputies.count() for s in stations} <= {2, 3, 4}
    assert kept.level == "township" and keeper.check_password("bench12345")
    assert LiaisonStation.keepers.through.objects.count() == 6  # one township each
    checks = StationCheck.objects.filter(station__in=stations)
    assert checks.count() == 60 * 8
    assert checks.filter(met=False).exists()
    assert not checks.filter(met=True, evidence="").exists()
    assert Activity.objects.filter(station=kept).count() == data.KEEPER_ACTIVITIES
    assert not Activity.objects.filter(deputies__isnull=True).exists()


def test_seed_bench_stations_writes_opinions_on_their_paths_grown_to_a_total(seeded):
    """600 opinions in every state, the keeper's share at their station; each moved one
    with its steps ending in its state; a suggested one names its own suggestion and its
    lead deputy. The same total again adds nothing; a larger one adds the difference."""
    keeper_station = LiaisonStation.objects.get(keepers__username=data.KEEPER)
    opinions = Opinion.objects.all()

    assert opinions.count() == 600
    assert opinions.filter(station=keeper_station).count() == data.keeper_share(600)
    assert set(opinions.values_list("state", flat=True)) == set(Opinion.State.values)
    for opinion in opinions.exclude(state="open").prefetch_related("steps")[:100]:
        steps = list(opinion.steps.all())
        assert steps[-1].to == opinion.state and steps[-1].at == opinion.moved_at
    assert not OpinionStep.objects.filter(opinion__state="open").exists()
    for opinion in opinions.filter(state="suggested").select_related("suggestion"):
        assert opinion.suggestion.lead_deputy_id == opinion.deputy_id
    assert not opinions.filter(state__in=["referred", "answered"], unit__isnull=True).exists()

    seed_stations(600)
    assert opinions.count() == 600
    seed_stations(900)
    assert opinions.count() == 900
    assert LiaisonStation.objects.filter(name__startswith=data.MARK).count() == 60
    assert opinions.filter(station=keeper_station).count() == data.keeper_share(900)


def test_stations_step_times_the_reminder_rule_and_finds_none_once_told(seeded):
    """bench/steps.py stations: the rule finds the opinions waiting 15 days or more, in a
    few queries; once their reminders are written (rolled back) it finds none."""
    from bench.stations import run_stations
    from suggestions.models import Reminder

    found = run_stations(2)

    assert found["found"] > 0 and found["again_found"] == 0
    assert found["queries"] <= 3
    assert found["opinions"] == 600 and found["stations"] == 60
    assert found["keeper_opinions"] == data.keeper_share(600)
    assert 0 < found["median_ms"] <= found["max_ms"]
    assert not Reminder.objects.filter(kind=Reminder.Kind.OPINION_WAITING).exists()
