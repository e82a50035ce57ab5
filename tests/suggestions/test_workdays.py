"""Working days on China's official calendar: holidays, make-up workdays (调休), overrides.

The 2026 arrangement (State Council): National Day 1-7 October off; Sunday 20 September
and Saturday 10 October are make-up working days; the Mid-Autumn Festival is Friday
25 September.
"""

import datetime
import logging

import pytest
from django.core.exceptions import ValidationError

from suggestions import deadlines, services, workdays
from suggestions.models import WorkdayOverride
from tests import flows

D = datetime.date
REASON = "该事项不属于本单位职责，请求改派。"


@pytest.fixture
def fresh_unknown_year_warning():
    """The unknown-year warning is logged once per process and year: start each test afresh."""
    workdays._warn_unknown_year.cache_clear()
    yield
    workdays._warn_unknown_year.cache_clear()


def _overrides(*rows):
    for date, is_workday, note in rows:
        WorkdayOverride.objects.create(date=date, is_workday=is_workday, note=note)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 9, 20), True),  # Sunday, make-up working day for National Day
        (D(2026, 9, 25), False),  # Friday, Mid-Autumn Festival
        (D(2026, 10, 1), False),  # Thursday, National Day
        (D(2026, 10, 7), False),  # Wednesday, last day of the National Day break
        (D(2026, 10, 8), True),  # Thursday, back to work
        (D(2026, 10, 10), True),  # Saturday, make-up working day
        (D(2026, 10, 11), False),  # Sunday, an ordinary weekend day
    ],
)
def test_is_working_day_follows_the_2026_arrangement(db, day, working):
    """A day is a working day as the State Council's 2026 arrangement says."""
    assert workdays.is_working_day(day) is working


# By hand, from Tuesday 29 September 2026: 30 Sep (1); 1-7 Oct off; 8 Oct (2), 9 Oct (3),
# Saturday 10 Oct make-up (4); Sunday 11 Oct off; 12 Oct (5), 13 Oct (6), 14 Oct (7).
@pytest.mark.parametrize(
    ("assigned_on", "end", "make_up"),
    [
        # Across National Day: the break skipped, Saturday 10 October counted.
        (D(2026, 9, 29), D(2026, 10, 14), [D(2026, 10, 10)]),
        # From Friday 18 September: Sunday 20th counted (1), 21-24 (2-5), Mid-Autumn Friday
        # 25th and the weekend skipped, 28th (6), 29th (7).
        (D(2026, 9, 18), D(2026, 9, 29), [D(2026, 9, 20)]),
    ],
)
def test_reassignment_window_follows_holidays_and_make_up_days(db, assigned_on, end, make_up):
    """The 7-working-day window skips the holidays and counts the make-up weekend days."""
    window = deadlines.reassignment_window(assigned_on)

    assert window.end == end
    assert window.make_up_days == make_up
    assert window.estimated_years == set()


def test_reassignment_window_skips_every_day_of_the_national_day_break(db):
    """The window from 29 September 2026 skips 1-7 October and Sunday 11th, nothing else."""
    window = deadlines.reassignment_window(D(2026, 9, 29))

    skipped = [day for day, _name in window.skipped]
    assert skipped == [D(2026, 10, d) for d in (1, 2, 3, 4, 5, 6, 7, 11)]


def test_reassignment_window_explanation_names_the_skipped_holiday(db):
    """The explanation shown on the task page names National Day and the make-up Saturday."""
    explanation = deadlines.reassignment_window(D(2026, 9, 29)).explanation()

    assert "国庆节" in explanation
    assert "2026-10-14" in explanation
    assert "10-10" in explanation


def test_reassignment_request_accepted_on_the_seventh_working_day_after_national_day(cast):
    """Assigned on 29 September 2026, a unit may still ask on 14 October."""
    with flows.on(D(2026, 9, 29)):
        suggestion = flows.assigned(cast)

    with flows.on(D(2026, 10, 14)):
        request = services.reassignment_request(
            assignment=flows.lead(suggestion), by=cast.clerk, reason=REASON
        )

    assert request.decision == "pending"


def test_reassignment_request_refused_the_day_after_the_window_across_national_day(cast):
    """Assigned on 29 September 2026, a request on 15 October is refused, explaining the count."""
    with flows.on(D(2026, 9, 29)):
        suggestion = flows.assigned(cast)
    before = flows.snapshot(suggestion)

    with flows.on(D(2026, 10, 15)), pytest.raises(ValidationError) as excinfo:
        services.reassignment_request(
            assignment=flows.lead(suggestion), by=cast.clerk, reason=REASON
        )

    assert [e.code for e in excinfo.value.error_list] == ["window_closed"]
    message = excinfo.value.messages[0]
    assert "2026-10-14" in message
    assert "国庆节" in message
    assert flows.snapshot(suggestion) == before


