"""The suggestion loop's models, one module per stage; every name imports from here.

``records`` (the append-only base), ``units`` (handling units and their members),
``suggestion`` (the suggestion and its lifecycle), ``assignment`` (assignments and the
units' requests), ``handling`` (communications, co-handlers' opinions, replies and
commitments), ``signoff``, ``revisit`` (redo orders, revisits and their outcomes),
``key`` (key suggestions), ``calendar`` (working-day overrides), ``notifications``
(reminders and in-app notifications).
"""

from .assignment import Assignment, ExtensionRequest, ReassignmentRequest, UnitRequest
from .calendar import WorkdayOverride
from .handling import Commitment, Communication, CoOpinion, Reply, reply_document_path
from .key import KeySuggestion
from .notifications import Notification, Reminder
from .records import AppendOnlyError, AppendOnlyModel, AppendOnlyQuerySet
from .revisit import Redo, Revisit, RevisitOutcome
from .signoff import SignOff
from .suggestion import NumberSequence, Suggestion
from .units import HandlingUnit, UnitMembership

__all__ = [
    "AppendOnlyError",
    "AppendOnlyModel",
    "AppendOnlyQuerySet",
    "Assignment",
    "CoOpinion",
    "Commitment",
    "Communication",
    "ExtensionRequest",
    "HandlingUnit",
    "KeySuggestion",
    "Notification",
    "NumberSequence",
    "ReassignmentRequest",
    "Redo",
    "Reminder",
    "Reply",
    "Revisit",
    "RevisitOutcome",
    "SignOff",
    "Suggestion",
    "UnitMembership",
    "UnitRequest",
    "WorkdayOverride",
    "reply_document_path",
]
