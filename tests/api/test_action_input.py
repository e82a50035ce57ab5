"""What an action endpoint does with a value of the wrong type: a 400 problem naming the
field, checked against the documented types before the form and its queries."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from api.models import DeviceToken
from stations.models import LiaisonStation
from tests import factories, flows

pytestmark = pytest.mark.django_db


def client_of(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {DeviceToken.objects.create(user=user)[1]}")
    return client


def test_an_id_beyond_any_row_is_refused_with_its_field():
    keeper = factories.UserFactory()
    station = LiaisonStation.objects.create(name="幸福社区联络站", kind="room", level="village")
    station.keepers.add(keeper)
    body = {"kind": "briefing", "happened_on": "2026-01-05", "citizens": 3, "deputies": [10**38]}
    answer = client_of(keeper).post(
        reverse("api:station-activity", args=[station.pk]), body, format="multipart"
    )
    assert answer.status_code == 400
    assert answer["Content-Type"] == "application/problem+json"
    assert [e["field"] for e in answer.json()["errors"]] == ["deputies"]
    assert not station.activities.exists()


def test_a_list_where_one_value_goes_is_refused(cast):
    suggestion = flows.assigned(cast)
    answer = client_of(cast.clerk).post(
        reverse("api:task-communication", args=[flows.lead(suggestion).pk]),
        {
            "stage": ["before", "after"],
            "method": "phone",
            "happened_on": "2026-01-05",
            "notes": "x",
        },
        format="json",
    )
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "stage"
    assert not flows.lead(suggestion).communications.exists()
