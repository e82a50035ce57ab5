"""Reads of the reports: the units' assessment (``assessment``), the dashboards
(``dashboard``), the handling report (``handling_report``)."""

from .assessment import closing_of, unit_assessment
from .cases import assessment_cases, unit_cases
from .rows import CASE_KINDS, RATES, DeductionLine, Rate, UnitAssessment

__all__ = [
    "CASE_KINDS",
    "RATES",
    "DeductionLine",
    "Rate",
    "UnitAssessment",
    "assessment_cases",
    "closing_of",
    "unit_assessment",
    "unit_cases",
]
from .handling_report import HandlingReport, handling_report

__all__ += ["HandlingReport", "handling_report"]
