"""The year's handling report (办理情况报告) for the committee office: a printable A4
page and the same text as a .docx to edit before the meeting."""

from urllib.parse import quote

from django.http import Http404, HttpResponse
from django.shortcuts import render

from .. import selectors
from ..access import reader_required
from ..report_docx import render_docx
from ..report_text import handling_report_document

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _report(year: int):
    if not 2000 <= year <= 9998:  # outside any date the counts could use
        raise Http404
    return selectors.handling_report(year=year)


@reader_required(staff_only=True)
def handling_report(request, viewer, year: int):
    report = _report(year)
    return render(
        request,
        "reports/handling_report.html",
        {
            "year": year,
            "viewer": viewer,
            "report": report,
            "document": handling_report_document(report),
        },
    )


@reader_required(staff_only=True)
def handling_report_docx(request, viewer, year: int):
    document = handling_report_document(_report(year))
    response = HttpResponse(render_docx(document), content_type=DOCX)
    # An ASCII name for old clients, the Chinese one (RFC 5987) for the others.
    response["Content-Disposition"] = (
        f'attachment; filename="handling-report-{year}.docx"; '
        f"filename*=UTF-8''{quote(document.filename)}"
    )
    return response
