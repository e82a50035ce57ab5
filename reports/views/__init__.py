"""The reports' pages: the dashboards (``dashboard``), the key suggestions' board
(``key_board``), the assessment (``assessment``), the handling report
(``handling_report``)."""

from .assessment import assessment as assessment
from .assessment import assessment_cases as assessment_cases
from .assessment import assessment_export as assessment_export
from .dashboard import dashboard as dashboard
from .handling_report import handling_report as handling_report
from .handling_report import handling_report_docx as handling_report_docx
from .key import key_board as key_board
