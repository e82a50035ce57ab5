"""Login protection (django-axes): 5 failures lock that username from that address for
15 minutes, with a message in Chinese; the lock lifts by itself after the cool-off."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests import factories

PASSWORD = "correct-horse-battery"


@pytest.fixture
def clerk(db):
    user = factories.UserFactory(username="clerk-lock")
    user.set_password(PASSWORD)
    user.save()
    return user


def attempt(client, password, username="clerk-lock", address="10.0.0.1", forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


def fail_five_times(client, **kwargs):
    for _ in range(5):
        response = attempt(client, "wrong", **kwargs)
    return response


def test_four_failures_still_let_the_right_password_in(client, clerk):
    for _ in range(4):
        assert attempt(client, "wrong").status_code == 200
    response = attempt(client, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(clerk.pk)


def test_five_failures_lock_the_account_from_that_address_with_a_chinese_message(client, clerk):
    last = fail_five_times(client)
    assert last.status_code == 429
    response = attempt(client, PASSWORD)  # even the right password
    assert response.status_code == 429
    page = response.content.decode()
    assert "登录失败次数过多" in page and "15 分钟" in page
    assert "_auth_user_id" not in client.session


def test_the_lock_is_for_that_username_from_that_address_only(client, clerk):
    other = factories.UserFactory(username="other-user")
    other.set_password(PASSWORD)
    other.save()
    fail_five_times(client)
    assert attempt(client, PASSWORD, address="10.0.0.2").status_code == 302  # elsewhere
    client.logout()
    assert attempt(client, PASSWORD, username="other-user").status_code == 302  # another name


def test_the_lock_lifts_after_fifteen_minutes(client, clerk):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        fail_five_times(client)
        assert attempt(client, PASSWORD).status_code == 429
    with time_machine.travel(start + datetime.timedelta(minutes=14), tick=False):
        assert attempt(client, "wrong").status_code == 429  # still locked
    # A failure during the lock restarts the cool-off (AXES_RESET_COOL_OFF_ON_FAILURE).
    with time_machine.travel(start + datetime.timedelta(minutes=14 + 16), tick=False):
        response = attempt(client, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(clerk.pk)


def test_behind_the_proxy_the_lock_keys_on_the_forwarded_address(client, clerk, settings):
    """With DJANGO_BEHIND_PROXY every request comes from nginx; the address nginx saw
    (the right-most X-Forwarded-For entry) is the one locked."""
    settings.BEHIND_PROXY = True
    nginx = "172.18.0.5"
    for _ in range(5):  # the client forged the first entry; nginx appended the second
        attempt(client, "wrong", address=nginx, forwarded="1.2.3.4, 10.9.9.9")
    assert attempt(client, PASSWORD, address=nginx, forwarded="10.9.9.9").status_code == 429
    assert attempt(client, PASSWORD, address=nginx, forwarded="10.9.9.10").status_code == 302


def test_the_admin_login_is_protected_too(client, clerk):
    clerk.is_staff = True
    clerk.save()
    url = reverse("admin:login")
    for _ in range(5):
        client.post(url, {"username": "clerk-lock", "password": "wrong"}, REMOTE_ADDR="10.0.0.1")
    response = client.post(
        url, {"username": "clerk-lock", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 429
