"""What the end-to-end tests share: Debian's Chromium driven by Playwright, and artifacts.

Import ``e2e`` as the module's ``pytestmark``; the ``browser`` fixture is in conftest.py.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings

# Playwright's sync API runs an event loop in the test's thread; the ORM calls are plain.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps calling home on a closed network.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(settings.BASE_DIR) / "artifacts"
PASSWORD = "pw-for-tests-1"  # the factories' password

e2e = [
    pytest.mark.e2e,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM}"),
]
