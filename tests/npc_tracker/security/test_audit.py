"""Audit: every create, change and delete of a domain record is recorded with its actor,
staff can read the records, and nobody can alter or remove one."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from suggestions import permissions
from suggestions.models import Communication, WorkdayOverride
from tests import factories, flows


def entries_for(obj, action):
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj),
        object_pk=str(obj.pk),
        action=action,
    )


def test_a_record_made_on_a_task_page_is_audited_with_its_actor(client, cast):
    suggestion = flows.assigned(cast)
    lead = flows.lead(suggestion)
    client.force_login(cast.clerk)
    response = client.post(
        reverse("tasks:action", args=[lead.pk, "communication"]),
        {
            "communication-stage": "before",
            "communication-method": "phone",
            "communication-happened_on": timezone.localdate().isoformat(),
            "communication-notes": "电话联系代表",
        },
    )
    assert response.status_code == 302
    communication = Communication.objects.get(assignment=lead)
    entry = entries_for(communication, LogEntry.Action.CREATE).get()
    assert entry.actor == cast.clerk
    assert "电话联系代表" in str(entry.changes)


def test_an_admin_change_and_delete_are_audited_with_the_actor(client, cast):
    suggestion = flows.proposed(cast)
    client.force_login(cast.staff)
    day = WorkdayOverride.objects.create(
        date=datetime.date(2027, 10, 9), is_workday=True, note="调休"
    )
    url = reverse("admin:suggestions_workdayoverride_delete", args=[day.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    deleted = entries_for(day, LogEntry.Action.DELETE).get()
    assert deleted.actor == cast.staff

    suggestion.title = "改过的标题"
    suggestion.save()  # outside a request: recorded, without an actor
    changed = entries_for(suggestion, LogEntry.Action.UPDATE).latest("timestamp")
    assert changed.changes_dict["title"][1] == "改过的标题"


def test_account_changes_are_audited_and_passwords_never_shown(cast):
    user = cast.clerk
    user.set_password("a-new-password-123")
    user.save()
    entry = entries_for(user, LogEntry.Action.UPDATE).latest("timestamp")
    old, new = entry.changes_dict["password"]
    assert "a-new-password" not in str(entry.changes)
    assert "pbkdf2" not in new and "md5" not in new  # masked


def test_audit_records_cannot_be_changed_in_the_database(cast):
    entry = entries_for(cast.clerk, LogEntry.Action.CREATE).get()
    with pytest.raises(DatabaseError), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).update(changes_text="edited")
    with pytest.raises(DatabaseError), transaction.atomic():
        entry.object_repr = "forged"
        entry.save()
    entry.refresh_from_db()
    assert entry.object_repr != "forged"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite refuses DELETE in Python only"
)
def test_audit_records_cannot_be_deleted_in_the_database(cast):
    entry = entries_for(cast.clerk, LogEntry.Action.CREATE).get()
    with pytest.raises(DatabaseError), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).delete()
    assert LogEntry.objects.filter(pk=entry.pk).exists()


def test_deleting_an_account_keeps_its_audit_records(cast):
    """The one change allowed: an entry's actor becomes empty when the account goes."""
    actor = factories.UserFactory(username="leaving")
    from auditlog.context import set_actor

    with set_actor(actor):
        day = WorkdayOverride.objects.create(date=datetime.date(2027, 1, 4), is_workday=False)
    entry = entries_for(day, LogEntry.Action.CREATE).get()
    actor.delete()
    entry.refresh_from_db()
    assert entry.actor is None and entry.object_repr


def test_staff_read_the_audit_records_and_nobody_edits_them(client, cast):
    superuser = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    entry = LogEntry.objects.first()
    client.force_login(cast.staff)
    listing = client.get(reverse("admin:auditlog_logentry_changelist"))
    assert listing.status_code == 200
    assert entry.object_repr in listing.content.decode()
    for user in (cast.staff, superuser):
        client.force_login(user)
        assert client.get(reverse("admin:auditlog_logentry_add")).status_code == 403
        delete = reverse("admin:auditlog_logentry_delete", args=[entry.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
        change = reverse("admin:auditlog_logentry_change", args=[entry.pk])
        client.post(change, {"object_repr": "forged"})
    entry.refresh_from_db()
    assert entry.object_repr != "forged"
    assert LogEntry.objects.filter(pk=entry.pk).exists()


def test_the_committee_office_may_only_view_audit_and_transition_records(db):
    office = Group.objects.get(name=permissions.COMMITTEE_OFFICE)
    granted = set(
        office.permissions.filter(
            content_type__app_label__in=["auditlog", "django_fsm_log"]
        ).values_list("codename", flat=True)
    )
    assert granted == {"view_logentry", "view_statelog"}
    assert Permission.objects.filter(codename="delete_logentry").exists()
