"""The deputies' contact rule in the sweep: with 30 days of the quarter left, a deputy with
an account who has not met constituents in it is reminded once, and the office gets one
reminder with how many deputies have not."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from deputies import services as duty_services
from deputies.models import DutyRecord, DutyRule, Term
from suggestions.models import Notification, Reminder
from suggestions.notifications import duty_reminders, reminders, services
from tests import factories, flows

pytestmark = pytest.mark.django_db

Kind = Reminder.Kind
QUARTER_END = datetime.date(2026, 12, 31)
DAY_31 = QUARTER_END - datetime.timedelta(days=31)  # 2026-11-30
DAY_30 = QUARTER_END - datetime.timedelta(days=30)  # 2026-12-01
MET_ON = datetime.date(2026, 10, 12)


def sweep(capture, day: datetime.date) -> int:
    with flows.on(day), capture(execute=True):
        return services.send_due_reminders()


def met(deputy, by, day=MET_ON, kind="contact"):
    with flows.on(day):
        return duty_services.duty_record(deputy=deputy, by=by, kind=kind, happened_on=day)


def duty_rows(kind):
    return list(Reminder.objects.filter(kind=kind).order_by("recipient__username"))


@pytest.fixture(autouse=True)
def rules(db):
    """The office keeps the duty record this year: it has set the year's points."""
    DutyRule.objects.create(year=2026, kind="contact", points=2)


@pytest.fixture
def unlisted(cast):
    """A deputy without an account: counted for the office, reminded to nobody."""
    return factories.DeputyFactory(name="赵刚", user=None)


def test_nothing_is_reminded_with_31_days_left(cast, unlisted, django_capture_on_commit_callbacks):
    assert sweep(django_capture_on_commit_callbacks, DAY_31) == 0
    assert not Reminder.objects.exists() and mail.outbox == []


def test_with_30_days_left_the_deputies_and_the_office_are_reminded(
    cast, unlisted, django_capture_on_commit_callbacks
):
    """The deputies who have not met constituents this quarter, each once; the office one
    reminder counting them all, the deputy without an account too."""
    met(cast.deputy, cast.staff)
    met(cast.co_deputy, cast.staff, day=datetime.date(2026, 9, 20))  # last quarter's
    assert sweep(django_capture_on_commit_callbacks, DAY_30) == 3

    mine = duty_rows(Kind.DUTY_CONTACT)
    assert [r.recipient for r in mine] == [cast.co_deputy.user, cast.other_deputy.user]
    first = mine[0]
    assert first.target == f"duty:{cast.co_deputy.pk}:2026q4"
    assert (first.due_on, first.days, first.link) == (QUARTER_END, 30, reverse("duty:mine"))
    assert "2026" in first.summary and "4" in first.summary
    assert first.suggestion_id is None and first.sent_at is not None

    [office] = duty_rows(Kind.DUTY_SHORTFALL)
    assert office.recipient == cast.staff and office.target == "duty:office:2026q4"
    assert "3" in office.summary  # co_deputy, other_deputy and the deputy without an account
    assert office.link.startswith(reverse("admin:index"))

    links = dict(Notification.objects.values_list("recipient__username", "link"))
    assert links == {
        cast.co_deputy.user.username: reverse("duty:mine"),
        cast.other_deputy.user.username: reverse("duty:mine"),
        cast.staff.username: office.link,
    }
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert set(subjects) == {
        cast.co_deputy.user.email,
        cast.other_deputy.user.email,
        cast.staff.email,
    }
    assert subjects[cast.staff.email].endswith(office.summary)
    assert subjects[cast.other_deputy.user.email].endswith(first.summary)
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert office.summary in bodies[cast.staff.email]
    assert first.summary in bodies[cast.co_deputy.user.email]


def test_the_quarter_is_reminded_once(cast, django_capture_on_commit_callbacks):
    """The same day again, and the following days of the quarter, send nothing more."""
    assert sweep(django_capture_on_commit_callbacks, DAY_30) == 4  # three deputies, the office
    sent = len(mail.outbox)
    for day in (DAY_30, DAY_30 + datetime.timedelta(days=1), QUARTER_END):
        assert sweep(django_capture_on_commit_callbacks, day) == 0
    assert len(mail.outbox) == sent
    assert Reminder.objects.filter(recipient=cast.deputy.user).count() == 1


