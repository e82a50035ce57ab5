"""A station's ledger (台账) of a year as an xlsx: activities (corrections marked), opinions
(the constituent always masked) with where each went, reception days and the 八有
checklist; for the station's keepers and the office only, in a fixed few queries."""

import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stations import services
from stations.models import Activity, ActivityFile, LiaisonStation, StationCheck
from tests import factories, flows

pytestmark = pytest.mark.django_db

YEAR = 2026
TODAY = datetime.date(YEAR, 11, 20)


@pytest.fixture
def keeper(station):
    user = factories.UserFactory(username="keeper", first_name="李梅")
    station.keepers.add(user)
    return user


def _url(station, year=YEAR):
    return reverse("stations:ledger", args=[station.pk, year])


def _book(response) -> openpyxl.Workbook:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def _rows(sheet) -> list[tuple]:
    return [row for row in sheet.iter_rows(min_row=2, values_only=True)]


def _fill(station, keeper, cast, *, n: int = 1, day: int = 3):
    """``n`` of each: an activity with a file (and its correction), opinions forwarded,
    referred and answered, and made a suggestion; reception days; a checklist item."""
    with flows.on(TODAY):
        for i in range(n):
            when = datetime.date(YEAR, 3, day + i)
            reception = services.reception_day_plan(
                station=station, by=keeper, day=when, deputies=[cast.deputy], notes="接待日"
            )
            first = services.station_activity_record(
                station=station, by=keeper, kind="reception", happened_on=when,
                deputies=[cast.deputy], citizens=12, notes="接待群众。", reception_day=reception,
            )  # fmt: skip
            ActivityFile.objects.create(activity=first, file="stations/a.jpg", name="a.jpg")
            Activity.objects.create(
                station=station, kind="reception", happened_on=when, citizens=15,
                notes="更正：接待群众15人。", corrects=first, recorded_by=keeper,
            )  # fmt: skip
            forwarded = services.opinion_record(
                station=station, by=keeper, matter="小区路灯不亮。", raised_on=when,
                name="张三丰", phone="13812341234",
            )  # fmt: skip
            services.opinion_route(opinion=forwarded, by=keeper, to="deputy", deputy=cast.deputy)
            services.opinion_to_suggestion(
                opinion=forwarded, by=cast.deputy.user, title="关于修复路灯的建议", content="路灯"
            )
            referred = services.opinion_record(
                station=station, by=keeper, matter="=公交站太远", raised_on=when,
                name="李四", phone="0931-8123456",
            )  # fmt: skip
            services.opinion_route(opinion=referred, by=keeper, to="unit", unit=cast.lead_unit)
            services.opinion_answer(opinion=referred, by=cast.clerk, answer="已增设站点。")
    StationCheck.objects.create(
        station=station, year=YEAR, item="site", met=True, evidence="stations/c.jpg",
        notes="有固定场所", checked_by=keeper, checked_on=TODAY,
    )  # fmt: skip


def test_ledger_lists_activities_with_corrections_marked(client, station, keeper, cast):
    """Each activity with its deputies, citizens, notes, recorder and files; the corrected
    record says it was replaced, the correction which day's record it corrects."""
    _fill(station, keeper, cast)
    client.force_login(keeper)
    book = _book(client.get(_url(station)))
    assert len(book.sheetnames) == 4
    sheet = book.worksheets[0]
    rows = _rows(sheet)
    assert len(rows) == 2
    first, correction = rows
    assert first[0].date() == datetime.date(YEAR, 3, 3)
    assert first[2] == cast.deputy.name
    assert (first[3], first[4], first[5], first[6]) == (12, "接待群众。", "李梅", 1)
    assert first[7]  # replaced by a correction
    assert (correction[3], correction[6]) == (15, 0)
    assert "2026-03-03" in correction[7]


