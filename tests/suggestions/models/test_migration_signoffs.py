"""Migration 0011 keeps the sign-offs made before it: signer from signed_by, recorded_by
filled, the deputy and the date set, and the append-only triggers back on the tables."""

import datetime

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import DatabaseError
from django.utils import timezone

BEFORE = [("suggestions", "0010_assignment_unit_statistics")]
AFTER = [("suggestions", "0012_signoff_recorded_by_required")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_signoffs_made_before_keep_their_signer_and_gain_recorded_by_and_deputy():
    old = _migrate(BEFORE)
    try:
        User = old.get_model("auth", "User")
        Deputy = old.get_model("deputies", "Deputy")
        Unit = old.get_model("suggestions", "HandlingUnit")
        Suggestion = old.get_model("suggestions", "Suggestion")
        Assignment = old.get_model("suggestions", "Assignment")
        Reply = old.get_model("suggestions", "Reply")
        SignOff = old.get_model("suggestions", "SignOff")
        user = User.objects.create(username="migrated-deputy")
        deputy = Deputy.objects.create(
            name="王丽", gender="F", level="city", delegation="城关区", term=16, user=user
        )
        unit = Unit.objects.create(name="市交通运输局", kind="government")
        suggestion = Suggestion.objects.create(
            term=16, session=3, title="建议", content="内容", lead_deputy=deputy,
            state="handled", round=1,
        )  # fmt: skip
        day = datetime.date(2026, 5, 1)
        assignment = Assignment.objects.create(
            suggestion=suggestion, unit=unit, role="lead", assigned_on=day, due_on=day,
            original_due_on=day,
        )  # fmt: skip
        reply = Reply.objects.create(
            suggestion=suggestion, assignment=assignment, round=1, classification="A",
            text="答复", document="replies/x.pdf", due_on=day, on_time=True,
            submitted_by=user,
        )  # fmt: skip
        signed_at = timezone.make_aware(datetime.datetime(2026, 6, 2, 9, 30))
        SignOff.objects.create(
            suggestion=suggestion, reply=reply, round=1, level="deputy", signed_by=user,
            signed_at=signed_at, work_rating="satisfied", result_rating="satisfied",
        )  # fmt: skip

        new = _migrate(AFTER)

        signoff = new.get_model("suggestions", "SignOff").objects.get()
        assert (signoff.signer_id, signoff.recorded_by_id, signoff.deputy_id) == (
            user.pk,
            user.pk,
            deputy.pk,
        )
        assert signoff.signed_on == timezone.localdate(signed_at)
        assert signoff.verified_by_id is None and signoff.paper_id is None
        with pytest.raises(DatabaseError), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("UPDATE suggestions_signoff SET opinion = 'changed'")
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
