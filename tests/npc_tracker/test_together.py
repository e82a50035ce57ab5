"""Several querysets read in one query (``npc_tracker.together``): the same instances, field
by field, as each queryset read alone, with their related objects and no further query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from npc_tracker.together import Part, prefetched, read_together
from suggestions.models import Assignment, Communication, Reply, SignOff, Suggestion
from tests import flows

pytestmark = pytest.mark.django_db


def values(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_each_part_reads_as_its_queryset_alone(cast):
    """Dates, aware datetimes, booleans, JSON, files, empty keys: as the ORM reads them."""
    suggestion = flows.signed(cast)
    parts = {
        "assignments": Part(Assignment.objects.filter(suggestion=suggestion), ("unit",)),
        "communications": Part(
            Communication.objects.filter(assignment__suggestion=suggestion), ("recorded_by",)
        ),
        "replies": Part(Reply.objects.filter(suggestion=suggestion), ("submitted_by",)),
        "signoffs": Part(
            SignOff.objects.filter(suggestion=suggestion), ("signer", "deputy", "verified_by")
        ),
        "none": Part(Suggestion.objects.none()),
    }
    with CaptureQueriesContext(connection) as queries:
        found = read_together(parts)
    assert len(queries) == 1
    for name, part in parts.items():
        alone = sorted(part.queryset.select_related(*part.related), key=lambda r: r.pk)
        together = sorted(found[name], key=lambda r: r.pk)
        assert [values(r) for r in together] == [values(r) for r in alone]
        for rel in part.related:
            for mine, theirs in zip(together, alone, strict=True):
                related = getattr(theirs, rel)
                with CaptureQueriesContext(connection) as more:
                    assert getattr(mine, rel) == related
                    if related is not None:
                        assert values(getattr(mine, rel)) == values(related)
                assert len(more) == 0
    assert found["none"] == []
    assert found["assignments"][0].due_basis  # JSON, decoded
    assert {s.verified_by for s in found["signoffs"]} == {None}  # an empty key, no query
    assert all(r.document.name for r in found["replies"])


def test_prefetched_objects_are_the_managers_without_a_query(cast):
    suggestion = flows.assigned(cast)
    prefetched(suggestion, "co_deputies", [cast.co_deputy])
    prefetched(suggestion, "replies", [])
    with CaptureQueriesContext(connection) as queries:
        assert list(suggestion.co_deputies.all()) == [cast.co_deputy]
        assert list(suggestion.replies.all()) == []
    assert len(queries) == 0
