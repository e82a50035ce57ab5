"""Every user action, declared once: its label, form, service, who may take it now on this
object, and whether it needs a confirmation.

Three pages read this table: the admin's transition buttons (``Page.ADMIN``, taken on a
suggestion by the committee office), the task pages (``Page.TASKS``, taken on an
assignment by its unit's members, head and supervising leader) and the deputies' status
pages (``Page.STATUS``, taken on a suggestion by its lead deputy); the API will read it
too. A key suggestion's actions (``Page.KEY``, taken on a ``KeySuggestion`` by the office
in the admin and by its leading leader on the task pages) are on both pages of a key
suggestion. ``available(page, user=..., obj=...)`` lists what a user may do now,
``get(page, name)`` finds one action, ``perform(action, user=..., form=...)`` calls its
service and turns a refusal into a ``Refusal``.

``available`` decides what a page offers; the service still checks everything itself, so
a forged POST meets the service and its refusal. An action's ``confirm`` is the
consequence the page states (the record it writes cannot be taken back), or ``None``; an
action with one asks for confirmation as a step of its own: its form is made a two-step
form (``suggestions.confirmation``), valid only once confirmed, whichever page shows it.

The lifecycle's own words (the verb of a refusal, the timeline's label) are on the
transitions (``Suggestion.transition_words``): a transition is not an action (the
leader's sign-off action makes the ``sign`` transition, a reply action the ``reply``).
"""

import enum
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import TransitionNotAllowed

from . import confirmation, forms, key_forms, merge_forms, paper_forms, services
from .availability import (
    _co_opinion,
    _communication,
    _deputy_signoff,
    _designate_key,
    _extension,
    _inspection,
    _interim_check,
    _merge_into,
    _name_handler,
    _paper_submit,
    _paper_verify,
    _reassignment,
    _redo_waive,
    _reply,
    _transition_open,
    _unit_signoff,
    _unmerge,
)
from .models import (
    ExtensionRequest,
    ReassignmentRequest,
    SignOff,
)


class Page(enum.StrEnum):
    ADMIN = "admin"  # on a suggestion
    TASKS = "tasks"  # on an assignment
    STATUS = "status"  # on a suggestion
    KEY = "key"  # on a key suggestion
    # Registered by the stations (``register``): a station's keepers' actions on the
    # station, and the actions on an opinion (its keepers route it, the unit it was
    # referred to answers it, the deputy it was forwarded to makes it a suggestion).
    STATION = "station"  # on a liaison station
    OPINION = "opinion"  # on an opinion


@dataclass(frozen=True)
class Action:
    name: str
    page: Page
    label: Promise
    form: type[forms.ActionForm]
    service: Callable[..., object]
    # (user, obj) -> whether the page offers the action to the user now.
    available: Callable[[object, object], bool]
    confirm: Promise | None = None
    multipart: bool = False
    # A signature on the handling record: the page says when it waits for the user.
    signature: bool = False

    def __post_init__(self):
        if self.confirm is not None:
            object.__setattr__(self, "form", confirmation.confirming(self.form))

    def bind(
        self, obj, data=None, files=None, *, owner: int | None = None, confirmed: bool = False
    ) -> forms.ActionForm:
        """The action's form for ``obj``, prefixed with the action's name. ``owner``: the
        user's id, for a file kept between the steps; ``confirmed``: the caller had the
        user confirm already (no confirmation step)."""
        extra = {"confirmed": confirmed} if self.confirm is not None else {}
        return self.form(data, files, obj=obj, owner=owner, prefix=self.name, **extra)


@dataclass(frozen=True)
class Refusal:
    """Why a service refused: its messages, in the user's language, and their codes."""

    messages: list[str]
    codes: list[str]

    @classmethod
    def of(cls, error: Exception) -> "Refusal":
        if isinstance(error, ValidationError):
            return cls(
                messages=[m for e in error.error_list for m in e.messages],
                codes=[e.code or "invalid" for e in error.error_list],
            )
        code = "permission_denied" if isinstance(error, PermissionDenied) else "not_allowed"
        return cls(messages=[str(error) or _("You may not do this.")], codes=[code])

    def error(self) -> ValidationError:
        """The refusal as a form's non-field error, its codes kept."""
        return ValidationError(
            [ValidationError(m, code=c) for m, c in zip(self.messages, self.codes, strict=True)]
        )


