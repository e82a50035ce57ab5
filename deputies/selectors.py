"""Reads about people: who a user is as a deputy; a deputy's duty year, the year's ranking
and the contact rules (DESIGN "Deputy duty")."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from .models import Deputy, DeputyGroup, DutyRecord, DutyRule, DutyTotal
from .models.duty import DEFAULT_POINTS

Kind = DutyRecord.Kind

# Meeting constituents: a reception at a station, a contact, a report to voters.
CONTACT_KINDS = (Kind.RECEPTION, Kind.CONTACT, Kind.REPORT)
SUGGESTION_KINDS = (Kind.SUGGESTION_LEAD, Kind.SUGGESTION_CO)
POINTS = DecimalField(max_digits=9, decimal_places=1)


def deputy_of(user):
    """The user's deputy record, or None (one query, cached on the user)."""
    if not user.is_authenticated:
        return None
    return getattr(user, "deputy", None)


def deputy_row(user) -> QuerySet[Deputy]:
    """The user's deputy record as a queryset (at most one row), for a page that reads it
    with its other figures in one query; ``keep_deputy`` then saves ``deputy_of`` its own."""
    return Deputy.objects.filter(user=user.pk)


def keep_deputy(user, deputy: Deputy) -> None:
    """Let ``deputy_of(user)`` answer ``deputy``, read by the caller, without a query."""
    user.deputy = deputy  # the relation's cache on both sides, as select_related fills it


