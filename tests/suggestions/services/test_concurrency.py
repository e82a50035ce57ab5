"""Two people act on one suggestion at the same moment: one wins, the other is told why.

Each test runs two service calls in two threads (two database connections) that start
together at a barrier. The services lock the suggestion's row (``select_for_update``),
so the second call waits, then sees what the first did and is refused with
``TransitionNotAllowed`` or ``ValidationError``, never a database error; nothing is
written twice and nothing is lost.

The interleaving is made certain rather than left to chance: the first thread takes the
row lock and keeps it until PostgreSQL shows the second thread waiting on it. (Left to
chance, the calls also trip over the bug that
``test_waiting_approvals_in_one_process_both_complete`` pins down.)

PostgreSQL only: SQLite has no row locks (its writers queue for the whole file), so the
race these tests set up cannot happen there. Run them with
``DATABASE_URL=postgres://... pytest tests/suggestions/test_concurrency.py``.
"""

import datetime
import threading
import time
from collections.abc import Callable

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django_fsm import TransitionNotAllowed
from django_fsm_log.models import StateLog

from suggestions import services
from suggestions.models import (
    Assignment,
    NumberSequence,
    ReassignmentRequest,
    Reminder,
    Reply,
    SignOff,
    Suggestion,
)
from suggestions.services import base, review
from tests import factories, flows

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL row locks; set DATABASE_URL=postgres://... to run",
    ),
]

TIMEOUT = 10  # seconds; far more than any of these calls needs


def waiters() -> int:
    """How many other connections to this database wait on a lock right now."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # else frozen for the transaction
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def until(predicate: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.01)


def wait_for_lock_waiter() -> None:
    until(lambda: waiters() > 0, "the second call waits on the row lock")


class Race:
    """Run two calls in two threads; the first locks the suggestion, the second runs into it.

    ``contended``: the first keeps its row lock until the second waits on it. Without it
    the second merely starts once the first holds its lock (the calls lock different rows).
    """

    def __init__(self, monkeypatch):
        self.first_locked = threading.Event()
        self.contended = True
        lock = base.lock

        def lock_and_hold(suggestion):
            locked = lock(suggestion)
            if threading.current_thread().name == "first" and not self.first_locked.is_set():
                self.first_locked.set()
                if self.contended:
                    wait_for_lock_waiter()
            return locked

        monkeypatch.setattr(base, "lock", lock_and_hold)

    def __call__(self, first: Callable, second: Callable, *, contended: bool = True) -> list:
        """Return [(succeeded, result or exception)] for the first and the second call."""
        self.contended = contended
        barrier = threading.Barrier(2)
        outcomes = [None, None]

        def run(i: int, call: Callable) -> None:
            try:
                barrier.wait(timeout=TIMEOUT)
                if i == 1:
                    assert self.first_locked.wait(timeout=TIMEOUT), "the first never locked"
                outcomes[i] = (True, call())
            except BaseException as exc:  # reported by the test, whatever it is
                outcomes[i] = (False, exc)
            finally:
                connection.close()  # each thread has its own connection; leave none open

        threads = [
            threading.Thread(target=run, args=(i, call), name=name)
            for i, (name, call) in enumerate([("first", first), ("second", second)])
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=3 * TIMEOUT)
        assert not any(t.is_alive() for t in threads), "a call is still running (deadlock?)"
        return outcomes


@pytest.fixture
def race(monkeypatch) -> Race:
    return Race(monkeypatch)


def first_wins(outcomes: list, *refusals: type[Exception]) -> Exception:
    """The first call succeeded; the second was refused with a clear error, returned."""
    (first_ok, result), (second_ok, error) = outcomes
    assert first_ok, f"the first call failed: {result!r}"
    assert not second_ok, f"the second call succeeded too: {error!r}"
    assert not isinstance(error, DatabaseError), f"a database error reached the caller: {error!r}"
    assert isinstance(error, refusals), f"unexpected error: {error!r}"
    texts = error.messages if isinstance(error, ValidationError) else [str(error)]
    assert texts and all(t.strip() for t in texts), f"{error!r} says nothing"
    return error


def fetch(suggestion: Suggestion) -> Suggestion:
    return Suggestion.objects.get(pk=suggestion.pk)


def logs(suggestion: Suggestion):
    return StateLog.objects.for_(suggestion)


@pytest.fixture
def staff2(db):
    return factories.StaffFactory(username="staff2")


def test_approve_twice_at_once_approves_once(cast, staff2, race):
    """Two staff approve the same suggestion at once: one approval, one clear refusal."""
    suggestion = flows.proposed(cast)

    outcomes = race(
        lambda: services.suggestion_approve(suggestion=fetch(suggestion), by=cast.staff),
        lambda: services.suggestion_approve(suggestion=fetch(suggestion), by=staff2),
    )

    first_wins(outcomes, TransitionNotAllowed)
    suggestion.refresh_from_db()
    assert suggestion.state == Suggestion.State.REVIEWED
    assert suggestion.number
    (log,) = logs(suggestion)
    assert (log.transition, log.by) == ("approve", cast.staff)


@pytest.mark.parametrize(
    "approve_first",
    [
        True,  # the rejection waits, then finds the suggestion reviewed
        False,  # the approval waits, then finds it not accepted
    ],
)
def test_approve_and_reject_at_once_one_wins(cast, staff2, race, approve_first):
    """An approval and a rejection at once: the suggestion ends in the winner's state only."""
    suggestion = flows.proposed(cast)

    def approve():
        return services.suggestion_approve(suggestion=fetch(suggestion), by=cast.staff)

    def reject():
        return services.suggestion_reject(
            suggestion=fetch(suggestion), by=staff2, reason="属于来信，转信访部门办理。"
        )

    outcomes = race(approve, reject) if approve_first else race(reject, approve)

    first_wins(outcomes, TransitionNotAllowed)
    suggestion.refresh_from_db()
    transition, state = (
        ("approve", Suggestion.State.REVIEWED)
        if approve_first
        else ("reject", Suggestion.State.NOT_ACCEPTED)
    )
    assert suggestion.state == state
    (log,) = logs(suggestion)
    assert (log.transition, log.source_state, log.state) == (
        transition,
        Suggestion.State.PROPOSED,
        state,
    )
    assert bool(suggestion.number) == approve_first


