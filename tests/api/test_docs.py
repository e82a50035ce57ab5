"""The API's browsable documentation (``api:docs``): Swagger UI from the vendored assets
(drf-spectacular-sidecar), nothing from another host, under the site's Content Security
Policy unchanged, and working under it in a real browser."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.browser import ARGS, CHROMIUM, e2e

pytestmark = pytest.mark.django_db

# An absolute URL, or a protocol-relative one (//host/...), anywhere in a text.
ELSEWHERE = re.compile(r"\b(?:https?|wss?|ftp):|(?<![:\w])//[\w.-]+\.\w")
# What the CSP refuses (tests/npc_tracker/security/test_headers.py).
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>|<style|\son[a-z]+=|\sstyle="
)
# Record the CSP's refusals in the page (an init script runs outside the page's policy).
CSP_SPY = """document.addEventListener('securitypolicyviolation', (e) => {
  window.cspViolations = window.cspViolations || [];
  window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
});"""


def in_chromium(test):
    """The end-to-end tests' marks (tests/browser.py) on one test of this module."""
    for mark in e2e:
        test = mark(test)
    return test


def policy(response) -> dict[str, list[str]]:
    parts = [p.split() for p in response["Content-Security-Policy"].split(";") if p.strip()]
    return {p[0]: sorted(p[1:]) for p in parts}


def test_the_docs_page_is_the_sites_policy_and_its_own_assets_only(client):
    page = client.get(reverse("api:docs"))
    assert page.status_code == 200
    html = page.content.decode()
    assert policy(page) == {
        name: sorted(values)
        for name, values in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"].items()
    }
    assert ELSEWHERE.findall(html) == []
    assert INLINE.findall(html) == []
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert f"{reverse('api:docs')}?script=" in assets
    statics = [url for url in assets if url.startswith(settings.STATIC_URL)]
    assert len(statics) == len(assets) - 1  # the bundle, its preset, its CSS, ours, the icon
    assert any("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in u for u in statics)
    for url in statics:
        assert client.get(url).status_code == 200, url


def test_the_docs_script_names_no_other_host(client):
    script = client.get(reverse("api:docs"), {"script": ""})
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    text = script.content.decode()
    assert ELSEWHERE.findall(text) == []
    assert f'url: "{reverse("api:schema")}"' in text


def _operations(client) -> int:
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    methods = {"get", "post", "put", "patch", "delete"}
    return sum(len(set(item) & methods) for item in schema["paths"].values())


def _open_docs(browser, url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.add_init_script(CSP_SPY)
    errors, elsewhere = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    origin = re.match(r"https?://[^/]+", url).group(0)
    page.on(
        "request",
        lambda r: None if r.url.startswith((origin, "data:")) else elsewhere.append(r.url),
    )
    page.goto(url)
    page.wait_for_selector(".opblock", timeout=20_000)
    return page, errors, elsewhere


@in_chromium
def test_e2e_swagger_ui_renders_the_operations_under_the_csp(live_server, browser, client):
    """The documentation in Chromium: every operation drawn, the schema read from this
    site, no request elsewhere, no CSP refusal and no error in the console."""
    page, errors, elsewhere = _open_docs(browser, live_server.url + reverse("api:docs"))
    assert page.locator(".opblock").count() == _operations(client)
    assert page.locator(".opblock-tag-section").count() >= 2  # auth, me, ...
    assert page.locator("button.authorize").is_visible()  # the token scheme
    assert page.evaluate("window.cspViolations || []") == []
    assert elsewhere == []
    assert errors == []


@in_chromium
def test_e2e_the_docs_under_a_host_name_call_nothing_elsewhere(live_server, settings):
    """Served under a host name rather than localhost, as on a server: Swagger UI's
    online validator (validator.swagger.io, sent the schema's URL) is only in the
    standalone layout, not drf-spectacular's; nothing else leaves the site either."""
    playwright = pytest.importorskip("playwright.sync_api")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "api.npc.test"]
    port = live_server.url.rsplit(":", 1)[1]
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[*ARGS, "--host-resolver-rules=MAP api.npc.test 127.0.0.1"],
        )
        try:
            page, errors, elsewhere = _open_docs(
                browser, f"http://api.npc.test:{port}{reverse('api:docs')}"
            )
            page.wait_for_timeout(500)
            violations = page.evaluate("window.cspViolations || []")
        finally:
            browser.close()
    assert elsewhere == []
    assert violations == []
    # Chromium ignores the site's COOP header on plain HTTP off localhost, and says so.
    assert [e for e in errors if "Cross-Origin-Opener-Policy" not in e] == []
