"""Reads of the reports: the units' assessment (``assessment``: its rows in ``rows``, the
suggestions behind each count in ``cases``, the page's reads in ``assessment_page``), the
dashboards (``dashboard``), the handling report (``handling_report``)."""

from .assessment import closing_of, unit_assessment
from .cases import assessment_cases, unit_cases
from .handling_report import HandlingReport, handling_report
from .rows import CASE_KINDS, RATES, DeductionLine, Rate, UnitAssessment

__all__ = [
    "CASE_KINDS",
    "RATES",
    "DeductionLine",
    "HandlingReport",
    "Rate",
    "UnitAssessment",
    "assessment_cases",
    "closing_of",
    "handling_report",
    "unit_assessment",
    "unit_cases",
]
