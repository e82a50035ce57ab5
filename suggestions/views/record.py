"""The handling record (纪实表) from the task pages: printed for the signatures, and the
upload of the signed scan (the action table's ``paper_submit``), for the assignment's unit."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import actions, exports
from ..actions import Page
from ..models import PaperSubmission
from .tasks import TaskDetailView

ACTION = "paper_submit"


class TaskRecordView(TaskDetailView):
    """GET: the printable record and, for the lead unit, the upload; POST: the upload, in
    two steps like every action whose record cannot be taken back (its confirmation)."""

    def render_record(self, assignment, form=None, status=200):
        action = actions.get(Page.TASKS, ACTION)
        offered = action.available(self.request.user, assignment)
        context = {
            **exports.handling_record(assignment.suggestion),
            "assignment": assignment,
            "back_url": reverse("tasks:detail", args=[assignment.pk]),
            "action": action,
            "upload_form": (form or action.bind(assignment)) if offered else None,
            "submissions": PaperSubmission.objects.filter(assignment=assignment)
            .select_related("submitted_by", "decided_by")
            .order_by("-submitted_at"),
        }
        return render(self.request, "tasks/record.html", context, status=status)

    def get(self, request, pk):
        return self.render_record(self.get_assignment(pk))

    def post(self, request, pk):
        assignment = self.get_assignment(pk)
        action = actions.get(Page.TASKS, ACTION)
        if not action.available(request.user, assignment):
            raise PermissionDenied
        form = action.bind(assignment, request.POST, request.FILES, owner=request.user.pk)
        if form.is_valid():
            refusal = actions.perform(action, user=request.user, form=form)
            if refusal is None:
                messages.success(
                    request,
                    _("The signed record was sent to the committee office for verification."),
                )
                return redirect("tasks:record", pk=pk)
            form.add_error(None, refusal.error())
        elif not form.errors:
            # The confirmation step (the scan kept on the server), or back to the form.
            return self.render_record(assignment, form=form)
        return self.render_record(self.get_assignment(pk), form=form, status=400)
