"""Records: append-only models stay as written, and the database holds the constraints."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django_fsm_log.models import StateLog

from suggestions import services
from suggestions.models import (
    AppendOnlyError,
    Assignment,
    Commitment,
    Communication,
    CoOpinion,
    Redo,
    Reply,
    Revisit,
    RevisitOutcome,
    SignOff,
    Suggestion,
)
from tests import factories, flows

D = datetime.date


def _redone(cast) -> Suggestion:
    suggestion = flows.handled(cast)
    services.suggestion_order_redo(
        suggestion=suggestion, by=cast.staff, reason="答复不符合要求，限期重办。"
    )
    return suggestion


# For each append-only model: the shortest loop that writes one, and how to find it.
WRITTEN_BY = {
    Reply: (flows.handled, "suggestion"),
    SignOff: (flows.signed, "suggestion"),
    Communication: (flows.handled, "assignment__suggestion"),
    CoOpinion: (flows.handled, "assignment__suggestion"),
    Commitment: (flows.handled, "reply__suggestion"),
    Redo: (_redone, "suggestion"),
    Revisit: (flows.revisited, "suggestion"),
    RevisitOutcome: (flows.revisited, "revisit__suggestion"),
}


def _written(cast, model):
    """A row of ``model``, written by the services as the loop runs."""
    arrange, path = WRITTEN_BY[model]
    suggestion = arrange(cast)
    return model.objects.filter(**{path: suggestion}).order_by("pk").first()


APPEND_ONLY = pytest.mark.parametrize(
    ("model", "field", "value"),
    [
        # the unit's formal answer
        pytest.param(Reply, "text", "改写后的答复。", id="Reply"),
        # a signature on the handling record
        pytest.param(SignOff, "opinion", "改签意见。", id="SignOff"),
        # a contact with the deputy
        pytest.param(Communication, "notes", "补记的沟通。", id="Communication"),
        # a co-handler's opinion
        pytest.param(CoOpinion, "text", "改写后的协办意见。", id="CoOpinion"),
        # a promise checked at the revisit
        pytest.param(Commitment, "text", "改写后的承诺。", id="Commitment"),
        # a redo order
        pytest.param(Redo, "reason", "改写后的重办理由。", id="Redo"),
        # the revisit
        pytest.param(Revisit, "notes", "改写后的回访记录。", id="Revisit"),
        # what the revisit found for one commitment
        pytest.param(RevisitOutcome, "outcome", "kept", id="RevisitOutcome"),
    ],
)


def _stored(model, pk, field):
    return model.objects.filter(pk=pk).values_list(field, flat=True).get()


@APPEND_ONLY
def test_append_only_record_refuses_save_of_an_existing_row(cast, model, field, value):
    """Saving an existing append-only row raises AppendOnlyError and the row stays as written."""
    row = _written(cast, model)
    written = getattr(row, field)
    setattr(row, field, value)

    with pytest.raises(AppendOnlyError):
        row.save()

    assert _stored(model, row.pk, field) == written


@APPEND_ONLY
def test_append_only_record_refuses_delete(cast, model, field, value):
    """Deleting an append-only row raises AppendOnlyError and the row stays."""
    row = _written(cast, model)

    with pytest.raises(AppendOnlyError):
        row.delete()

    assert model.objects.filter(pk=row.pk).exists()


@APPEND_ONLY
def test_append_only_record_refuses_queryset_update(cast, model, field, value):
    """Updating append-only rows through a queryset raises AppendOnlyError, changing nothing."""
    row = _written(cast, model)
    written = getattr(row, field)

    with pytest.raises(AppendOnlyError):
        model.objects.filter(pk=row.pk).update(**{field: value})

    assert _stored(model, row.pk, field) == written


@APPEND_ONLY
def test_append_only_record_refuses_queryset_delete(cast, model, field, value):
    """Deleting append-only rows through a queryset raises AppendOnlyError; every row stays."""
    _written(cast, model)
    count = model.objects.count()
    assert count

    with pytest.raises(AppendOnlyError):
        model.objects.all().delete()

    assert model.objects.count() == count


def test_append_only_record_accepts_a_correction_as_a_new_row(cast):
    """A correction is a new record next to the old one."""
    suggestion = flows.handled(cast)
    lead = flows.lead(suggestion)
    first = lead.communications.get()

    services.communication_record(
        assignment=lead,
        by=cast.clerk,
        stage="after",
        method="phone",
        happened_on=lead.assigned_on,
        notes="更正：上次走访的日期记录有误。",
    )

    assert lead.communications.count() == 2
    assert lead.communications.get(pk=first.pk).notes == first.notes


def _statelog_save(record):
    record.description = "改写"
    record.save()


def _statelog_delete(record):
    record.delete()


def _statelog_qs_update(record):
    StateLog.objects.filter(pk=record.pk).update(description="改写")


def _statelog_qs_delete(record):
    StateLog.objects.filter(pk=record.pk).delete()


@pytest.mark.parametrize(
    "change",
    [
        _statelog_save,  # an edit of one record
        _statelog_delete,  # a delete of one record
        _statelog_qs_update,  # a bulk edit
        _statelog_qs_delete,  # a bulk delete
    ],
)
def test_transition_record_refuses_change(cast, change):
    """A transition record, like a reply or a sign-off, is never edited or deleted."""
    suggestion = flows.reviewed(cast)
    record = flows.transitions_of(suggestion).get()
    written = (record.transition, record.description)

    with pytest.raises((AppendOnlyError, DatabaseError)), transaction.atomic():
        change(record)

    stored = StateLog.objects.get(pk=record.pk)
    assert (stored.transition, stored.description) == written


# Database constraints.


def test_suggestion_number_is_unique_within_term_and_session(db):
    """The database refuses a second suggestion with the same number in a term and session."""
    factories.SuggestionFactory(term=16, session=3, number="15")

    with pytest.raises(IntegrityError), transaction.atomic():
        factories.SuggestionFactory(term=16, session=3, number="15")

    assert Suggestion.objects.filter(number="15").count() == 1


def test_suggestion_create_refuses_a_duplicate_number(cast):
    """Entering a number already used in the term and session is refused by its code."""
    flows.proposed(cast, number="15")
    count = Suggestion.objects.count()

    with pytest.raises(ValidationError) as excinfo:
        flows.proposed(cast, number="15")

    assert [e.code for e in excinfo.value.error_list] == ["duplicate_number"]
    assert excinfo.value.messages[0].strip()
    assert Suggestion.objects.count() == count


@pytest.mark.parametrize(
    ("term", "session"),
    [
        (16, 4),  # the same term, another session
        (17, 3),  # another term, the same session number
    ],
)
def test_suggestion_number_may_repeat_in_another_session(cast, term, session):
    """The same number is fine in another session or term."""
    flows.proposed(cast, number="15", term=16, session=3)

    other = flows.proposed(cast, number="15", term=term, session=session)

    assert Suggestion.objects.filter(number="15").count() == 2
    assert (other.term, other.session) == (term, session)


def test_suggestions_without_a_number_do_not_collide(db):
    """Unnumbered suggestions (not yet approved) may be many in one session."""
    factories.SuggestionFactory(term=16, session=3, number="")
    factories.SuggestionFactory(term=16, session=3, number="")

    assert Suggestion.objects.filter(number="").count() == 2


def _signoff_row(suggestion, cast, **overrides):
    kwargs = {
        "suggestion": suggestion,
        "reply": suggestion.current_reply(),
        "round": suggestion.round,
        "level": SignOff.Level.DEPUTY,
        "signer": cast.deputy.user,
        "deputy": cast.deputy,
        "recorded_by": cast.deputy.user,
        "work_rating": "satisfied",
        "result_rating": "satisfied",
    }
    kwargs.update(overrides)
    return SignOff.objects.create(**kwargs)


def test_signoff_is_one_per_level_per_round(cast):
    """The database refuses a second sign-off at one level in one round."""
    suggestion = flows.handled(cast)
    _signoff_row(suggestion, cast)

    with pytest.raises(IntegrityError), transaction.atomic():
        _signoff_row(suggestion, cast, work_rating="dissatisfied", opinion="改签")

    assert suggestion.signoffs.count() == 1


def test_signoff_is_one_per_deputy_per_round_in_a_merged_group(cast):
    """At the deputy level the database allows one sign-off per deputy (each lead deputy of
    a merged group signs), not two of one deputy, and none naming no deputy."""
    suggestion = flows.handled(cast)
    other = factories.DeputyFactory()
    _signoff_row(suggestion, cast)
    _signoff_row(suggestion, cast, deputy=other, signer=None)

    with pytest.raises(IntegrityError), transaction.atomic():
        _signoff_row(suggestion, cast, deputy=other, signer=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        _signoff_row(suggestion, cast, deputy=None)

    assert suggestion.signoffs.count() == 2


def test_signoff_at_the_same_level_is_allowed_in_another_round(cast):
    """The deputy signs again in the next round: one sign-off per level and round."""
    suggestion = flows.handled(cast)
    _signoff_row(suggestion, cast)

    _signoff_row(suggestion, cast, round=suggestion.round + 1)

    assert suggestion.signoffs.filter(level="deputy").count() == 2


def test_signoff_ratings_are_only_the_deputys(cast):
    """The database refuses ratings on a unit head's sign-off, and a deputy's without them."""
    suggestion = flows.handled(cast)

    with pytest.raises(IntegrityError), transaction.atomic():
        _signoff_row(suggestion, cast, level=SignOff.Level.UNIT_HEAD, signer=cast.head)
    with pytest.raises(IntegrityError), transaction.atomic():
        _signoff_row(suggestion, cast, work_rating="", result_rating="")

    assert suggestion.signoffs.count() == 0


def _assignment_row(suggestion, unit, role, **overrides):
    kwargs = {
        "suggestion": suggestion,
        "unit": unit,
        "role": role,
        "assigned_on": D(2026, 3, 10),
        "due_on": D(2026, 6, 10),
        "original_due_on": D(2026, 6, 10),
    }
    kwargs.update(overrides)
    return Assignment.objects.create(**kwargs)


def test_assignment_open_lead_is_one_per_suggestion(cast):
    """The database refuses a second open lead assignment for one suggestion."""
    suggestion = flows.assigned(cast)
    count = suggestion.assignments.count()

    with pytest.raises(IntegrityError), transaction.atomic():
        _assignment_row(suggestion, cast.other_unit, Assignment.Role.LEAD)

    assert suggestion.assignments.count() == count


def test_assignment_closed_lead_does_not_count_against_a_new_one(cast):
    """A closed lead assignment (reassigned) leaves room for the new open one."""
    suggestion = flows.reviewed(cast)
    _assignment_row(suggestion, cast.lead_unit, Assignment.Role.LEAD, closed_on=D(2026, 3, 12))

    _assignment_row(suggestion, cast.other_unit, Assignment.Role.LEAD)

    assert suggestion.assignments.filter(role="lead").count() == 2


def test_assignment_open_is_one_per_unit(cast):
    """The database refuses a unit two open assignments of one suggestion."""
    suggestion = flows.assigned(cast)
    count = suggestion.assignments.count()

    with pytest.raises(IntegrityError), transaction.atomic():
        _assignment_row(suggestion, cast.lead_unit, Assignment.Role.CO)

    assert suggestion.assignments.count() == count


def test_reply_is_one_per_round(cast):
    """The database refuses a second reply in one handling round."""
    suggestion = flows.handled(cast)
    first = suggestion.current_reply()

    with pytest.raises(IntegrityError), transaction.atomic():
        Reply.objects.create(
            suggestion=suggestion,
            assignment=first.assignment,
            round=first.round,
            classification="A",
            text="第二份答复。",
            document=factories.document(),
            due_on=first.due_on,
            on_time=True,
            submitted_by=cast.clerk,
        )

    assert suggestion.replies.count() == 1
