"""The year's outcome in the demo city: each year's assessment scheme, the office's manual
deductions (through ``reports.services.deduction_record``), and a few suggestions of last
year's session handled last year, so that the dashboard has a year to compare with.

Last year's suggestions are walked through the services with the clock set to a day of
last year (time-machine, a development package like the demo itself); without it they are
left out and the rest is built all the same.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from reports import services as reports
from reports.models import AssessmentScheme
from suggestions.models import RevisitOutcome

from .city import SESSION, Item

# The scheme the office adopted (考核细则): every kind costs something.
SCHEME = {
    "late_reply": Decimal(2),
    "missing_signatures": Decimal(1),
    "nonconforming_reply": Decimal(3),
    "late_co_opinion": Decimal("0.5"),
    "dissatisfied": Decimal(2),
    "commitment_not_kept": Decimal(2),
}
# unit key, points, reason: this year's and last year's manual deductions.
DEDUCTIONS = [
    ("zj", Decimal(2), "制度不健全：未建立建议办理工作制度，办理责任未落实到具体科室和人员。"),
    ("jt", Decimal(1), "未按要求报送年度建议办理工作总结。"),
]
LAST_YEAR_DEDUCTIONS = [
    ("jy", Decimal(2), "制度不健全：建议办理台账缺失，未按规定归档答复材料。"),
]
K = RevisitOutcome.Outcome
LAST_YEAR = [
    Item("revisited", 3, "jt", "关于改善城郊结合部道路照明的建议",
         "城郊结合部多条道路没有路灯，夜间行人和电动车出行安全隐患大。建议加快补齐路灯设施。",
         "在城郊结合部主要道路新装路灯", grade="B"),
    Item("signed", 5, "jt", "关于规范出租车运营秩序的建议",
         "火车站、汽车站周边出租车拒载、议价现象时有发生。建议加强监管，畅通投诉渠道。",
         "开展出租车运营秩序专项整治", co=("ga",)),
    Item("signed_late", 7, "zj", "关于加快老旧小区加装电梯的建议",
         "老旧小区老年住户多，上下楼困难。建议简化加装电梯审批流程，加大财政补贴力度。",
         "简化既有住宅加装电梯审批流程，落实财政补贴", rating="basic"),
    Item("redo_nonconforming", 9, "zj", "关于治理住宅小区违章搭建的建议",
         "部分住宅小区私搭乱建问题突出，侵占公共空间，物业难以制止。建议建立联合执法机制。",
         "建立住宅小区违章搭建联合执法机制",
         reason="答复函未回应代表提出的联合执法机制问题，不符合答复规范，责成重新答复。"),
    Item("revisited", 11, "jy", "关于增加城区公办幼儿园学位的建议",
         "城区公办幼儿园学位紧张，入园难问题突出。建议新建、改扩建一批公办幼儿园。",
         "新建、改扩建城区公办幼儿园", grade="B", outcome=K.NOT_KEPT),
    Item("signed", 13, "wj", "关于推进家庭医生签约服务的建议",
         "家庭医生签约服务存在签而不约现象。建议完善考核激励机制，提升服务质量。",
         "完善家庭医生签约服务考核激励机制"),
    Item("handled_late", 15, "cg", "关于整治夜市占道经营的建议",
         "部分夜市占道经营，油烟噪音扰民，影响交通。建议划定疏导点，规范经营秩序。",
         "划定夜市疏导点，规范占道经营秩序"),
    Item("signed", 17, "zr", "关于优化城市绿道规划的建议",
         "城市绿道断点多、配套设施不足。建议统筹规划，打通断点，完善驿站和标识。",
         "打通城市绿道断点，完善驿站和标识系统", rating="basic"),
]  # fmt: skip


def build(builder) -> None:
    """The schemes, last year's suggestions (when the clock can be set) and deductions."""
    year = builder.today.year
    for y in (year - 1, year):
        AssessmentScheme.objects.update_or_create(year=y, defaults=SCHEME)
    last_year = _last_year(builder)
    for key, points, reason in DEDUCTIONS:
        reports.deduction_record(
            unit=builder.units[key], year=year, by=builder.staff, points=points, reason=reason
        )
    for key, points, reason in LAST_YEAR_DEDUCTIONS if last_year else ():
        reports.deduction_record(
            unit=builder.units[key], year=year - 1, by=builder.staff, points=points, reason=reason
        )


def _last_year(builder) -> bool:
    """Walk ``LAST_YEAR`` in the session before, on a day of last November."""
    try:
        import time_machine
    except ImportError:
        return False
    today = builder.today
    day = datetime.date(today.year - 1, 11, 20)
    moment = datetime.datetime.combine(
        day, datetime.time(10), tzinfo=timezone.get_fixed_timezone(8 * 60)
    )
    if settings.USE_TZ:
        moment = moment.astimezone(datetime.UTC)
    saved = builder.today, builder.session
    try:
        with time_machine.travel(moment, tick=False):
            builder.today, builder.session = timezone.localdate(), SESSION - 1
            for index, item in enumerate(LAST_YEAR):
                builder._walk(1000 + index, item)
    finally:
        builder.today, builder.session = saved
    return True
