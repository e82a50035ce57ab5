"""/healthz: the database and (when configured) Redis, for container health checks."""

import json

import pytest
from django.conf import settings


@pytest.mark.django_db
def test_healthz_reports_the_database(client):
    response = client.get("/healthz", HTTP_HOST="10.1.2.3:8000")  # any host: before ALLOWED_HOSTS
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["database"] == "ok"
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
@pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL (the PostgreSQL pass)")
def test_healthz_pings_the_real_redis(client):
    assert json.loads(client.get("/healthz").content) == {"database": "ok", "redis": "ok"}


@pytest.mark.django_db
def test_healthz_is_503_when_redis_is_unreachable(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {"database": "ok", "redis": "error"}


def test_healthz_is_503_when_the_database_is_unreachable(client, monkeypatch):
    from npc_tracker import health

    def broken():
        raise OSError("connection refused")

    monkeypatch.setattr(health, "check_database", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["database"] == "error"
