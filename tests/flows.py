"""Move a suggestion along the lifecycle through the services, as the pages do."""

import datetime
import zoneinfo
from dataclasses import dataclass

import time_machine
from django.utils import timezone
from django_fsm_log.models import StateLog

from suggestions import permissions, services
from suggestions.models import (
    Assignment,
    Commitment,
    Communication,
    CoOpinion,
    ExtensionRequest,
    NumberSequence,
    ReassignmentRequest,
    RevisitOutcome,
    SignOff,
    Suggestion,
)
from tests import factories


@dataclass
class Cast:
    staff: object
    lead_unit: object
    co_unit: object
    other_unit: object
    clerk: object
    head: object
    leader: object
    co_clerk: object
    other_clerk: object
    other_leader: object
    deputy: object
    co_deputy: object
    other_deputy: object


def proposed(cast: Cast, **kwargs) -> Suggestion:
    return services.suggestion_create(
        by=cast.staff,
        title=kwargs.pop("title", "关于增设学校周边交通信号灯的建议"),
        content=kwargs.pop("content", "学校周边上下学时段车流量大，建议增设信号灯和减速带。"),
        lead_deputy=cast.deputy,
        co_deputies=[cast.co_deputy],
        **kwargs,
    )


def reviewed(cast: Cast, **kwargs) -> Suggestion:
    suggestion = proposed(cast, **kwargs)
    services.suggestion_approve(suggestion=suggestion, by=cast.staff)
    return suggestion


def assigned(cast: Cast, *, co: bool = True, **kwargs) -> Suggestion:
    suggestion = reviewed(cast, **kwargs)
    services.suggestion_assign(
        suggestion=suggestion,
        by=cast.staff,
        lead_unit=cast.lead_unit,
        co_units=[cast.co_unit] if co else [],
    )
    return suggestion


def lead(suggestion: Suggestion) -> Assignment:
    return suggestion.lead_assignment()


def co(suggestion: Suggestion) -> Assignment:
    return suggestion.open_assignments().get(role=Assignment.Role.CO)


def prepare_reply(cast: Cast, suggestion: Suggestion) -> None:
    """Everything a reply needs first: the co-unit's opinion and a communication."""
    if suggestion.open_assignments().filter(role=Assignment.Role.CO).exists():
        services.co_opinion_submit(
            assignment=co(suggestion), by=cast.co_clerk, text="同意主办意见。"
        )
    services.communication_record(
        assignment=lead(suggestion),
        by=cast.clerk,
        stage=Communication.Stage.BEFORE,
        method=Communication.Method.VISIT,
        happened_on=timezone.localdate(),
        notes="走访代表，了解建议背景。",
    )


def reply(cast: Cast, suggestion: Suggestion, classification: str = "B"):
    commitments = []
    if classification in ("B", "C"):
        commitments = [("年底前完成信号灯安装", timezone.localdate() + datetime.timedelta(days=90))]
    return services.reply_submit(
        assignment=lead(suggestion),
        by=cast.clerk,
        classification=classification,
        text="经研究，已列入年度计划。",
        document=factories.document(),
        commitments=commitments,
    )


def handled(cast: Cast, classification: str = "B", **kwargs) -> Suggestion:
    suggestion = assigned(cast, **kwargs)
    prepare_reply(cast, suggestion)
    reply(cast, suggestion, classification)
    return suggestion


def deputy_signs(
    cast: Cast,
    suggestion: Suggestion,
    work: str = SignOff.Rating.SATISFIED,
    result: str = SignOff.Rating.SATISFIED,
) -> None:
    """The lead deputy's sign-off with its two ratings: the head signs next."""
    dissatisfied = SignOff.Rating.DISSATISFIED in (work, result)
    services.signoff_record(
        suggestion=suggestion,
        by=cast.deputy.user,
        level=SignOff.Level.DEPUTY,
        work_rating=work,
        result_rating=result,
        opinion="未解决实际问题。" if dissatisfied else "",
    )


def sign_before_leader(
    cast: Cast, suggestion: Suggestion, rating: str = SignOff.Rating.SATISFIED
) -> None:
    """The deputy's and the unit head's signatures: the leader's is the one left."""
    services.signoff_record(
        suggestion=suggestion,
        by=cast.deputy.user,
        level=SignOff.Level.DEPUTY,
        work_rating=rating,
        result_rating=rating,
        opinion="" if rating != SignOff.Rating.DISSATISFIED else "未解决实际问题。",
    )
    services.signoff_record(suggestion=suggestion, by=cast.head, level=SignOff.Level.UNIT_HEAD)


def sign_all(cast: Cast, suggestion: Suggestion, rating: str = SignOff.Rating.SATISFIED) -> None:
    sign_before_leader(cast, suggestion, rating)
    services.signoff_record(suggestion=suggestion, by=cast.leader, level=SignOff.Level.LEADER)


def awaiting_leader(cast: Cast, **kwargs) -> Suggestion:
    """A replied suggestion signed by the deputy and the unit head, waiting for the leader."""
    suggestion = handled(cast, **kwargs)
    sign_before_leader(cast, suggestion)
    return suggestion


def signed(cast: Cast, classification: str = "B", **kwargs) -> Suggestion:
    suggestion = handled(cast, classification, **kwargs)
    sign_all(cast, suggestion)
    return suggestion


def revisited(cast: Cast, **kwargs) -> Suggestion:
    suggestion = signed(cast, **kwargs)
    reply_ = suggestion.current_reply()
    services.revisit_record(
        suggestion=suggestion,
        by=cast.staff,
        outcomes={c: "kept" for c in reply_.commitments.all()},
        notes="现场查看，信号灯已安装。",
        early_reason="承诺事项已提前完成。",
    )
    return suggestion


