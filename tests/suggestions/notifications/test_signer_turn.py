"""The next signer hears at once: the head when the deputy signs, the leader when the head
signs; in-app and by e-mail, after the signature has committed."""

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from suggestions import services
from suggestions.models import Notification, Reminder, SignOff, Suggestion
from suggestions.notifications import services as notifications
from tests import factories, flows


def told(user, suggestion):
    """The in-app notices of the signer's turn that ``user`` received for ``suggestion``."""
    return Notification.objects.filter(
        recipient=user, suggestion=suggestion, kind=f"reminder_{Reminder.Kind.SIGNOFF_WAITING}"
    )


def mails_to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


def test_deputy_signature_tells_the_lead_units_heads(cast, django_capture_on_commit_callbacks):
    """Once the deputy has signed, every head of the lead unit is told in-app and by e-mail,
    the clerk and the leader are not."""
    second_head = factories.MembershipFactory(unit=cast.lead_unit, is_head=True).user
    suggestion = flows.handled(cast)
    with django_capture_on_commit_callbacks(execute=True):
        flows.deputy_signs(cast, suggestion)
    for head in (cast.head, second_head):
        note = told(head, suggestion).get()
        assert suggestion.title in note.text
        assert note.assignment == flows.lead(suggestion)  # leads to the task page
        (sent,) = mails_to(head)
        assert suggestion.title in sent.subject
        assert (
            _("It is your turn to sign the handling record: the signature before yours is given.")
            in sent.body
        )
    for nobody in (cast.clerk, cast.leader, cast.co_clerk):
        assert not told(nobody, suggestion).exists()
        assert mails_to(nobody) == []


def test_head_signature_tells_the_supervising_leader(cast, django_capture_on_commit_callbacks):
    """Once the head has signed, the lead unit's leader is told; nobody else is told again."""
    suggestion = flows.handled(cast)
    with django_capture_on_commit_callbacks(execute=True):
        flows.deputy_signs(cast, suggestion)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.signoff_record(suggestion=suggestion, by=cast.head, level="unit_head")
    assert told(cast.leader, suggestion).count() == 1
    (sent,) = mail.outbox
    assert sent.to == [cast.leader.email]
    assert told(cast.head, suggestion).count() == 1  # only the deputy's turn notice


def test_leader_signature_tells_nobody(cast, django_capture_on_commit_callbacks):
    """The third signature completes the record: nobody signs after it."""
    suggestion = flows.handled(cast)
    flows.sign_before_leader(cast, suggestion)
    with django_capture_on_commit_callbacks(execute=True):
        services.signoff_record(suggestion=suggestion, by=cast.leader, level="leader")
    assert Suggestion.objects.get(pk=suggestion.pk).state == Suggestion.State.SIGNED
    assert not Reminder.objects.filter(kind=Reminder.Kind.SIGNOFF_WAITING).exists()
    assert mail.outbox == []


def test_nothing_is_sent_from_inside_the_signing_transaction(
    cast, django_capture_on_commit_callbacks
):
    """The notice waits for the commit: inside the transaction nothing is recorded or sent,
    and a signature rolled back tells nobody."""
    suggestion = flows.handled(cast)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        flows.deputy_signs(cast, suggestion)
    assert len(callbacks) >= 1
    assert not Reminder.objects.filter(kind=Reminder.Kind.SIGNOFF_WAITING).exists()
    assert mail.outbox == []

    other = flows.handled(cast, title="另一件建议")
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            flows.deputy_signs(cast, other)
            raise RuntimeError("rolled back")
    assert not told(cast.head, other).exists()
    assert mail.outbox == []


def test_the_notice_is_sent_once_however_often_it_runs(cast, django_capture_on_commit_callbacks):
    """Running the turn's notice again sends nothing twice: the reminder row is keyed."""
    suggestion = flows.handled(cast)
    with django_capture_on_commit_callbacks(execute=True):
        flows.deputy_signs(cast, suggestion)
    with django_capture_on_commit_callbacks(execute=True):
        again = notifications.signoff_turn_remind(
            suggestion_id=suggestion.pk,
            signoff_ids=[suggestion.signoffs.get(level=SignOff.Level.DEPUTY).pk],
        )
    assert again == 0
    assert told(cast.head, suggestion).count() == 1
    assert len(mails_to(cast.head)) == 1


def test_an_inactive_leader_is_not_told(cast, django_capture_on_commit_callbacks):
    """A deactivated account gets nothing."""
    cast.leader.is_active = False
    cast.leader.save()
    suggestion = flows.handled(cast)
    flows.deputy_signs(cast, suggestion)
    with django_capture_on_commit_callbacks(execute=True):
        services.signoff_record(suggestion=suggestion, by=cast.head, level="unit_head")
    assert not told(cast.leader, suggestion).exists()


def test_the_head_reads_the_notice_and_reaches_the_sign_form(
    client, cast, django_capture_on_commit_callbacks
):
    """The head's notice links to the task page, where the sign form heads the actions."""
    suggestion = flows.handled(cast)
    with django_capture_on_commit_callbacks(execute=True):
        flows.deputy_signs(cast, suggestion)
    client.force_login(cast.head)
    listing = client.get(reverse("tasks:notifications")).content.decode()
    link = reverse("tasks:detail", args=[flows.lead(suggestion).pk])
    assert f'<a href="{link}">' in listing
    page = client.get(link).content.decode()
    assert 'id="action-signoff_head"' in page


def test_a_verified_paper_record_tells_only_the_signer_after_its_last_signature(
    cast, django_capture_on_commit_callbacks
):
    """A paper record carrying the deputy's and the head's signatures, once verified, tells
    the leader (it is their turn), not the head who signed on the paper."""
    suggestion = flows.handled(cast)
    deputy = suggestion.lead_deputy
    deputy.user = None
    deputy.save()
    today = timezone.localdate()
    signatures = {
        "deputy": {"signed_on": today, "work_rating": "satisfied", "result_rating": "satisfied"},
        "unit_head": {"signed_on": today},
    }
    submission = services.signoff_paper_submit(
        assignment=flows.lead(suggestion),
        by=cast.clerk,
        scan=ContentFile(b"%PDF-1.7\n% signed record\n%%EOF\n", name="record.pdf"),
        signatures=signatures,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.signoff_paper_verify(submission=submission, by=cast.staff, accept=True)
    assert told(cast.leader, suggestion).count() == 1
    assert not told(cast.head, suggestion).exists()
    assert [m.to for m in mail.outbox if suggestion.title in m.subject] == [[cast.leader.email]]
