"""The signed paper handling record (纪实表): the lead unit uploads the scan with what the
paper says, the committee office verifies it, and the sign-offs are written from it.

The paper may carry any levels not yet signed online, as long as, with the online ones,
they keep the order deputy → unit head → leader; its dates are in that order too, not
before the reply and not in the future. On acceptance each sign-off names its signer
(the deputy, the unit's head, its leader), ``recorded_by`` the clerk who uploaded it,
``verified_by`` the office's verifier, and the scan; the third signature signs the record.
"""

import datetime
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.models import Deputy

from .. import documents
from ..models import Assignment, PaperSubmission, SignOff, Suggestion, UnitMembership
from ..signals import paper_submitted, paper_verified
from . import base
from .signoff import SIGNING_ORDER, order_errors, rating_errors


def _level_label(level: str) -> str:
    return str(SignOff.Level(level).label)


class Online:
    """What was signed online in the current round: the levels complete, the deputies who
    signed, and each level's latest date."""

    def __init__(self, suggestion: Suggestion):
        rows = list(
            suggestion.signoffs.filter(round=suggestion.round).values_list(
                "level", "deputy_id", "signed_on"
            )
        )
        self.group = suggestion.group_lead_deputy_ids()
        self.levels = suggestion.levels_signed([(level, deputy) for level, deputy, _on in rows])
        self.deputies = {deputy for level, deputy, _on in rows if level == SignOff.Level.DEPUTY}
        self.dates = [on for _level, _deputy, on in rows]


def _deputy_entries(given) -> list:
    """The paper's deputy signatures: one (a mapping) or, in a merged group, several."""
    if isinstance(given, Mapping):
        return [given]
    if isinstance(given, list | tuple):
        return [entry if isinstance(entry, Mapping) else {} for entry in given]
    return [{}]


def _deputy_errors(online: Online, given, seen: set) -> tuple[int | None, list[ValidationError]]:
    """The deputy a paper signature is of: the one named, or the only lead deputy."""
    deputy = given.get("deputy")
    deputy = getattr(deputy, "pk", deputy)
    if deputy in (None, ""):
        if len(online.group) > 1:
            return None, [
                ValidationError(
                    _("Several deputies sign for this merged suggestion: say which one signed."),
                    code="deputy_required",
                )
            ]
        deputy = online.group[0]
    try:
        deputy = int(deputy)
    except (TypeError, ValueError):
        deputy = None
    if deputy not in online.group:
        return None, [
            ValidationError(
                _("The signing deputy is not a lead deputy of this suggestion."),
                code="deputy_not_in_group",
            )
        ]
    if deputy in online.deputies or deputy in seen:
        return None, [
            ValidationError(_("This deputy has already signed this reply."), code="already_signed")
        ]
    return deputy, []


def _head_errors(assignment: Assignment, given) -> tuple[int | None, list[ValidationError]]:
    """The unit head who signed: the one named, or the unit's only head."""
    heads = set(
        UnitMembership.objects.filter(unit=assignment.unit, is_head=True).values_list(
            "user_id", flat=True
        )
    )
    signer = getattr(given, "pk", given)
    if signer in (None, ""):
        if len(heads) == 1:
            return next(iter(heads)), []
        message = (
            _("%(unit)s has no head on record: the office adds one first.")
            if not heads
            else _("%(unit)s has several heads: say which one signed.")
        )
        return None, [
            ValidationError(message % {"unit": assignment.unit}, code="head_signer_required")
        ]
    try:
        signer = int(signer)
    except (TypeError, ValueError):
        signer = None
    if signer not in heads:
        return None, [
            ValidationError(
                _("The signing head is not a head of %(unit)s.") % {"unit": assignment.unit},
                code="head_signer_unknown",
            )
        ]
    return signer, []


def _signed_on(given, label: str, previous, today) -> tuple[datetime.date | None, list]:
    try:
        on = base.parse_date(
            given.get("signed_on"),
            "signed_on_required",
            _("Give the date of the %(level)s's signature.") % {"level": label},
        )
    except ValidationError as error:
        return None, [error]
    if on > today:
        return on, [
            ValidationError(
                _("The %(level)s's signature is dated in the future.") % {"level": label},
                code="signed_on_future",
            )
        ]
    if on < previous:
        return on, [
            ValidationError(
                _(
                    "The %(level)s's signature is dated before %(date)s, the reply or the "
                    "signature before it."
                )
                % {"level": label, "date": previous},
                code="signed_on_out_of_order",
            )
        ]
    return on, []


