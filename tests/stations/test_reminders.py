"""The 15-day rule of the stations' opinions, end to end through the loop's sweep
(``send_due_reminders``): an opinion that has not moved on for 15 days is reminded once
to its station's keepers (the committee office when it has none), by e-mail and in the
app, again 15 days after each later move, never once it is settled, answered or made a
suggestion; the e-mail names the station and the matter, never the constituent."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from stations import services
from stations.models import LiaisonStation, Opinion
from suggestions.models import Notification, Reminder
from suggestions.notifications.services import send_due_reminders
from tests import factories, flows

pytestmark = pytest.mark.django_db

RAISED = datetime.date(2026, 3, 2)
NAME, PHONE = "张小明", "13812341234"
MATTER = "小区路灯不亮，夜间出行不便。"


def day(n: int) -> datetime.date:
    return RAISED + datetime.timedelta(days=n)


@pytest.fixture
def keepers(station):
    users = [factories.UserFactory(username=f"keeper{n}") for n in (1, 2)]
    station.keepers.add(*users)
    return users


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    """The sweep on a day (the clock frozen on it), its reminders sent as the worker would."""

    def run(on: datetime.date) -> int:
        with flows.on(on), django_capture_on_commit_callbacks(execute=True):
            return send_due_reminders()

    return run


def _opinion(station, by) -> Opinion:
    with flows.on(RAISED):
        return services.opinion_record(
            station=station, by=by, matter=MATTER, raised_on=RAISED, name=NAME, phone=PHONE
        )


def _reminded() -> list[tuple[str, str]]:
    return sorted(
        Reminder.objects.filter(kind=Reminder.Kind.OPINION_WAITING).values_list(
            "recipient__username", "target"
        )
    )


def test_opinion_reminded_once_to_each_keeper_on_day_15(station, keepers, sweep):
    """Nothing on day 14; on day 15 one reminder (one e-mail, one notification) per
    keeper; a second sweep that day and the next day's create nothing."""
    opinion = _opinion(station, keepers[0])
    assert sweep(day(14)) == 0
    assert mail.outbox == []
    assert sweep(day(15)) == 2
    target = f"opinion:{opinion.pk}"
    assert _reminded() == [("keeper1", target), ("keeper2", target)]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(k.email for k in keepers)
    assert Notification.objects.filter(kind="reminder_opinion_waiting").count() == 2
    assert sweep(day(15)) == 0
    assert sweep(day(16)) == 0
    assert len(mail.outbox) == 2


def test_opinion_moved_on_is_reminded_again_15_days_after_its_move(station, keepers, cast, sweep):
    """Reminded on day 15 while open; forwarded to the deputy on day 20, it is reminded
    again on day 35 (not on day 34), once."""
    opinion = _opinion(station, keepers[0])
    assert sweep(day(15)) == 2
    with flows.on(day(20)):
        services.opinion_route(opinion=opinion, by=keepers[0], to="deputy", deputy=cast.deputy)
    assert sweep(day(34)) == 0
    assert sweep(day(35)) == 2
    assert sweep(day(36)) == 0
    assert Reminder.objects.filter(recipient=keepers[0], kind="opinion_waiting").count() == 2


def _settled(opinion, keeper, cast):
    services.opinion_route(opinion=opinion, by=keeper, to="settled", notes="当场解释。")


def _answered(opinion, keeper, cast):
    services.opinion_route(opinion=opinion, by=keeper, to="unit", unit=cast.lead_unit)
    services.opinion_answer(opinion=opinion, by=cast.clerk, answer="已修复。")


def _suggested(opinion, keeper, cast):
    services.opinion_route(opinion=opinion, by=keeper, to="deputy", deputy=cast.deputy)
    services.opinion_to_suggestion(
        opinion=opinion, by=cast.deputy.user, title="关于修复路灯的建议", content="路灯不亮。"
    )


@pytest.mark.parametrize(
    "move",
    [
        _settled,  # settled on the spot
        _answered,  # referred and answered by the unit
        _suggested,  # forwarded and made a suggestion by the deputy
    ],
)
def test_opinion_gone_its_way_is_never_reminded(station, keepers, cast, sweep, move):
    """An opinion settled, answered or made a suggestion waits on nobody: no reminder on
    day 15 or ever after."""
    opinion = _opinion(station, keepers[0])
    with flows.on(day(3)):
        move(opinion, keepers[0], cast)
    for n in (15, 18, 30, 60):
        assert sweep(day(n)) == 0
    assert _reminded() == []
    assert mail.outbox == []


def test_station_without_keepers_reminds_the_committee_office(cast, staff, sweep):
    """No keeper: the committee office's staff are reminded instead (not a plain staff
    user outside the office)."""
    bare = LiaisonStation.objects.create(name="无人值守联络站", kind="room", level="village")
    factories.StaffFactory(username="plain_staff", groups=[])
    opinion = _opinion(bare, staff)
    assert sweep(day(15)) == 1
    assert _reminded() == [("staff", f"opinion:{opinion.pk}")]
    assert [m.to[0] for m in mail.outbox] == [staff.email]


def test_reminder_links_to_the_opinion_and_names_no_constituent(station, keepers, sweep):
    """The in-app notification leads to the opinion's page; the e-mail's subject carries
    the station's name and the matter, and neither subject nor body the constituent's
    name or phone."""
    opinion = _opinion(station, keepers[0])
    sweep(day(15))
    link = reverse("stations:opinion", args=[opinion.pk])
    notices = Notification.objects.filter(kind="reminder_opinion_waiting")
    assert {n.link for n in notices} == {link}
    assert all(station.name in n.text for n in notices)
    message = mail.outbox[0]
    assert station.name in message.subject
    assert MATTER[:10] in message.subject
    for text in (message.subject, message.body, *(n.text for n in notices)):
        assert NAME not in text and PHONE not in text
        assert "张" not in text.replace(station.name, "")  # not even the masked name
