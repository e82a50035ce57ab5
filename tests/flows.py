"""Move a suggestion along the lifecycle through the services, as the pages do."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from suggestions import services
from suggestions.models import Assignment, Communication, SignOff, Suggestion
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


def sign_all(cast: Cast, suggestion: Suggestion, rating: str = SignOff.Rating.SATISFIED) -> None:
    services.signoff_record(
        suggestion=suggestion,
        by=cast.deputy.user,
        level=SignOff.Level.DEPUTY,
        work_rating=rating,
        result_rating=rating,
        opinion="" if rating != SignOff.Rating.DISSATISFIED else "未解决实际问题。",
    )
    services.signoff_record(suggestion=suggestion, by=cast.head, level=SignOff.Level.UNIT_HEAD)
    services.signoff_record(suggestion=suggestion, by=cast.leader, level=SignOff.Level.LEADER)


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
    )
    return suggestion