def _paper_deputies(online: Online, given, previous, today) -> tuple[list, list, datetime.date]:
    """The paper's deputy signatures as stored, their errors, and the latest date."""
    label = _level_label(SignOff.Level.DEPUTY)
    entries, errors, seen, latest = [], [], set(), previous
    for entry_given in _deputy_entries(given):
        deputy, deputy_errors = _deputy_errors(online, entry_given, seen)
        errors += deputy_errors
        if deputy is not None:
            seen.add(deputy)
        on, date_errors = _signed_on(entry_given, label, previous, today)
        errors += date_errors
        work, result = entry_given.get("work_rating"), entry_given.get("result_rating")
        errors += rating_errors(SignOff.Level.DEPUTY, work, result)
        if on is not None:
            latest = max(latest, on)
        entries.append(
            {
                "signed_on": on.isoformat() if on else "",
                "work_rating": work or "",
                "result_rating": result or "",
                "opinion": str(entry_given.get("opinion") or "").strip(),
                "deputy": deputy,
            }
        )
    return entries, errors, latest


def _normalise(
    assignment: Assignment, signatures: Mapping, online: Online
) -> tuple[dict, list[ValidationError]]:
    """The paper's signatures as stored (ISO dates, user ids), and every error found."""
    suggestion = assignment.suggestion
    if not isinstance(signatures, Mapping) or not signatures:
        return {}, [
            ValidationError(_("Say which signatures the paper carries."), code="no_signatures")
        ]
    unknown = set(signatures) - set(SIGNING_ORDER)
    if unknown:
        return {}, [ValidationError(_("Unknown sign-off level."), code="bad_level")]
    reply = suggestion.current_reply()
    replied_on = timezone.localdate(reply.submitted_at)
    today = base.today()
    stored, errors = {}, []
    signed = set(online.levels)
    previous = max(online.dates, default=replied_on)
    for level in SIGNING_ORDER:
        if level not in signatures:
            continue
        given = signatures[level] or {}
        label = _level_label(level)
        if level == SignOff.Level.DEPUTY:
            if level in signed:
                errors += order_errors(signed, level)
                continue
            entries, deputy_errors, previous = _paper_deputies(online, given, previous, today)
            errors += deputy_errors
            if online.deputies.union(e["deputy"] for e in entries).issuperset(online.group):
                signed.add(level)
            stored[level] = entries[0] if len(entries) == 1 else entries
            continue
        errors += order_errors(signed, level)
        signed.add(level)
        on, date_errors = _signed_on(given, label, previous, today)
        errors += date_errors
        if on is None:
            continue
        previous = max(previous, on)
        entry = {"signed_on": on.isoformat()}
        errors += rating_errors(level, given.get("work_rating"), given.get("result_rating"))
        if level == SignOff.Level.UNIT_HEAD:
            entry["signer"], head_errors = _head_errors(assignment, given.get("signer"))
            errors += head_errors
        else:
            leader_id = assignment.unit.leader_id
            if leader_id is None:
                errors.append(
                    ValidationError(
                        _("%(unit)s has no supervising leader on record.")
                        % {"unit": assignment.unit},
                        code="no_leader",
                    )
                )
            entry["signer"] = leader_id
        stored[level] = entry
    return stored, errors


@transaction.atomic
def signoff_paper_submit(
    *, assignment: Assignment, by, scan, signatures: Mapping
) -> PaperSubmission:
    """The lead unit uploads the signed handling record for the office to verify."""
    assignment = base.lock_assignment(assignment)
    suggestion = assignment.suggestion
    base.require_member(by, assignment)
    base.require_open(assignment)
    if assignment.role != Assignment.Role.LEAD:
        raise PermissionDenied(_("Only the lead unit submits the handling record."))
    base.require_state(suggestion, Suggestion.State.HANDLED, action=_("submit the paper record of"))
    if PaperSubmission.objects.filter(
        assignment=assignment, decision=PaperSubmission.Decision.PENDING
    ).exists():
        raise ValidationError(
            _("A paper record of this suggestion is already waiting for the office's check."),
            code="paper_pending",
        )
    errors = []
    if not scan:
        errors.append(
            ValidationError(_("Attach the scan of the signed record."), code="scan_required")
        )
    else:
        try:
            documents.validate_scan(scan)
        except ValidationError as error:
            errors.append(error)
    stored, signature_errors = _normalise(assignment, signatures, Online(suggestion))
    base.raise_if(errors + signature_errors)
    try:
        with transaction.atomic():
            submission = PaperSubmission.objects.create(
                assignment=assignment,
                round=suggestion.round,
                scan=scan,
                signatures=stored,
                submitted_by=by,
            )
    except IntegrityError:
        raise ValidationError(
            _("A paper record of this suggestion is already waiting for the office's check."),
            code="paper_pending",
        ) from None
    submission_id = submission.pk
    transaction.on_commit(
        lambda: paper_submitted.send(sender=PaperSubmission, submission_id=submission_id)
    )
    return submission


