"""The suggestion loop's models, one module per stage; every name imports from here.

``records`` (the append-only base), ``units`` (handling units and their members),
``suggestion`` (the suggestion and its lifecycle), ``assignment`` (assignments and the
units' requests), ``handling`` (communications, co-handlers' opinions, replies and
commitments), ``signoff``, ``paper`` (the signed paper record waiting for verification),
``revisit`` (redo orders, acceptances without redo, interim checks, revisits and their
outcomes), ``category``,
``key`` (key suggestions and their inspection visits), ``similar`` (the finder's
grams and marks), ``calendar`` (working-day overrides), ``notifications``
(reminders and in-app notifications).
"""

from .assignment import Assignment, ExtensionRequest, ReassignmentRequest, UnitRequest
from .calendar import WorkdayOverride
from .category import Category
from .handling import Commitment, Communication, CoOpinion, Reply, reply_document_path
from .key import Inspection, InspectionFile, KeySuggestion, inspection_file_path
from .notifications import Notification, Reminder
from .paper import PaperSubmission, paper_scan_path
from .records import AppendOnlyError, AppendOnlyModel, AppendOnlyQuerySet
from .revisit import InterimCheck, Redo, RedoWaiver, Revisit, RevisitOutcome
from .signoff import SignOff
from .similar import SimilarityEntry
from .suggestion import NumberSequence, Suggestion
from .units import HandlingUnit, UnitMembership

__all__ = [
    "AppendOnlyError",
    "AppendOnlyModel",
    "AppendOnlyQuerySet",
    "Assignment",
    "Category",
    "CoOpinion",
    "Commitment",
    "Communication",
    "ExtensionRequest",
    "HandlingUnit",
    "Inspection",
    "InspectionFile",
    "InterimCheck",
    "KeySuggestion",
    "Notification",
    "NumberSequence",
    "PaperSubmission",
    "ReassignmentRequest",
    "Redo",
    "RedoWaiver",
    "Reminder",
    "Reply",
    "Revisit",
    "RevisitOutcome",
    "SignOff",
    "SimilarityEntry",
    "Suggestion",
    "UnitMembership",
    "UnitRequest",
    "WorkdayOverride",
    "inspection_file_path",
    "paper_scan_path",
    "reply_document_path",
]
