"""A reply's signed document, served only to users who may see its suggestion, and a
paper record's scan, only to the office and the assignment's unit."""

from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views import View

from .. import selectors


def serve(stored, stem: str) -> HttpResponse:
    """The stored file as an attachment named ``stem`` and its extension, never inline."""
    name = stored.name.rsplit("/", 1)[-1]
    ext = name.rsplit(".", 1)[-1] if "." in name else ""
    filename = f"{stem}.{ext}".rstrip(".")
    if settings.DOCUMENTS_ACCEL_REDIRECT:
        # nginx sends the file from its internal location; this view only decided.
        response = HttpResponse(content_type="application/octet-stream")
        response["X-Accel-Redirect"] = settings.DOCUMENTS_ACCEL_REDIRECT + quote(stored.name)
        response["Content-Disposition"] = content_disposition_header(True, filename)
    else:
        try:
            handle = stored.open("rb")
        except FileNotFoundError:
            raise Http404
        response = FileResponse(handle, as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


class DocumentView(LoginRequiredMixin, View):
    """A reply's signed document, only for users who may see its suggestion."""

    def get(self, request, reply_id):
        reply = get_object_or_404(selectors.replies_visible_to(user=request.user), pk=reply_id)
        return serve(
            reply.document, f"{reply.suggestion.number or reply.suggestion_id}-{reply.round}"
        )


class ScanView(LoginRequiredMixin, View):
    """A paper record's scan: the committee office, and the members and leader of the unit
    that uploaded it."""

    def get(self, request, submission_id):
        submission = get_object_or_404(
            selectors.paper_submissions_visible_to(user=request.user), pk=submission_id
        )
        suggestion = submission.assignment.suggestion
        return serve(submission.scan, f"{suggestion.number or suggestion.pk}-paper-{submission.pk}")
