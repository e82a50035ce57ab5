"""Password reset by e-mail: off unless e-mail is configured, throttled per address when on."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from tests import factories

RESET = reverse("password_reset")


@pytest.fixture
def fresh_counts(settings):
    """The counts in a cache of the test's own: the PostgreSQL pass's Redis is restarted
    by a worker test that may run at the same time, and shared with other runs."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "reset"}
    }
    cache.clear()


@pytest.mark.parametrize(
    "url",
    [
        RESET,  # asking for the e-mail
        reverse("password_reset_done"),  # "sent" page
        reverse("password_reset_confirm", args=["MQ", "set-password"]),  # the link's page
        reverse("password_reset_complete"),  # "done" page
    ],
)
def test_password_reset_pages_are_not_found_without_email(client, db, settings, url):
    """Where no e-mail goes out, the reset pages do not exist (404)."""
    settings.PASSWORD_RESET_ENABLED = False
    assert client.get(url).status_code == 404
    assert client.post(url, {"email": "a@example.com"}).status_code == 404


def test_password_reset_sends_the_email_when_email_is_configured(
    client, db, settings, fresh_counts
):
    """With e-mail configured, a known address gets its reset link."""
    settings.PASSWORD_RESET_ENABLED = True
    factories.UserFactory(username="clerk9", email="clerk9@example.gov.cn")
    response = client.post(RESET, {"email": "clerk9@example.gov.cn"})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["clerk9@example.gov.cn"]]


def test_password_reset_refuses_an_address_past_its_hourly_limit(
    client, db, settings, fresh_counts
):
    """The sixth request in an hour from one address is refused (429), and sends nothing."""
    settings.PASSWORD_RESET_ENABLED = True
    settings.PASSWORD_RESET_HOURLY = 5
    factories.UserFactory(username="clerk9", email="clerk9@example.gov.cn")
    for _ in range(5):
        assert client.post(RESET, {"email": "clerk9@example.gov.cn"}).status_code == 302
    response = client.post(RESET, {"email": "clerk9@example.gov.cn"})
    assert response.status_code == 429
    assert 'id="reset-throttled"' in response.content.decode()
    assert len(mail.outbox) == 5
