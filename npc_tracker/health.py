"""``/healthz``: is this process able to serve? Checks the database and Redis."""

import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse

logger = logging.getLogger(__name__)

PATH = "/healthz"


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_redis() -> None:
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    finally:
        client.close()


def health() -> tuple[int, dict]:
    checks = {"database": check_database}
    if settings.REDIS_URL:
        checks["redis"] = check_redis
    report, status = {}, 200
    for name, check in checks.items():
        try:
            check()
        except Exception as error:  # any failure means "not healthy", whatever its kind
            logger.warning("health check %s failed: %s", name, error)
            report[name] = "error"
            status = 503
        else:
            report[name] = "ok"
    return status, report


class HealthCheckMiddleware:
    """Answer ``/healthz`` first, for load balancers and container health checks.

    It runs before host validation and the HTTPS redirect, so a check may call the
    container on its internal address over plain HTTP; it shows nothing but "ok"/"error".
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == PATH and request.method in ("GET", "HEAD"):
            status, report = health()
            response = JsonResponse(report, status=status)
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)
