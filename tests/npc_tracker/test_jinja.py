"""The two list pages render with Jinja2 (npc_tracker/jinja.py); the rest with Django's
engine. Both layouts must give the same header, in both languages."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from suggestions import services
from tests import flows


def header(html: str) -> str:
    part = html.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
    part = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf", part)
    part = re.sub(r'name="next" value="[^"]+"', "next", part)
    return re.sub(r"\s+", " ", part).strip()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_jinja_and_django_layouts_give_the_same_header(client, cast, language):
    flows.assigned(cast)
    services.notify(recipients=[cast.clerk], kind="assigned", text="新交办")  # header count
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(cast.clerk)
    jinja_page = client.get(reverse("tasks:list")).content.decode()  # Jinja2
    django_page = client.get(reverse("tasks:notifications")).content.decode()  # Django
    assert f'<html lang="{language}">' in jinja_page
    assert header(jinja_page) == header(django_page)
    assert 'id="unread-count">1<' in header(jinja_page)
