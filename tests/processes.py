"""Helpers for the tests that start real processes (a Celery worker, gunicorn, beat)."""

import time


def wait_for(predicate, seconds: float = 60, interval: float = 0.25) -> bool:
    """Poll ``predicate`` until it is true or ``seconds`` have passed; whether it became true."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False
