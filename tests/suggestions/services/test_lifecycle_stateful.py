"""The suggestion lifecycle under random service calls by random members of the cast.

A hypothesis state machine drives one fresh suggestion per example through every
service of ``suggestions/services.py`` that changes state or adds a record, called by
anyone in the cast with random (often wrong) arguments. After every call it checks the
rules that hold always (DESIGN.md, "The lifecycle"):

- a call succeeds or is refused with ``PermissionDenied``, ``TransitionNotAllowed`` or
  ``ValidationError`` carrying a message; a refused call changes nothing;
- the state is a ``Suggestion.State`` and only moves along an edge of the lifecycle table;
- one transition record per successful transition call, naming the transition, the
  actor and the edge; none for anything else;
- append-only records (replies, commitments, sign-offs, communications, opinions, redo
  orders, revisits, transition records) never disappear and never change;
- only the role the table names may succeed at each action.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_fsm import TransitionNotAllowed
from django_fsm_log.models import StateLog
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from suggestions import deadlines, services
from suggestions.models import (
    Assignment,
    Commitment,
    Communication,
    CoOpinion,
    ExtensionRequest,
    ReassignmentRequest,
    Redo,
    Reply,
    Revisit,
    RevisitOutcome,
    SignOff,
    Suggestion,
)
from tests import factories, flows

S = Suggestion.State

# The lifecycle table of DESIGN.md: transition name -> the edges it may take.
TRANSITIONS = {
    "approve": {(S.PROPOSED, S.REVIEWED)},
    "return_for_revision": {(S.PROPOSED, S.PROPOSED)},
    "reject": {(S.PROPOSED, S.NOT_ACCEPTED)},
    "withdraw": {(S.PROPOSED, S.WITHDRAWN), (S.REVIEWED, S.WITHDRAWN)},
    "assign": {(S.REVIEWED, S.ASSIGNED)},
    "reassign": {(S.ASSIGNED, S.ASSIGNED)},
    "extend": {(S.ASSIGNED, S.ASSIGNED)},
    "reply": {(S.ASSIGNED, S.HANDLED)},
    "sign": {(S.HANDLED, S.SIGNED)},
    "order_redo": {(S.HANDLED, S.ASSIGNED), (S.SIGNED, S.ASSIGNED)},
    "revisit": {(S.SIGNED, S.REVISITED)},
}
EDGES = set().union(*TRANSITIONS.values())
REFUSALS = (PermissionDenied, TransitionNotAllowed, ValidationError)

# Records that are written once and never edited or deleted, with how to find this
# suggestion's rows. Transition records are append-only too (DESIGN.md).
APPEND_ONLY = {
    Reply: "suggestion",
    Commitment: "reply__suggestion",
    SignOff: "suggestion",
    Communication: "assignment__suggestion",
    CoOpinion: "assignment__suggestion",
    Redo: "suggestion",
    Revisit: "suggestion",
    RevisitOutcome: "revisit__suggestion",
}
# Records that may be edited (an assignment closes, a request is decided) but never deleted.
KEPT = {
    Assignment: "suggestion",
    ReassignmentRequest: "assignment__suggestion",
    ExtensionRequest: "assignment__suggestion",
}

ACTORS = (
    "staff",
    "reviewer",
    "clerk",
    "head",
    "leader",
    "co_clerk",
    "other_clerk",
    "other_leader",
    "deputy",
    "co_deputy",
)
UNITS = ("lead_unit", "co_unit", "other_unit")


def actor(*likely: str) -> st.SearchStrategy[str]:
    """Half the time someone who might be allowed, else anyone in the cast."""
    return st.one_of(st.sampled_from(likely), st.sampled_from(ACTORS))


# Mostly valid, sometimes blank: a blank reason or text must be refused with a message.
TEXT = st.sampled_from(["经与代表当面沟通，情况属实。", "同意。", "", "   "])
UNIT = st.sampled_from(UNITS + ("lead_unit", None))
CO_UNITS = st.sampled_from([(), ("co_unit",), ("co_unit",), ("co_unit", "other_unit"), UNITS])
CLASSIFICATION = st.sampled_from(["A", "B", "C", "D", "E"])
RATING = st.sampled_from([*SignOff.Rating.values, None, "bogus"])
LEVEL = st.sampled_from([*SignOff.Level.values, "bogus"])
OUTCOME = st.sampled_from([*RevisitOutcome.Outcome.values, "bogus"])


# Where an example starts: random calls alone rarely get far down the lifecycle.
STARTS = {
    "proposed": lambda cast, classification: flows.proposed(cast),
    "reviewed": lambda cast, classification: flows.reviewed(cast),
    "assigned": lambda cast, classification: flows.assigned(cast),
    "assigned without a co-unit": lambda cast, classification: flows.assigned(cast, co=False),
    "handled": flows.handled,
    "signed": flows.signed,
}


def messages(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        return exc.messages
    return [str(exc)]


class Lifecycle(RuleBasedStateMachine):
    """One fresh suggestion, poked at by everyone in the cast."""

    def __init__(self, cast: flows.Cast, reviewer, heads: dict):
        super().__init__()
        self.cast = cast
        self.users = {
            "staff": cast.staff,
            "reviewer": reviewer,
            "clerk": cast.clerk,
            "head": cast.head,
            "leader": cast.leader,
            "co_clerk": cast.co_clerk,
            "other_clerk": cast.other_clerk,
            "other_leader": cast.other_leader,
            "deputy": cast.deputy.user,
            "co_deputy": cast.co_deputy.user,
        }
        self.units = {name: getattr(cast, name) for name in UNITS}
        # One clerk and one head per unit, for the guided step.
        self.clerks = {
            cast.lead_unit.pk: cast.clerk,
            cast.co_unit.pk: cast.co_clerk,
            cast.other_unit.pk: cast.other_clerk,
        }
        self.heads = heads
        self.latest = None  # the snapshot taken right after the step's call, if any

    @initialize(
        start=st.sampled_from(list(STARTS)),
        classification=st.sampled_from("ABCD"),
    )
    def new_suggestion(self, start, classification):
        """A fresh suggestion, entered and (through the services) brought to ``start``."""
        self.suggestion_pk = STARTS[start](self.cast, classification).pk
        self.seen = self.snapshot()
        self.transitions_made = len(self.seen["StateLog"])

    # Reading the database.

    def fresh(self) -> Suggestion:
        return Suggestion.objects.get(pk=self.suggestion_pk)

    def snapshot(self) -> dict:
        """Everything about this suggestion that a refused call must leave alone."""
        suggestion = self.fresh()
        snap = {
            "state": suggestion.state,
            "round": suggestion.round,
            "number": suggestion.number,
            "complex": suggestion.complex,
        }
        for model, path in {**APPEND_ONLY, **KEPT}.items():
            rows = model.objects.filter(**{path: self.suggestion_pk}).values_list()
            snap[model.__name__] = {row[0]: row for row in rows}
        snap["StateLog"] = {row[0]: row for row in StateLog.objects.for_(suggestion).values_list()}
        return snap

    def assignments(self) -> list[Assignment]:
        """Open assignments first, then closed ones: a random pick favours the live ones."""
        return list(
            Assignment.objects.filter(suggestion=self.suggestion_pk)
            .select_related("suggestion", "unit")
            .order_by("closed_on", "pk")
        )

    def has_assignments(self) -> bool:
        return Assignment.objects.filter(suggestion=self.suggestion_pk).exists()

    def members(self, unit) -> set:
        return {m.user for m in unit.memberships.select_related("user")}

    # Calling a service and checking what it did.

    def call(self, service, *, transition: str | None, allowed, expect_ok=False, **kwargs):
        """Call ``service``; check a refusal changed nothing and a success did only its part."""
        by = kwargs["by"]
        before = self.snapshot()
        try:
            service(**kwargs)
        except REFUSALS as exc:
            texts = messages(exc)
            assert texts and all(t.strip() for t in texts), f"{exc!r} says nothing"
            assert not expect_ok, f"the guided step {service.__name__} was refused: {texts}"
            after = self.latest = self.snapshot()
            assert after == before, f"refused {service.__name__} ({texts}) changed the records"
            return False
        after = self.latest = self.snapshot()
        assert by in allowed, f"{by} may not {service.__name__}, but it succeeded"
        self.check_kept(before, after)
        new_logs = [after["StateLog"][pk] for pk in after["StateLog"].keys() - before["StateLog"]]
        if transition is None:
            assert new_logs == [], f"{service.__name__} wrote a transition record: {new_logs}"
            assert after["state"] == before["state"]
        else:
            assert len(new_logs) == 1, f"{service.__name__} wrote {len(new_logs)} records"
            log = StateLog.objects.get(pk=new_logs[0][0])
            edge = (before["state"], after["state"])
            assert log.transition == transition
            assert (log.source_state, log.state) == edge
            assert log.by_id == by.pk
            assert edge in TRANSITIONS[transition], f"{transition} took {edge}"
            self.transitions_made += 1
        return True

    def check_kept(self, before: dict, after: dict) -> None:
        for model in APPEND_ONLY:
            name = model.__name__
            for pk, row in before[name].items():
                assert after[name].get(pk) == row, f"{name} {pk} changed or disappeared"
        for pk, row in before["StateLog"].items():
            assert after["StateLog"].get(pk) == row, f"StateLog {pk} changed or disappeared"
        for model in KEPT:
            name = model.__name__
            assert before[name].keys() <= after[name].keys(), f"a {name} disappeared"

    @invariant()
    def lifecycle_holds(self):
        suggestion = self.fresh()
        now, self.latest = self.latest or self.snapshot(), None
        assert suggestion.state in S.values
        self.check_kept(self.seen, now)
        moved = (self.seen["state"], now["state"])
        assert moved[0] == moved[1] or moved in EDGES, f"off the lifecycle: {moved}"
        self.seen = now
        logs = now["StateLog"].values()
        assert len(logs) == self.transitions_made
        edges = set(StateLog.objects.for_(suggestion).values_list("source_state", "state"))
        assert edges <= EDGES, f"off the lifecycle: {edges - EDGES}"

        state, round_ = suggestion.state, suggestion.round
        open_leads = suggestion.open_assignments().filter(role=Assignment.Role.LEAD).count()
        if state in (S.PROPOSED, S.REVIEWED, S.NOT_ACCEPTED, S.WITHDRAWN):
            assert round_ == 0 and not now["Assignment"], "never assigned"
        if state not in (S.PROPOSED, S.NOT_ACCEPTED, S.WITHDRAWN):
            assert suggestion.number, "an approved suggestion has a number"
        if state in (S.ASSIGNED, S.HANDLED, S.SIGNED, S.REVISITED):
            assert open_leads == 1, "exactly one open lead assignment"
            assert round_ == 1 + len(now["Redo"])
        current_reply = suggestion.replies.filter(round=round_).first()
        if state == S.ASSIGNED:
            assert current_reply is None
        if state in (S.HANDLED, S.SIGNED, S.REVISITED):
            assert current_reply is not None
        signed_levels = set(
            suggestion.signoffs.filter(round=round_).values_list("level", flat=True)
        )
        if state in (S.SIGNED, S.REVISITED):
            assert signed_levels == set(SignOff.Level.values)
        if state == S.REVISITED:
            assert suggestion.revisits.filter(reply=current_reply).exists()

    # Review.

    @rule(by=actor("staff", "reviewer"), note=TEXT)
    def approve(self, by, note):
        self.call(
            services.suggestion_approve,
            transition="approve",
            allowed={self.users["staff"], self.users["reviewer"]},
            suggestion=self.fresh(),
            by=self.users[by],
            note=note,
        )

    @rule(by=actor("staff", "reviewer"), reason=TEXT)
    def return_for_revision(self, by, reason):
        self.call(
            services.suggestion_return_for_revision,
            transition="return_for_revision",
            allowed={self.users["staff"], self.users["reviewer"]},
            suggestion=self.fresh(),
            by=self.users[by],
            reason=reason,
        )

    @rule(by=actor("staff", "reviewer"), reason=TEXT)
    def reject(self, by, reason):
        self.call(
            services.suggestion_reject,
            transition="reject",
            allowed={self.users["staff"], self.users["reviewer"]},
            suggestion=self.fresh(),
            by=self.users[by],
            reason=reason,
        )

    @rule(by=actor("staff"), reason=TEXT)
    def withdraw(self, by, reason):
        self.call(
            services.suggestion_withdraw,
            transition="withdraw",
            allowed={self.users["staff"]},
            suggestion=self.fresh(),
            by=self.users[by],
            reason=reason,
        )

    # Assignment, reassignment, extension.

    @rule(by=actor("staff"), lead=UNIT, co=CO_UNITS, complex_=st.booleans())
    def assign(self, by, lead, co, complex_):
        self.call(
            services.suggestion_assign,
            transition="assign",
            allowed={self.users["staff"]},
            suggestion=self.fresh(),
            by=self.users[by],
            lead_unit=self.units[lead] if lead else None,
            co_units=[self.units[u] for u in co],
            complex=complex_,
        )

    @precondition(lambda self: self.has_assignments())
    @rule(data=st.data(), by=actor("clerk", "co_clerk"), reason=TEXT)
    def reassignment_request(self, data, by, reason):
        assignment = data.draw(st.sampled_from(self.assignments()), label="assignment")
        self.call(
            services.reassignment_request,
            transition=None,
            allowed=self.members(assignment.unit),
            assignment=assignment,
            by=self.users[by],
            reason=reason,
        )

    @precondition(
        lambda self: ReassignmentRequest.objects.filter(
            assignment__suggestion=self.suggestion_pk
        ).exists()
    )
    @rule(data=st.data(), by=actor("staff"), approve=st.booleans(), lead=UNIT, co=CO_UNITS)
    def reassignment_decide(self, data, by, approve, lead, co):
        requests = list(
            ReassignmentRequest.objects.filter(assignment__suggestion=self.suggestion_pk)
            .select_related("assignment__suggestion")
            .order_by("-decision", "pk")  # pending first
        )
        request = data.draw(st.sampled_from(requests), label="request")
        self.call(
            services.reassignment_decide,
            transition="reassign" if approve else None,
            allowed={self.users["staff"]},
            request=request,
            by=self.users[by],
            approve=approve,
            lead_unit=self.units[lead] if lead else None,
            co_units=[self.units[u] for u in co],
        )

    @precondition(lambda self: self.has_assignments())
    @rule(data=st.data(), by=actor("clerk", "co_clerk"), days=st.integers(-10, 200), reason=TEXT)
    def extension_request(self, data, by, days, reason):
        assignment = data.draw(st.sampled_from(self.assignments()), label="assignment")
        self.call(
            services.extension_request,
            transition=None,
            allowed=self.members(assignment.unit),
            assignment=assignment,
            by=self.users[by],
            reason=reason,
            until=assignment.due_on + datetime.timedelta(days=days),
        )

    @precondition(
        lambda self: ExtensionRequest.objects.filter(
            assignment__suggestion=self.suggestion_pk
        ).exists()
    )
    @rule(data=st.data(), by=actor("staff"), approve=st.booleans())
    def extension_decide(self, data, by, approve):
        requests = list(
            ExtensionRequest.objects.filter(assignment__suggestion=self.suggestion_pk)
            .select_related("assignment__suggestion")
            .order_by("-decision", "pk")
        )
        request = data.draw(st.sampled_from(requests), label="request")
        self.call(
            services.extension_decide,
            transition="extend" if approve else None,
            allowed={self.users["staff"]},
            request=request,
            by=self.users[by],
            approve=approve,
        )

    # Handling.

    @precondition(lambda self: self.has_assignments())
    @rule(
        data=st.data(),
        by=actor("clerk", "co_clerk"),
        stage=st.sampled_from([*Communication.Stage.values, "bogus"]),
        method=st.sampled_from([*Communication.Method.values, "bogus"]),
        days_ago=st.integers(-1, 30),
        notes=TEXT,
    )
    def communication_record(self, data, by, stage, method, days_ago, notes):
        assignment = data.draw(st.sampled_from(self.assignments()), label="assignment")
        self.call(
            services.communication_record,
            transition=None,
            allowed=self.members(assignment.unit),
            assignment=assignment,
            by=self.users[by],
            stage=stage,
            method=method,
            happened_on=timezone.localdate() - datetime.timedelta(days=days_ago),
            notes=notes,
        )

    @precondition(lambda self: self.has_assignments())
    @rule(data=st.data(), by=actor("co_clerk", "clerk"), text=TEXT)
    def co_opinion_submit(self, data, by, text):
        assignment = data.draw(st.sampled_from(self.assignments()), label="assignment")
        self.call(
            services.co_opinion_submit,
            transition=None,
            allowed=self.members(assignment.unit),
            assignment=assignment,
            by=self.users[by],
            text=text,
        )

    @precondition(lambda self: self.has_assignments())
    @rule(
        data=st.data(),
        by=actor("clerk"),
        classification=CLASSIFICATION,
        text=TEXT,
        document=st.sampled_from([True, True, False]),
        commitments=st.lists(st.tuples(TEXT, st.integers(-3, 365)), max_size=2),
    )
    def reply_submit(self, data, by, classification, text, document, commitments):
        assignment = data.draw(st.sampled_from(self.assignments()), label="assignment")
        today = timezone.localdate()
        self.call(
            services.reply_submit,
            transition="reply",
            allowed=self.members(assignment.unit),
            assignment=assignment,
            by=self.users[by],
            classification=classification,
            text=text,
            document=factories.document() if document else None,
            commitments=[(t, today + datetime.timedelta(days=d)) for t, d in commitments],
        )

    # Sign-offs, redo, revisit.

    @rule(
        by=actor("deputy", "head", "leader"),
        level=LEVEL,
        work_rating=RATING,
        result_rating=RATING,
        opinion=TEXT,
    )
    def signoff_record(self, by, level, work_rating, result_rating, opinion):
        suggestion = self.fresh()
        reply = suggestion.current_reply()
        unit = reply.assignment.unit if reply else None
        allowed = {
            SignOff.Level.DEPUTY: {self.users["deputy"]},
            SignOff.Level.UNIT_HEAD: {m.user for m in unit.memberships.filter(is_head=True)}
            if unit
            else set(),
            SignOff.Level.LEADER: {unit.leader} if unit else set(),
        }.get(level, set())
        self.call(
            services.signoff_record,
            transition="sign" if level == SignOff.Level.LEADER else None,
            allowed=allowed,
            suggestion=suggestion,
            by=self.users[by],
            level=level,
            work_rating=work_rating,
            result_rating=result_rating,
            opinion=opinion,
        )

    @rule(
        by=actor("staff"),
        reason=TEXT,
        grounds=st.sampled_from([None, *Redo.Grounds.values, "bogus"]),
    )
    def order_redo(self, by, reason, grounds):
        self.call(
            services.suggestion_order_redo,
            transition="order_redo",
            allowed={self.users["staff"]},
            suggestion=self.fresh(),
            by=self.users[by],
            reason=reason,
            grounds=grounds,
        )

    @rule(
        data=st.data(),
        by=actor("staff"),
        leave_one_out=st.sampled_from([False, False, True]),
        foreign=st.sampled_from([False, False, True]),
        notes=TEXT,
    )
    def revisit_record(self, data, by, leave_one_out, foreign, notes):
        suggestion = self.fresh()
        reply = suggestion.current_reply()
        commitments = list(reply.commitments.all()) if reply else []
        if leave_one_out and commitments:
            commitments.pop()
        outcomes = {c: data.draw(OUTCOME, label=f"outcome of {c.pk}") for c in commitments}
        if foreign:  # a commitment of an earlier reply of this suggestion
            earlier = Commitment.objects.filter(reply__suggestion=suggestion).exclude(reply=reply)
            for c in earlier[:1]:
                outcomes[c] = "kept"
        self.call(
            services.revisit_record,
            transition="revisit",
            allowed={self.users["staff"]},
            suggestion=suggestion,
            by=self.users[by],
            outcomes=outcomes,
            notes=notes,
            decision="close",
            early_reason="提前回访。",
        )

    # The guided step: what the right person would do next, so that deep states are reached.

    # One argument only: hypothesis tries rules with fewer arguments first, so this is the
    # rule it falls back on most, and examples get past review.
    @rule(
        choice=st.tuples(
            st.sampled_from("ABCD"),  # the reply's class
            st.sampled_from(SignOff.Rating.values),  # the deputy's ratings
            st.integers(0, 3),  # 3: a detour (redo, extension or reassignment)
            st.booleans(),  # which detour while assigned: reassignment or extension
        )
    )
    def advance(self, choice):
        classification, rating, detour, reassign = choice
        suggestion = self.fresh()
        staff = self.users["staff"]
        state = suggestion.state
        if state == S.PROPOSED:
            self.guided(services.suggestion_approve, "approve", suggestion=suggestion, by=staff)
        elif state == S.REVIEWED:
            self.guided(
                services.suggestion_assign,
                "assign",
                suggestion=suggestion,
                by=staff,
                lead_unit=self.cast.lead_unit,
                co_units=[self.cast.co_unit],
            )
        elif state == S.ASSIGNED and detour == 3 and reassign:
            self.reassign(suggestion)
        elif state == S.ASSIGNED and detour == 3 and self.extend(suggestion):
            pass
        elif state == S.ASSIGNED:
            self.handle(suggestion, classification)
        elif state in (S.HANDLED, S.SIGNED) and detour == 3:
            self.guided(
                services.suggestion_order_redo,
                "order_redo",
                suggestion=suggestion,
                by=staff,
                reason="代表不满意，限时重办。",
            )
        elif state == S.HANDLED:
            self.sign(suggestion, rating)
        elif state == S.SIGNED:
            self.guided(
                services.revisit_record,
                "revisit",
                suggestion=suggestion,
                by=staff,
                outcomes={c: "kept" for c in suggestion.current_reply().commitments.all()},
                notes="回访：承诺事项已落实。",
                early_reason="提前回访。",
            )

    def guided(self, service, transition: str | None, **kwargs) -> None:
        """A step the right person takes with the right arguments: it must succeed."""
        self.call(service, transition=transition, allowed={kwargs["by"]}, expect_ok=True, **kwargs)

    def handle(self, suggestion: Suggestion, classification: str) -> None:
        """The co-units' opinions, a communication, then the lead unit's reply."""
        today = timezone.localdate()
        lead = suggestion.lead_assignment()
        silent = (
            suggestion.open_assignments()
            .filter(role=Assignment.Role.CO)
            .exclude(co_opinions__isnull=False)
            .first()
        )
        if silent is not None:
            self.guided(
                services.co_opinion_submit,
                None,
                assignment=silent,
                by=self.clerks[silent.unit_id],
                text="同意主办单位意见。",
            )
        elif not lead.communications.filter(round=suggestion.round).exists():
            self.guided(
                services.communication_record,
                None,
                assignment=lead,
                by=self.clerks[lead.unit_id],
                stage=Communication.Stage.BEFORE,
                method=Communication.Method.PHONE,
                happened_on=today,
                notes="电话联系代表，听取意见。",
            )
        else:
            commitments = []
            if classification in ("B", "C"):
                commitments = [("明年六月前完成", today + datetime.timedelta(days=180))]
            self.guided(
                services.reply_submit,
                "reply",
                assignment=lead,
                by=self.clerks[lead.unit_id],
                classification=classification,
                text="经研究，答复如下。",
                document=factories.document(),
                commitments=commitments,
            )

    def reassign(self, suggestion: Suggestion) -> None:
        """Decide a waiting reassignment request, or have the lead unit file one."""
        request = ReassignmentRequest.objects.filter(
            assignment__suggestion=suggestion,
            assignment__closed_on__isnull=True,
            decision=ReassignmentRequest.Decision.PENDING,
        ).first()
        if request is None:
            lead = suggestion.lead_assignment()
            self.guided(
                services.reassignment_request,
                None,
                assignment=lead,
                by=self.clerks[lead.unit_id],
                reason="不属于本单位职责。",
            )
            return
        new_lead = None
        if request.assignment.role == Assignment.Role.LEAD:
            busy = set(
                suggestion.open_assignments()
                .exclude(pk=request.assignment_id)
                .values_list("unit", flat=True)
            )
            new_lead = next(u for u in self.units.values() if u.pk not in busy)
        self.guided(
            services.reassignment_decide,
            "reassign",
            request=request,
            by=self.users["staff"],
            approve=True,
            lead_unit=new_lead,
        )

    def extend(self, suggestion: Suggestion) -> bool:
        """Decide a waiting extension request, or have the lead unit file one if it can."""
        lead = suggestion.lead_assignment()
        request = lead.extension_requests.filter(decision=ExtensionRequest.Decision.PENDING).first()
        if request is not None:
            self.guided(
                services.extension_decide,
                "extend",
                request=request,
                by=self.users["staff"],
                approve=True,
            )
            return True
        limit = deadlines.extension_limit(lead.assigned_on)
        until = min(lead.due_on + datetime.timedelta(days=30), limit)
        if until <= lead.due_on:
            return False  # already at the legal maximum
        self.guided(
            services.extension_request,
            None,
            assignment=lead,
            by=self.clerks[lead.unit_id],
            reason="情况复杂，需要更多时间。",
            until=until,
        )
        return True

    def sign(self, suggestion: Suggestion, rating: str) -> None:
        """The next of the three signatures, in order."""
        unit = suggestion.current_reply().assignment.unit
        signed = set(
            suggestion.signoffs.filter(round=suggestion.round).values_list("level", flat=True)
        )
        if SignOff.Level.DEPUTY not in signed:
            self.guided(
                services.signoff_record,
                None,
                suggestion=suggestion,
                by=self.users["deputy"],
                level=SignOff.Level.DEPUTY,
                work_rating=rating,
                result_rating=rating,
                opinion="问题没有解决。",
            )
        elif SignOff.Level.UNIT_HEAD not in signed:
            self.guided(
                services.signoff_record,
                None,
                suggestion=suggestion,
                by=self.heads[unit.pk],
                level=SignOff.Level.UNIT_HEAD,
            )
        else:
            self.guided(
                services.signoff_record,
                "sign",
                suggestion=suggestion,
                by=unit.leader,
                level=SignOff.Level.LEADER,
            )


def test_lifecycle_random_calls_keep_the_rules(cast, reviewer):
    """Random service calls by anyone leave the lifecycle, its records and its log intact."""
    heads = {
        cast.lead_unit.pk: cast.head,
        cast.co_unit.pk: factories.MembershipFactory(unit=cast.co_unit, is_head=True).user,
        cast.other_unit.pk: factories.MembershipFactory(unit=cast.other_unit, is_head=True).user,
    }
    run_state_machine_as_test(
        lambda: Lifecycle(cast, reviewer, heads),
        settings=settings(
            max_examples=25,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[
                HealthCheck.function_scoped_fixture,
                HealthCheck.too_slow,
                HealthCheck.filter_too_much,
            ],
        ),
    )