def test_a_deputy_who_meets_constituents_before_the_mark_is_not_reminded(
    cast, django_capture_on_commit_callbacks
):
    for deputy in (cast.deputy, cast.co_deputy):
        met(deputy, cast.staff, day=DAY_31, kind="report")
    sweep(django_capture_on_commit_callbacks, DAY_30)
    assert [r.recipient for r in duty_rows(Kind.DUTY_CONTACT)] == [cast.other_deputy.user]
    assert "1" in duty_rows(Kind.DUTY_SHORTFALL)[0].summary


def test_a_reversed_contact_does_not_count(cast, django_capture_on_commit_callbacks):
    record = met(cast.deputy, cast.staff)
    with flows.on(MET_ON):
        duty_services.duty_reverse(record=record, by=cast.staff, reason="录入错误")
    sweep(django_capture_on_commit_callbacks, DAY_30)
    assert cast.deputy.user in [r.recipient for r in duty_rows(Kind.DUTY_CONTACT)]


def test_a_year_without_rules_reminds_nobody(cast, django_capture_on_commit_callbacks):
    """A committee that keeps no duty record this year (no points set) is not reminded of it."""
    DutyRule.objects.all().delete()
    assert sweep(django_capture_on_commit_callbacks, DAY_30) == 0


def test_everyone_met_constituents_nobody_is_reminded(cast, django_capture_on_commit_callbacks):
    for deputy in (cast.deputy, cast.co_deputy, cast.other_deputy):
        met(deputy, cast.staff)
    assert sweep(django_capture_on_commit_callbacks, DAY_30) == 0


def test_a_deputy_whose_term_ended_owes_nothing(cast, django_capture_on_commit_callbacks):
    """Deputies of a term that ended before the quarter are neither reminded nor counted."""
    Term.objects.create(
        number=15, starts_on=datetime.date(2017, 1, 1), ends_on=datetime.date(2021, 12, 31)
    )
    Term.objects.create(number=16, starts_on=datetime.date(2022, 1, 1))
    former = factories.DeputyFactory(name="钱进", term=15)
    sweep(django_capture_on_commit_callbacks, DAY_30)
    assert former.user not in [r.recipient for r in duty_rows(Kind.DUTY_CONTACT)]
    assert "3" in duty_rows(Kind.DUTY_SHORTFALL)[0].summary


def test_an_inactive_account_is_not_reminded(cast, django_capture_on_commit_callbacks):
    cast.other_deputy.user.is_active = False
    cast.other_deputy.user.save(update_fields=["is_active"])
    sweep(django_capture_on_commit_callbacks, DAY_30)
    assert cast.other_deputy.user not in [r.recipient for r in duty_rows(Kind.DUTY_CONTACT)]
    assert "3" in duty_rows(Kind.DUTY_SHORTFALL)[0].summary


@pytest.mark.parametrize("deputies", [2, 40])
def test_the_rule_takes_the_same_few_queries_whatever_the_deputies(
    cast, deputies, django_assert_max_num_queries
):
    """The year's rules, the marker, the deputies who have not met constituents (one
    statement, the quarter's contacts grouped by deputy inside it) and the office's
    members; once the quarter is swept, the first two only."""
    for n in range(deputies):
        deputy = factories.DeputyFactory()
        if n % 2:
            met(deputy, cast.staff)
    with flows.on(DAY_30), django_assert_max_num_queries(4):
        found = duty_reminders.contact_reminders(DAY_30)
    assert len(found) == 3 + deputies // 2 + deputies % 2 + 1
    with flows.on(DAY_30):
        services.send_due_reminders()
    with flows.on(QUARTER_END), django_assert_max_num_queries(2):
        assert duty_reminders.contact_reminders(QUARTER_END) == []
    with flows.on(DAY_31), django_assert_max_num_queries(0):
        assert duty_reminders.contact_reminders(DAY_31) == []


def test_the_rule_is_in_the_sweep_once():
    assert reminders._registered.count(duty_reminders.contact_reminders) == 1


def test_a_contact_record_counts_only_in_its_quarter(cast):
    """Quarter boundaries: a contact on the last day of Q3 does not meet Q4."""
    met(cast.deputy, cast.staff, day=datetime.date(2026, 9, 30))
    met(cast.co_deputy, cast.staff, day=datetime.date(2026, 10, 1))
    short = {pk for pk, _user in duty_reminders.not_met(datetime.date(2026, 10, 1), QUARTER_END)}
    assert cast.deputy.pk in short and cast.co_deputy.pk not in short
    assert DutyRecord.objects.count() == 2
