"""The reminder sweep: each rule on its day for its people, and each reminder once."""

import datetime
import io
import smtplib

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from suggestions import services
from suggestions.models import Reminder
from tests import flows

ASSIGNED = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC)


def at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=datetime.UTC)


@pytest.fixture
def assigned(cast):
    """Assigned to the lead unit alone, so only its reminders are in play."""
    with time_machine.travel(ASSIGNED, tick=False):
        return flows.assigned(cast, co=False)


@pytest.fixture
def assigned_with_co(cast):
    with time_machine.travel(ASSIGNED, tick=False):
        return flows.assigned(cast)


def sweep(capture, day: datetime.date) -> int:
    with capture(execute=True):
        return services.send_due_reminders(now=at(day))


def recipients(kind: str) -> set[str]:
    return set(Reminder.objects.filter(kind=kind).values_list("recipient__username", flat=True))


@pytest.mark.parametrize(
    "days_before",
    [
        15,  # the first warning
        7,
        3,
        1,
    ],
)
def test_sweep_reminds_lead_unit_before_deadline(
    cast, assigned, django_capture_on_commit_callbacks, days_before
):
    """The lead unit's members are reminded 15, 7, 3 and 1 days before the deadline."""
    due = flows.lead(assigned).due_on
    sweep(django_capture_on_commit_callbacks, due - datetime.timedelta(days=days_before))
    reminder = Reminder.objects.get(kind=Reminder.Kind.DUE_SOON, recipient=cast.clerk)
    assert reminder.days == days_before
    assert recipients(Reminder.Kind.DUE_SOON) == {cast.clerk.username, cast.head.username}


def test_sweep_sends_nothing_between_thresholds_once_sent(
    cast, assigned, django_capture_on_commit_callbacks
):
    """After the 7-day reminder, the days up to the 3-day one send nothing."""
    due = flows.lead(assigned).due_on
    sweep(django_capture_on_commit_callbacks, due - datetime.timedelta(days=7))
    for days in (6, 5, 4):
        assert sweep(django_capture_on_commit_callbacks, due - datetime.timedelta(days=days)) == 0


def test_sweep_reminds_on_the_day(cast, assigned, django_capture_on_commit_callbacks):
    """On the deadline itself the unit gets a 'due today' reminder."""
    sweep(django_capture_on_commit_callbacks, flows.lead(assigned).due_on)
    assert cast.clerk.username in recipients(Reminder.Kind.DUE_TODAY)


def test_sweep_twice_sends_each_email_once(cast, assigned, django_capture_on_commit_callbacks):
    """Running the sweep twice on one day sends each reminder's e-mail exactly once."""
    day = flows.lead(assigned).due_on - datetime.timedelta(days=15)
    first = sweep(django_capture_on_commit_callbacks, day)
    second = sweep(django_capture_on_commit_callbacks, day)
    assert first == 2 and second == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted([cast.clerk.email, cast.head.email])
    assert "15" in mail.outbox[0].subject
    assert all(r.sent_at for r in Reminder.objects.all())


def test_sweep_makes_up_a_missed_reminder(cast, assigned, django_capture_on_commit_callbacks):
    """A 15-day reminder missed while the worker was down goes out with the next sweep."""
    due = flows.lead(assigned).due_on
    sweep(django_capture_on_commit_callbacks, due - datetime.timedelta(days=12))
    assert Reminder.objects.get(recipient=cast.clerk).days == 15


def test_sweep_reminds_co_unit_until_its_opinion_is_in(
    cast, assigned_with_co, django_capture_on_commit_callbacks
):
    """A co-unit owing its opinion is reminded before its own deadline, not after sending it."""
    co = flows.co(assigned_with_co)
    sweep(django_capture_on_commit_callbacks, co.due_on - datetime.timedelta(days=7))
    assert cast.co_clerk.username in recipients(Reminder.Kind.DUE_SOON)
    with time_machine.travel(at(co.due_on - datetime.timedelta(days=5)), tick=False):
        services.co_opinion_submit(assignment=co, by=cast.co_clerk, text="同意。")
    sweep(django_capture_on_commit_callbacks, co.due_on - datetime.timedelta(days=3))
    assert not Reminder.objects.filter(recipient=cast.co_clerk, days=3).exists()


def test_sweep_escalates_overdue_every_seven_days(
    cast, assigned, django_capture_on_commit_callbacks
):
    """Overdue work reaches the unit, the staff and the supervising leader, every 7 days."""
    due = flows.lead(assigned).due_on
    sweep(django_capture_on_commit_callbacks, due + datetime.timedelta(days=1))
    people = recipients(Reminder.Kind.OVERDUE)
    assert {
        cast.clerk.username,
        cast.head.username,
        cast.staff.username,
        cast.leader.username,
    } <= people
    assert cast.other_leader.username not in people
    for late in range(2, 8):
        assert sweep(django_capture_on_commit_callbacks, due + datetime.timedelta(days=late)) == 0
    assert sweep(django_capture_on_commit_callbacks, due + datetime.timedelta(days=8)) > 0


