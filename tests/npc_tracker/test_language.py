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


def test_admin_pages_offer_the_language_switch_back_to_the_same_page(client, db):
    """Every admin page, the login included, has 简体中文 / English posting to set_language."""
    from tests import factories

    login = client.get(LOGIN).content.decode()
    assert 'id="admin-language-form"' in login
    client.force_login(factories.StaffFactory(username="office"))
    url = reverse("admin:suggestions_suggestion_changelist") + "?state__exact=proposed"
    page = client.get(url).content.decode()
    form = page.split('id="admin-language-form"')[1].split("</form>")[0]
    assert f'action="{reverse("set_language")}"' in page.split('id="admin-language-form"')[0][-120:]
    assert f'<input type="hidden" name="next" value="{url}">' in form
    assert 'name="language" value="en"' in form and ">English</button>" in form
    assert 'value="zh-hans" lang="zh-hans" aria-current="true" disabled>简体中文</button>' in form


def test_admin_language_switch_keeps_the_page(client, db):
    """Choosing English in the admin comes back to the same page, now in English, and back."""
    from tests import factories

    client.force_login(factories.StaffFactory(username="office"))
    url = reverse("admin:suggestions_suggestion_changelist") + "?state__exact=proposed"
    assert "<h1>选择要修改的建议</h1>" in client.get(url).content.decode()
    response = client.post(reverse("set_language"), {"language": "en", "next": url})
    assert response.status_code == 302 and response.url == url
    english = client.get(url).content.decode()
    assert "<h1>Select suggestion to change</h1>" in english
    assert 'value="en" lang="en" aria-current="true" disabled>English</button>' in english
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": url})
    assert response.url == url
    assert "<h1>选择要修改的建议</h1>" in client.get(url).content.decode()
