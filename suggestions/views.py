"""The task pages of the handling units and the government leaders, and the role home.

Thin views: a role mixin, a form, one selector or one service call. Which forms a user
sees comes from ``selectors.task_actions``; the POST view accepts only those names.
"""

from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django_fsm import TransitionNotAllowed

from . import selectors, services, task_forms
from .models import Assignment, SignOff, Suggestion

PAGE_SIZE = 20


def notification_context(request) -> dict:
    """The header's unread count, counted only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notifications": SimpleLazyObject(
            lambda: selectors.unread_notification_count(user=user)
        )
    }


class TaskUserRequiredMixin(LoginRequiredMixin):
    """Unit members and supervising leaders only; anyone else logged in gets a 403."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        # The user's units, read once for the permission and the page.
        request.task_unit_ids = selectors.task_unit_ids(request.user)
        if not request.task_unit_ids:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def home(request):
    """Send each role to its home: staff the admin, units and leaders the tasks, deputies /my/."""
    user = request.user
    if not user.is_authenticated:
        return redirect("login")
    if user.is_staff:
        return redirect("admin:index")
    if selectors.is_task_user(user):
        return redirect("tasks:list")
    if hasattr(user, "deputy"):
        return redirect("status:list")
    raise PermissionDenied


class TaskListView(TaskUserRequiredMixin, View):
    def get(self, request):
        tab = request.GET.get("tab", "todo")
        if tab not in selectors.TASK_TABS:
            tab = "todo"
        try:
            year = int(request.GET.get("year") or 0) or None
        except ValueError:
            year = None
        search = request.GET.get("q", "").strip()
        units = request.task_unit_ids
        rows = selectors.task_rows(
            user=request.user, tab=tab, year=year, search=search, unit_ids=units
        )
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        count = page.paginator.count
        return render(
            request,
            "tasks/list.html",
            {
                "page": page,
                "count_label": ngettext("%(counter)s assignment", "%(counter)s assignments", count)
                % {"counter": count},
                "tab": tab,
                "tabs": list(selectors.TASK_TABS.items()),
                "year": year,
                "years": selectors.task_years(user=request.user, unit_ids=units),
                "q": search,
                "today": timezone.localdate(),
                "roles": dict(Assignment.Role.choices),
                "states": dict(Suggestion.State.choices),
                "close_reasons": dict(Assignment.CloseReason.choices),
            },
            using="jinja2",  # the busiest page: see npc_tracker/jinja.py
        )


@dataclass
class Action:
    name: str
    title: str
    form_class: type
    multipart: bool = False


ACTIONS = {
    "communication": Action(
        "communication", gettext_lazy("Record a communication"), task_forms.CommunicationForm
    ),
    "co_opinion": Action("co_opinion", gettext_lazy("Send our opinion"), task_forms.CoOpinionForm),
    "reply": Action("reply", gettext_lazy("Reply"), task_forms.ReplyForm, multipart=True),
    "reassignment": Action(
        "reassignment", gettext_lazy("Ask for reassignment"), task_forms.ReassignmentForm
    ),
    "extension": Action(
        "extension", gettext_lazy("Ask for an extension"), task_forms.ExtensionForm
    ),
    "signoff_head": Action(
        "signoff_head", gettext_lazy("Sign as unit head"), task_forms.SignOffForm
    ),
    "signoff_leader": Action(
        "signoff_leader", gettext_lazy("Sign as government leader"), task_forms.SignOffForm
    ),
}


def _call_service(name: str, assignment, by, kwargs: dict):
    """The one service call of each action."""
    if name == "communication":
        return services.communication_record(assignment=assignment, by=by, **kwargs)
    if name == "co_opinion":
        return services.co_opinion_submit(assignment=assignment, by=by, **kwargs)
    if name == "reply":
        return services.reply_submit(assignment=assignment, by=by, **kwargs)
    if name == "reassignment":
        return services.reassignment_request(assignment=assignment, by=by, **kwargs)
    if name == "extension":
        return services.extension_request(assignment=assignment, by=by, **kwargs)
    level = SignOff.Level.UNIT_HEAD if name == "signoff_head" else SignOff.Level.LEADER
    return services.signoff_record(suggestion=assignment.suggestion, by=by, level=level, **kwargs)


def _forms(detail, failed: str | None = None, failed_form=None) -> list[dict]:
    return [
        {
            "name": name,
            "title": ACTIONS[name].title,
            "multipart": ACTIONS[name].multipart,
            "form": failed_form if name == failed else ACTIONS[name].form_class(prefix=name),
        }
        for name in detail.actions
    ]


class TaskDetailView(TaskUserRequiredMixin, View):
    def get_assignment(self, pk):
        return get_object_or_404(selectors.assignments_visible_to(user=self.request.user), pk=pk)

    def render_detail(self, assignment, failed=None, failed_form=None, status=200):
        detail = selectors.task_detail(assignment=assignment, user=self.request.user)
        context = {"detail": detail, "forms": _forms(detail, failed, failed_form)}
        return render(self.request, "tasks/detail.html", context, status=status)

    def get(self, request, pk):
        return self.render_detail(self.get_assignment(pk))


class TaskActionView(TaskDetailView):
    """One POST view for every action; only the actions available to the user now."""

    def get(self, request, pk, action):
        return redirect("tasks:detail", pk=pk)

    def post(self, request, pk, action):
        assignment = self.get_assignment(pk)
        if action not in ACTIONS:
            raise Http404
        if action not in selectors.task_actions(assignment=assignment, user=request.user):
            raise PermissionDenied
        form = ACTIONS[action].form_class(request.POST, request.FILES, prefix=action)
        if form.is_valid():
            try:
                _call_service(action, assignment, request.user, form.service_kwargs())
            except ValidationError as error:
                form.add_error(None, error)
            except (PermissionDenied, TransitionNotAllowed) as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, _("Saved: %(action)s.") % {"action": ACTIONS[action].title}
                )
                return redirect("tasks:detail", pk=pk)
        assignment.refresh_from_db()
        return self.render_detail(assignment, action, form, status=400)


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


def notification_link(notification, user) -> str:
    """Where a notification leads its reader: the page of their role for that suggestion."""
    if notification.suggestion_id is None:
        return ""
    if user.is_staff:
        return reverse("admin:suggestions_suggestion_change", args=[notification.suggestion_id])
    if notification.assignment_id:
        return reverse("tasks:detail", args=[notification.assignment_id])
    if hasattr(user, "deputy"):
        return reverse("status:detail", args=[notification.suggestion_id])
    return ""


class NotificationListView(LoginRequiredMixin, View):
    def get(self, request):
        rows = selectors.notifications_of(user=request.user)
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        for notification in page:
            notification.link = notification_link(notification, request.user)
        return render(request, "tasks/notifications.html", {"page": page})

    def post(self, request):
        services.notifications_mark_read(by=request.user)
        return redirect("tasks:notifications")
