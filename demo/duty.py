"""The demo city's duty record (履职) of this year, made through ``deputies.services``: the
year's rules, a deputies' group and three industry groups with an activity each, and the
office's entries quarter by quarter (the committee's meetings, training, inspections,
contacts with constituents, reports to voters), so that the ranking has a spread and ties
and a few deputies fall short: no constituents met this quarter, no report to voters.

The suggestions the builder has approved count by themselves already (``suggestions.duty``,
dated the day each was raised). ``build(builder)`` runs once everything else is made; the
dates never pass today, so the demo can be made on any day of the year.
"""

import datetime
import itertools
import random
from decimal import Decimal

from deputies import services
from deputies.models import DeputyGroup, DutyRecord, DutyRule, Term
from deputies.selectors import quarter_of, quarter_range, ranking

from .city import DEMO_DEPUTY, TERM

Kind = DutyRecord.Kind
LOCAL, INDUSTRY = DeputyGroup.GroupKind.LOCAL, DeputyGroup.GroupKind.INDUSTRY

# The points the office set for the year (履职积分细则).
RULES = {
    Kind.MEETING: Decimal(2),
    Kind.INSPECTION: Decimal(3),
    Kind.RESEARCH: Decimal(3),
    Kind.TRAINING: Decimal(1),
    Kind.RECEPTION: Decimal(3),
    Kind.ACTIVITY: Decimal(1),
    Kind.CONTACT: Decimal(2),
    Kind.SUGGESTION_LEAD: Decimal(5),
    Kind.SUGGESTION_CO: Decimal(2),
    Kind.REPORT: Decimal(5),
    Kind.OTHER: Decimal(1),
}

# name, kind, members (indexes of ``city.DEPUTIES``), and the activity of the year:
# (quarter counted back from this one, kind, how many of the members were there, notes).
GROUPS = [
    ("新兴区红旗片区代表小组", LOCAL, [0, 2, 5, 7, 9], (0, Kind.CONTACT, 4,
        "代表小组进社区开展集中接待，听取居民对老旧小区改造和养老服务的意见。")),
    ("医疗卫生专业小组", INDUSTRY, [3, 7, 14, 25, 34], (1, Kind.RESEARCH, 5,
        "围绕基层医疗机构人才短缺问题赴三个乡镇卫生院调研。")),
    ("教育专业小组", INDUSTRY, [2, 11, 17, 21, 27, 31], (2, Kind.INSPECTION, 5,
        "视察城区中小学校舍安全和课后服务开展情况。")),
    ("农业农村专业小组", INDUSTRY, [10, 15, 16, 22, 26, 32, 33, 35, 39], (1, Kind.RESEARCH, 7,
        "调研高标准农田建设和农村集体经济发展情况。")),
]  # fmt: skip

# The committee's events of each quarter, attended by most deputies: (kind, name).
EVENTS = [
    (Kind.MEETING, "第{q}季度代表集中活动"),
    (Kind.TRAINING, "第{q}季度代表履职学习"),
    (Kind.INSPECTION, "第{q}季度代表专题视察"),
]

# Who falls short this year (indexes of ``city.DEPUTIES``; none keeps a liaison station's
# hours, so no reception can meet their quarter): no constituents met this quarter, and
# no report to voters (the demo deputy too: the one rule their page still shows owed).
NO_CONTACT_THIS_QUARTER = {4, 8, 16, 23, 29, 36}
NO_REPORT = {DEMO_DEPUTY, 1, 8, 12, 20, 28, 33, 38}


def build(builder) -> None:
    today = builder.today
    year = today.year
    Term.objects.get_or_create(number=TERM, defaults={"starts_on": datetime.date(year - 2, 1, 1)})
    for kind, points in RULES.items():
        DutyRule.objects.update_or_create(year=year, kind=kind, defaults={"points": points})
    _groups(builder)
    _entries(builder)
    _a_tie(builder)


def _day(builder, quarter: int, share: float) -> datetime.date:
    """A day ``share`` of the way into ``quarter`` of this year, never after today."""
    start, end = quarter_range(builder.today.year, quarter)
    end = min(end, builder.today)
    return start + datetime.timedelta(days=int((end - start).days * share))


def _groups(builder) -> None:
    current = quarter_of(builder.today)
    for name, kind, members, (back, activity, present, notes) in GROUPS:
        group = DeputyGroup.objects.update_or_create(name=name, defaults={"kind": kind})[0]
        deputies = [builder.deputies[i] for i in members]
        group.members.set(deputies)
        services.group_activity_record(
            group=group,
            by=builder.staff,
            kind=activity,
            happened_on=_day(builder, max(current - back, 1), 0.4),
            present=deputies[:present],
            notes=notes,
        )


def _entries(builder) -> None:
    # A generator of its own: what the builder draws before this leaves the record alone.
    rng, today = random.Random(17), builder.today
    current = quarter_of(today)
    for quarter in range(1, current + 1):
        for index, deputy in enumerate(builder.deputies):
            # The committee's events: most deputies at most of them, the demo deputy at all.
            for n, (kind, name) in enumerate(EVENTS):
                if index == DEMO_DEPUTY or rng.random() < 0.6:
                    services.duty_record(
                        deputy=deputy,
                        by=builder.staff,
                        kind=kind,
                        happened_on=_day(builder, quarter, 0.2 + 0.25 * n),
                        source=name.format(q=quarter),
                    )
            if quarter == current and index in NO_CONTACT_THIS_QUARTER:
                continue
            # Constituents met at least once a quarter, some twice.
            for visit in range(1 if index == DEMO_DEPUTY else rng.choice([1, 1, 2])):
                services.duty_record(
                    deputy=deputy,
                    by=builder.staff,
                    kind=Kind.CONTACT,
                    happened_on=_day(builder, quarter, 0.3 + 0.4 * visit),
                    notes="走访选区群众，听取对社区治理的意见建议。",
                )
    # The reports to voters (向选民述职) of the year, in its first half where it has one.
    for index, deputy in enumerate(builder.deputies):
        if index not in NO_REPORT:
            services.duty_record(
                deputy=deputy,
                by=builder.staff,
                kind=Kind.REPORT,
                happened_on=_day(builder, min(2, current), 0.5),
                source=f"{today.year}年度向选民述职",
            )


def _a_tie(builder) -> None:
    """Two deputies sharing a rank, whatever day the demo is made on: when the entries
    made none, the closest pair is evened by an entry of the office worth the gap."""
    totals = [(row.total, row.deputy_id) for row in ranking(year=builder.today.year)]
    gaps = [(high - low, low_id) for (high, _), (low, low_id) in itertools.pairwise(totals)]
    if not gaps or min(gap for gap, _id in gaps) == 0:
        return
    gap, deputy_id = min(gaps)
    deputy = next(d for d in builder.deputies if d.pk == deputy_id)
    services.duty_record(
        deputy=deputy,
        by=builder.staff,
        kind=Kind.OTHER,
        happened_on=builder.today,
        points=gap,
        notes="参加市人大常委会组织的执法检查座谈。",
    )
