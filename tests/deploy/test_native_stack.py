"""The production processes, run natively as docker-compose runs them (the PostgreSQL CI
pass): gunicorn with the production settings, a Celery worker and one beat, against the
real PostgreSQL and Redis. Logs in, loads a page, and sees the beat's sweep done by the
worker."""

import datetime
import http.client
import os
import re
import socket
import subprocess
import sys
import uuid
from urllib.parse import urlencode

import pytest
import redis
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.utils import timezone

from suggestions.models import Assignment, Reminder
from tests import flows
from tests.processes import wait_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.xdist_group("broker"),  # with the worker tests, which restart Redis
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL (a real broker)"),
]

PASSWORD = "smoke-test-password-1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """Plain HTTP to gunicorn, as nginx sends it: X-Forwarded-Proto https, cookies kept."""

    def __init__(self, port):
        self.port, self.cookies = port, {}

    def request(self, method, path, body=None, https=True, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        if https:
            sent["X-Forwarded-Proto"] = "https"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            body = urlencode(body)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["Origin"] = f"https://127.0.0.1:{self.port}"
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, value = header.split(";", 1)[0].split("=", 1)
            self.cookies[name.strip()] = value.strip()
        conn.close()
        return response, text


@pytest.fixture
def stack(transactional_db, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the processes need the test database in PostgreSQL")
    db = connection.settings_dict
    queue = f"smoke-{uuid.uuid4().hex[:12]}"
    port = free_port()
    mails = tmp_path / "mails"
    mails.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "NPC_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="npc_tracker.settings",  # production, not the tests'
        DJANGO_SECRET_KEY="smoke-" + uuid.uuid4().hex * 2,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_CSRF_TRUSTED_ORIGINS=f"https://127.0.0.1:{port}",
        DJANGO_BEHIND_PROXY="1",
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}",
        REDIS_URL=settings.REDIS_URL,
        NPC_CELERY_QUEUE=queue,
        NPC_SWEEP_MINUTES="0.05",  # the beat sends a sweep every 3 seconds
        EMAIL_URL="filemail://",
        DJANGO_EMAIL_FILE_PATH=str(mails),
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
    )
    celery = [sys.executable, "-m", "celery", "-A", "npc_tracker"]
    commands = {
        "web": [
            sys.executable, "-m", "gunicorn", "npc_tracker.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", "2",
        ],
        "worker": [
            *celery, "worker", "--pool=solo", "--queues", queue,
            "--without-gossip", "--without-mingle", "--loglevel=WARNING",
        ],
        "beat": [
            *celery, "beat", "--schedule", str(tmp_path / "beat-schedule"), "--loglevel=WARNING",
        ],
    }  # fmt: skip
    logs = {name: open(tmp_path / f"{name}.log", "wb") for name in commands}
    processes = {
        name: subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=logs[name], stderr=subprocess.STDOUT
        )
        for name, command in commands.items()
    }
    try:
        yield Browser(port), processes, mails, tmp_path
    finally:
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in logs.values():
            log.close()
        redis.Redis.from_url(settings.REDIS_URL).delete(queue)


def test_the_production_processes_serve_a_login_and_run_the_beats_sweep(cast, stack):
    browser, processes, mails, logs = stack
    suggestion = flows.assigned(cast, co=False)
    Assignment.objects.filter(pk=flows.lead(suggestion).pk).update(
        due_on=timezone.localdate() + datetime.timedelta(days=7)
    )
    clerk = cast.clerk
    clerk.password = PBKDF2PasswordHasher().encode(PASSWORD, "smokesalt", iterations=1000)
    clerk.save()

    def web_up():
        try:
            return browser.request("GET", "/healthz", https=False)[0].status == 200
        except OSError:
            return False

    assert wait_for(web_up), (logs / "web.log").read_text()
    response, body = browser.request("GET", "/healthz", https=False)
    assert body == '{"database": "ok", "redis": "ok"}'

    # Production: plain HTTP is sent to HTTPS.
    response, _ = browser.request("GET", "/accounts/login/", https=False)
    assert response.status == 301
    assert response.headers["Location"].startswith("https://")

    response, page = browser.request("GET", "/accounts/login/")
    assert response.status == 200 and "Content-Security-Policy" in response.headers
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response, _ = browser.request(
        "POST",
        "/accounts/login/",
        {"csrfmiddlewaretoken": token, "username": clerk.username, "password": PASSWORD},
    )
    assert response.status == 302, _
    response, page = browser.request("GET", "/tasks/")
    assert response.status == 200
    assert suggestion.title in page

    # The beat sends a sweep every 3 s; the worker finds the 7-days reminder and mails it.
    assert wait_for(lambda: Reminder.objects.filter(sent_at__isnull=False).exists(), 90), (
        logs / "beat.log"
    ).read_text() + (logs / "worker.log").read_text()
    assert wait_for(lambda: any(mails.iterdir()), 30)
    assert all(p.poll() is None for p in processes.values())
