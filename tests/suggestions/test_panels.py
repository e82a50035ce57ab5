"""The panel registry: what the apps above suggestions show on /my/ and /tasks/."""

import pytest
from django.db import connection
from django.db.models import Value
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from suggestions import panels, services
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(monkeypatch):
    """A registry of this test's own: the stations' panels stay as they are."""
    monkeypatch.setattr(panels, "_registered", {})


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def _panel(name, shown=True):
    return panels.Panel(
        figures=lambda user: {"n": Value(7)},
        draw=lambda request, found: {"template": name, "context": found} if shown else None,
    )


def test_panels_drawn_in_order_those_with_nothing_to_show_left_out(registry):
    """Each registered panel draws from its figures; one returning None is not shown; a
    panel registered twice is shown once; all in one query with the unread count."""
    first, hidden, last = _panel("first.html"), _panel("hidden.html", shown=False), _panel("b")
    for panel in (first, hidden, last, first):
        panels.register(panels.STATUS_LIST, panel)
    user = factories.UserFactory()
    services.notify(recipients=[user], kind="test", text="一")
    with CaptureQueriesContext(connection) as queries:
        read = panels.read(panels.STATUS_LIST, _request(user))
    assert [p["template"] for p in read.panels] == ["first.html", "b"]
    assert read.panels[0]["context"] == {"n": 7}
    assert read.unread == 1
    assert len(queries) == 1
    assert panels.read(panels.TASK_LIST, _request(user)).panels == []


def test_register_refuses_a_page_without_panels(registry):
    """Only the pages that draw panels take them."""
    with pytest.raises(ValueError):
        panels.register("reports:dashboard", _panel("x"))
