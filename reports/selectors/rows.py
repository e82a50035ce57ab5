"""The assessment's rows as the pages, the export, the report and the frozen snapshot
read them: a rate as its pair, a deduction line, one unit's row."""

import dataclasses
from decimal import Decimal
from typing import NamedTuple

from suggestions.models import HandlingUnit

from ..models import AssessmentScheme

MAX_SCORE = Decimal(100)
# The deductions whose cases the page lists (the manual ones list their reasons).
CASE_KINDS = AssessmentScheme.KINDS
# Every figure a row carries, in the page's order (the xlsx's columns follow it).
RATES = (
    "on_time",
    "co_on_time",
    "satisfied_work",
    "satisfied_result",
    "resolved",
    "signed_complete",
    "kept",
)


class Rate(NamedTuple):
    """A rate as DESIGN has it: the pair, shown as both and as a percentage; no cases is
    (0, 0) and reads "—", never 0 % or 100 %."""

    numerator: int
    denominator: int

    @property
    def percent(self) -> float | None:
        if not self.denominator:
            return None
        return round(100 * self.numerator / self.denominator, 1)

    @property
    def misses(self) -> int:
        """The cases counted that do not meet it (each one a deduction's case)."""
        return self.denominator - self.numerator

    @property
    def fraction(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    def __str__(self):
        if not self.denominator:
            return "—"
        return f"{self.numerator}/{self.denominator}（{self.percent:.1f}%）"


class DeductionLine(NamedTuple):
    kind: str
    count: int
    points: Decimal

    @property
    def label(self) -> str:
        return AssessmentScheme.kind_label(self.kind)


@dataclasses.dataclass
class UnitAssessment:
    """One unit's row of the year's assessment."""

    unit: HandlingUnit
    lead_count: int = 0
    co_count: int = 0
    on_time: Rate = Rate(0, 0)
    co_on_time: Rate = Rate(0, 0)
    satisfied_work: Rate = Rate(0, 0)
    satisfied_result: Rate = Rate(0, 0)
    resolved: Rate = Rate(0, 0)
    signed_complete: Rate = Rate(0, 0)
    kept: Rate = Rate(0, 0)
    redo_count: dict = dataclasses.field(default_factory=dict)
    reassigned_count: int = 0
    deductions: list = dataclasses.field(default_factory=list)
    score: Decimal = MAX_SCORE
    rank: int = 0
    # Not DESIGN's attributes: what the page shows beside them.
    dissatisfied_count: int = 0
    not_kept_count: int = 0
    manual: list = dataclasses.field(default_factory=list)  # [{"points", "reason", "on"}]
    cases: dict | None = None  # a frozen row's suggestions behind each deduction

    @property
    def deducted(self) -> Decimal:
        return sum((line.points for line in self.deductions), Decimal(0))

    @property
    def redo_total(self) -> int:
        return sum(self.redo_count.values())

    def to_json(self) -> dict:
        """The row as the snapshot keeps it (and the export and the API read it)."""
        return {
            "lead_count": self.lead_count,
            "co_count": self.co_count,
            **{name: list(getattr(self, name)) for name in RATES},
            "redo_count": self.redo_count,
            "reassigned_count": self.reassigned_count,
            "deductions": [[d.kind, d.count, str(d.points)] for d in self.deductions],
            "score": str(self.score),
            "rank": self.rank,
            "dissatisfied_count": self.dissatisfied_count,
            "not_kept_count": self.not_kept_count,
            "manual": self.manual,
            "cases": self.cases or {},
        }

    @classmethod
    def from_json(cls, unit: HandlingUnit, data: dict) -> "UnitAssessment":
        return cls(
            unit=unit,
            lead_count=data["lead_count"],
            co_count=data["co_count"],
            **{name: Rate(*data[name]) for name in RATES},
            redo_count=data["redo_count"],
            reassigned_count=data["reassigned_count"],
            deductions=[DeductionLine(k, c, Decimal(p)) for k, c, p in data["deductions"]],
            score=Decimal(data["score"]),
            rank=data["rank"],
            dissatisfied_count=data["dissatisfied_count"],
            not_kept_count=data["not_kept_count"],
            manual=data["manual"],
            cases=data["cases"],
        )
