"""The three-level sign-off of the handling record online: the lead deputy (every lead
deputy of a merged group, each once), the unit head, the leader. The paper path
(``paper``) checks the same order and writes the same records."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import permissions
from ..models import HandlingUnit, SignOff, Suggestion
from . import base

SIGNING_ORDER = [SignOff.Level.DEPUTY, SignOff.Level.UNIT_HEAD, SignOff.Level.LEADER]


def in_conflict(user, unit: HandlingUnit) -> bool:
    """A deputy who is a member, head or leader of the lead unit signs on paper only."""
    return bool(permissions.units.relations(user, unit) & {"member", "head", "leader"})


def _may_sign(by, suggestion: Suggestion, level: str, unit: HandlingUnit) -> bool:
    if level == SignOff.Level.DEPUTY:
        return permissions.is_lead_deputy(by, suggestion)
    if level == SignOff.Level.UNIT_HEAD:
        return permissions.is_unit_head(by, unit)
    return permissions.is_unit_leader(by, unit)


def order_errors(signed: set[str], level: str) -> list[ValidationError]:
    """Why ``level`` cannot be signed after the levels ``signed`` (this round), if it cannot."""
    if level in signed:
        return [
            ValidationError(
                _("This reply already has the %(level)s's sign-off.")
                % {"level": SignOff.Level(level).label},
                code="already_signed",
            )
        ]
    for earlier in SIGNING_ORDER[: SIGNING_ORDER.index(level)]:
        if earlier not in signed:
            return [
                ValidationError(
                    _("The %(level)s signs first.") % {"level": SignOff.Level(earlier).label},
                    code="out_of_order",
                )
            ]
    return []


def rating_errors(level: str, work_rating, result_rating) -> list[ValidationError]:
    ratings = SignOff.Rating.values
    if level == SignOff.Level.DEPUTY:
        if work_rating not in ratings or result_rating not in ratings:
            return [
                ValidationError(
                    _("Rate both the handling work and the result."), code="ratings_required"
                )
            ]
    elif work_rating or result_rating:
        return [ValidationError(_("Only the deputy gives ratings."), code="ratings_not_allowed")]
    return []


def _signoff_errors(
    suggestion: Suggestion, level: str, deputy_id, opinion: str, work_rating, result_rating
) -> list[ValidationError]:
    pairs = list(
        suggestion.signoffs.filter(round=suggestion.round).values_list("level", "deputy_id")
    )
    if level == SignOff.Level.DEPUTY:
        # Each lead deputy of a merged group signs once, whoever has signed before.
        signed = {level} if (level, deputy_id) in pairs else set()
    else:
        signed = suggestion.levels_signed(pairs)
    errors = order_errors(signed, level)
    if errors and errors[0].code == "already_signed":
        return errors
    errors += rating_errors(level, work_rating, result_rating)
    if errors:
        return errors
    if (
        level == SignOff.Level.DEPUTY
        and SignOff.Rating.DISSATISFIED in (work_rating, result_rating)
        and not (opinion or "").strip()
    ):
        return [
            ValidationError(_("Say why you are dissatisfied."), code="dissatisfied_reason_required")
        ]
    return []


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
    unit = reply.assignment.unit
    if (
        level == SignOff.Level.DEPUTY
        and permissions.is_lead_deputy(by, suggestion)
        and in_conflict(by, unit)
    ):
        raise PermissionDenied(
            _(
                "You work for %(unit)s, the unit that handled this suggestion: your signature "
                "as its deputy is given on the paper handling record, not online."
            )
            % {"unit": unit}
        )
    if not _may_sign(by, suggestion, level, unit):
        raise PermissionDenied(
            _("You may not sign as the %(level)s of this suggestion.")
            % {"level": SignOff.Level(level).label}
        )
    deputy = permissions.signing_deputy(by, suggestion) if level == SignOff.Level.DEPUTY else None
    base.raise_if(
        _signoff_errors(
            suggestion, level, getattr(deputy, "pk", None), opinion, work_rating, result_rating
        )
    )
    signoff = SignOff.objects.create(
        suggestion=suggestion,
        reply=reply,
        round=suggestion.round,
        level=level,
        signer=by,
        deputy=deputy,
        recorded_by=by,
        opinion=opinion or "",
        work_rating=work_rating or "",
        result_rating=result_rating or "",
    )
    if level == SignOff.Level.LEADER:
        base.guard(suggestion, "sign", by)
        base.fire(suggestion, "sign", by)
    base.announce_signoffs(suggestion, [signoff])
    return signoff
