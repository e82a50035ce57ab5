"""Django's deployment check passes with production values (CI runs it too)."""

import os
import subprocess
import sys

from django.conf import settings

PRODUCTION = {
    "DJANGO_SECRET_KEY": "k" * 20 + "Zq8!xR2#vL5@nT9$wB4^mC7&pF1*hJ6",
    "DJANGO_ALLOWED_HOSTS": "npc.example.gov.cn",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://npc.example.gov.cn",
    "DJANGO_BEHIND_PROXY": "1",
}


def deploy_check(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={**clean, "DJANGO_SETTINGS_MODULE": "npc_tracker.settings", **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )


def test_check_deploy_passes_with_production_values():
    result = deploy_check(**PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_when_production_is_misconfigured():
    result = deploy_check(**PRODUCTION, DJANGO_SECURE_HSTS_SECONDS="0", DJANGO_SECURE_COOKIES="0")
    assert result.returncode != 0
    assert "security.W004" in result.stderr and "security.W012" in result.stderr
