"""The reports' pages: the dashboards (``dashboard``), the assessment (``assessment``),
the handling report (``handling_report``)."""

from django.http import HttpResponse

from .handling_report import handling_report, handling_report_docx


def _todo(request, **kwargs):  # replaced by the pages as they are built
    return HttpResponse(status=501)


dashboard = assessment = assessment_export = assessment_cases = _todo
key_board = _todo

__all__ = ["handling_report", "handling_report_docx"]
