"""The tests' settings: the production settings, run without a server's secrets.

Only what a test machine lacks is supplied (a key, plain HTTP); every other setting is
the one a server runs with. Tests of the HTTPS behaviour override it where they check it.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-key-never-used-by-a-server-0123456789")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "0")

from .settings import *  # noqa: F403
from .settings import INSTALLED_APPS

# The benchmark's app, for its tests (seed_bench); never installed on a server.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