def year_range(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def quarter_of(day: datetime.date) -> int:
    return (day.month - 1) // 3 + 1


def quarter_range(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    start = datetime.date(year, 3 * quarter - 2, 1)
    end = datetime.date(year + 1, 1, 1) if quarter == 4 else datetime.date(year, 3 * quarter + 1, 1)
    return start, end - datetime.timedelta(days=1)


def points_of(year: int) -> dict[str, Decimal]:
    """What each kind is worth in ``year``: its rule, or the default (one query)."""
    points = {kind: DEFAULT_POINTS[kind] for kind in Kind.values}
    points.update(DutyRule.objects.filter(year=year).values_list("kind", "points"))
    return points


def points_expression(points: dict[str, Decimal], prefix: str = ""):
    """A record's signed points: its own, or its kind's in the year, times its sign."""
    kind_points = Case(
        *[When(**{f"{prefix}kind": kind}, then=Value(value)) for kind, value in points.items()],
        default=Value(Decimal(0)),
        output_field=POINTS,
    )
    return F(f"{prefix}sign") * Coalesce(F(f"{prefix}points"), kind_points, output_field=POINTS)


def total_expression(points: dict[str, Decimal]):
    """A ``DutyTotal`` row's points: its ruled records at the kind's points in the year,
    plus the points of its records that have their own."""
    kind_points = Case(
        *[When(kind=kind, then=Value(value)) for kind, value in points.items()],
        default=Value(Decimal(0)),
        output_field=POINTS,
    )
    return ExpressionWrapper(F("ruled") * kind_points + F("fixed"), output_field=POINTS)


def year_totals(year: int):
    """Each deputy's total of ``year`` (``deputy_id``, ``total``), summed from the totals
    the database keeps per deputy, year and kind (``DutyTotal``), not from every record."""
    return (
        DutyTotal.objects.filter(year=year)
        .order_by()
        .values("deputy_id")
        .annotate(total=Sum(total_expression(points_of(year))))
    )


# Not frozen: a frozen dataclass's __init__ sets each field through object.__setattr__,
# four times slower, and the ranking makes one per deputy (100,000 in the bench).
@dataclass
class RankRow:
    deputy_id: int
    name: str
    delegation: str
    level: str
    total: Decimal
    rank: int
    rank_in_delegation: int


def ranking(*, year: int) -> list[RankRow]:
    """Every deputy's total for ``year``, ranked overall and within their delegation (ties
    share a rank, in the order of their names, then ids; a deputy without records has 0).
    Two queries: the year's rules, and one statement that sums the year's totals by
    deputy (``year_totals``), joins every deputy to them and ranks them with two window
    functions, sorted; Python only makes the rows (docs/performance.md, "Deputies'
    duty")."""
    totals_sql, params = year_totals(year).query.sql_with_params()
    quote = connection.ops.quote_name
    deputy = Deputy._meta.db_table
    # Ties in the order of the names' code points, as Python would sort them.
    by_name = ' COLLATE "C"' if connection.vendor == "postgresql" else ""
    sql = f"""
        WITH totals AS ({totals_sql})
        SELECT d.id, d.name, d.delegation, d.level, COALESCE(t.total, 0) AS total,
               RANK() OVER (ORDER BY COALESCE(t.total, 0) DESC),
               RANK() OVER (PARTITION BY d.delegation ORDER BY COALESCE(t.total, 0) DESC)
        FROM {quote(deputy)} d LEFT JOIN totals t ON t.{quote("deputy_id")} = d.id
        ORDER BY 5 DESC, d.name{by_name}, d.id
    """
    tenth = Decimal("0.1")
    exact = connection.vendor == "postgresql"  # numeric comes back as Decimal
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            RankRow(
                pk,
                name,
                delegation,
                level,
                total if exact else Decimal(repr(total)).quantize(tenth),
                rank,
                rank_in_delegation,
            )
            for pk, name, delegation, level, total, rank, rank_in_delegation in cursor.fetchall()
        ]


def filter_ranking(
    rows: list[RankRow],
    *,
    delegation: str = "",
    level: str = "",
    group: DeputyGroup | None = None,
    member_ids: Iterable[int] | None = None,
) -> list[RankRow]:
    """The ranking's rows of a delegation, a level or a group, keeping the overall ranks.
    ``member_ids``: the group's members when the caller has them (no query)."""
    members = None
    if member_ids is not None:
        members = set(member_ids)
    elif group is not None:
        members = set(group.members.values_list("pk", flat=True))
    return [
        row
        for row in rows
        if (not delegation or row.delegation == delegation)
        and (not level or row.level == level)
        and (members is None or row.deputy_id in members)
    ]


@dataclass
class Check:
    """One contact rule for a deputy's year: met or not, and what is still owed."""

    code: str
    label: str
    met: bool
    owed: str = ""


@dataclass
class DutyYear:
    deputy: Deputy
    year: int
    records: list = field(default_factory=list)
    by_kind: list = field(default_factory=list)  # (kind label, count, points)
    total: Decimal = Decimal(0)
    rank: int | None = None
    rank_in_delegation: int | None = None
    checks: list[Check] = field(default_factory=list)


def _net_by(records, key) -> dict:
    """Net counts (records minus reversals) grouped by ``key(record)``."""
    found: dict = {}
    for record in records:
        found[key(record)] = found.get(key(record), 0) + record.sign
    return found


def contact_checks(records, *, year: int, today: datetime.date) -> list[Check]:
    """The contact rules over a deputy's records of ``year`` (DESIGN): constituents met in
    every quarter so far, at least one suggestion, a report to voters."""
    contacts = _net_by(
        [r for r in records if r.kind in CONTACT_KINDS], lambda r: quarter_of(r.happened_on)
    )
    last_quarter = 4 if today.year > year else quarter_of(today)
    checks = []
    for quarter in range(1, last_quarter + 1):
        met = contacts.get(quarter, 0) > 0
        current = today.year == year and quarter == last_quarter
        start, end = quarter_range(year, quarter)
        checks.append(
            Check(
                f"contact_q{quarter}",
                _("Constituents met in quarter %(quarter)s") % {"quarter": quarter},
                met,
                ""
                if met
                else (
                    _("Meet constituents before %(end)s.") % {"end": end}
                    if current
                    else _("Not met in this quarter.")
                ),
            )
        )
    kinds = _net_by(records, lambda r: r.kind)
    suggested = sum(kinds.get(kind, 0) for kind in SUGGESTION_KINDS) > 0
    checks.append(
        Check(
            "suggestion",
            _("At least one suggestion this year"),
            suggested,
            "" if suggested else _("Raise or co-sign a suggestion."),
        )
    )
    reported = kinds.get(Kind.REPORT, 0) > 0
    checks.append(
        Check(
            "report",
            _("A report to voters this year"),
            reported,
            "" if reported else _("Report to your voters (述职)."),
        )
    )
    return checks


def duty_year(*, deputy: Deputy, year: int, today: datetime.date) -> DutyYear:
    """A deputy's year: the records with their points, points by kind, the total, the
    ranks overall and within the delegation, and the contact rules (three queries)."""
    start, end = year_range(year)
    points = points_of(year)
    records = list(
        DutyRecord.objects.filter(deputy=deputy, happened_on__range=(start, end))
        .annotate(worth=points_expression(points))
        .order_by("-happened_on", "-pk")
    )
    labels = dict(Kind.choices)
    by_kind = []
    total = Decimal(0)
    for kind in Kind.values:
        mine = [r for r in records if r.kind == kind]
        if not mine:
            continue
        worth = sum((r.worth for r in mine), Decimal(0))
        by_kind.append((labels[kind], sum(r.sign for r in mine), worth))
        total += worth
    # Both ranks in one query: the year's totals by deputy, counted above this one.
    floor = max(total, Decimal(0))  # those without records tie at 0
    ranks = (
        DutyTotal.objects.filter(year=year)
        .order_by()
        .values("deputy_id", "deputy__delegation")
        .annotate(total=Sum(total_expression(points)))
        .aggregate(
            ahead=Count("deputy_id", filter=Q(total__gt=floor)),
            ahead_in_delegation=Count(
                "deputy_id", filter=Q(total__gt=floor, deputy__delegation=deputy.delegation)
            ),
        )
    )
    return DutyYear(
        deputy=deputy,
        year=year,
        records=records,
        by_kind=by_kind,
        total=total,
        rank=ranks["ahead"] + 1,
        rank_in_delegation=ranks["ahead_in_delegation"] + 1,
        checks=contact_checks(records, year=year, today=today),
    )


def shortfalls(
    *, year: int, today: datetime.date, deputy_ids: Iterable[int] | None = None
) -> dict[int, list[str]]:
    """The deputies who fall short of a contact rule in ``year`` so far: deputy id → the
    codes of the rules unmet (the office's list; two queries, one when the caller gives
    the deputies' ids, e.g. from the ranking's rows)."""
    start, end = year_range(year)
    last_quarter = 4 if today.year > year else quarter_of(today)
    nets: dict[tuple[int, str, int], int] = {}
    for deputy_id, kind, day, sign in (
        DutyRecord.objects.filter(happened_on__range=(start, end))
        .filter(Q(kind__in=CONTACT_KINDS) | Q(kind__in=SUGGESTION_KINDS))
        .order_by()
        .values_list("deputy_id", "kind", "happened_on", "sign")
    ):
        quarter = quarter_of(day)
        if kind in CONTACT_KINDS:
            key = (deputy_id, "contact", quarter)
            nets[key] = nets.get(key, 0) + sign
        if kind in SUGGESTION_KINDS:
            key = (deputy_id, "suggestion", 0)
            nets[key] = nets.get(key, 0) + sign
        if kind == Kind.REPORT:
            key = (deputy_id, "report", 0)
            nets[key] = nets.get(key, 0) + sign
    short: dict[int, list[str]] = {}
    if deputy_ids is None:
        deputy_ids = Deputy.objects.order_by().values_list("pk", flat=True)
    for deputy_id in deputy_ids:
        missing = [
            f"contact_q{quarter}"
            for quarter in range(1, last_quarter + 1)
            if nets.get((deputy_id, "contact", quarter), 0) <= 0
        ]
        if nets.get((deputy_id, "suggestion", 0), 0) <= 0:
            missing.append("suggestion")
        if nets.get((deputy_id, "report", 0), 0) <= 0:
            missing.append("report")
        if missing:
            short[deputy_id] = missing
    return short
