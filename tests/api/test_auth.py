"""Signing in from a device: the token login, its lockout and throttle, devices listed and
revoked, expiry; errors as problem+json in the caller's language."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from api.authentication import DeviceTokenAuthentication
from api.models import DeviceToken
from tests import factories

PASSWORD = "correct-horse-battery"


@pytest.fixture
def clerk(db):
    user = factories.MembershipFactory().user
    user.set_password(PASSWORD)
    user.save()
    return user


def login(client, username, password=PASSWORD, device="我的手机", **extra):
    return client.post(
        reverse("api:login"),
        {"username": username, "password": password, "device": device},
        format="json",
        **extra,
    )


def test_login_gives_a_token_per_device_stored_only_as_a_digest(clerk):
    client = APIClient()
    answer = login(client, clerk.username)
    assert answer.status_code == 201
    token = answer.json()["token"]
    assert token.startswith("npc_")
    stored = DeviceToken.objects.get(user=clerk)
    assert stored.name == "我的手机"
    assert token not in (stored.digest, stored.token_key)
    assert answer.json()["device"]["id"] == str(stored.public_id)
    assert answer.json()["device"]["current"] is True  # the device that signed in

    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = client.get(reverse("api:me"))
    assert me.status_code == 200
    assert me.json()["username"] == clerk.username
    assert me.json()["roles"] == ["unit_member"]


def test_a_wrong_password_is_a_problem_in_chinese(clerk):
    answer = login(APIClient(), clerk.username, password="wrong-password")
    assert answer.status_code == 400
    assert answer["Content-Type"] == "application/problem+json"
    body = answer.json()
    assert body["code"] == "invalid_login"
    assert body["detail"] == "用户名或密码不正确。"
    assert body["status"] == 400


def test_english_when_the_client_asks_for_it(clerk):
    answer = login(APIClient(), clerk.username, password="x", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert answer.json()["detail"] == "The username or the password is not right."


def test_the_lockout_applies_to_the_token_login(clerk, settings):
    settings.AXES_FAILURE_LIMIT = 3
    client = APIClient()
    for _ in range(3):
        login(client, clerk.username, password="wrong-password")
    answer = login(client, clerk.username)  # the right password, too late
    assert answer.status_code == 429
    assert answer.json()["code"] == "locked_out"
    assert int(answer["Retry-After"]) > 0
    assert not DeviceToken.objects.filter(user=clerk).exists()


def test_devices_are_listed_and_one_is_revoked(clerk):
    phone = APIClient()
    phone_token = login(phone, clerk.username, device="手机").json()["token"]
    office = APIClient()
    office_token = login(office, clerk.username, device="办公室").json()["token"]
    phone.credentials(HTTP_AUTHORIZATION=f"Token {phone_token}")
    office.credentials(HTTP_AUTHORIZATION=f"Token {office_token}")

    devices = phone.get(reverse("api:devices")).json()
    assert {d["name"]: d["current"] for d in devices} == {"手机": True, "办公室": False}
    office_id = next(d["id"] for d in devices if d["name"] == "办公室")

    assert phone.delete(reverse("api:device", args=[office_id])).status_code == 204
    refused = office.get(reverse("api:me"))
    assert refused.status_code == 401
    assert refused["Content-Type"] == "application/problem+json"
    assert refused["WWW-Authenticate"].startswith("Token")


def test_another_users_device_is_a_404(clerk):
    other = factories.MembershipFactory().user
    token, _key = DeviceToken.objects.create(user=other, name="别人的")
    client = APIClient()
    client.force_authenticate(clerk)
    assert client.delete(reverse("api:device", args=[token.public_id])).status_code == 404
    assert DeviceToken.objects.filter(pk=token.pk).exists()


def test_an_expired_token_stops_working(clerk):
    token, key = DeviceToken.objects.create(user=clerk, expiry=datetime.timedelta(hours=1))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(reverse("api:me")).status_code == 200
    DeviceToken.objects.filter(pk=token.pk).update(
        expiry=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert client.get(reverse("api:me")).status_code == 401


def test_logout_revokes_this_device_only(clerk):
    client = APIClient()
    key = login(client, clerk.username).json()["token"]
    other = login(APIClient(), clerk.username, device="平板").json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.post(reverse("api:logout")).status_code == 204
    assert client.get(reverse("api:me")).status_code == 401
    client.credentials(HTTP_AUTHORIZATION=f"Token {other}")
    assert client.get(reverse("api:me")).status_code == 200


def test_the_login_is_throttled_per_address(clerk, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "login": "2/min",
        },
    }
    client = APIClient()
    login(client, clerk.username)
    login(client, clerk.username)
    answer = login(client, clerk.username)
    assert answer.status_code == 429
    assert answer.json()["code"] == "throttled"
    assert "Retry-After" in answer


def test_requests_are_throttled_per_user(clerk, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "user": "2/min",
        },
    }
    client = APIClient()
    client.force_authenticate(clerk)
    assert [client.get(reverse("api:me")).status_code for _ in range(3)] == [200, 200, 429]


def test_anonymous_is_a_401_problem():
    answer = APIClient().get(reverse("api:me"))
    assert answer.status_code == 401
    assert answer.json()["code"] == "not_authenticated"


def test_a_request_reads_its_token_and_user_in_one_query(clerk, django_assert_num_queries):
    for _ in range(3):  # other devices do not add queries
        DeviceToken.objects.create(user=clerk, name="旧手机")
    token, key = DeviceToken.objects.create(user=clerk)
    request = Request(APIRequestFactory().get("/", HTTP_AUTHORIZATION=f"Token {key}"))
    with django_assert_num_queries(1):
        user, found = DeviceTokenAuthentication().authenticate(request)
    assert (user, found) == (clerk, token)


def test_a_login_deletes_the_users_expired_tokens(clerk):
    old, _key = DeviceToken.objects.create(user=clerk, expiry=datetime.timedelta(hours=1))
    DeviceToken.objects.filter(pk=old.pk).update(expiry=timezone.now() - datetime.timedelta(days=1))
    assert login(APIClient(), clerk.username).status_code == 201
    assert not DeviceToken.objects.filter(pk=old.pk).exists()
    assert DeviceToken.objects.filter(user=clerk).count() == 1


def test_me_names_each_unit_with_what_the_user_is_to_it(db):
    """A leader who also heads another unit and is a member of a third: each unit with its
    relations (a leader's ``me`` once failed with a server error)."""
    led = factories.HandlingUnitFactory(name="市交通运输局")
    headed = factories.MembershipFactory(user=led.leader, is_head=True).unit
    joined = factories.MembershipFactory(user=led.leader).unit
    factories.HandlingUnitFactory(name="市教育局")  # another leader's, not shown
    client = APIClient()
    client.force_authenticate(led.leader)
    body = client.get(reverse("api:me")).json()
    relations = {unit["id"]: unit["relations"] for unit in body["units"]}
    assert relations == {
        led.pk: ["leader"],
        headed.pk: ["member", "head"],
        joined.pk: ["member"],
    }
    assert body["roles"] == ["unit_member", "unit_head", "leader"]


def test_the_token_login_creates_no_session(clerk):
    """The token is the device's credential: no session row, no session cookie."""
    from django.contrib.sessions.models import Session

    answer = login(APIClient(), clerk.username)
    assert answer.status_code == 201
    assert "sessionid" not in answer.cookies
    assert Session.objects.count() == 0
    token = answer.json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.post(reverse("api:logout")).status_code == 204
    assert Session.objects.count() == 0


def test_logout_by_the_session_ends_the_session(clerk):
    client = APIClient(enforce_csrf_checks=False)
    client.force_login(clerk)
    assert client.get(reverse("api:me")).status_code == 200
    assert client.post(reverse("api:logout")).status_code == 204
    assert client.get(reverse("api:me")).status_code in (401, 403)


def test_an_answer_says_it_varies_by_the_language_asked(clerk):
    client = APIClient()
    client.force_authenticate(clerk)
    answer = client.get(reverse("api:me"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Accept-Language" in answer["Vary"]
    assert answer["Content-Language"] == "en"
