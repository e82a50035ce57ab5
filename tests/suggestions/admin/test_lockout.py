"""The login lockout's records (django-axes) in the admin: the committee office may look,
not change; a superuser keeps every right (and unlocks by deleting an attempt)."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.urls import reverse

from suggestions import permissions
from tests import factories

pytestmark = pytest.mark.django_db

MODELS = ["accessattempt", "accessfailurelog", "accesslog"]


@pytest.fixture
def records(db):
    attempt = AccessAttempt.objects.create(
        username="clerk", ip_address="10.0.0.1", user_agent="x", failures_since_start=5
    )
    failure = AccessFailureLog.objects.create(username="clerk", ip_address="10.0.0.1")
    log = AccessLog.objects.create(username="clerk", ip_address="10.0.0.1")
    return {"accessattempt": attempt, "accessfailurelog": failure, "accesslog": log}


@pytest.fixture
def superuser(db):
    return factories.UserFactory(username="root", is_staff=True, is_superuser=True)


def test_committee_office_holds_only_view_permissions_on_the_lockout(db):
    """The group's permissions on axes' models are the view ones, nothing else."""
    office = Group.objects.get(name=permissions.COMMITTEE_OFFICE)
    granted = set(
        office.permissions.filter(content_type__app_label="axes").values_list("codename", flat=True)
    )
    assert granted == {f"view_{model}" for model in MODELS} | {"view_accessattemptexpiration"}


@pytest.mark.parametrize("model", MODELS)
def test_committee_office_sees_lockout_records_read_only(client, staff, records, model):
    """Staff open each list and record; the record has no save or delete, the index says 查看."""
    client.force_login(staff)
    listing = client.get(reverse(f"admin:axes_{model}_changelist"))
    assert listing.status_code == 200
    assert "clerk" in listing.content.decode()
    assert "<h1>选择要查看的" in listing.content.decode()
    page = client.get(reverse(f"admin:axes_{model}_change", args=[records[model].pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="_save"' not in html
    assert "deletelink" not in html
    index = client.get(reverse("admin:index")).content.decode()
    row = index.split(f'class="model-{model}"')[1].split("</tr>")[0]
    assert "查看" in row and "修改" not in row


@pytest.mark.parametrize("model", MODELS)
def test_committee_office_cannot_delete_or_change_lockout_records(client, staff, records, model):
    """A forged delete or change from staff is refused and the record stays."""
    client.force_login(staff)
    obj = records[model]
    delete = client.post(reverse(f"admin:axes_{model}_delete", args=[obj.pk]), {"post": "yes"})
    assert delete.status_code == 403
    bulk = client.post(
        reverse(f"admin:axes_{model}_changelist"),
        {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    change = client.post(
        reverse(f"admin:axes_{model}_change", args=[obj.pk]), {"username": "forged"}
    )
    assert change.status_code == 403
    obj.refresh_from_db()
    assert obj.username == "clerk"


def test_superuser_unlocks_by_deleting_an_attempt(client, superuser, records):
    """A superuser keeps the delete: deleting the attempt lifts the lock."""
    client.force_login(superuser)
    attempt = records["accessattempt"]
    response = client.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(pk=attempt.pk).exists()
