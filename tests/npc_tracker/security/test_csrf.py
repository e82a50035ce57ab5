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
    """Only the JSON API's views are exempt at Django's level: Django REST framework
    checks the token itself for a request signed in by the session (the next test), and a
    device's token is no cookie a page of another site could send."""
    from rest_framework.views import APIView

    exempt = [
        name
        for name, view in all_views()
        if getattr(view, "csrf_exempt", False)
        and not issubclass(getattr(view, "cls", object), APIView)
    ]
    assert exempt == []


def test_an_api_write_by_the_session_without_token_is_refused(strict, db):
    from tests import factories

    user = factories.MembershipFactory().user
    strict.force_login(user)
    response = strict.post(reverse("api:logout"))
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert "CSRF" in response.json()["detail"]


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