def _lock_submission(submission: PaperSubmission) -> tuple[PaperSubmission, Suggestion]:
    suggestion = base.lock(submission.assignment.suggestion)
    submission = PaperSubmission.objects.select_related("assignment__unit").get(pk=submission.pk)
    return submission, suggestion


@transaction.atomic
def signoff_paper_verify(
    *, submission: PaperSubmission, by, accept: bool, reason: str = ""
) -> list[SignOff]:
    """The office accepts the paper record (its sign-offs are written) or refuses it."""
    base.require_staff(by)
    submission, suggestion = _lock_submission(submission)
    if submission.decision != PaperSubmission.Decision.PENDING:
        raise ValidationError(
            _("This paper record was already %(decision)s.")
            % {"decision": submission.get_decision_display()},
            code="paper_decided",
        )
    submission.decided_by, submission.decided_at = by, timezone.now()
    if not accept:
        base.require_reason(reason)
        submission.decision, submission.reason = PaperSubmission.Decision.REFUSED, reason
        submission.save(update_fields=["decision", "reason", "decided_by", "decided_at"])
        _announce_verified(submission)
        return []
    base.require_state(suggestion, Suggestion.State.HANDLED, action=_("verify the paper record of"))
    if submission.round != suggestion.round:
        raise ValidationError(
            _("The paper record is of an earlier handling round: a redo was ordered since."),
            code="paper_stale",
        )
    # Signatures given online since the upload must not be written twice.
    _stored, errors = _normalise(submission.assignment, submission.signatures, Online(suggestion))
    base.raise_if(errors)
    reply = suggestion.current_reply()
    deputy_users = dict(
        Deputy.objects.filter(pk__in=_paper_deputy_ids(submission)).values_list("pk", "user_id")
    )
    created = []
    for level in submission.levels:
        given = submission.signatures[level]
        is_deputy = level == SignOff.Level.DEPUTY
        for entry in _deputy_entries(given) if is_deputy else [given]:
            created.append(
                SignOff.objects.create(
                    suggestion=suggestion,
                    reply=reply,
                    round=suggestion.round,
                    level=level,
                    signer_id=deputy_users.get(entry["deputy"]) if is_deputy else entry["signer"],
                    deputy_id=entry["deputy"] if is_deputy else None,
                    signed_on=datetime.date.fromisoformat(entry["signed_on"]),
                    opinion=entry.get("opinion", ""),
                    work_rating=entry.get("work_rating", ""),
                    result_rating=entry.get("result_rating", ""),
                    recorded_by_id=submission.submitted_by_id,
                    verified_by=by,
                    paper=submission,
                    scan=submission.scan.name,
                )
            )
    submission.decision = PaperSubmission.Decision.ACCEPTED
    submission.save(update_fields=["decision", "decided_by", "decided_at"])
    if SignOff.Level.LEADER in submission.signatures:
        base.fire(suggestion, "sign", by, _("Verified from the signed paper record"))
    base.announce_signoffs(suggestion, created)
    _announce_verified(submission)
    return created


def _paper_deputy_ids(submission: PaperSubmission) -> list[int]:
    """The deputies whose signatures the paper carries (not the online ones)."""
    given = submission.signatures.get(SignOff.Level.DEPUTY)
    if given is None:
        return []
    return [entry.get("deputy") for entry in _deputy_entries(given)]


def _announce_verified(submission: PaperSubmission) -> None:
    submission_id = submission.pk
    transaction.on_commit(
        lambda: paper_verified.send(sender=PaperSubmission, submission_id=submission_id)
    )
