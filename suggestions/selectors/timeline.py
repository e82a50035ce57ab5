"""A suggestion's timeline: every record of it in time order, like a parcel's tracking."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Suggestion
from .records import SuggestionRecords, read_records, records_of


def _transition_done(name: str) -> str:
    """What the timeline says of a transition (its ``done`` words; the name if unknown)."""
    try:
        return str(Suggestion.transition_words(name)["done"])
    except AttributeError:
        return name


@dataclass
class Event:
    """One step of a suggestion's timeline."""

    at: datetime.datetime
    kind: str
    title: str
    actor: str = ""
    detail: str = ""
    note: str = ""
    # The other suggestion an event is about (one merged into this one), if any.
    ref: int | None = None


def _moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def suggestion_timeline(
    suggestion: Suggestion, *, reminders: bool = False, office: bool = False
) -> list[Event]:
    """Every record of a suggestion in time order, in one query (none when the page read
    its records already: ``read_records``); with ``reminders``, the reminders sent; with
    ``office``, the office's own records (interim checks, acceptances without redo, paper
    records refused)."""
    records = records_of(suggestion)
    if (
        records is None
        or (reminders and records.reminders is None)
        or (office and records.interim_checks is None)
    ):
        records = read_records([suggestion], reminders=reminders, office=office)[suggestion.pk]
    events = [
        Event(
            suggestion.created_at, "created", _("Suggestion entered"), _name(suggestion.created_by)
        )
    ]
    logs = records.logs
    states = dict(Suggestion.State.choices)
    for log in logs:
        detail = _("%(source)s → %(target)s") % {
            "source": states.get(log.source_state, log.source_state),
            "target": states.get(log.state, log.state),
        }
        if log.transition == "merge" and suggestion.merged_into_id:
            detail += _("，into %(main)s") % {"main": suggestion.merged_into}
        events.append(
            Event(
                log.timestamp,
                "transition",
                _transition_done(log.transition),
                _name(log.by),
                detail,
                log.description or "",
            )
        )
    events += _merged_in_events(records)
    assignments = records.assignments
    for a in assignments:
        events.append(
            Event(
                max(a.created_at, _moment(a.assigned_on)),
                "assignment",
                _("Assigned to %(unit)s (%(role)s)")
                % {"unit": a.unit, "role": a.get_role_display()},
                detail=_("due %(due)s") % {"due": a.due_on},
            )
        )
        if a.closed_on:
            events.append(
                Event(
                    _moment(a.closed_on) + datetime.timedelta(hours=23, minutes=59),
                    "assignment",
                    _("%(unit)s relieved: %(reason)s")
                    % {"unit": a.unit, "reason": a.get_close_reason_display()},
                )
            )
    by_unit = {a.pk: a.unit for a in assignments}
    for c in records.communications:
        events.append(
            Event(
                # Sorted by when it was recorded, so it never precedes the assignment.
                c.recorded_at,
                "communication",
                _("Communication %(stage)s on %(date)s: %(method)s")
                % {
                    "stage": c.get_stage_display(),
                    "date": c.happened_on,
                    "method": c.get_method_display(),
                },
                f"{by_unit[c.assignment_id]} {_name(c.recorded_by)}",
                note=c.notes,
            )
        )
    for o in records.co_opinions:
        events.append(
            Event(
                o.submitted_at,
                "co_opinion",
                _("Opinion of %(unit)s") % {"unit": by_unit[o.assignment_id]},
                _name(o.submitted_by),
                note=o.text,
            )
        )
    for r in records.replies:
        replaced = r.round < suggestion.round
        events.append(
            Event(
                r.submitted_at,
                "reply",
                _("Reply %(classification)s (round %(round)s)")
                % {"classification": r.get_classification_display(), "round": r.round},
                _name(r.submitted_by),
                (_("on time") if r.on_time else _("late"))
                + ("，" + str(_("replaced by a redo")) if replaced else ""),
                r.text,
            )
        )
    for s in records.signoffs:
        ratings = ""
        if s.work_rating:
            ratings = _("work: %(work)s, result: %(result)s") % {
                "work": s.get_work_rating_display(),
                "result": s.get_result_rating_display(),
            }
        if s.paper_id:
            paper = _("signed on paper on %(date)s, verified by %(name)s") % {
                "date": s.signed_on,
                "name": _name(s.verified_by),
            }
            ratings = f"{ratings}；{paper}" if ratings else paper
        events.append(
            Event(
                s.signed_at,
                "signoff",
                _("Signed by the %(level)s") % {"level": s.get_level_display()},
                _name(s.signer) if s.signer else str(s.deputy or ""),
                ratings,
                s.opinion,
            )
        )
    for redo in records.redos:
        events.append(
            Event(
                redo.ordered_at,
                "redo",
                _("Redo ordered: %(grounds)s") % {"grounds": redo.get_grounds_display()},
                _name(redo.ordered_by),
                _("%(unit)s, due %(due)s") % {"unit": redo.unit, "due": redo.due_on},
                redo.reason,
            )
        )
    for visit in records.revisits:
        outcomes = "；".join(
            f"{o.commitment.text}：{o.get_outcome_display()}"
            for o in sorted(visit.outcomes.all(), key=lambda o: o.pk)
        )
        events.append(
            Event(
                visit.recorded_at,
                "revisit",
                _("Revisit"),
                _name(visit.recorded_by),
                outcomes,
                visit.notes,
            )
        )
    if office:
        events += _office_events(records)
    if reminders:
        for reminder in records.reminders:
            events.append(
                Event(
                    reminder.created_at,
                    "reminder",
                    _("Reminder: %(kind)s") % {"kind": reminder.get_kind_display()},
                    _name(reminder.recipient),
                    _("sent") if reminder.sent_at else _("not sent yet"),
                )
            )
    return sorted(events, key=lambda e: e.at)


def _office_events(records: SuggestionRecords) -> list[Event]:
    events = [
        Event(
            check.recorded_at,
            "interim_check",
            _("Interim check of %(date)s") % {"date": check.happened_on},
            _name(check.recorded_by),
            note=check.findings,
        )
        for check in records.interim_checks
    ]
    events += [
        Event(
            waiver.decided_at,
            "redo_waived",
            _("Accepted without a redo (round %(round)s)") % {"round": waiver.round},
            _name(waiver.decided_by),
            note=waiver.reason,
        )
        for waiver in records.redo_waivers
    ]
    return events


def _merged_in_events(records: SuggestionRecords) -> list[Event]:
    """The merges into this suggestion (并案) of the suggestions still merged into it."""
    merged = {s.pk: s for s in records.merged}
    events = []
    for log in records.merge_logs:
        other = merged.get(log.object_id)
        if other is None:
            continue
        events.append(
            Event(
                log.timestamp,
                "merged_in",
                _("%(suggestion)s merged into this suggestion") % {"suggestion": other},
                _name(log.by),
                _("lead deputy %(name)s") % {"name": other.lead_deputy.name},
                log.description or "",
                ref=other.pk,
            )
        )
    return events
