"""The deputies' status pages (/my/): read-only, except the lead deputy's sign-off (a
lead deputy of a merged group signs the main suggestion's record, from either page).

Thin views: a role mixin, one selector or one action. Every suggestion is fetched through
``suggestions_visible_to_deputy``, so another deputy's id is a 404. The only view that
accepts a POST is the sign-off (``actions``, ``Page.STATUS``); the others answer a POST
with 405.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from deputies import selectors as deputy_selectors
from deputies.selectors import deputy_of

from .. import actions, availability, panels, selectors
from ..actions import Page
from ..models import Suggestion
from ..notifications.selectors import newest_new_notifications
from .paging import page_of
from .signatures import signatures_html

PAGE_SIZE = 20
SIGNOFF = actions.get(Page.STATUS, "signoff")


def progress_html(status) -> str:
    """The progress bar of a status: one ordered list for the list page and the suggestion's
    page alike. Plain string building: the list page draws one per row."""
    items = []
    for step in status.stages:
        classes = " ".join(c for c in ("done" * step["done"], "current" * step["current"]) if c)
        current = ' aria-current="step"' if step["current"] else ""
        items.append(f'<li class="{classes}"{current}><span>{escape(step["label"])}</span></li>')
    stopped = " stopped" if status.stopped else ""
    label = escape(_("Progress"))  # outside the f-string, where makemessages finds it
    return mark_safe(
        f'<ol class="progress{stopped}" data-stage="{int(status.stage)}" '
        f'aria-label="{label}">{"".join(items)}</ol>'
    )


class DeputyRequiredMixin(LoginRequiredMixin):
    """Deputies with an account only; anyone else logged in gets a 403."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if deputy_of(request.user) is None:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_suggestion(self, pk):
        visible = selectors.suggestions_visible_to_deputy(user=self.request.user)
        return get_object_or_404(visible, pk=pk)


class StatusListView(LoginRequiredMixin, View):
    def get(self, request):
        user = request.user
        # The deputy (none: a 403, as DeputyRequiredMixin's) read with the page's figures,
        # the apps' panels and the header's count in one query: the newest notifications,
        # and whether any key suggestion is followed (else its list is not read).
        notifications = newest_new_notifications(user=user)
        figures = {
            "notifications": panels.list_of(
                notifications, "kind", "text", "suggestion_id", "created_at", "pk"
            ),
            "follows": selectors.follows_key_suggestions(OuterRef("pk")),
        }
        read = panels.read(
            panels.STATUS_LIST, request, figures=figures, on=deputy_selectors.deputy_row(user)
        )
        if read is None:
            raise PermissionDenied
        deputy = read.row
        deputy_selectors.keep_deputy(user, deputy)
        page = page_of(
            selectors.status_rows(user=user), request.GET.get("page"), PAGE_SIZE, window=True
        )
        today = timezone.localdate()
        selectors.attach_current_signoffs(page.object_list)
        rows = []
        for row in page:
            status = selectors.status_of(row, deputy=deputy, today=today)
            rows.append((row, status, progress_html(status), signatures_html(row)))
        count = page.paginator.count
        context = {
            "page": page,
            "rows": rows,
            "count_label": ngettext("%(counter)s suggestion", "%(counter)s suggestions", count)
            % {"counter": count},
            "deputy": deputy,
            "notifications": [
                {"kind": kind, "text": text, "suggestion_id": suggestion_id}
                for kind, text, suggestion_id, _at, _pk in panels.rows_of(
                    read.figures["notifications"]
                )
            ],
            # The key suggestions the deputy is invited to follow, with their visits.
            "followed": selectors.key_suggestions_followed_by(user=user)
            if read.figures["follows"]
            else [],
            "panels": read.panels,
            "unread_notifications": read.unread,
        }
        return render(request, "status/list.html", context)


class StatusDetailView(DeputyRequiredMixin, View):
    def render_detail(self, suggestion, form=None, status=200):
        detail = selectors.status_detail(suggestion=suggestion, user=self.request.user)
        # A merged suggestion (并案) is answered, and signed, on its main one.
        suggestion = detail.handling
        if form is None and SIGNOFF.available(self.request.user, suggestion):
            form = SIGNOFF.bind(suggestion)
        context = {
            "detail": detail,
            "progress": progress_html(detail.status),
            "signatures": signatures_html(suggestion),
            "action": SIGNOFF,
            "form": form,
            # Its key designation and visits, when it is a key suggestion.
            "key": selectors.key_of(suggestion),
            "deputy": deputy_of(self.request.user),
            # A deputy working for the lead unit signs on the paper record instead.
            "signs_on_paper": form is None
            and suggestion.state == Suggestion.State.HANDLED
            and availability.signs_on_paper(self.request.user, suggestion),
        }
        return render(self.request, "status/detail.html", context, status=status)

    def get(self, request, pk):
        # The suggestion as the list reads it, which ``status_detail`` uses as it is (one
        # query, not two); scoped like ``get_suggestion``: another deputy's is a 404.
        rows = selectors.status_rows(user=request.user)
        return self.render_detail(get_object_or_404(rows, pk=pk))


class SignOffView(StatusDetailView):
    """The lead deputy's sign-off, in two steps: the ratings, then their confirmation.

    The service refuses everyone and everything else: a POST from someone the form is not
    offered to (a co-signer, a round already signed) has nothing to confirm and goes
    straight to the service, which says why.
    """

    def get(self, request, pk):
        return redirect("status:detail", pk=pk)

    def post(self, request, pk):
        # A lead deputy of a merged group signs the main suggestion's record (并案).
        suggestion = self.get_suggestion(pk).main
        offered = SIGNOFF.available(request.user, suggestion)
        form = SIGNOFF.bind(suggestion, request.POST, owner=request.user.pk, confirmed=not offered)
        if not form.is_valid():
            status = 200 if not form.errors else 400  # the confirmation step, or refused
            return self.render_detail(self.get_suggestion(pk), form=form, status=status)
        refusal = actions.perform(SIGNOFF, user=request.user, form=form)
        if refusal is not None:
            # Re-read: the service rolled back, and the instance may be stale.
            form.add_error(None, refusal.error())
            return self.render_detail(self.get_suggestion(pk), form=form, status=400)
        messages.success(request, _("Thank you: your sign-off is recorded."))
        return redirect(reverse("status:detail", args=[pk]) + "#messages")