def test_ledger_masks_the_constituents_and_shows_where_opinions_went(client, station, keeper, cast):
    """Even for the keeper (who sees them on the pages), the file masks the name and the
    phone; the deputy, the suggestion and its state, the unit and its answer are there; a
    matter that starts like a formula is neutralised."""
    _fill(station, keeper, cast)
    client.force_login(keeper)
    rows = _rows(_book(client.get(_url(station))).worksheets[1])
    assert len(rows) == 2
    suggested, answered = rows
    assert (suggested[2], suggested[3]) == ("张**", "138****1234")
    assert suggested[5] == cast.deputy.name
    assert "关于修复路灯的建议" in suggested[8]
    assert suggested[9]  # the suggestion's state
    assert isinstance(suggested[10], datetime.datetime)
    assert (answered[2], answered[3]) == ("李*", "093*-***3456")
    assert answered[1] == "'=公交站太远"
    assert (answered[6], answered[7]) == (cast.lead_unit.name, "已增设站点。")
    content = b"".join(client.get(_url(station)).streaming_content)
    assert "张三丰".encode() not in content and b"13812341234" not in content


def test_ledger_lists_reception_days_and_the_whole_checklist(client, station, keeper, cast):
    """The reception days with their deputies and whether held; all eight items of the
    checklist, those not checked said so."""
    _fill(station, keeper, cast)
    with flows.on(TODAY):
        services.reception_day_plan(station=station, by=keeper, day=datetime.date(YEAR, 12, 1))
    client.force_login(keeper)
    book = _book(client.get(_url(station)))
    days = _rows(book.worksheets[2])
    assert [(d[0].date(), d[1]) for d in days] == [
        (datetime.date(YEAR, 3, 3), cast.deputy.name),
        (datetime.date(YEAR, 12, 1), None),
    ]
    assert days[0][2] != days[1][2]  # held, not held
    checks = _rows(book.worksheets[3])
    assert len(checks) == 8
    assert checks[0][3:5] == ("有固定场所", "李梅")
    assert checks[1][1] == checks[7][1]  # not checked
    assert checks[0][1] != checks[1][1]


def test_ledger_holds_only_the_year(client, station, keeper, cast):
    """Another year's ledger has none of this year's records (and every checklist item
    unchecked)."""
    _fill(station, keeper, cast)
    client.force_login(keeper)
    book = _book(client.get(_url(station, YEAR - 1)))
    assert [len(_rows(sheet)) for sheet in book.worksheets] == [0, 0, 0, 8]


def test_ledger_of_another_station_is_404_for_a_keeper(client, station, keeper):
    """A keeper guessing another station's id gets a 404."""
    other = LiaisonStation.objects.create(name="桃源区代表之家", kind="home", level="county")
    client.force_login(keeper)
    assert client.get(_url(other)).status_code == 404
    assert client.get(_url(station)).status_code == 200


def test_ledger_for_the_office_and_nobody_else(client, station, cast):
    """Staff download any station's ledger; a clerk or a deputy gets a 404; anonymous is
    sent to log in."""
    response = client.get(_url(station))
    assert response.status_code == 302 and "login" in response["Location"]
    for user in (cast.clerk, cast.deputy.user):
        client.force_login(user)
        assert client.get(_url(station)).status_code == 404
    client.force_login(cast.staff)
    assert client.get(_url(station)).status_code == 200


@pytest.mark.parametrize("year", [1999, TODAY.year + 5])
def test_ledger_of_an_unlikely_year_is_404(client, station, keeper, year):
    client.force_login(keeper)
    assert client.get(_url(station, year)).status_code == 404


def test_ledger_queries_do_not_grow_with_the_rows(client, station, keeper, cast):
    """One row of each kind or three: the same number of queries."""
    other = LiaisonStation.objects.create(name="桃源区代表之家", kind="home", level="county")
    other.deputies.add(cast.deputy)
    other.keepers.add(keeper)
    _fill(station, keeper, cast, n=1)
    _fill(other, keeper, cast, n=3, day=10)
    client.force_login(keeper)
    counts = []
    for target in (station, other):
        with CaptureQueriesContext(connection) as queries:
            _book(client.get(_url(target)))
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 10, counts


def test_admin_links_and_action_lead_to_the_ledger(client, station, cast):
    """The station's change form links this year's ledger; the changelist's action sends
    one selected station to it."""
    client.force_login(cast.staff)
    page = client.get(reverse("admin:stations_liaisonstation_change", args=[station.pk]))
    assert _url(station, timezone.localdate().year) in page.content.decode()
    response = client.post(
        reverse("admin:stations_liaisonstation_changelist"),
        {"action": "download_ledger", "_selected_action": [station.pk]},
    )
    assert response.status_code == 302
    assert response["Location"] == _url(station, timezone.localdate().year)
