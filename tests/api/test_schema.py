"""The API's schema: the errors it promises are the ones the API answers, the committed
``docs/api/openapi.yaml`` is the code's, and the schema and its documentation are served."""

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from npc_tracker import views
from tests import flows

pytestmark = pytest.mark.django_db

COMMITTED = Path(settings.BASE_DIR) / "docs" / "api" / "openapi.yaml"
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


def test_a_form_django_refuses_under_api_is_a_400_problem(client):
    """Too many fields for Django (DATA_UPLOAD_MAX_NUMBER_FIELDS): a 400 problem, not the
    HTML page, though no view of the API ran."""
    fields = {f"f{i}": "1" for i in range(1100)}
    answer = client.post(reverse("api:login"), fields)
    assert answer.status_code == 400
    assert answer["Content-Type"] == "application/problem+json"
    assert answer.json()["code"] == "bad_request"


@pytest.mark.parametrize("body", ["3479", "[]", '"text"', "null"])
def test_an_action_posted_something_else_than_an_object_is_a_400_problem(cast, body):
    """An action's JSON body must be an object: a number, a list, a string or null is a
    400 problem (schemathesis found a server error)."""
    task = flows.lead(flows.assigned(cast))
    client = APIClient()
    client.force_authenticate(cast.clerk)
    answer = client.post(
        reverse("api:task-communication", args=[task.pk]), body, content_type="application/json"
    )
    assert answer.status_code == 400
    assert answer["Content-Type"] == "application/problem+json"
    assert answer.json()["code"] == "invalid"
    assert task.communications.count() == 0


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


def test_the_committed_schema_is_the_codes(tmp_path):
    """docs/api/openapi.yaml is what the code generates (in English): a change to an
    endpoint, a serializer or a form of the action table shows in the committed file."""
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", lang="en", validate=True, fail_on_warn=True, file=str(generated))
    current = yaml.safe_load(generated.read_text(encoding="utf-8"))
    committed = yaml.safe_load(COMMITTED.read_text(encoding="utf-8"))
    differences = list(_differences(committed, current))
    assert not differences, (
        "docs/api/openapi.yaml is not the code's schema: run `make schema` and commit it. "
        f"It differs at: {', '.join(differences[:10])}"
    )


def _differences(committed, current, where="") -> Iterator[str]:
    """Where two parsed documents differ, as paths (``paths./api/v1/me/.get``)."""
    if isinstance(committed, dict) and isinstance(current, dict):
        for key in sorted(set(committed) | set(current), key=str):
            inside = f"{where}.{key}" if where else str(key)
            if key not in committed or key not in current:
                yield inside
            else:
                yield from _differences(committed[key], current[key], inside)
    elif committed != current:
        yield where or "(the whole file)"


def test_the_schema_is_served_with_the_token_scheme_and_the_problem(client):
    answer = client.get(reverse("api:schema"), {"format": "json"})
    assert answer.status_code == 200
    schema = answer.json()
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["tokenAuth"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": schema["components"]["securitySchemes"]["tokenAuth"]["description"],
    }
    problem = schema["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == PROBLEM_KEYS
    me = schema["paths"]["/api/v1/me/"]["get"]
    assert {"tokenAuth": []} in me["security"]
    assert me["responses"]["401"]["content"]["application/problem+json"]["schema"] == {
        "$ref": "#/components/schemas/Problem"
    }
    # The YAML the documentation page reads, without signing in.
    assert client.get(reverse("api:schema"))["Content-Type"].startswith(
        "application/vnd.oai.openapi"
    )
