"""The API's schema: the errors it promises are the ones the API answers, the committed
``docs/api/openapi.yaml`` is the code's, and the schema and its documentation are served."""

import pytest
from django.test import RequestFactory

from npc_tracker import views

pytestmark = pytest.mark.django_db

PROBLEM_KEYS = {"type", "title", "status", "detail", "code", "errors"}


def test_a_url_under_api_no_route_takes_is_a_404_problem(client):
    """A device's id that is not a UUID never reaches the API's views: Django's 404 is a
    problem there too (schemathesis found the HTML page)."""
    answer = client.get("/api/v1/auth/devices/not-a-uuid/")
    assert answer.status_code == 404
    assert answer["Content-Type"] == "application/problem+json"
    body = answer.json()
    assert set(body) == PROBLEM_KEYS
    assert body["code"] == "not_found" and body["status"] == 404
    assert body["errors"] == [{"field": None, "code": "not_found", "message": body["detail"]}]


def test_a_page_404_is_still_the_sites_page(client):
    answer = client.get("/no-such-page/")
    assert answer.status_code == 404
    assert answer["Content-Type"].startswith("text/html")


def test_a_server_error_under_api_is_a_problem():
    answer = views.server_error(RequestFactory().get("/api/v1/me/"))
    assert answer.status_code == 500
    assert answer["Content-Type"] == "application/problem+json"
    assert b'"code": "server_error"' in answer.content
    page = views.server_error(RequestFactory().get("/tasks/"))
    assert page["Content-Type"].startswith("text/html")