@pytest.mark.parametrize(
    "plans",
    [
        "lead+co first",  # the single-unit assignment waits and is refused
        "single first",  # the lead+co assignment waits and is refused
    ],
)
def test_assign_twice_at_once_assigns_once(cast, staff2, race, plans):
    """Two assignments at once: only the winner's units get the suggestion, each once."""
    suggestion = flows.reviewed(cast)
    both = [(cast.staff, cast.lead_unit, [cast.co_unit]), (staff2, cast.other_unit, [])]
    if plans == "single first":
        both.reverse()

    def assign(by, lead, co):
        return lambda: services.suggestion_assign(
            suggestion=fetch(suggestion), by=by, lead_unit=lead, co_units=co
        )

    outcomes = race(*[assign(*plan) for plan in both])

    first_wins(outcomes, TransitionNotAllowed)
    by, lead, co = both[0]
    suggestion.refresh_from_db()
    assert suggestion.state == Suggestion.State.ASSIGNED
    assignments = Assignment.objects.filter(suggestion=suggestion)
    assert sorted(a.unit_id for a in assignments) == sorted(u.pk for u in [lead, *co])
    assert assignments.get(role=Assignment.Role.LEAD).unit == lead
    (log,) = logs(suggestion).filter(transition="assign")
    assert log.by == by


def test_last_signoff_twice_at_once_signs_once(cast, race):
    """The leader's signature sent twice at once (a double click): one sign-off, one sign."""
    suggestion = flows.awaiting_leader(cast)

    def sign():
        return services.signoff_record(
            suggestion=fetch(suggestion), by=cast.leader, level=SignOff.Level.LEADER
        )

    outcomes = race(sign, sign)

    first_wins(outcomes, TransitionNotAllowed)
    suggestion.refresh_from_db()
    assert suggestion.state == Suggestion.State.SIGNED
    assert suggestion.signoffs.filter(level=SignOff.Level.LEADER).count() == 1
    assert suggestion.signoffs.count() == 3
    assert logs(suggestion).filter(transition="sign").count() == 1


