"""The task pages (/tasks/) of the handling units and the government leaders.

Which forms a user sees is the action table's (``actions.available(Page.TASKS, ...)``);
the one POST view accepts only those actions and performs one.
"""

import datetime

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext
from django.views import View

from .. import actions, availability, panels, selectors, wording
from ..actions import Page
from ..models import Assignment, Suggestion
from .acting import ActionPostMixin
from .paging import page_of
from .signatures import signatures_html

PAGE_SIZE = 20


class TaskUserRequiredMixin(LoginRequiredMixin):
    """Unit members and supervising leaders only; anyone else logged in gets a 403."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        # The user's units (and those they sign for), read once for the permission and the page.
        request.task_units = selectors.task_units(request.user)
        request.task_unit_ids = request.task_units.ids
        if not request.task_unit_ids:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class TaskListView(TaskUserRequiredMixin, View):
    def get(self, request):
        units = request.task_units
        tabs = selectors.task_tabs(signs=units.signs)
        scope = {
            "user": request.user,
            "unit_ids": units.ids,
            "head_unit_ids": units.head_ids,
            "leader_unit_ids": units.leader_ids,
        }
        # The figures of the page, read with the apps' panels and the header's count in one
        # query: the years of the filter and, for a head or a leader, their queue's count.
        figures = {
            "years": panels.list_of(
                selectors.task_year_rows(user=request.user, unit_ids=units.ids), "year"
            )
        }
        if units.signs:
            figures["waiting"] = panels.count_of(
                selectors.task_rows(tab=selectors.SIGN_TAB, **scope)
            )
        read = panels.read(panels.TASK_LIST, request, figures=figures)
        waiting = read.figures.get("waiting", 0)
        tab = request.GET.get("tab")
        if tab not in tabs:
            # A signer lands on their queue while something waits for them.
            tab = selectors.SIGN_TAB if waiting else "todo"
        try:
            year = int(request.GET.get("year") or 0) or None
        except ValueError:
            year = None
        if year is not None and not datetime.MINYEAR <= year <= datetime.MAXYEAR:
            year = None  # a year no date has (10000, -1): the list of all years
        search = request.GET.get("q", "").strip()
        rows = selectors.task_rows(tab=tab, year=year, search=search, **scope)
        # The rows carry their count (one query), but the queue's is known already.
        known = waiting if tab == selectors.SIGN_TAB and not year and not search else None
        page = page_of(rows, request.GET.get("page"), PAGE_SIZE, count=known)
        selectors.attach_current_signoffs(a.suggestion for a in page.object_list)
        count = page.paginator.count
        # The rows, the page's hot loop, by Jinja2 (npc_tracker/jinja.py); the page itself,
        # in the site's one layout, by Django's engine.
        rows_html = render_to_string(
            "tasks/rows.html",
            {
                "page": page,
                "today": timezone.localdate(),
                "deadline_words": wording.deadline_words,
                # Translated once per language, not once per row.
                "roles": wording.choice_labels(Assignment.Role),
                "states": wording.choice_labels(Suggestion.State),
                "close_reasons": wording.choice_labels(Assignment.CloseReason),
                "detail_url": _detail_url(),
                "signatures": signatures_html,
            },
            using="jinja2",
        )
        years = sorted({int(y) for (y,) in panels.rows_of(read.figures["years"])}, reverse=True)
        return render(
            request,
            "tasks/list.html",
            {
                "page": page,
                "rows": mark_safe(rows_html),  # escaped by Jinja2's autoescape
                "count_label": ngettext("%(counter)s assignment", "%(counter)s assignments", count)
                % {"counter": count},
                "tab": tab,
                "tabs": [
                    (key, label, waiting if key == selectors.SIGN_TAB else None)
                    for key, label in tabs.items()
                ],
                "year": year,
                "years": years,
                "q": search,
                "panels": read.panels,
                "unread_notifications": read.unread,
            },
        )


def _detail_url():
    """``reverse("tasks:detail", args=[pk])`` for the rows, reversed once a page."""
    head, tail = reverse("tasks:detail", args=[_SENTINEL]).split(str(_SENTINEL))
    return lambda pk: f"{head}{pk}{tail}"


_SENTINEL = 987654321


class TaskDetailView(TaskUserRequiredMixin, View):
    def get_assignment(self, pk):
        # The units the dispatch read (no second query for them), and who entered the
        # suggestion (the timeline's first line).
        visible = selectors.assignments_visible_to(
            user=self.request.user, unit_ids=self.request.task_unit_ids
        ).select_related("suggestion__created_by")
        return get_object_or_404(visible, pk=pk)

    def render_detail(self, assignment, posted=None, status=200):
        """The page with a form for each action open to the user; ``posted``, the bound
        form of the action just posted, at its confirmation step or refused (keeping what
        was typed and saying why). The suggestion's records are read in one query, which
        the action table's predicates and the forms use too."""
        units = self.request.task_units
        availability.remember_relations(
            self.request.user, assignment, units.relations(assignment.unit_id)
        )
        detail = selectors.task_detail(assignment=assignment, user=self.request.user, units=units)
        forms = [
            {
                "action": action,
                "form": posted
                if posted is not None and action.name == posted.prefix
                else action.bind(assignment),
            }
            for action in actions.available(Page.TASKS, user=self.request.user, obj=assignment)
        ]
        context = {
            "detail": detail,
            "signatures": signatures_html(detail.suggestion),
            "forms": forms,
            # The table lists the signatures first: the one waiting for this user, if any.
            "my_signature": forms[0]["action"] if forms and forms[0]["action"].signature else None,
        }
        return render(self.request, "tasks/detail.html", context, status=status)

    def get(self, request, pk):
        return self.render_detail(self.get_assignment(pk))


class TaskActionView(ActionPostMixin, TaskDetailView):
    """One POST view for every action on an assignment; only those available now."""

    page = Page.TASKS
    detail_name = "tasks:detail"

    def get_target(self, pk):
        return self.get_assignment(pk)
