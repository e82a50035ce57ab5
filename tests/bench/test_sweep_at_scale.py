"""The reminder rules' shortcuts for a large database still send every reminder once.

The revisit rule skips the signed suggestions of a first round that were reminded
already, and computes the others in batches; the sign-off rule compares the wait in
Python. These tests pin the cases the shortcuts must not lose.
"""

import datetime

import pytest

from suggestions import services
from suggestions.models import Communication, Reminder
from suggestions.notifications import reminders
from tests import flows

DAY = datetime.date(2026, 3, 10)


def sweep_on(capture, day: datetime.date) -> int:
    moment = datetime.datetime.combine(day, datetime.time(10), tzinfo=flows.BEIJING)
    with capture(execute=False):
        return services.send_due_reminders(now=moment)


def revisit_dates(suggestion) -> list[datetime.date]:
    return sorted(
        Reminder.objects.filter(kind=Reminder.Kind.REVISIT_DUE, suggestion=suggestion)
        .values_list("due_on", flat=True)
        .distinct()
    )


@pytest.mark.django_db
def test_revisit_reminded_again_for_the_new_date_after_a_redo(
    cast, django_capture_on_commit_callbacks
):
    """Signed again after a redo, a suggestion is reminded of its new revisit date, once."""
    with flows.on(DAY):
        suggestion = flows.signed(cast)
    first = suggestion.current_reply().commitments.get().due_on
    sweep_on(django_capture_on_commit_callbacks, first)
    assert revisit_dates(suggestion) == [first]
    with flows.on(first + datetime.timedelta(days=1)):
        services.suggestion_order_redo(suggestion=suggestion, by=cast.staff, reason="未落实。")
        services.communication_record(
            assignment=flows.lead(suggestion),
            by=cast.clerk,
            stage=Communication.Stage.BEFORE,
            method=Communication.Method.PHONE,
            happened_on=first + datetime.timedelta(days=1),
            notes="重新沟通。",
        )
        flows.reply(cast, suggestion)
        flows.sign_all(cast, suggestion)
    second = suggestion.current_reply().commitments.get().due_on
    assert sweep_on(django_capture_on_commit_callbacks, second - datetime.timedelta(days=1)) == 0
    assert sweep_on(django_capture_on_commit_callbacks, second) == 1
    assert revisit_dates(suggestion) == [first, second]
    assert sweep_on(django_capture_on_commit_callbacks, second) == 0


@pytest.mark.django_db
def test_revisit_rule_reads_candidates_in_batches(cast, monkeypatch):
    """More candidates than a batch holds are all found, each once."""
    monkeypatch.setattr(reminders, "REVISIT_BATCH", 2)
    with flows.on(DAY):
        signed = [flows.signed(cast, classification="A") for _ in range(5)]
    found = reminders.revisit_reminders(DAY + datetime.timedelta(days=1))
    assert sorted(due.suggestion_id for due in found) == sorted(s.pk for s in signed)
    assert all(due.due_on == DAY and due.recipient_ids == {cast.staff.pk} for due in found)


@pytest.mark.django_db
def test_signoff_rule_reminds_the_deputy_by_their_account(cast):
    """The deputy who has not signed is reached through their own account."""
    with flows.on(DAY):
        suggestion = flows.handled(cast)
    (due,) = reminders.signoff_reminders(DAY + datetime.timedelta(days=16))
    assert due.suggestion_id == suggestion.pk
    assert due.recipient_ids == {cast.deputy.user_id}
    assert due.due_on == DAY