def merged(cast: Cast, *, approve: bool = True) -> tuple[Suggestion, Suggestion]:
    """The cast's suggestion (王丽's, the main one) and 张伟's on the same matter merged into
    it (并案), before assignment: (main, merged)."""
    main = reviewed(cast) if approve else proposed(cast)
    other = services.suggestion_create(
        by=cast.staff,
        title="关于学校门口增设红绿灯的建议",
        content="学校门口上下学时段拥堵，建议增设红绿灯。",
        lead_deputy=cast.other_deputy,
    )
    services.suggestion_merge(suggestions=[other], into=main, by=cast.staff, reason="同一事项。")
    return Suggestion.objects.get(pk=main.pk), Suggestion.objects.get(pk=other.pk)


def merged_handled(cast: Cast, **kwargs) -> tuple[Suggestion, Suggestion]:
    """A merged group whose main suggestion is assigned and replied: both lead deputies
    sign next."""
    main, other = merged(cast)
    services.suggestion_assign(
        suggestion=main, by=cast.staff, lead_unit=cast.lead_unit, co_units=[], **kwargs
    )
    prepare_reply(cast, main)
    reply(cast, main)
    return Suggestion.objects.get(pk=main.pk), Suggestion.objects.get(pk=other.pk)


def group_deputy_signs(cast: Cast, suggestion: Suggestion, deputy) -> None:
    """One lead deputy of a merged group signs the main suggestion's record."""
    services.signoff_record(
        suggestion=suggestion,
        by=deputy.user,
        level=SignOff.Level.DEPUTY,
        work_rating=SignOff.Rating.SATISFIED,
        result_rating=SignOff.Rating.BASICALLY_SATISFIED,
    )


# Helpers for tests that pin the date, name a role, or check that nothing changed.

BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")


def on(day: datetime.date):
    """Freeze the clock at 10:00 Beijing time on ``day`` (a context manager)."""
    moment = datetime.datetime.combine(day, datetime.time(10), tzinfo=BEIJING)
    return time_machine.travel(moment, tick=False)


def person(cast: Cast, role: str):
    """The user playing ``role``: a field of the cast, a deputy's account, or an extra user."""
    if role in ("deputy", "co_deputy", "other_deputy"):
        return getattr(cast, role).user
    if role == "reviewer":
        return factories.StaffFactory(username="reviewer", groups=[permissions.REVIEWERS])
    if role == "plain_staff":
        # is_staff, but in neither the committee office nor the reviewers.
        return factories.StaffFactory(username="plain_staff", groups=[])
    if role == "other_head":
        return factories.MembershipFactory(unit=cast.other_unit, is_head=True).user
    if role == "co_head":
        return factories.MembershipFactory(unit=cast.co_unit, is_head=True).user
    return getattr(cast, role)


def transitions_of(suggestion: Suggestion):
    """The transition records of a suggestion, oldest first."""
    return StateLog.objects.for_(suggestion).order_by("timestamp", "pk")


def snapshot(suggestion: Suggestion) -> dict:
    """Everything a refused action must leave as it was, read afresh from the database."""
    fresh = Suggestion.objects.get(pk=suggestion.pk)
    mine = {"assignment__suggestion": fresh}
    return {
        "suggestion": (fresh.state, fresh.round, fresh.number, fresh.complex),
        "assignments": list(
            fresh.assignments.order_by("pk").values_list(
                "pk", "unit", "role", "assigned_on", "due_on", "original_due_on", "closed_on"
            )
        ),
        "reassignment_requests": list(
            ReassignmentRequest.objects.filter(**mine).order_by("pk").values_list("pk", "decision")
        ),
        "extension_requests": list(
            ExtensionRequest.objects.filter(**mine).order_by("pk").values_list("pk", "decision")
        ),
        "communications": Communication.objects.filter(**mine).count(),
        "co_opinions": CoOpinion.objects.filter(**mine).count(),
        "replies": list(fresh.replies.order_by("pk").values_list("pk", "round", "on_time")),
        "commitments": Commitment.objects.filter(reply__suggestion=fresh).count(),
        "signoffs": list(fresh.signoffs.order_by("pk").values_list("round", "level")),
        "redos": fresh.redos.count(),
        "revisits": fresh.revisits.count(),
        "revisit_outcomes": RevisitOutcome.objects.filter(revisit__suggestion=fresh).count(),
        "transitions": transitions_of(fresh).count(),
        "number_sequences": list(NumberSequence.objects.values_list("term", "session", "last")),
    }


def communicate(cast, suggestion, times: int) -> None:
    for i in range(times):
        services.communication_record(
            assignment=lead(suggestion),
            by=cast.clerk,
            stage=Communication.Stage.DURING,
            method=Communication.Method.PHONE,
            happened_on=timezone.localdate(),
            notes=f"第{i + 1}次电话沟通。",
        )


def redone_and_revisited(cast) -> Suggestion:
    """Two rounds: replied, signed, a redo, replied and signed again, then revisited."""
    suggestion = signed(cast)
    services.suggestion_order_redo(suggestion=suggestion, by=cast.staff, reason="答复不规范。")
    prepare_reply(cast, suggestion)
    reply(cast, suggestion)
    sign_all(cast, suggestion)
    services.revisit_record(
        suggestion=suggestion,
        by=cast.staff,
        outcomes={c: "kept" for c in suggestion.current_reply().commitments.all()},
        notes="现场查看，信号灯已安装。",
        early_reason="承诺事项已提前完成。",
    )
    return suggestion