def test_deputy_signoff_twice_at_once_records_one(cast, race):
    """The deputy's sign-off sent twice at once: one is kept, the other says it exists."""
    suggestion = flows.handled(cast)

    def sign():
        return services.signoff_record(
            suggestion=fetch(suggestion),
            by=cast.deputy.user,
            level=SignOff.Level.DEPUTY,
            work_rating=SignOff.Rating.SATISFIED,
            result_rating=SignOff.Rating.BASICALLY_SATISFIED,
        )

    outcomes = race(sign, sign)

    error = first_wins(outcomes, ValidationError)
    assert error.error_list[0].code == "already_signed"
    suggestion.refresh_from_db()
    assert suggestion.state == Suggestion.State.HANDLED
    assert suggestion.signoffs.count() == 1
    assert not logs(suggestion).filter(transition="sign").exists()


def test_reply_twice_at_once_replies_once(cast, race):
    """The clerk and the head of the lead unit reply at once: one reply, one transition."""
    suggestion = flows.assigned(cast)
    flows.prepare_reply(cast, suggestion)

    def reply(by, classification):
        return lambda: services.reply_submit(
            assignment=flows.lead(fetch(suggestion)),
            by=by,
            classification=classification,
            text="经研究，已解决。",
            document=factories.document(),
        )

    outcomes = race(reply(cast.clerk, "A"), reply(cast.head, "D"))

    first_wins(outcomes, TransitionNotAllowed)
    suggestion.refresh_from_db()
    assert suggestion.state == Suggestion.State.HANDLED
    (reply_,) = Reply.objects.filter(suggestion=suggestion)
    assert (reply_.classification, reply_.submitted_by) == ("A", cast.clerk)
    assert logs(suggestion).filter(transition="reply").count() == 1


def test_reassignment_request_twice_at_once_files_one(cast, race):
    """Two members of a unit ask for reassignment at once: one request waits, not two."""
    suggestion = flows.assigned(cast)

    def ask(by):
        return lambda: services.reassignment_request(
            assignment=flows.lead(fetch(suggestion)), by=by, reason="不属于本单位职责。"
        )

    outcomes = race(ask(cast.clerk), ask(cast.head))

    error = first_wins(outcomes, ValidationError)
    assert error.error_list[0].code == "request_pending"
    (request,) = ReassignmentRequest.objects.filter(assignment__suggestion=suggestion)
    assert request.requested_by == cast.clerk


def test_reassignment_decide_twice_at_once_reassigns_once(cast, staff2, race):
    """Two staff approve one reassignment request at once: one new lead, one transition."""
    suggestion = flows.assigned(cast)
    request = services.reassignment_request(
        assignment=flows.lead(suggestion), by=cast.clerk, reason="不属于本单位职责。"
    )

    def approve(by, unit):
        return lambda: services.reassignment_decide(
            request=ReassignmentRequest.objects.get(pk=request.pk),
            by=by,
            approve=True,
            lead_unit=unit,
        )

    outcomes = race(approve(cast.staff, cast.other_unit), approve(staff2, cast.lead_unit))

    error = first_wins(outcomes, ValidationError)
    assert error.error_list[0].code == "already_decided"
    suggestion.refresh_from_db()
    assert suggestion.state == Suggestion.State.ASSIGNED
    (new_lead,) = suggestion.open_assignments().filter(role=Assignment.Role.LEAD)
    assert new_lead.unit == cast.other_unit
    assert Assignment.objects.filter(suggestion=suggestion).count() == 3  # old lead, co, new
    request.refresh_from_db()
    assert (request.decision, request.decided_by) == ("approved", cast.staff)
    assert logs(suggestion).filter(transition="reassign").count() == 1


def test_approve_two_suggestions_at_once_numbers_them_apart(cast, staff2, race, monkeypatch):
    """Two suggestions of a new session approved at once get different serial numbers."""
    first = flows.proposed(cast, session=9)
    second = flows.proposed(cast, session=9, title="关于加强农贸市场管理的建议")
    # Session 9 has no numbers yet: both approvals go for the first one.
    next_number = review._next_number
    both_numbering = threading.Barrier(2)

    def next_number_together(term, session):
        both_numbering.wait(timeout=TIMEOUT)  # neither has created the sequence row yet
        return next_number(term, session)

    monkeypatch.setattr(review, "_next_number", next_number_together)

    outcomes = race(
        lambda: services.suggestion_approve(suggestion=fetch(first), by=cast.staff),
        lambda: services.suggestion_approve(suggestion=fetch(second), by=staff2),
        contended=False,
    )

    assert all(ok for ok, _ in outcomes), outcomes
    first.refresh_from_db()
    second.refresh_from_db()
    assert sorted([first.number, second.number]) == ["1", "2"]
    assert NumberSequence.objects.get(session=9).last == 2


