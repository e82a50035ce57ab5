"""Audit entries for records written in bulk, where django-auditlog's signals do not fire.

An import inserts thousands of suggestions at once (``COPY`` or ``bulk_create``), which
saves no instance one by one; each still gets its "created" entry, with the importing
user as actor, written in bulk too (``COPY`` on PostgreSQL: building 10,000 ``LogEntry``
instances took longer than the import's own inserts).
"""

import json

from auditlog.cid import get_cid
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from .bulk import insert_rows

COLUMNS = [
    "content_type_id",
    "object_pk",
    "object_id",
    "object_repr",
    "action",
    "changes",
    "changes_text",
    "actor_id",
    "timestamp",
    "cid",
    "additional_data",
]


def record_bulk_creation(instances: list, *, actor, fields: list[str], source: str) -> None:
    """One CREATE entry per saved instance, with ``fields``' values as its changes."""
    if not instances:
        return
    content_type_id = ContentType.objects.get_for_model(type(instances[0])).pk
    now, cid = timezone.now(), get_cid()
    actor_id = getattr(actor, "pk", None)
    extra = json.dumps({"source": source})
    insert_rows(
        LogEntry,
        COLUMNS,
        [
            (
                content_type_id,
                str(instance.pk),
                instance.pk,
                str(instance)[:1000],
                LogEntry.Action.CREATE,
                json.dumps(
                    {
                        name: ["None", str(value)]
                        for name in fields
                        if (value := getattr(instance, name)) not in (None, "")
                    },
                    ensure_ascii=False,
                ),
                "",
                actor_id,
                now,
                cid,
                extra,
            )
            for instance in instances
        ],
    )
