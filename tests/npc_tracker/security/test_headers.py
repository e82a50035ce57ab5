"""Security headers on every page, HTTPS behaviour, and no inline script or style that
the Content Security Policy would have to allow."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests import flows

PAGES = [
    ("anonymous", "login"),
    ("clerk", "tasks:list"),
    ("deputy", "status:list"),
    ("staff", "admin:suggestions_suggestion_changelist"),
]


def policy(response) -> dict[str, str]:
    parts = [p.strip() for p in response["Content-Security-Policy"].split(";") if p.strip()]
    return {p.split()[0]: p.split(None, 1)[1] if " " in p else "" for p in parts}


@pytest.mark.parametrize(("who", "url_name"), PAGES)
def test_pages_carry_the_security_headers(client, cast, who, url_name):
    flows.assigned(cast)
    if who != "anonymous":
        user = getattr(cast, who)
        client.force_login(getattr(user, "user", user))  # a Deputy's account
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    csp = policy(response)
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'" and csp["style-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_https_requests_get_strict_transport_security(client, db):
    response = client.get(reverse("login"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_plain_http_is_redirected_to_https_in_production(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(reverse("login"))
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    # The container's health check is exempt.
    assert client.get("/healthz").status_code == 200


def test_behind_the_proxy_the_forwarded_scheme_counts(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = client.get(reverse("login"), HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200


def test_session_and_csrf_cookies_are_http_only_and_same_site(client, cast):
    csrf = client.get(reverse("login")).cookies[settings.CSRF_COOKIE_NAME]
    response = client.post(
        reverse("login"), {"username": cast.clerk.username, "password": "pw-for-tests-1"}
    )
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    for cookie in (csrf, session):
        assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert not session["max-age"]  # ends with the browser as well as when idle


TEMPLATE_DIRS = [settings.BASE_DIR / "templates", *settings.BASE_DIR.glob("*/templates")]
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>|<style|\son[a-z]+=|\sstyle="
)


def test_no_template_has_inline_script_or_style():
    """What the CSP would block: inline <script>, <style>, style= and on*= attributes.
    E-mail templates are exempt (mail clients, not the site's pages)."""
    offenders = []
    for folder in TEMPLATE_DIRS:
        for path in Path(folder).rglob("*.html"):
            if "email" in path.parts:
                continue
            if INLINE.search(path.read_text(encoding="utf-8")):
                offenders.append(str(path.relative_to(settings.BASE_DIR)))
    assert offenders == []
