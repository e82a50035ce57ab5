"""Reminders through a real Redis broker and a real Celery worker (the PostgreSQL CI pass).

The test starts its own worker on a queue of its own, against the test database, with
e-mails written to files, and checks that each reminder's e-mail arrives exactly once.
"""

import datetime
import os
import subprocess
import sys
import time
import uuid

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from npc_tracker.celery import app
from suggestions.models import Assignment, Reminder
from suggestions.notifications import tasks
from tests import flows
from tests.processes import wait_for

pytestmark = [
    pytest.mark.postgres,
    # One xdist worker runs them all: one of them restarts Redis under the others.
    pytest.mark.xdist_group("broker"),
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL (a real broker)"),
]


def _messages(folder) -> int:
    """How many e-mails the file backend wrote (one Subject line each)."""
    return sum(
        line.startswith("Subject:")
        for path in folder.iterdir()
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines()
    )


class Worker:
    """Starts and stops Celery worker processes on one queue, against the test database."""

    def __init__(self, queue, mails):
        self.queue, self.mails, self.process = queue, mails, None
        self.starts = 0
        db = connection.settings_dict
        self.env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}",
            "REDIS_URL": settings.REDIS_URL,
            "NPC_CELERY_QUEUE": queue,
            "EMAIL_URL": "filemail://",
            "DJANGO_EMAIL_FILE_PATH": str(mails),
        }

    def start(self):
        # Each start logs to a file of its own, which a failing test shows (the worker is a
        # process of its own: its errors are not in the test's output otherwise).
        self.starts += 1
        log = (self.mails.parent / f"worker-{self.starts}.log").open("w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "npc_tracker",
                "worker",
                "--pool=solo",
                "--queues",
                self.queue,
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
            ],
            cwd=settings.BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()

    def logs(self) -> str:
        """The end of each start's log, for a failing assertion's message."""
        parts = []
        for n in range(1, self.starts + 1):
            text = (self.mails.parent / f"worker-{n}.log").read_text(errors="replace")
            parts.append(f"--- worker start {n} ---\n{text[-3000:]}")
        return "\n".join(parts)

    def wait_consuming(self):
        """Wait until the worker has declared its queue's binding in Redis, as a deployed
        worker has long before anything is queued. A message published to a queue that no
        one has bound is dropped by kombu, and a producer's own declaration can be skipped
        by its cache of what it declared (after a test restarted Redis, it was)."""
        bindings = redis.Redis.from_url(settings.REDIS_URL)
        assert wait_for(lambda: bindings.exists(f"_kombu.binding.{self.queue}"))

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


@pytest.fixture
def worker(transactional_db, tmp_path):
    """A running worker on a fresh queue; the producer side sends to that queue."""
    if connection.vendor != "postgresql":
        pytest.skip("the worker needs the test database in PostgreSQL")
    mails = tmp_path / "mails"
    mails.mkdir()
    running = Worker(f"test-{uuid.uuid4().hex[:12]}", mails)
    previous = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager = False
    app.conf.task_default_queue = running.queue
    running.start()
    running.wait_consuming()
    try:
        yield running
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = previous
        running.stop()
        redis.Redis.from_url(settings.REDIS_URL).delete(running.queue)


def _queue_drained(queue) -> bool:
    return redis.Redis.from_url(settings.REDIS_URL).llen(queue) == 0


def test_sweep_through_the_broker_sends_each_email_once(cast, worker):
    """Two sweeps through Redis and a worker: each reminder's e-mail arrives exactly once."""
    suggestion = flows.assigned(cast, co=False)
    Assignment.objects.filter(pk=flows.lead(suggestion).pk).update(
        due_on=timezone.localdate() + datetime.timedelta(days=7)
    )
    tasks.sweep_reminders.delay()
    assert wait_for(
        lambda: (
            Reminder.objects.count() == 2
            and not Reminder.objects.filter(sent_at__isnull=True).exists()
        )
    )
    assert wait_for(lambda: _messages(worker.mails) == 2)

    tasks.sweep_reminders.delay()
    assert wait_for(lambda: _queue_drained(worker.queue))
    time.sleep(2)  # the second sweep runs; it must find nothing new
    assert Reminder.objects.count() == 2
    assert _messages(worker.mails) == 2
    assert worker.process.poll() is None


def test_sweep_sent_while_the_worker_is_down_runs_once_it_is_back(cast, worker):
    """A sweep queued while the worker is stopped waits in Redis and sends once on restart."""
    suggestion = flows.assigned(cast, co=False)
    Assignment.objects.filter(pk=flows.lead(suggestion).pk).update(
        due_on=timezone.localdate() + datetime.timedelta(days=3)
    )
    worker.stop()
    tasks.sweep_reminders.delay()
    tasks.sweep_reminders.delay()  # the beat fired again meanwhile
    time.sleep(1)
    assert Reminder.objects.count() == 0
    worker.start()
    assert wait_for(
        lambda: (
            Reminder.objects.count() == 2
            and not Reminder.objects.filter(sent_at__isnull=True).exists()
        )
    ), worker.logs()
    assert wait_for(lambda: _queue_drained(worker.queue))
    time.sleep(2)
    assert _messages(worker.mails) == 2


def _restart_redis():
    """Stop the local Redis and start it again, as .ci/run starts it (nothing kept on disk)."""
    url = redis.Redis.from_url(settings.REDIS_URL)
    try:
        url.shutdown(nosave=True)
    except redis.ConnectionError:
        pass  # the connection closes as the server stops
    assert wait_for(
        lambda: subprocess.run(["redis-cli", "ping"], capture_output=True).returncode != 0, 10
    )
    subprocess.run(
        [
            "redis-server",
            "--daemonize",
            "yes",
            "--bind",
            "127.0.0.1",
            "--port",
            "6379",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        check=True,
        capture_output=True,
    )
    assert wait_for(
        lambda: subprocess.run(["redis-cli", "ping"], capture_output=True).returncode == 0, 10
    )


@pytest.mark.skipif(
    not settings.REDIS_URL.startswith("redis://127.0.0.1:6379"),
    reason="restarts the machine's own Redis only",
)
def test_redis_restarted_between_sweeps_loses_nothing(cast, worker):
    """After Redis restarts, the next sweep goes through and sends what fell due, once."""
    suggestion = flows.assigned(cast, co=False)
    lead = Assignment.objects.filter(pk=flows.lead(suggestion).pk)
    lead.update(due_on=timezone.localdate() + datetime.timedelta(days=7))
    tasks.sweep_reminders.delay()
    assert wait_for(lambda: _messages(worker.mails) == 2)

    _restart_redis()
    lead.update(due_on=timezone.localdate() + datetime.timedelta(days=3))  # the next threshold
    assert wait_for(lambda: _send_sweep())
    assert wait_for(
        lambda: (
            Reminder.objects.count() == 4
            and not Reminder.objects.filter(sent_at__isnull=True).exists()
        )
    )
    assert wait_for(lambda: _messages(worker.mails) == 4)


def _send_sweep() -> bool:
    """Queue a sweep; False while the producer's connection to Redis is still coming back."""
    try:
        tasks.sweep_reminders.delay()
    except Exception:  # kombu's OperationalError while Redis is restarting
        return False
    return True
