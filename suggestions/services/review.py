"""Entering and reviewing suggestions: create, approve (numbering it), return, reject, withdraw."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from deputies.models import Deputy
from deputies.selectors import deputy_of

from .. import deadlines, duty
from ..models import NumberSequence, Suggestion
from . import base


def _lock_numbers(term: int, session: int) -> NumberSequence:
    """Lock a session's numbering, so creates and approvals that number it queue up."""
    sequence, _created = NumberSequence.objects.select_for_update().get_or_create(
        term=term, session=session
    )
    return sequence


def _next_number(term: int, session: int) -> str:
    sequence = _lock_numbers(term, session)
    taken = set(
        Suggestion.objects.filter(term=term, session=session)
        .exclude(number="")
        .values_list("number", flat=True)
    )
    number = sequence.last + 1
    while str(number) in taken:  # numbers typed in or imported by hand
        number += 1
    sequence.last = number
    sequence.save(update_fields=["last"])
    return str(number)


@transaction.atomic
def suggestion_create(
    *,
    by,
    title: str,
    content: str,
    lead_deputy: Deputy,
    co_deputies: Iterable[Deputy] = (),
    category: str = "",
    raised_on: datetime.date | None = None,
    number: str = "",
    term: int | None = None,
    session: int | None = None,
    delegation: str = "",
) -> Suggestion:
    """Enter a deputy's suggestion as proposed: by the office, or by the lead deputy
    themselves (a suggestion made of an opinion forwarded to them at a station)."""
    own = lead_deputy is not None and by.is_active and deputy_of(by) == lead_deputy
    if not own:
        base.require_staff(by)
    term = term or deadlines.rule("CURRENT_TERM")
    session = session or deadlines.rule("CURRENT_SESSION")
    co_deputies = list(co_deputies)
    errors = base.require_text(title, "title_required", _("A title is required."))
    errors += base.require_text(content, "content_required", _("The content is required."))
    if lead_deputy in co_deputies:
        errors.append(
            ValidationError(
                _("The lead deputy cannot also be a co-signer."), code="lead_is_co_signer"
            )
        )
    number = (number or "").strip()
    if number:
        _lock_numbers(term, session)
    if number and Suggestion.objects.filter(term=term, session=session, number=number).exists():
        errors.append(
            ValidationError(
                _("Number %(number)s is already used in term %(term)s, session %(session)s.")
                % {"number": number, "term": term, "session": session},
                code="duplicate_number",
            )
        )
    base.raise_if(errors)
    suggestion = Suggestion.objects.create(
        term=term,
        session=session,
        number=number,
        title=title.strip(),
        content=content,
        category=category,
        delegation=delegation or lead_deputy.delegation,
        lead_deputy=lead_deputy,
        raised_on=raised_on or base.today(),
        created_by=by,
    )
    # One by one: the ledger lists co-signers in the order they were entered, and a
    # single add() inserts them in the order of a set.
    for deputy in co_deputies:
        suggestion.co_deputies.add(deputy)
    return suggestion


@transaction.atomic
def suggestion_approve(*, suggestion: Suggestion, by, note: str = "") -> Suggestion:
    """Record that the political, legal and policy checks passed, and number the suggestion."""
    base.lock(suggestion)
    base.guard(suggestion, "approve", by)
    if not suggestion.number:
        suggestion.number = _next_number(suggestion.term, suggestion.session)
    base.fire(suggestion, "approve", by, note)
    duty.accepted(suggestion, by=by)
    return suggestion


@transaction.atomic
def suggestion_return_for_revision(*, suggestion: Suggestion, by, reason: str) -> Suggestion:
    """Send a proposed suggestion back to its deputy with the reason."""
    base.lock(suggestion)
    base.guard(suggestion, "return_for_revision", by)
    base.require_reason(reason)
    base.fire(suggestion, "return_for_revision", by, reason)
    return suggestion


@transaction.atomic
def suggestion_reject(*, suggestion: Suggestion, by, reason: str) -> Suggestion:
    """Refuse a proposed suggestion (e.g. not a suggestion, turned into a letter)."""
    base.lock(suggestion)
    base.guard(suggestion, "reject", by)
    base.require_reason(reason)
    base.fire(suggestion, "reject", by, reason)
    return suggestion


@transaction.atomic
def suggestion_withdraw(*, suggestion: Suggestion, by, reason: str) -> Suggestion:
    """Withdraw a suggestion on its deputy's request."""
    base.lock(suggestion)
    base.guard(suggestion, "withdraw", by)
    base.require_reason(reason)
    base.fire(suggestion, "withdraw", by, reason)
    duty.withdrawn(suggestion, by=by, reason=reason)
    return suggestion