def test_create_with_one_number_twice_at_once_refuses_one(cast, staff2, monkeypatch):
    """Two suggestions entered at once under one number: one is told the number is taken."""
    raise_if = base.raise_if
    checked = [threading.Event(), threading.Event()]

    def raise_if_then_wait(errors):
        raise_if(errors)
        # Both passed the duplicate check: now insert. A create that makes the other wait
        # (on a lock, as it should) goes on alone.
        mine = int(threading.current_thread().name)
        checked[mine].set()
        until(lambda: checked[1 - mine].is_set() or waiters() > 0, "the other is checked")

    monkeypatch.setattr(base, "raise_if", raise_if_then_wait)
    outcomes = [None, None]

    def create(i, by, title):
        try:
            outcomes[i] = (
                True,
                services.suggestion_create(
                    by=by, title=title, content="建议内容。", lead_deputy=cast.deputy, number="88"
                ),
            )
        except BaseException as exc:
            outcomes[i] = (False, exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=create, args=(0, cast.staff, "关于甲的建议"), name="0"),
        threading.Thread(target=create, args=(1, staff2, "关于乙的建议"), name="1"),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=3 * TIMEOUT)

    assert Suggestion.objects.filter(number="88").count() == 1
    assert sorted(ok for ok, _ in outcomes) == [False, True], outcomes
    (error,) = [result for ok, result in outcomes if not ok]
    assert isinstance(error, ValidationError), f"unexpected error: {error!r}"
    assert error.error_list[0].code == "duplicate_number"


def test_waiting_approvals_in_one_process_both_complete(cast, staff2):
    """Two approvals that each wait for a locked suggestion both complete when let through."""
    one = flows.proposed(cast)
    two = flows.proposed(cast, title="关于加强农贸市场管理的建议")
    releases = {one.pk: threading.Event(), two.pk: threading.Event()}
    held = {one.pk: threading.Event(), two.pk: threading.Event()}
    outcomes = {}

    def hold(pk):  # someone else's transaction on this suggestion, still open
        try:
            with transaction.atomic():
                list(Suggestion.objects.select_for_update().filter(pk=pk).values("pk"))
                held[pk].set()
                releases[pk].wait(timeout=TIMEOUT)
        finally:
            connection.close()

    def approve(suggestion, by):
        try:
            outcomes[suggestion.pk] = services.suggestion_approve(
                suggestion=fetch(suggestion), by=by
            )
        except BaseException as exc:
            outcomes[suggestion.pk] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=hold, args=(pk,)) for pk in releases]
    for thread in threads:
        thread.start()
    until(lambda: all(e.is_set() for e in held.values()), "both rows are held")
    first = threading.Thread(target=approve, args=(one, cast.staff))
    second = threading.Thread(target=approve, args=(two, staff2))
    try:
        first.start()
        until(lambda: waiters() == 1, "the first approval waits")
        second.start()
        until(lambda: waiters() == 2, "the second approval waits too")
        releases[one.pk].set()
        first.join(timeout=TIMEOUT)  # the first completes while the second still waits
    finally:
        for release in releases.values():
            release.set()
        for thread in [*threads, first, second]:
            if thread.ident:
                thread.join(timeout=TIMEOUT)

    assert outcomes[one.pk] == one
    assert outcomes[two.pk] == two, f"the second approval failed: {outcomes[two.pk]!r}"
    assert set(Suggestion.objects.values_list("state", flat=True)) == {"reviewed"}


def test_two_sweeps_at_once_send_each_reminder_once(cast):
    """Two reminder sweeps running at the same moment create and send each reminder once."""
    suggestion = flows.assigned(cast, co=False)
    Assignment.objects.filter(pk=flows.lead(suggestion).pk).update(
        due_on=timezone.localdate() + datetime.timedelta(days=7)
    )
    barrier = threading.Barrier(2)
    created, errors = [], []

    def sweep():
        try:
            barrier.wait(TIMEOUT)
            created.append(services.send_due_reminders())
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT * 2)
    assert errors == []
    assert sorted(created) == [0, 2]
    assert Reminder.objects.count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([cast.clerk.email, cast.head.email])
