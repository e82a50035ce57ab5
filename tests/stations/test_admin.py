"""The office's admin of the stations' checklist: an item marked met without its evidence
is refused on the form with the reason, and nothing is saved."""

import pytest
from django.urls import reverse

from stations.models import LiaisonStation, StationCheck

pytestmark = pytest.mark.django_db


def test_checklist_item_met_without_evidence_refused_on_the_admin_form(client, staff):
    """The constraint's message shows on the form; no row is written."""
    station = LiaisonStation.objects.create(name="幸福社区联络站", kind="room", level="village")
    client.force_login(staff)
    response = client.post(
        reverse("admin:stations_stationcheck_add"),
        {"station": station.pk, "year": 2026, "item": "site", "met": "on", "notes": "",
         "checked_on": "2026-11-02"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "该项须有佐证材料方可认定为达标，请上传佐证材料。" in response.content.decode()
    assert not StationCheck.objects.exists()
