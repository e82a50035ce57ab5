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

# The visible controls smaller than 44 x 44 CSS px (a radio or checkbox counts by its label).
SMALL_TAP_TARGETS_JS = """() => {
  const small = [];
  for (const e of document.querySelectorAll('a, button, input, select, textarea, summary')) {
    if (e.type === 'hidden') continue;
    let box = e.getBoundingClientRect();
    if (!box.width && !box.height) continue;
    if ((e.type === 'radio' || e.type === 'checkbox') && e.closest('label')) {
      box = e.closest('label').getBoundingClientRect();
    }
    if (box.width < 44 || box.height < 44) {
      small.push(`${e.tagName} ${e.id || e.name || e.textContent.trim().slice(0, 20)}`);
    }
  }
  return small;
}"""
# The dates and day counts laid out on more than one line.
BROKEN_DATES_JS = """() => [...document.querySelectorAll('time, .days-left')]
  .filter(e => e.getClientRects().length > 1).map(e => e.textContent)"""
