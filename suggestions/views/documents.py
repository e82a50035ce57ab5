"""A reply's signed document, served only to users who may see its suggestion."""

from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views import View

from .. import selectors


class DocumentView(LoginRequiredMixin, View):
    """A reply's signed document, only for users who may see its suggestion."""

    def get(self, request, reply_id):
        reply = get_object_or_404(selectors.replies_visible_to(user=request.user), pk=reply_id)
        name = reply.document.name.rsplit("/", 1)[-1]
        ext = name.rsplit(".", 1)[-1] if "." in name else ""
        filename = f"{reply.suggestion.number or reply.suggestion_id}-{reply.round}.{ext}"
        if settings.DOCUMENTS_ACCEL_REDIRECT:
            # nginx sends the file from its internal location; this view only decided.
            response = HttpResponse(content_type="application/octet-stream")
            response["X-Accel-Redirect"] = settings.DOCUMENTS_ACCEL_REDIRECT + quote(
                reply.document.name
            )
            response["Content-Disposition"] = content_disposition_header(True, filename.rstrip("."))
        else:
            try:
                handle = reply.document.open("rb")
            except FileNotFoundError:
                raise Http404
            response = FileResponse(handle, as_attachment=True, filename=filename.rstrip("."))
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