def test_sweep_reminds_the_next_signer_after_fifteen_days(cast, django_capture_on_commit_callbacks):
    """A sign-off waiting more than 15 days reminds whoever signs next, and nobody before."""
    with time_machine.travel(ASSIGNED, tick=False):
        suggestion = flows.handled(cast)
    replied = ASSIGNED.date()
    assert sweep(django_capture_on_commit_callbacks, replied + datetime.timedelta(days=15)) == 0
    sweep(django_capture_on_commit_callbacks, replied + datetime.timedelta(days=16))
    assert recipients(Reminder.Kind.SIGNOFF_WAITING) == {cast.deputy.user.username}
    assert Reminder.objects.get(kind=Reminder.Kind.SIGNOFF_WAITING).suggestion == suggestion


def test_a_deputy_without_an_account_has_the_unit_and_the_office_reminded(
    cast, django_capture_on_commit_callbacks
):
    """The deputy has no account: after 15 days the lead unit (which collects the paper
    signature) and the office are reminded, the deputy is not."""
    with time_machine.travel(ASSIGNED, tick=False):
        suggestion = flows.handled(cast)
    deputy = suggestion.lead_deputy
    deputy.user = None
    deputy.save()
    replied = ASSIGNED.date()
    assert sweep(django_capture_on_commit_callbacks, replied + datetime.timedelta(days=15)) == 0
    sweep(django_capture_on_commit_callbacks, replied + datetime.timedelta(days=16))
    assert recipients(Reminder.Kind.SIGNOFF_WAITING) == {
        cast.clerk.username,
        cast.head.username,
        cast.staff.username,
    }


def test_sweep_reminds_staff_when_revisit_is_due(cast, django_capture_on_commit_callbacks):
    """Once a signed reply's commitments fall due, the staff are told a revisit is due."""
    with time_machine.travel(ASSIGNED, tick=False):
        suggestion = flows.signed(cast)
    commitment_due = suggestion.current_reply().commitments.get().due_on
    assert (
        sweep(django_capture_on_commit_callbacks, commitment_due - datetime.timedelta(days=1)) == 0
    )
    sweep(django_capture_on_commit_callbacks, commitment_due)
    assert recipients(Reminder.Kind.REVISIT_DUE) == {cast.staff.username}
    assert sweep(django_capture_on_commit_callbacks, commitment_due) == 0


def test_sweep_skips_work_that_is_done(cast, django_capture_on_commit_callbacks):
    """A replied suggestion's unit gets no deadline or overdue reminders."""
    with time_machine.travel(ASSIGNED, tick=False):
        suggestion = flows.handled(cast, co=False)
    due = flows.lead(suggestion).due_on
    sweep(django_capture_on_commit_callbacks, due - datetime.timedelta(days=3))
    sweep(django_capture_on_commit_callbacks, due + datetime.timedelta(days=3))
    assert not Reminder.objects.exclude(kind=Reminder.Kind.SIGNOFF_WAITING).exists()


def test_delivery_after_smtp_failure_sends_one_email_for_one_reminder(
    cast, assigned, monkeypatch, django_capture_on_commit_callbacks
):
    """An SMTP failure leaves the reminder unsent; the retry sends one e-mail from the same row."""
    day = flows.lead(assigned).due_on - datetime.timedelta(days=15)
    real_send = mail.EmailMultiAlternatives.send
    failures = iter([smtplib.SMTPServerDisconnected("connection lost")])

    def flaky_send(message, *args, **kwargs):
        failure = next(failures, None)
        if failure:
            raise failure
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", flaky_send)
    with django_capture_on_commit_callbacks(execute=False):
        services.send_due_reminders(now=at(day))
    reminder = Reminder.objects.get(recipient=cast.clerk)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        services.reminder_deliver(reminder_id=reminder.pk)
    reminder.refresh_from_db()
    assert reminder.sent_at is None and mail.outbox == []
    assert services.reminder_deliver(reminder_id=reminder.pk) is True
    assert services.reminder_deliver(reminder_id=reminder.pk) is False  # a late duplicate retry
    assert [m.to for m in mail.outbox] == [[cast.clerk.email]]
    assert Reminder.objects.filter(recipient=cast.clerk).count() == 1


def test_send_reminders_command_runs_one_sweep(cast, assigned, django_capture_on_commit_callbacks):
    """`manage.py send_reminders` runs the sweep once and says how many it sent."""
    day = flows.lead(assigned).due_on - datetime.timedelta(days=7)
    out = io.StringIO()
    with time_machine.travel(at(day), tick=False), django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=out)
    assert "2" in out.getvalue()
    assert len(mail.outbox) == 2


def test_a_merged_group_reminds_every_lead_deputy_not_yet_signed(
    cast, django_capture_on_commit_callbacks
):
    """A merged group (并案): after 15 days each lead deputy who has not signed is reminded,
    not the head; once every one has signed, the head is."""
    with time_machine.travel(ASSIGNED, tick=False):
        main, _other = flows.merged_handled(cast)
    replied = ASSIGNED.date()
    sweep(django_capture_on_commit_callbacks, replied + datetime.timedelta(days=16))
    assert recipients(Reminder.Kind.SIGNOFF_WAITING) == {
        cast.deputy.user.username,
        cast.other_deputy.user.username,
    }
    Reminder.objects.all().delete()
    with time_machine.travel(at(replied + datetime.timedelta(days=17)), tick=False):
        flows.group_deputy_signs(cast, main, cast.other_deputy)
    sweep(django_capture_on_commit_callbacks, replied + datetime.timedelta(days=40))
    assert recipients(Reminder.Kind.SIGNOFF_WAITING) == {cast.deputy.user.username}
