"""The benchmark's settings (``bench/run.py``, ``make bench``): production settings on loopback.

Everything a server runs with stays as it is (middleware, sessions in the database,
templates, DEBUG off); only what a benchmark on 127.0.0.1 lacks is supplied: a fixed key,
plain HTTP, e-mail kept in memory, tasks run in-process, no login lockout, and the
``bench`` app with its two benchmark-only pages (``bench.urls``). Never used by a server.
"""

import os

BENCH_SECRET_KEY = "bench-only-key-never-used-by-a-server-5f0c9a1e7d3b4a26b8e1"
# settings.py refuses to load without a key when DEBUG is off.
os.environ.setdefault("DJANGO_SECRET_KEY", BENCH_SECRET_KEY)

from npc_tracker.settings import *  # noqa: E402, F403
from npc_tracker.settings import INSTALLED_APPS  # noqa: E402

DEBUG = False
SECRET_KEY = BENCH_SECRET_KEY
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

# gunicorn is reached over plain HTTP on loopback: no HTTPS redirect, cookies the load
# generator may send back.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

# Nothing leaves the machine and nothing needs Redis.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
REDIS_URL = ""
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_BROKER_URL = "memory://"
CELERY_TASK_ALWAYS_EAGER = True

# The harness logs each actor in once per size; a lockout must never get in its way.
AXES_ENABLED = False
