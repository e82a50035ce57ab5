"""The three-level sign-off of the handling record: the lead deputy, the unit head, the leader."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import permissions
from ..models import HandlingUnit, SignOff, Suggestion
from . import base

SIGNING_ORDER = [SignOff.Level.DEPUTY, SignOff.Level.UNIT_HEAD, SignOff.Level.LEADER]


def _may_sign(by, suggestion: Suggestion, level: str, unit: HandlingUnit) -> bool:
    if level == SignOff.Level.DEPUTY:
        return permissions.is_lead_deputy(by, suggestion)
    if level == SignOff.Level.UNIT_HEAD:
        return permissions.is_unit_head(by, unit)
    return permissions.is_unit_leader(by, unit)


def _signoff_errors(
    suggestion: Suggestion, level: str, opinion: str, work_rating, result_rating
) -> list[ValidationError]:
    signed = set(suggestion.signoffs.filter(round=suggestion.round).values_list("level", flat=True))
    if level in signed:
        return [
            ValidationError(
                _("This reply already has the %(level)s's sign-off.")
                % {"level": SignOff.Level(level).label},
                code="already_signed",
            )
        ]
    errors = []
    for earlier in SIGNING_ORDER[: SIGNING_ORDER.index(level)]:
        if earlier not in signed:
            errors.append(
                ValidationError(
                    _("The %(level)s signs first.") % {"level": SignOff.Level(earlier).label},
                    code="out_of_order",
                )
            )
            break
    ratings = SignOff.Rating.values
    if level == SignOff.Level.DEPUTY:
        if work_rating not in ratings or result_rating not in ratings:
            errors.append(
                ValidationError(
                    _("Rate both the handling work and the result."), code="ratings_required"
                )
            )
        elif (
            SignOff.Rating.DISSATISFIED in (work_rating, result_rating)
            and not (opinion or "").strip()
        ):
            errors.append(
                ValidationError(
                    _("Say why you are dissatisfied."), code="dissatisfied_reason_required"
                )
            )
    elif work_rating or result_rating:
        errors.append(
            ValidationError(_("Only the deputy gives ratings."), code="ratings_not_allowed")
        )
    return errors


@transaction.atomic
def signoff_record(
    *,
    suggestion: Suggestion,
    by,
    level: str,
    opinion: str = "",
    work_rating: str | None = None,
    result_rating: str | None = None,
) -> SignOff:
    """Sign the handling record: the lead deputy, then the unit head, then the leader."""
    base.lock(suggestion)
    if level not in SignOff.Level.values:
        raise ValidationError(_("Unknown sign-off level."), code="bad_level")
    base.require_state(suggestion, Suggestion.State.HANDLED, action=_("sign off"))
    reply = suggestion.current_reply()
    if not _may_sign(by, suggestion, level, reply.assignment.unit):
        raise PermissionDenied(
            _("You may not sign as the %(level)s of this suggestion.")
            % {"level": SignOff.Level(level).label}
        )
    base.raise_if(_signoff_errors(suggestion, level, opinion, work_rating, result_rating))
    signoff = SignOff.objects.create(
        suggestion=suggestion,
        reply=reply,
        round=suggestion.round,
        level=level,
        signed_by=by,
        opinion=opinion or "",
        work_rating=work_rating or "",
        result_rating=result_rating or "",
    )
    if level == SignOff.Level.LEADER:
        base.guard(suggestion, "sign", by)
        base.fire(suggestion, "sign", by)
    return signoff
