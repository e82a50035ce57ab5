"""Reads shared by pages, by concern; every name imports from here.

``scoping`` (one queryset per role: what a user may see), ``ledger`` (the ledger's
annotated rows), ``records`` (everything recorded on a suggestion, in one query),
``timeline`` (a suggestion's records in time order), ``signoffs`` (the three signatures:
who signed, who is next, whose queue), ``tasks`` (the task pages),
``status`` (the deputies' status pages), ``similar`` (the similar-suggestion finder),
``key`` (key suggestions: the leader's list and page, the deputies' view, the visits' files).
A user's notifications are ``suggestions.notifications.selectors``'. Selectors never
write and never call services.
"""

from .followup import (
    awaiting_redo_decision,
    is_awaiting_redo_decision,
    revisit_due_on,
    revisit_on,
    revisits_due,
)
from .key import (
    KeyDetail,
    follows_key_suggestions,
    inspection_files_visible_to,
    is_key,
    key_detail,
    key_of,
    key_suggestions_followed_by,
    key_suggestions_led_by,
    with_visits,
)
from .ledger import is_redo_eligible, suggestions_ledger
from .records import SuggestionRecords, current_signoff_pairs, read_records, records_of
from .scoping import (
    TaskUnits,
    assignments_visible_to,
    is_task_user,
    paper_submissions_visible_to,
    replies_visible_to,
    suggestions_visible_to_deputy,
    task_unit_ids,
    task_units,
    unit_member_ids,
)
from .signoffs import (
    attach_current_signoffs,
    next_level,
    signature_waiting_at,
    signoff_steps,
    waiting_for_signature,
)
from .similar import similar_suggestions, similar_to_many, suggestion_text
from .status import STAGES, Status, StatusDetail, status_detail, status_of, status_rows
from .tasks import (
    DUE_SOON_DAYS,
    SIGN_TAB,
    TASK_TABS,
    Condition,
    TaskDetail,
    owing,
    reply_conditions,
    task_detail,
    task_rows,
    task_tabs,
    task_year_rows,
    task_years,
)
from .timeline import Event, suggestion_timeline

__all__ = [
    "KeyDetail",
    "inspection_files_visible_to",
    "is_key",
    "key_detail",
    "key_of",
    "follows_key_suggestions",
    "key_suggestions_followed_by",
    "key_suggestions_led_by",
    "with_visits",
    "similar_suggestions",
    "similar_to_many",
    "suggestion_text",
    "DUE_SOON_DAYS",
    "SIGN_TAB",
    "STAGES",
    "TASK_TABS",
    "Condition",
    "Event",
    "Status",
    "StatusDetail",
    "SuggestionRecords",
    "TaskDetail",
    "owing",
    "TaskUnits",
    "assignments_visible_to",
    "attach_current_signoffs",
    "awaiting_redo_decision",
    "current_signoff_pairs",
    "is_awaiting_redo_decision",
    "revisit_due_on",
    "revisit_on",
    "revisits_due",
    "is_redo_eligible",
    "is_task_user",
    "next_level",
    "paper_submissions_visible_to",
    "read_records",
    "records_of",
    "replies_visible_to",
    "reply_conditions",
    "signature_waiting_at",
    "signoff_steps",
    "status_detail",
    "status_of",
    "status_rows",
    "suggestion_timeline",
    "suggestions_ledger",
    "suggestions_visible_to_deputy",
    "task_detail",
    "task_rows",
    "task_tabs",
    "task_unit_ids",
    "task_units",
    "task_year_rows",
    "task_years",
    "unit_member_ids",
    "waiting_for_signature",
]
