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

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import documents
from ..models import Assignment, PaperSubmission, SignOff, Suggestion, UnitMembership
from ..signals import paper_submitted, paper_verified
from . import base
from .signoff import SIGNING_ORDER, order_errors, rating_errors


def _level_label(level: str) -> str:
    return str(SignOff.Level(level).label)


def _signed_levels(suggestion: Suggestion) -> dict[str, datetime.date]:
    return dict(
        suggestion.signoffs.filter(round=suggestion.round).values_list("level", "signed_on")
    )


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


def _normalise(
    assignment: Assignment, signatures: Mapping, online: dict[str, datetime.date]
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
    signed = set(online)
    previous = max(online.values(), default=replied_on)
    for level in SIGNING_ORDER:
        if level not in signatures:
            continue
        given = signatures[level] or {}
        label = _level_label(level)
        errors += order_errors(signed, level)
        signed.add(level)
        try:
            on = base.parse_date(
                given.get("signed_on"),
                "signed_on_required",
                _("Give the date of the %(level)s's signature.") % {"level": label},
            )
        except ValidationError as error:
            errors.append(error)
            continue
        if on > today:
            errors.append(
                ValidationError(
                    _("The %(level)s's signature is dated in the future.") % {"level": label},
                    code="signed_on_future",
                )
            )
        elif on < previous:
            errors.append(
                ValidationError(
                    _(
                        "The %(level)s's signature is dated before %(date)s, the reply or the "
                        "signature before it."
                    )
                    % {"level": label, "date": previous},
                    code="signed_on_out_of_order",
                )
            )
        previous = max(previous, on)
        entry = {"signed_on": on.isoformat()}
        work, result = given.get("work_rating"), given.get("result_rating")
        errors += rating_errors(level, work, result)
        if level == SignOff.Level.DEPUTY:
            entry.update(
                work_rating=work or "",
                result_rating=result or "",
                opinion=str(given.get("opinion") or "").strip(),
                deputy=suggestion.lead_deputy_id,
            )
        elif level == SignOff.Level.UNIT_HEAD:
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
    stored, signature_errors = _normalise(assignment, signatures, _signed_levels(suggestion))
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
    online = _signed_levels(suggestion)
    stored = {
        level: {**entry, "signed_on": datetime.date.fromisoformat(entry["signed_on"])}
        for level, entry in submission.signatures.items()
    }
    _stored, errors = _normalise(submission.assignment, stored, online)
    base.raise_if(errors)
    reply = suggestion.current_reply()
    deputy_user = suggestion.lead_deputy.user_id
    users = get_user_model().objects.in_bulk(
        [e["signer"] for e in submission.signatures.values() if e.get("signer")]
    )
    created = []
    for level in submission.levels:
        entry = submission.signatures[level]
        is_deputy = level == SignOff.Level.DEPUTY
        created.append(
            SignOff.objects.create(
                suggestion=suggestion,
                reply=reply,
                round=suggestion.round,
                level=level,
                signer_id=deputy_user if is_deputy else users[entry["signer"]].pk,
                deputy_id=entry.get("deputy") if is_deputy else None,
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


def _announce_verified(submission: PaperSubmission) -> None:
    submission_id = submission.pk
    transaction.on_commit(
        lambda: paper_verified.send(sender=PaperSubmission, submission_id=submission_id)
    )
