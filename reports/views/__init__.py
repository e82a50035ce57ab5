"""The reports' pages: the dashboards (``dashboard``), the assessment (``assessment``),
the handling report (``handling_report``)."""

from django.http import HttpResponse

from .assessment import assessment as assessment
from .assessment import assessment_cases as assessment_cases
from .assessment import assessment_export as assessment_export
from .handling_report import handling_report as handling_report
from .handling_report import handling_report_docx as handling_report_docx


def _todo(request, **kwargs):  # replaced by the pages as they are built
    return HttpResponse(status=501)


dashboard = key_board = _todo
