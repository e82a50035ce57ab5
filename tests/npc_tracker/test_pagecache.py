"""The page cache (npc_tracker.pagecache): a kept page is served only while the data, the
session, the language and the day are what they were when it was drawn."""

import datetime
import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from suggestions import services
from suggestions.models import UnitMembership
from tests import factories, flows

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def same(html: str) -> str:
    """A page without its CSRF token (masked anew at each drawing)."""
    return TOKEN.sub('name="csrfmiddlewaretoken"', html)


def primed(client, user, url):
    """Signed in, with the CSRF cookie a first visit sets, and the page kept."""
    client.force_login(user)
    client.get(url)  # the first visit: a new CSRF cookie, not kept
    kept = client.get(url)
    assert kept.headers.get("ETag"), "the second visit is kept"
    return kept


def served_kept(client, url, **headers):
    """The page as served while the data stays the same, and its queries. On PostgreSQL a
    transaction of another connection (another test's database: the ids are the server's)
    ending between two requests draws the page anew once; the next request is served."""
    for _attempt in range(3):
        with CaptureQueriesContext(connection) as queries:
            answer = client.get(url, **headers)
        if len(queries) == 1:
            break
        if "HTTP_IF_NONE_MATCH" in headers:
            headers["HTTP_IF_NONE_MATCH"] = answer.headers["ETag"]
    return answer, queries


def test_a_kept_page_is_served_with_one_query_and_the_same_html(client, cast):
    suggestion = flows.assigned(cast)
    url = reverse("tasks:list")
    drawn = primed(client, cast.clerk, url)
    served, queries = served_kept(client, url)
    assert len(queries) == 1  # the user, with the data's generation
    assert served.headers["ETag"] == drawn.headers["ETag"]
    assert served.content == drawn.content
    assert f'id="assignment-{flows.lead(suggestion).pk}"' in served.content.decode()


def test_a_write_shows_at_once(client, cast):
    suggestion = flows.assigned(cast, title="旧标题的建议")
    url = reverse("tasks:list")
    before = primed(client, cast.clerk, url)
    assert "旧标题的建议" in before.content.decode()
    type(suggestion).objects.filter(pk=suggestion.pk).update(title="新标题的建议")
    after = client.get(url)
    assert "新标题的建议" in after.content.decode()
    assert after.headers["ETag"] != before.headers["ETag"]


def test_an_unchanged_page_answers_304_to_its_etag(client, cast):
    flows.assigned(cast)
    url = reverse("tasks:list")
    etag = primed(client, cast.clerk, url).headers["ETag"]
    answer, queries = served_kept(client, url, HTTP_IF_NONE_MATCH=etag)
    etag = answer.headers["ETag"]
    assert answer.status_code == 304
    assert len(queries) == 1
    assert "no-cache" in answer.headers["Cache-Control"]
    assert "private" in answer.headers["Cache-Control"]
    services.suggestion_create(
        by=cast.staff, title="另一条建议", content="内容", lead_deputy=cast.deputy
    )
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_a_forced_reload_is_drawn_anew(client, cast):
    flows.assigned(cast)
    url = reverse("tasks:list")
    primed(client, cast.clerk, url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, HTTP_CACHE_CONTROL="no-cache")
    assert len(queries) > 1


def test_each_session_language_and_day_has_its_own_page(client, cast, settings):
    flows.assigned(cast)
    url = reverse("tasks:list")
    chinese = primed(client, cast.clerk, url)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url)
    assert english.headers["ETag"] != chinese.headers["ETag"]
    assert "assignment" in english.content.decode()
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    with flows.on(tomorrow):
        later = client.get(url)
    assert later.headers.get("ETag") != chinese.headers["ETag"]
    other = factories.MembershipFactory(unit=cast.lead_unit).user
    second = Client()
    theirs = primed(second, other, url)
    assert theirs.headers["ETag"] != chinese.headers["ETag"]
    assert other.username in theirs.content.decode()


def test_a_waiting_message_is_shown_once_and_not_kept(client, cast):
    flows.assigned(cast)
    url = reverse("tasks:list")
    primed(client, cast.clerk, url)
    # A message a POST left for the next page, in the messages cookie.
    storage = CookieStorage(HttpRequest())
    storage.add(constants.SUCCESS, "已保存")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies["messages"] = carrier.cookies["messages"].value
    shown = client.get(url)
    assert "已保存" in shown.content.decode()
    assert "ETag" not in shown.headers
    assert "已保存" not in client.get(url).content.decode()


def test_a_page_is_not_kept_without_the_csrf_cookie_its_token_comes_from(client, cast):
    flows.assigned(cast)
    client.force_login(cast.clerk)
    first = client.get(reverse("tasks:list"))
    assert "ETag" not in first.headers
    assert first.cookies.get("csrftoken")


def test_a_deactivated_user_is_not_served_their_kept_page(client, cast):
    flows.assigned(cast)
    url = reverse("tasks:list")
    primed(client, cast.clerk, url)
    type(cast.clerk).objects.filter(pk=cast.clerk.pk).update(is_active=False)
    answer = client.get(url)
    assert answer.status_code == 302  # to the login page


def test_a_removed_membership_takes_the_page_away(client, cast):
    flows.assigned(cast)
    url = reverse("tasks:list")
    primed(client, cast.clerk, url)
    UnitMembership.objects.filter(user=cast.clerk).delete()
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("name", ["status:list", "status:detail"])
def test_the_deputys_pages_are_kept_and_follow_the_loop(client, cast, name):
    suggestion = flows.assigned(cast)
    url = reverse(name, args=[suggestion.pk] if name.endswith("detail") else [])
    before = primed(client, cast.deputy.user, url)
    served, queries = served_kept(client, url)
    assert served.content == before.content
    assert len(queries) == 1
    flows.prepare_reply(cast, suggestion)
    flows.reply(cast, suggestion)
    after = client.get(url)
    assert after.content != before.content
    assert same(after.content.decode()) == same(
        client.get(url, HTTP_CACHE_CONTROL="no-cache").content.decode()
    )


def test_the_offices_ledger_is_kept_too(client, cast):
    """The admin's views renew the CSRF cookie themselves: the same cookie does not stop it."""
    suggestion = flows.assigned(cast, title="台账里的建议")
    url = reverse("admin:suggestions_suggestion_changelist")
    drawn = primed(client, cast.staff, url)
    served, queries = served_kept(client, url)
    assert len(queries) == 1
    assert served.content == drawn.content
    type(suggestion).objects.filter(pk=suggestion.pk).update(title="台账里改过的建议")
    assert "台账里改过的建议" in client.get(url).content.decode()
