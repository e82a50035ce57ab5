"""Receivers (connected in ``apps.ready``): in-app notifications for the suggestion's
transitions, the next signer's turn, and the hand-over of new reminders to the worker.

The signals are sent after the transaction committed, with ids only: each receiver reads
the current state afresh. A sign-off is not a transition (only the third makes ``sign``):
its own signal, ``signoffs_recorded``, tells the next signer.
"""

from django.conf import settings
from django.db.models import Q
from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import gettext as _

from deputies.models import Deputy

from ..models import Assignment, PaperSubmission, Reminder, Suggestion
from ..selectors import unit_member_ids
from ..signals import (
    paper_submitted,
    paper_verified,
    signoffs_recorded,
    suggestion_transitioned,
)
from . import services, tasks
from .reminders import staff_ids
from .signals import reminders_created


@receiver(reminders_created, sender=Reminder, dispatch_uid="deliver_new_reminders")
def deliver_new_reminders(sender, reminder_ids, **kwargs):
    """Give each reminder the sweep created to the worker (in-process without Redis)."""
    for pk in reminder_ids:
        tasks.deliver_reminder.delay(pk)


@receiver(signoffs_recorded, dispatch_uid="tell_the_next_signer")
def tell_the_next_signer(sender, suggestion_id, signoff_ids, **kwargs):
    """Signatures were recorded (online, or from a verified paper record) and committed:
    tell whoever signs next (a refusal or a rollback sends nothing, so tells nobody)."""
    services.signoff_turn_remind(suggestion_id=suggestion_id, signoff_ids=signoff_ids)


@receiver(suggestion_transitioned, dispatch_uid="notify_new_assignments")
def notify_new_assignments(sender, suggestion_id, transition, by_id, **kwargs):
    """Tell every member of a unit newly given the suggestion (at assignment or reassignment)."""
    if transition not in ("assign", "reassign"):
        return
    fresh = (
        Assignment.objects.filter(suggestion_id=suggestion_id, closed_on__isnull=True)
        .exclude(notifications__kind="assigned")
        .select_related("suggestion", "unit")
    )
    fresh = list(fresh)
    members = unit_member_ids(a.unit_id for a in fresh)
    with translation.override(settings.LANGUAGE_CODE):
        for assignment in fresh:
            services.notify(
                recipients=members.get(assignment.unit_id, ()),
                kind="assigned",
                text=_("New assignment (%(role)s), due %(due)s: %(suggestion)s")
                % {
                    "role": assignment.get_role_display(),
                    "due": assignment.due_on,
                    "suggestion": assignment.suggestion,
                },
                suggestion=assignment.suggestion,
                assignment=assignment,
            )


@receiver(suggestion_transitioned, dispatch_uid="notify_redo_ordered")
def notify_redo_ordered(sender, suggestion_id, transition, by_id, **kwargs):
    """Tell the lead unit's members that a redo was ordered, with its new deadline."""
    if transition != "order_redo":
        return
    suggestion = Suggestion.objects.get(pk=suggestion_id)
    lead = suggestion.lead_assignment()
    if lead is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        services.notify(
            recipients=unit_member_ids([lead.unit_id]).get(lead.unit_id, ()),
            kind="redo",
            text=_("Redo ordered, due %(due)s: %(suggestion)s")
            % {"due": lead.due_on, "suggestion": suggestion},
            suggestion=suggestion,
            assignment=lead,
        )


@receiver(suggestion_transitioned, dispatch_uid="notify_deputies_of_reply")
def notify_deputies_of_reply(sender, suggestion_id, transition, by_id, **kwargs):
    """Tell the suggestion's deputies a reply arrived, and each lead deputy that they sign
    next: of a merged group (并案), the deputies of every suggestion merged into it too."""
    if transition != "reply":
        return
    suggestion = Suggestion.objects.select_related("lead_deputy").get(pk=suggestion_id)
    group = Suggestion.objects.filter(
        Q(pk=suggestion.pk) | Q(merged_into=suggestion, state=Suggestion.State.MERGED)
    )
    lead_users = list(
        Deputy.objects.filter(pk__in=suggestion.group_lead_deputy_ids(), user__isnull=False)
        .order_by()
        .values_list("user_id", flat=True)
    )
    co_users = list(
        Deputy.objects.filter(co_signed_suggestions__in=group, user__isnull=False)
        .order_by()
        .values_list("user_id", flat=True)
    )
    with translation.override(settings.LANGUAGE_CODE):
        services.notify(
            recipients=[*lead_users, *co_users],
            kind="reply_arrived",
            text=_("A reply has arrived: %(suggestion)s") % {"suggestion": suggestion},
            suggestion=suggestion,
        )
        if lead_users:
            services.notify(
                recipients=lead_users,
                kind="signoff_waiting",
                text=_("Your sign-off is waiting: %(suggestion)s") % {"suggestion": suggestion},
                suggestion=suggestion,
            )


@receiver(paper_submitted, dispatch_uid="notify_office_of_paper")
def notify_office_of_paper(sender, submission_id, **kwargs):
    """Tell the committee office a signed paper record waits for its check."""
    submission = PaperSubmission.objects.select_related(
        "assignment__suggestion", "assignment__unit"
    ).get(pk=submission_id)
    suggestion = submission.assignment.suggestion
    with translation.override(settings.LANGUAGE_CODE):
        services.notify(
            recipients=staff_ids(),
            kind="paper_submitted",
            text=_("%(unit)s uploaded the signed handling record: %(suggestion)s")
            % {"unit": submission.assignment.unit, "suggestion": suggestion},
            suggestion=suggestion,
            assignment=submission.assignment,
        )


@receiver(paper_verified, dispatch_uid="notify_unit_of_paper_check")
def notify_unit_of_paper_check(sender, submission_id, **kwargs):
    """Tell the lead unit the office accepted its paper record, or why it refused it."""
    submission = PaperSubmission.objects.select_related("assignment__suggestion").get(
        pk=submission_id
    )
    assignment = submission.assignment
    accepted = submission.decision == PaperSubmission.Decision.ACCEPTED
    with translation.override(settings.LANGUAGE_CODE):
        text = (
            _("The signed handling record was accepted: %(suggestion)s")
            if accepted
            else _("The signed handling record was refused (%(reason)s): %(suggestion)s")
        ) % {"suggestion": assignment.suggestion, "reason": submission.reason}
        services.notify(
            recipients=unit_member_ids([assignment.unit_id]).get(assignment.unit_id, ()),
            kind="paper_accepted" if accepted else "paper_refused",
            text=text,
            suggestion=assignment.suggestion,
            assignment=assignment,
        )
