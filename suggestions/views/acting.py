"""The one POST view of a page's action table rows (``actions``), for every page that
shows an object with the forms of the actions available on it: the task pages, a
station's page, an opinion's page.

A subclass names its ``page`` (``actions.Page``) and ``detail_name`` (the URL name of the
object's page), and has the detail view's ``get_target(pk)`` (the object, scoped to the
user: another's is a 404) and ``render_detail(obj, posted=None, status=200)``.

An action that asks for confirmation takes two POSTs: the first valid one shows what
will be recorded, with Confirm and Back (its form's step, ``suggestions.confirmation``);
the confirmed one calls the service. A refusal shows on the page with what was typed.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import actions


class ActionPostMixin:
    page: actions.Page
    detail_name: str

    def get_target(self, pk):
        raise NotImplementedError

    def done_url(self, pk, obj, chosen) -> str:
        """Where a performed action leads: the message at the top of the object's page,
        not the form the post came from."""
        return reverse(self.detail_name, args=[pk]) + "#messages"

    def get(self, request, pk, action):
        return redirect(self.detail_name, pk=pk)

    def post(self, request, pk, action):
        obj = self.get_target(pk)
        chosen = actions.get(self.page, action)
        if chosen is None:
            raise Http404
        if not chosen.available(request.user, obj):
            raise PermissionDenied
        form = chosen.bind(obj, request.POST, request.FILES, owner=request.user.pk)
        if form.is_valid():
            refusal = actions.perform(chosen, user=request.user, form=form)
            if refusal is None:
                messages.success(request, _("Saved: %(action)s.") % {"action": chosen.label})
                return redirect(self.done_url(pk, obj, chosen))
            form.add_error(None, refusal.error())
        elif not form.errors:
            # Waiting for the confirmation, or back to the filled-in form: nothing refused.
            return self.render_detail(obj, posted=form)
        # Afresh: the service rolled back what it changed on the object.
        return self.render_detail(self.get_target(pk), posted=form, status=400)
