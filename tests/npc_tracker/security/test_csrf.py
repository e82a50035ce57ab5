"""Every POST without a CSRF token is refused, with a page that says why, and nothing is
written."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from suggestions.models import Suggestion
from tests import flows


def all_views(resolver=None):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from all_views(entry)
        elif isinstance(entry, URLPattern):
            yield entry.lookup_str, entry.callback


def test_no_view_is_exempt_from_csrf():
    exempt = [name for name, view in all_views() if getattr(view, "csrf_exempt", False)]
    assert exempt == []


@pytest.fixture
def strict():
    return Client(enforce_csrf_checks=True)


def test_login_without_token_is_refused(strict, cast):
    response = strict.post(reverse("login"), {"username": "clerk", "password": "x"})
    assert response.status_code == 403
    assert "安全令牌" in response.content.decode()


def test_a_task_action_without_token_is_refused_and_changes_nothing(strict, cast):
    suggestion = flows.assigned(cast)
    assignment = suggestion.lead_assignment()
    strict.force_login(cast.clerk)
    response = strict.post(
        reverse("tasks:action", args=[assignment.pk, "communication"]), {"communication-notes": "x"}
    )
    assert response.status_code == 403
    assert not assignment.communications.exists()


def test_the_deputy_signoff_without_token_is_refused(strict, cast):
    suggestion = flows.handled(cast)
    strict.force_login(cast.deputy.user)
    response = strict.post(reverse("status:signoff", args=[suggestion.pk]), {"rating": "satisfied"})
    assert response.status_code == 403
    assert not suggestion.signoffs.exists()


def test_an_admin_change_without_token_is_refused(strict, cast):
    suggestion = flows.assigned(cast)
    strict.force_login(cast.staff)
    url = reverse("admin:suggestions_suggestion_change", args=[suggestion.pk])
    response = strict.post(url, {"title": "changed"})
    assert response.status_code == 403
    assert Suggestion.objects.get(pk=suggestion.pk).title == suggestion.title


def test_logout_and_language_switch_without_token_are_refused(strict, cast):
    strict.force_login(cast.clerk)
    assert strict.post(reverse("logout")).status_code == 403
    assert "_auth_user_id" in strict.session
    assert strict.post(reverse("set_language"), {"language": "en"}).status_code == 403
