"""The assessment's services: ``deduction_record``, ``assessment_close`` and
``assessment_reopen`` refuse with coded errors and keep the frozen figures apart."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from reports import services
from reports.models import AssessmentEvent, Deduction
from reports.selectors import closing_of, unit_assessment
from tests import flows
from tests.reports import assessment_data as data

pytestmark = pytest.mark.django_db


def codes(refusal: ValidationError) -> set[str]:
    return {error.code for error in refusal.error_list}


def record(cast, **kwargs):
    fields = {"unit": cast.lead_unit, "year": 2026, "by": cast.staff, "points": 2}
    fields["reason"] = "制度不健全"
    with flows.on(data.SEEN):
        return services.deduction_record(**(fields | kwargs))


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"points": 0}, "bad_points"),  # nothing to deduct
        ({"points": "101"}, "bad_points"),  # more than the whole score
        ({"points": "two"}, "bad_points"),  # not a number
        ({"reason": "  "}, "reason_required"),  # no reason
        ({"kind": "late_reply"}, "bad_kind"),  # counted kinds are not entered by hand
        ({"year": 2025}, "unit_not_assessed"),  # no assignment that year
        ({"year": 2027}, "bad_year"),  # a year still to come
    ],
)
def test_deduction_record_refused_when_invalid(cast, kwargs, code):
    """Each bad input is refused with its code and records nothing."""
    data.build(cast)
    with pytest.raises(ValidationError) as refused:
        record(cast, **kwargs)
    assert code in codes(refused.value)
    assert not Deduction.objects.exists()


def test_deduction_record_refused_when_year_closed(cast):
    """A closed year takes no deduction until it is reopened."""
    data.build(cast)
    with flows.on(data.SEEN):
        services.assessment_close(year=2026, by=cast.staff)
    with pytest.raises(ValidationError) as refused:
        record(cast)
    assert codes(refused.value) == {"year_closed"}
    assert not Deduction.objects.exists()


@pytest.mark.parametrize("role", ["clerk", "leader", "plain_staff"])
def test_deduction_record_denied_to_non_office(cast, role):
    """Only the committee office records deductions (a leader, a clerk, other staff not)."""
    data.build(cast)
    with pytest.raises(PermissionDenied):
        record(cast, by=flows.person(cast, role))
    assert not Deduction.objects.exists()


def test_deduction_record_counts_in_the_score(cast):
    """A recorded deduction lowers the unit's score by its points."""
    data.build(cast)
    record(cast, points="1.5")
    with flows.on(data.SEEN):
        lead = next(r for r in unit_assessment(year=2026) if r.unit == cast.lead_unit)
    assert str(lead.score) == "94.5"
    assert lead.deductions[-1].kind == "manual"


def test_assessment_close_refused_when_closed_twice(cast):
    """A closed year cannot be closed again."""
    data.build(cast)
    with flows.on(data.SEEN):
        services.assessment_close(year=2026, by=cast.staff)
        with pytest.raises(ValidationError) as refused:
            services.assessment_close(year=2026, by=cast.staff)
    assert codes(refused.value) == {"year_closed"}
    assert AssessmentEvent.objects.count() == 1


def test_assessment_close_denied_to_leader(cast):
    """A leader cannot close a year."""
    data.build(cast)
    with flows.on(data.SEEN), pytest.raises(PermissionDenied):
        services.assessment_close(year=2026, by=cast.leader)
    assert closing_of(2026) is None


@pytest.mark.parametrize(
    ("close", "reason", "code"),
    [
        (False, "数据有误", "not_closed"),  # an open year
        (True, "", "reason_required"),  # no reason
    ],
)
def test_assessment_reopen_refused(cast, close, reason, code):
    """Reopening needs a closed year and a reason."""
    data.build(cast)
    with flows.on(data.SEEN):
        if close:
            services.assessment_close(year=2026, by=cast.staff)
        with pytest.raises(ValidationError) as refused:
            services.assessment_reopen(year=2026, by=cast.staff, reason=reason)
    assert code in codes(refused.value)
    assert (closing_of(2026) is not None) == close


def test_assessment_reopen_makes_figures_live_again(cast):
    """Closed, a later reply is not counted; reopened, the figures count it."""
    year = data.build(cast)
    with flows.on(data.SEEN):
        services.assessment_close(year=2026, by=cast.staff)
        flows.prepare_reply(cast, year.late)
        flows.reply(cast, year.late)

        def lead_resolved():
            rows = unit_assessment(year=2026)
            return tuple(next(r for r in rows if r.unit == cast.lead_unit).resolved)

        assert lead_resolved() == (1, 1)  # frozen: the later reply is not counted
        event = services.assessment_reopen(year=2026, by=cast.staff, reason="补录答复")
        assert lead_resolved() == (2, 2)
        assert closing_of(2026) is None
    assert event.reason == "补录答复" and event.action == AssessmentEvent.Action.REOPEN
