"""The leading leader's key suggestions (我领办的重点建议) on the task pages, and the
inspection visits' files.

The list and each key suggestion's page are fetched through
``selectors.key_suggestions_led_by``, so another leader's key suggestion is a 404. The
visit form is the action table's (``Page.KEY``); its one POST view performs it.
"""

import os

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from .. import actions, selectors
from ..actions import Page
from .documents import serve
from .tasks import TaskUserRequiredMixin


class KeyListView(TaskUserRequiredMixin, View):
    def get(self, request):
        rows = list(selectors.key_suggestions_led_by(user=request.user))
        context = {
            "rows": rows,
            "tabs": selectors.task_tabs(signs=request.task_units.signs).items(),
        }
        return render(request, "tasks/key_list.html", context)


class KeyDetailView(TaskUserRequiredMixin, View):
    def get_key(self, pk):
        return get_object_or_404(selectors.key_suggestions_led_by(user=self.request.user), pk=pk)

    def render_detail(self, key, posted=None, status=200):
        """The page, with a form for each action open to the user; ``posted``, the bound
        form of the action just posted and refused (keeping what was typed)."""
        forms = [
            {
                "action": action,
                "form": posted
                if posted is not None and action.name == posted.prefix
                else action.bind(key),
            }
            for action in actions.available(Page.KEY, user=self.request.user, obj=key)
        ]
        context = {"detail": selectors.key_detail(key=key), "forms": forms}
        return render(self.request, "tasks/key_detail.html", context, status=status)

    def get(self, request, pk):
        return self.render_detail(self.get_key(pk))


class KeyActionView(KeyDetailView):
    """One POST view for the key suggestion's actions available to the user now."""

    def get(self, request, pk, action):
        return redirect("tasks:key", pk=pk)

    def post(self, request, pk, action):
        key = self.get_key(pk)
        chosen = actions.get(Page.KEY, action)
        if chosen is None:
            raise Http404
        if not chosen.available(request.user, key):
            raise PermissionDenied
        form = chosen.bind(key, request.POST, request.FILES, owner=request.user.pk)
        if form.is_valid():
            refusal = actions.perform(chosen, user=request.user, form=form)
            if refusal is None:
                messages.success(request, _("Saved: %(action)s.") % {"action": chosen.label})
                return redirect(reverse("tasks:key", args=[pk]) + "#messages")
            form.add_error(None, refusal.error())
        return self.render_detail(self.get_key(pk), posted=form, status=400)


class InspectionFileView(LoginRequiredMixin, View):
    """A visit's file: the office, the leading leader, the units handling the suggestion,
    its deputies and the deputies invited to follow it; anyone else gets a 404."""

    def get(self, request, file_id):
        found = get_object_or_404(
            selectors.inspection_files_visible_to(user=request.user), pk=file_id
        )
        stem = os.path.splitext(found.name)[0] or f"visit-{found.inspection_id}-{found.pk}"
        return serve(found.file, stem)
