"""The reports' pages: the dashboards (``dashboard``), the assessment (``assessment``),
the handling report (``handling_report``)."""

from django.http import HttpResponse


def _todo(request, **kwargs):  # replaced by the pages as they are built
    return HttpResponse(status=501)


dashboard = assessment = assessment_export = assessment_cases = _todo
handling_report = handling_report_docx = key_board = _todo

from .dashboard import dashboard as dashboard  # noqa: E402, F811
from .key import key_board as key_board  # noqa: E402, F811
