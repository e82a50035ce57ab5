"""The interface speaks Simplified Chinese by default; English is a choice the user makes."""

from django.conf import settings
from django.urls import reverse

LOGIN = reverse("admin:login")


def test_pages_are_chinese_whatever_the_browser_asks(client, db):
    """A browser asking for English still gets the Chinese interface."""
    page = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "用户名" in page
    assert 'lang="zh-hans"' in page


def test_user_can_switch_to_english(client, db):
    """Choosing English through the language switch gives the English interface."""
    response = client.post(reverse("set_language"), {"language": "en", "next": LOGIN})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(LOGIN).content.decode()
    assert "Username" in page
