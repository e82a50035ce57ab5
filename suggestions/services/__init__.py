"""Every write of the suggestion loop, by stage; every name imports from here.

The admin, the pages, the tasks and the import call these. Each function takes keyword
arguments and the acting user as ``by``, runs in one transaction, and raises
``PermissionDenied`` for a user who may not act, ``TransitionNotAllowed`` for a wrong
state, and ``ValidationError`` naming each failed condition otherwise. Nothing is sent
from inside a transaction: the ``suggestion_transitioned`` signal goes out on commit.

``base`` (the lock, guard and transition every service shares), ``review``,
``assignment`` (with the units' requests and the 承办人), ``handling``, ``signoff``,
``paper`` (the signed paper record), ``merge`` (并案 and its undoing), ``key`` (key
suggestions and their inspection visits), ``revisit`` (with the redo, the acceptance without
redo and the interim checks); the reminder sweep and the notifications are
``suggestions.notifications``'.
"""

from ..notifications.services import (
    notifications_mark_read,
    notify,
    notify_reminder,
    reminder_deliver,
    send_due_reminders,
)
from .assignment import (
    assignment_name_handler,
    extension_decide,
    extension_request,
    reassignment_decide,
    reassignment_request,
    suggestion_assign,
)
from .handling import co_opinion_submit, communication_record, reply_submit
from .key import inspection_record, key_suggestion_designate, may_record_inspection
from .merge import suggestion_merge, suggestion_unmerge
from .paper import signoff_paper_submit, signoff_paper_verify
from .review import (
    suggestion_approve,
    suggestion_create,
    suggestion_reject,
    suggestion_return_for_revision,
    suggestion_withdraw,
)
from .revisit import interim_check_record, redo_waive, revisit_record, suggestion_order_redo
from .signoff import SIGNING_ORDER, in_conflict, signoff_record

__all__ = [
    "SIGNING_ORDER",
    "assignment_name_handler",
    "co_opinion_submit",
    "communication_record",
    "extension_decide",
    "extension_request",
    "in_conflict",
    "inspection_record",
    "interim_check_record",
    "key_suggestion_designate",
    "may_record_inspection",
    "notifications_mark_read",
    "notify",
    "notify_reminder",
    "reassignment_decide",
    "reassignment_request",
    "redo_waive",
    "reminder_deliver",
    "reply_submit",
    "revisit_record",
    "send_due_reminders",
    "signoff_paper_submit",
    "signoff_paper_verify",
    "signoff_record",
    "suggestion_approve",
    "suggestion_assign",
    "suggestion_create",
    "suggestion_merge",
    "suggestion_order_redo",
    "suggestion_reject",
    "suggestion_return_for_revision",
    "suggestion_unmerge",
    "suggestion_withdraw",
]
