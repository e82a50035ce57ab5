"""Key suggestions (重点督办): the designation and the inspection visits."""

import os
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import documents, permissions
from ..models import Inspection, InspectionFile, KeySuggestion, Suggestion
from . import base

# Only an accepted suggestion (立案) still in the loop is chosen: not one still waiting for
# its review, nor one ended (not accepted, withdrawn) or merged into another (the main one
# is chosen instead).
NOT_KEY = (
    Suggestion.State.PROPOSED,
    Suggestion.State.WITHDRAWN,
    Suggestion.State.NOT_ACCEPTED,
    Suggestion.State.MERGED,
)
COMMITTEE_MAX = KeySuggestion._meta.get_field("committee").max_length


@transaction.atomic
def key_suggestion_designate(
    *,
    suggestion: Suggestion,
    by,
    year: int,
    leader,
    committee: str = "",
    deputies: Iterable = (),
) -> KeySuggestion:
    """Choose ``suggestion`` for key supervision in ``year``, led by ``leader``."""
    base.require_staff(by)
    base.lock(suggestion)
    errors = []
    if suggestion.state in NOT_KEY:
        errors.append(
            ValidationError(
                _("A suggestion that is “%(state)s” cannot be a key suggestion.")
                % {"state": suggestion.get_state_display()},
                code="not_designable",
            )
        )
    if KeySuggestion.objects.filter(suggestion=suggestion).exists():
        errors.append(
            ValidationError(
                _("%(suggestion)s is already a key suggestion.") % {"suggestion": suggestion},
                code="already_key",
            )
        )
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = 0
    if not 2000 <= year <= base.today().year + 1:
        errors.append(ValidationError(_("Give the year of the supervision."), code="bad_year"))
    if leader is None or not permissions.is_government_leader(leader):
        errors.append(
            ValidationError(
                _("The leading leader must be a government leader."), code="leader_required"
            )
        )
    committee = (committee or "").strip()
    if len(committee) > COMMITTEE_MAX:
        errors.append(
            ValidationError(
                _("Name the committee in at most %(max)s characters.") % {"max": COMMITTEE_MAX},
                code="committee_too_long",
            )
        )
    base.raise_if(errors)
    key = KeySuggestion.objects.create(
        suggestion=suggestion,
        year=year,
        leader=leader,
        committee=committee,
        designated_by=by,
    )
    key.invited_deputies.set(set(deputies))
    return key


def may_record_inspection(user, key: KeySuggestion) -> bool:
    """The committee office, or the leader who leads the key suggestion (while active)."""
    return permissions.is_committee_staff(user) or (
        user.is_authenticated and user.is_active and user.pk == key.leader_id
    )


@transaction.atomic
def inspection_record(
    *,
    key_suggestion: KeySuggestion,
    by,
    happened_on,
    participants: str,
    findings: str,
    next_steps: str = "",
    kind: str = Inspection.Kind.VISIT,
    deputies: Iterable = (),
    files: Iterable = (),
) -> Inspection:
    """Record an inspection visit on a key suggestion: who went, what was found and agreed."""
    if not may_record_inspection(by, key_suggestion):
        raise PermissionDenied(_("Only the committee office or the leading leader may do this."))
    base.lock(key_suggestion.suggestion)
    errors = []
    try:
        happened_on = base.parse_date(
            happened_on, "date_required", _("Give the date of the visit.")
        )
        if happened_on > base.today():
            errors.append(
                ValidationError(_("The visit is dated in the future."), code="date_future")
            )
    except ValidationError as error:
        errors.append(error)
        happened_on = None
    if kind not in Inspection.Kind.values:
        errors.append(ValidationError(_("Unknown kind of visit."), code="bad_kind"))
    errors += base.require_text(participants, "participants_required", _("Say who took part."))
    errors += base.require_text(findings, "findings_required", _("Say what was found."))
    deputies = list(set(deputies))
    invited = set(key_suggestion.invited_deputies.values_list("pk", flat=True))
    if any(d.pk not in invited for d in deputies):
        errors.append(
            ValidationError(
                _("Only the deputies invited to follow this key suggestion can be listed."),
                code="deputy_not_invited",
            )
        )
    files = [f for f in files if f]
    for upload in files:
        try:
            documents.validate_scan(upload)
        except ValidationError as error:
            errors.append(error)
    base.raise_if(errors)
    inspection = Inspection.objects.create(
        key_suggestion=key_suggestion,
        kind=kind,
        happened_on=happened_on,
        participants=participants.strip(),
        findings=findings.strip(),
        next_steps=(next_steps or "").strip(),
        recorded_by=by,
    )
    inspection.deputies.set(deputies)
    for upload in files:
        name = os.path.basename(upload.name or "")[:200]
        InspectionFile.objects.create(inspection=inspection, file=upload, name=name)
    return inspection