@pytest.mark.parametrize(
    ("rows", "end"),
    [
        # Monday 12 October made a day off: the window ends a day later.
        ([(D(2026, 10, 12), False, "防汛停工")], D(2026, 10, 15)),
        # The make-up Saturday cancelled: the window ends a day later.
        ([(D(2026, 10, 10), False, "调休取消")], D(2026, 10, 15)),
        # A National Day holiday made a working day: the window ends a day earlier.
        ([(D(2026, 10, 7), True, "改为工作日")], D(2026, 10, 13)),
    ],
)
def test_workday_override_wins_over_the_package(db, rows, end):
    """A calendar override row wins over the holidays package's arrangement."""
    _overrides(*rows)

    assert deadlines.reassignment_window(D(2026, 9, 29)).end == end
    for date, is_workday, _note in rows:
        assert workdays.is_working_day(date) is is_workday


def test_workday_override_note_explains_a_day_off(db):
    """A day off from an override is explained by the override's note."""
    _overrides((D(2026, 10, 12), False, "防汛停工"))

    assert "防汛停工" in deadlines.reassignment_window(D(2026, 9, 29)).explanation()


def test_unknown_year_counts_monday_to_friday_and_warns(db, caplog, fresh_unknown_year_warning):
    """In a year the package does not know, Monday to Friday count, with a warning logged."""
    assert 2031 not in workdays.KNOWN_YEARS
    caplog.set_level(logging.WARNING, logger="suggestions.workdays")

    # Monday 29 September 2031: 30 Sep, 1, 2, 3, 6, 7, 8 October.
    window = deadlines.reassignment_window(D(2031, 9, 29))

    assert window.end == D(2031, 10, 8)
    assert window.estimated_years == {2031}
    assert "2031" in window.explanation()
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "2031" in warnings[0].getMessage()


def test_unknown_year_follows_the_overrides(db, fresh_unknown_year_warning):
    """Staff overrides give an unknown year its holidays and make-up days."""
    _overrides(
        (D(2031, 10, 1), False, "国庆节"),
        (D(2031, 10, 2), False, "国庆节"),
        (D(2031, 10, 3), False, "国庆节"),
        (D(2031, 10, 11), True, "国庆节调休"),
    )

    # 30 Sep (1); 1-3 Oct off; 6-10 Oct (2-6); Saturday 11 Oct make-up (7).
    window = deadlines.reassignment_window(D(2031, 9, 29))

    assert window.end == D(2031, 10, 11)
    assert window.make_up_days == [D(2031, 10, 11)]
    assert "国庆节" in window.explanation()


def test_unknown_year_does_not_stop_the_loop(cast, fresh_unknown_year_warning):
    """Assignment and reassignment requests work in a year with no known arrangement."""
    with flows.on(D(2031, 9, 29)):
        suggestion = flows.assigned(cast)
    with flows.on(D(2031, 10, 8)):
        request = services.reassignment_request(
            assignment=flows.lead(suggestion), by=cast.clerk, reason=REASON
        )

    assert request.decision == "pending"
    assert flows.lead(suggestion).due_on == D(2031, 12, 29)


def test_redo_deadline_in_working_days_skips_national_day(cast, settings):
    """A redo period set in working days follows the official calendar."""
    settings.NPC = {**settings.NPC, "REDO_WORKING_DAYS": 5}
    with flows.on(D(2026, 9, 29)):
        suggestion = flows.handled(cast)
        redo = services.suggestion_order_redo(
            suggestion=suggestion, by=cast.staff, reason="答复不符合要求。"
        )

    # 30 Sep (1); 1-7 Oct off; 8 (2), 9 (3), Saturday 10 (4); Sunday 11 off; 12 (5).
    lead = flows.lead(suggestion)
    assert redo.due_on == lead.due_on == D(2026, 10, 12)
    assert "国庆节" in deadlines.describe(lead.due_basis)


def test_extension_keeps_the_original_due_date(cast):
    """An extended deadline keeps the original date, and says how it was reached."""
    with flows.on(D(2026, 3, 10)):
        suggestion = flows.assigned(cast)
    lead = flows.lead(suggestion)
    with flows.on(D(2026, 5, 6)):
        request = services.extension_request(
            assignment=lead, by=cast.clerk, reason="涉及多部门协调。", until=D(2026, 8, 31)
        )
        services.extension_decide(request=request, by=cast.staff, approve=True)

    lead.refresh_from_db()
    assert (lead.original_due_on, lead.due_on) == (D(2026, 6, 10), D(2026, 8, 31))
    description = deadlines.describe(lead.due_basis)
    assert "2026-06-10" in description
    assert "2026-05-06" in description
