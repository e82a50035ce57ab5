"""An idle session ends after SESSION_IDLE_MINUTES (30 by default); activity keeps it."""

import datetime

import time_machine
from django.urls import reverse
from django.utils import timezone

PASSWORD = "pw-for-tests-1"  # tests.factories.UserFactory's


def log_in(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


def test_a_session_idle_for_more_than_30_minutes_is_over(client, cast):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        log_in(client, cast.clerk)
        assert client.get(reverse("tasks:list")).status_code == 200
    with time_machine.travel(start + datetime.timedelta(minutes=31), tick=False):
        response = client.get(reverse("tasks:list"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_activity_keeps_the_session_alive_past_30_minutes(client, cast):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        log_in(client, cast.clerk)
    for minutes in (20, 40, 60):  # never idle for 30 minutes, signed in for an hour
        with time_machine.travel(start + datetime.timedelta(minutes=minutes), tick=False):
            assert client.get(reverse("tasks:list")).status_code == 200


def test_the_timeout_is_enforced_even_when_the_session_itself_lives_on(client, cast, settings):
    """Whatever the session store keeps, the last-seen mark ends an idle session, and
    the login page says why."""
    settings.SESSION_COOKIE_AGE = 24 * 3600  # a store that would keep it a day
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        log_in(client, cast.clerk)
        client.get(reverse("tasks:list"))
    with time_machine.travel(start + datetime.timedelta(minutes=45), tick=False):
        response = client.get(reverse("tasks:list"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "长时间未操作" in response.content.decode()
