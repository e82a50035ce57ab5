"""The stations' records (issue 16, first step): a deputy's one station becomes the
stations' lists of their deputies without losing one, and the database refuses an item
met without evidence and an opinion routed without its deputy or unit."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from stations.models import LiaisonStation, Opinion, StationCheck
from tests import factories

BEFORE = [("deputies", "0001_initial"), ("stations", "0001_initial")]
AFTER = [("deputies", "0003_remove_deputy_station"), ("stations", "0002_stations_in_full")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_migration_gives_each_station_the_deputies_who_had_it():
    """Two deputies of one station and one of another keep their stations; a deputy with
    none has none; the way back gives each deputy their station again."""
    old = _migrate(BEFORE)
    try:
        Deputy = old.get_model("deputies", "Deputy")
        Station = old.get_model("stations", "LiaisonStation")
        home = Station.objects.create(name="桃源区代表之家", kind="home", level="county")
        room = Station.objects.create(name="幸福社区联络站", kind="room", level="village")
        people = {}
        for name, station in [("王丽", home), ("李强", home), ("张伟", room), ("陈静", None)]:
            people[name] = Deputy.objects.create(
                name=name, gender="F", level="city", delegation="城关区", term=16, station=station
            ).pk
        new = _migrate(AFTER)
        Station = new.get_model("stations", "LiaisonStation")
        found = {
            s.name: sorted(s.deputies.values_list("name", flat=True)) for s in Station.objects.all()
        }
        assert found == {"桃源区代表之家": ["李强", "王丽"], "幸福社区联络站": ["张伟"]}
        back = _migrate(BEFORE)
        Deputy = back.get_model("deputies", "Deputy")
        assert Deputy.objects.get(pk=people["张伟"]).station_id == room.pk
        assert Deputy.objects.get(pk=people["陈静"]).station_id is None
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db
def test_checklist_item_met_without_evidence_is_refused_by_the_database(staff):
    """ "Met" needs its evidence, whatever writes the row."""
    station = LiaisonStation.objects.create(name="站", kind="station", level="township")
    with pytest.raises(IntegrityError), transaction.atomic():
        StationCheck.objects.create(
            station=station, year=2026, item="site", met=True, checked_by=staff
        )
    StationCheck.objects.create(
        station=station, year=2026, item="site", met=False, checked_by=staff
    )


@pytest.mark.django_db
def test_opinion_forwarded_or_referred_names_whom_it_went_to(staff):
    """An opinion forwarded names its deputy, one referred its unit, one made into a
    suggestion its suggestion."""
    station = LiaisonStation.objects.create(name="站", kind="station", level="township")
    for state in ("forwarded", "referred", "suggested"):
        with pytest.raises(IntegrityError), transaction.atomic():
            Opinion.objects.create(
                station=station, matter="路灯不亮", raised_on="2026-11-01", recorded_by=staff,
                state=state,
            )  # fmt: skip
    deputy = factories.DeputyFactory()
    opinion = Opinion.objects.create(
        station=station, matter="路灯不亮", raised_on="2026-11-01", recorded_by=staff,
        state="forwarded", deputy=deputy,
    )  # fmt: skip
    assert list(deputy.opinions.all()) == [opinion]
