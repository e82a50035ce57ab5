"""The signed-in user's notifications through a device token: their own only, newest
first, the unread filter, one or all marked read (another user's is a 404), and the
list's queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from suggestions.models import Notification
from suggestions.notifications.services import notify
from tests import flows
from tests.api.test_deputy import api, results

pytestmark = pytest.mark.django_db


def note(user, text, *, minutes_ago=0, **kwargs) -> Notification:
    (made,) = notify(recipients=[user], kind="test", text=text, **kwargs)
    Notification.objects.filter(pk=made.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=minutes_ago)
    )
    return made


def test_the_list_has_the_users_own_newest_first(cast):
    older = note(cast.clerk, "较早的通知", minutes_ago=10)
    newer = note(cast.clerk, "较新的通知", minutes_ago=1)
    note(cast.other_clerk, "别人的通知")
    rows = results(api(cast.clerk).get(reverse("api:notifications")))
    assert [(r["id"], r["text"]) for r in rows] == [
        (newer.pk, "较新的通知"),
        (older.pk, "较早的通知"),
    ]
    assert rows[0]["is_new"] is True and rows[0]["read_at"] is None


def test_a_deputys_notification_leads_to_the_status_page(cast, django_capture_on_commit_callbacks):
    """The reply's notice to the deputy, with the page the site links it to."""
    with django_capture_on_commit_callbacks(execute=True):
        suggestion = flows.handled(cast)
    rows = results(api(cast.deputy.user).get(reverse("api:notifications")))
    about = [r for r in rows if r["suggestion"] == suggestion.pk]
    assert {r["kind"] for r in about} == {"reply_arrived", "signoff_waiting"}
    assert about[0]["link"] == reverse("status:detail", args=[suggestion.pk])


def test_the_unread_filter(cast):
    unread = note(cast.clerk, "未读")
    read = note(cast.clerk, "已读")
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())
    client = api(cast.clerk)
    url = reverse("api:notifications")
    assert [r["id"] for r in results(client.get(url, {"unread": "true"}))] == [unread.pk]
    assert [r["id"] for r in results(client.get(url, {"unread": "false"}))] == [read.pk]
    assert client.get(url, {"unread": "perhaps"}).status_code == 400


def test_one_is_marked_read_and_another_users_is_a_404(cast):
    mine = note(cast.clerk, "我的")
    other = note(cast.clerk, "另一条")
    theirs = note(cast.other_clerk, "别人的")
    client = api(cast.clerk)

    answer = client.post(reverse("api:notification-read", args=[mine.pk]))
    assert answer.status_code == 200
    assert answer.json()["id"] == mine.pk and answer.json()["is_new"] is False
    mine.refresh_from_db()
    assert mine.read_at is not None
    first_read = mine.read_at
    assert client.post(reverse("api:notification-read", args=[mine.pk])).status_code == 200
    mine.refresh_from_db()
    assert mine.read_at == first_read  # read once: the time it was first read stays

    refused = client.post(reverse("api:notification-read", args=[theirs.pk]))
    assert refused.status_code == 404
    theirs.refresh_from_db()
    other.refresh_from_db()
    assert theirs.read_at is None and other.read_at is None


def test_all_are_marked_read_and_counted(cast):
    for n in range(3):
        note(cast.clerk, f"通知{n}")
    Notification.objects.filter(text="通知0").update(read_at=timezone.now())
    theirs = note(cast.other_clerk, "别人的")
    answer = api(cast.clerk).post(reverse("api:notifications-read"))
    assert answer.status_code == 200
    assert answer.json() == {"marked": 2}
    assert not Notification.objects.filter(recipient=cast.clerk, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_anonymous_gets_a_401(cast):
    assert APIClient().get(reverse("api:notifications")).status_code == 401
    assert APIClient().post(reverse("api:notifications-read")).status_code == 401


def test_the_list_costs_at_most_six_queries(cast, django_assert_max_num_queries):
    for n in range(25):
        note(cast.deputy.user, f"通知{n}", minutes_ago=n)
    client = api(cast.deputy.user)
    with django_assert_max_num_queries(6):
        answer = client.get(reverse("api:notifications"), {"page_size": 30})
    assert len(results(answer)) == 25