def perform(action: Action, *, user, form: forms.ActionForm) -> Refusal | None:
    """Call the action's service with the valid ``form``'s arguments; the refusal, if any."""
    try:
        action.service(by=user, **form.service_kwargs())
    except (ValidationError, PermissionDenied, TransitionNotAllowed) as error:
        return Refusal.of(error)
    form.performed()
    return None


# The consequences a page states beside the button.
FINAL = gettext_lazy("A suggestion ended this way cannot be taken up again.")
SIGNATURE = gettext_lazy("A signature cannot be changed or withdrawn.")


# The table.

ACTIONS: dict[tuple[Page, str], Action] = {
    (action.page, action.name): action
    for action in [
        # The committee office (the admin), on a suggestion.
        Action(
            "approve",
            Page.ADMIN,
            gettext_lazy("Approve"),
            forms.NoteForm,
            services.suggestion_approve,
            _transition_open("approve"),
        ),
        Action(
            "return_for_revision",
            Page.ADMIN,
            gettext_lazy("Return for revision"),
            forms.ReasonForm,
            services.suggestion_return_for_revision,
            _transition_open("return_for_revision"),
        ),
        Action(
            "reject",
            Page.ADMIN,
            gettext_lazy("Do not accept"),
            forms.ReasonForm,
            services.suggestion_reject,
            _transition_open("reject"),
            confirm=FINAL,
        ),
        Action(
            "withdraw",
            Page.ADMIN,
            gettext_lazy("Withdraw"),
            forms.ReasonForm,
            services.suggestion_withdraw,
            _transition_open("withdraw"),
            confirm=FINAL,
        ),
        Action(
            "assign",
            Page.ADMIN,
            gettext_lazy("Assign"),
            forms.AssignForm,
            services.suggestion_assign,
            _transition_open("assign"),
        ),
        Action(
            "reassign",
            Page.ADMIN,
            gettext_lazy("Decide a reassignment request"),
            forms.ReassignmentDecisionForm,
            services.reassignment_decide,
            _transition_open("reassign", pending=ReassignmentRequest),
        ),
        Action(
            "extend",
            Page.ADMIN,
            gettext_lazy("Decide an extension request"),
            forms.ExtensionDecisionForm,
            services.extension_decide,
            _transition_open("extend", pending=ExtensionRequest),
        ),
        Action(
            "order_redo",
            Page.ADMIN,
            gettext_lazy("Order a redo"),
            forms.RedoForm,
            services.suggestion_order_redo,
            _transition_open("order_redo"),
            confirm=gettext_lazy(
                "The lead unit handles the suggestion again by the redo deadline; the redo "
                "counts against it."
            ),
        ),
        Action(
            "revisit",
            Page.ADMIN,
            gettext_lazy("Record the revisit"),
            forms.RevisitForm,
            services.revisit_record,
            _transition_open("revisit"),
            confirm=gettext_lazy(
                "The revisit closes the suggestion, or, when you decide so, orders a redo."
            ),
        ),
        Action(
            "redo_waive",
            Page.ADMIN,
            gettext_lazy("Accept without a redo"),
            forms.ReasonForm,
            services.redo_waive,
            _redo_waive,
        ),
        Action(
            "interim_check",
            Page.ADMIN,
            gettext_lazy("Record an interim check"),
            forms.InterimCheckForm,
            services.interim_check_record,
            _interim_check,
        ),
        Action(
            "designate_key",
            Page.ADMIN,
            gettext_lazy("Designate as a key suggestion"),
            key_forms.DesignateForm,
            services.key_suggestion_designate,
            _designate_key,
        ),
        Action(
            "merge",
            Page.ADMIN,
            gettext_lazy("Merge into another suggestion (并案)"),
            merge_forms.MergeIntoForm,
            services.suggestion_merge,
            _merge_into,
        ),
        Action(
            "unmerge",
            Page.ADMIN,
            gettext_lazy("Undo the merge"),
            forms.ReasonForm,
            services.suggestion_unmerge,
            _unmerge,
        ),
        Action(
            "verify_paper",
            Page.ADMIN,
            gettext_lazy("Verify the paper handling record"),
            paper_forms.PaperVerifyForm,
            services.signoff_paper_verify,
            _paper_verify,
            confirm=gettext_lazy("Accepted signatures are recorded and cannot be taken back."),
        ),
        # The handling units and their leaders (the task pages), on an assignment.
        # The signatures first: a page lists its forms in the table's order, and the one who
        # must sign now finds the form at the top of the actions.
        Action(
            "signoff_head",
            Page.TASKS,
            gettext_lazy("Sign as unit head"),
            forms.UnitHeadSignOffForm,
            services.signoff_record,
            _unit_signoff(SignOff.Level.UNIT_HEAD, "head"),
            confirm=SIGNATURE,
            signature=True,
        ),
        Action(
            "signoff_leader",
            Page.TASKS,
            gettext_lazy("Sign as government leader"),
            forms.LeaderSignOffForm,
            services.signoff_record,
            _unit_signoff(SignOff.Level.LEADER, "leader"),
            confirm=SIGNATURE,
            signature=True,
        ),
        Action(
            "communication",
            Page.TASKS,
            gettext_lazy("Record a communication"),
            forms.CommunicationForm,
            services.communication_record,
            _communication,
        ),
        Action(
            "co_opinion",
            Page.TASKS,
            gettext_lazy("Send our opinion"),
            forms.CoOpinionForm,
            services.co_opinion_submit,
            _co_opinion,
        ),
        Action(
            "reply",
            Page.TASKS,
            gettext_lazy("Reply"),
            forms.ReplyForm,
            services.reply_submit,
            _reply,
            confirm=gettext_lazy("A reply cannot be changed once sent; a redo asks for a new one."),
            multipart=True,
        ),
        Action(
            "name_handler",
            Page.TASKS,
            gettext_lazy("Name the responsible person"),
            forms.HandlerForm,
            services.assignment_name_handler,
            _name_handler,
        ),
        Action(
            "reassignment",
            Page.TASKS,
            gettext_lazy("Ask for reassignment"),
            forms.ReassignmentForm,
            services.reassignment_request,
            _reassignment,
        ),
        Action(
            "extension",
            Page.TASKS,
            gettext_lazy("Ask for an extension"),
            forms.ExtensionForm,
            services.extension_request,
            _extension,
        ),
        Action(
            "paper_submit",
            Page.TASKS,
            gettext_lazy("Upload the signed handling record"),
            paper_forms.PaperSubmitForm,
            services.signoff_paper_submit,
            _paper_submit,
            confirm=gettext_lazy("The committee office checks the scan before it counts."),
            multipart=True,
        ),
        # The lead deputy (the status pages), on a suggestion.
        Action(
            "signoff",
            Page.STATUS,
            gettext_lazy("Sign off"),
            forms.DeputySignOffForm,
            services.signoff_record,
            _deputy_signoff,
            confirm=SIGNATURE,
            signature=True,
        ),
        # A key suggestion's visits: the office (the admin) and its leading leader (the
        # task pages), on a key suggestion.
        Action(
            "inspection",
            Page.KEY,
            gettext_lazy("Record an inspection visit"),
            key_forms.InspectionForm,
            services.inspection_record,
            _inspection,
            multipart=True,
        ),
    ]
}


def register(*actions: Action) -> None:
    """Add the actions an app above this one declares (the stations', from their
    ``AppConfig.ready``) to the one table; a name already taken on its page is refused."""
    for action in actions:
        key = (action.page, action.name)
        if ACTIONS.get(key, action) is not action:
            raise ValueError(f"The action {key} is declared twice.")
        ACTIONS[key] = action


def get(page: Page, name: str) -> Action | None:
    """The action ``name`` of ``page``, or None."""
    return ACTIONS.get((page, name))


def available(page: Page, *, user, obj) -> list[Action]:
    """The actions of ``page`` that ``user`` may take on ``obj`` now, in the table's order."""
    return [
        action
        for (on, _name), action in ACTIONS.items()
        if on == page and action.available(user, obj)
    ]
