"""Exports: the suggestion ledger (台账) as csv and xlsx, and the handling record (纪实表,
``suggestions.record``).

The ledger is read in chunks of ``CHUNK_SIZE`` suggestions: one query for the ordered ids
of the whole queryset, then for each chunk one query for the annotated columns
(``selectors.suggestions_ledger()``) and one each for the co-signers, the co-handling
units and the revisit outcomes. Memory holds one chunk at a time, and the number of
queries grows with the number of chunks, never with the number of rows.

Decisions where the design is silent:

- *Days left* is counted only while the lead unit's reply is awaited (state assigned),
  in the words every page uses (``wording``: "剩 N 天", "今日到期", "逾期 N 天"), never
  a negative number; the deadline beside it is the column to sort by. Before assignment
  and after the reply the cell is empty.
- *Revisit outcome* gives the count of each outcome of the current reply's revisit
  ("kept 2, partly kept 1, not kept 0") rather than the worst outcome alone: the counts
  show the worst outcome too, and how much of the promise was kept. A revisit of a reply
  without commitments (A or D) says so; a suggestion not revisited has an empty cell.
- *Reply on time* is the frozen on-time flag of the current round's reply, as words.
- *Number*: a plain serial number (15) is written as a number, so that a clerk sorting
  the column in Excel gets 2 before 10; a number with anything else in it (12-1, A3, or
  007, whose zeros a number cell would drop) stays text, and text sorts after numbers.
- Every string cell is neutralised (``sheets.writers.neutralise``): numbers and dates
  stay typed.
"""

import datetime
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import Count, F, Q, QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sheets.writers import DANGEROUS_PREFIXES, attachment, csv_pieces, neutralise
from sheets.xlsx_writer import CONTENT_TYPE, stream_xlsx

from .models import (
    Assignment,
    Reply,
    Revisit,
    RevisitOutcome,
    SignOff,
    Suggestion,
)
from .record import handling_record
from .selectors import suggestions_ledger
from .wording import days_left_words

# The codename of the permission to export, created by migration 0004.
EXPORT_PERMISSION = "suggestions.export_suggestion"

# Suggestions read per round trip: large enough that 100,000 rows take 50 chunks, small
# enough that a chunk's ids fit in one IN (...) on SQLite and PostgreSQL alike.
CHUNK_SIZE = 2000

XLSX_CONTENT_TYPE = CONTENT_TYPE


# The ledger's columns: header and width in the xlsx (in characters).


def _label(model, field: str):
    return model._meta.get_field(field).verbose_name


LEDGER_COLUMNS = (
    (_label(Suggestion, "number"), 8),
    (_label(Suggestion, "term"), 6),
    (_label(Suggestion, "session"), 6),
    (_label(Suggestion, "title"), 40),
    (_label(Suggestion, "category"), 12),
    (_label(Suggestion, "lead_deputy"), 12),
    (_label(Suggestion, "co_deputies"), 24),
    (_label(Suggestion, "delegation"), 16),
    (_label(Suggestion, "raised_on"), 12),
    (_label(Suggestion, "state"), 12),
    (gettext_lazy("merged (并案)"), 20),
    (gettext_lazy("lead unit"), 24),
    (gettext_lazy("co-handling units"), 30),
    (_label(Assignment, "original_due_on"), 12),
    (_label(Assignment, "due_on"), 12),
    (gettext_lazy("days left"), 12),
    (_label(Reply, "classification"), 24),
    (_label(Reply, "on_time"), 10),
    (_label(SignOff, "work_rating"), 12),
    (_label(SignOff, "result_rating"), 12),
    (gettext_lazy("revisit outcome"), 30),
)


def ledger_headers() -> list[str]:
    """The ledger's headers in the active language."""
    return [capfirst(str(header)) for header, _width in LEDGER_COLUMNS]


@dataclass(frozen=True)
class _Labels:
    """The words the rows need, translated once, before any streaming starts."""

    states: dict
    classes: dict
    ratings: dict
    on_time: str
    late: str
    outcomes: str
    no_commitments: str
    merged_into: str
    merged_here: str
    number: str
    language: str
    # The days-left words by number of days, worded in ``language`` as each is first met.
    days: dict = field(default_factory=dict)

    def days_left(self, days: int) -> str:
        try:
            return self.days[days]
        except KeyError:
            with translation.override(self.language):
                words = self.days[days] = days_left_words(days)
            return words

    @classmethod
    def current(cls) -> "_Labels":
        return cls(
            states={k: str(v) for k, v in Suggestion.State.choices},
            classes={k: str(v) for k, v in Reply.Classification.choices},
            ratings={k: str(v) for k, v in SignOff.Rating.choices},
            on_time=_("On time"),
            late=_("Late"),
            outcomes=_("kept %(kept)d, partly kept %(partly_kept)d, not kept %(not_kept)d"),
            no_commitments=_("revisited, no commitments to check"),
            merged_into=_("merged into %(main)s"),
            merged_here=_("merged into it: %(merged)s"),
            number=_("No. %(number)s"),
            language=translation.get_language(),
        )


_LEDGER_VALUES = (
    "pk",
    "number",
    "term",
    "session",
    "title",
    "category",
    "lead_deputy__name",
    "delegation",
    "raised_on",
    "state",
    "lead_unit_name",
    "original_due_on",
    "due_on",
    "reply_class",
    "reply_on_time",
    "work_rating",
    "result_rating",
    "merged_into_id",
    "main_number",
    "main_title",
    "merged_count",
)


def _number_cell(number: str) -> int | str:
    """A plain serial number as an int (Excel sorts it as a number); anything else as text."""
    if number.isascii() and number.isdecimal() and not number.startswith("0") and len(number) < 16:
        return int(number)
    return number


def _chunk_limit(queryset: QuerySet, chunk_size: int) -> int:
    """The chunk size, lowered to what the database takes in one ``IN (...)``."""
    connection = connections[queryset.db]
    if connection.vendor != "sqlite":
        return chunk_size
    # SQLite before 3.32 takes 999 parameters per statement; later versions 32,766.
    connection.ensure_connection()
    limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return max(1, min(chunk_size, limit - 10))


def _ordered_ids(queryset: QuerySet) -> list[int]:
    # The ids alone keep the queryset's filters and ordering (whatever it annotates or
    # orders by); a join that repeats a row is folded back to its first place.
    return list(dict.fromkeys(queryset.values_list("pk", flat=True)))


def _names_by_suggestion(pairs: Iterable[tuple[int, str]]) -> dict[int, str]:
    names = defaultdict(list)
    for suggestion_id, name in pairs:
        names[suggestion_id].append(name)
    return {pk: "、".join(found) for pk, found in names.items()}


def _chunk_extras(ids: list[int], labels: _Labels, db: str) -> tuple[dict, dict, dict]:
    """Co-signers, co-handling units and revisit outcomes of a chunk: three queries."""
    through = Suggestion.co_deputies.through
    co_signers = _names_by_suggestion(
        through.objects.using(db)
        .filter(suggestion_id__in=ids)
        .order_by("pk")  # the order the deputies were entered
        .values_list("suggestion_id", "deputy__name")
    )
    co_units = _names_by_suggestion(
        Assignment.objects.using(db)
        .filter(suggestion_id__in=ids, role=Assignment.Role.CO, closed_on__isnull=True)
        .order_by("pk")
        .values_list("suggestion_id", "unit__name")
    )
    counted = {
        outcome: Count("outcomes", filter=Q(outcomes__outcome=outcome))
        for outcome in RevisitOutcome.Outcome.values
    }
    revisits = {}
    for suggestion_id, total, *counts in (
        Revisit.objects.using(db)
        .filter(suggestion_id__in=ids, reply__round=F("suggestion__round"))
        .order_by()
        .annotate(total=Count("outcomes"), **counted)
        .values_list("suggestion_id", "total", *counted)
    ):
        if total:
            revisits[suggestion_id] = labels.outcomes % dict(zip(counted, counts, strict=True))
        else:
            revisits[suggestion_id] = labels.no_commitments
    return co_signers, co_units, revisits


def _number_or_title(labels: "_Labels", number: str, title: str) -> str:
    return labels.number % {"number": number} if number else f"《{title}》"


def _merged_here(ids: list[int], labels: "_Labels", db: str) -> dict[int, str]:
    """The suggestions merged into each main one of ``ids`` (one query), as words."""
    merged = defaultdict(list)
    for main_id, number, title in (
        Suggestion.objects.using(db)
        .filter(merged_into_id__in=ids, state=Suggestion.State.MERGED)
        .order_by("pk")
        .values_list("merged_into_id", "number", "title")
    ):
        merged[main_id].append(_number_or_title(labels, number, title))
    return {pk: "、".join(found) for pk, found in merged.items()}


def _merge_cell(labels: "_Labels", pk, merged_into_id, main_number, main_title, here) -> str:
    if merged_into_id:
        return labels.merged_into % {"main": _number_or_title(labels, main_number, main_title)}
    if pk in here:
        return labels.merged_here % {"merged": here[pk]}
    return ""


def ledger_rows(
    queryset: QuerySet[Suggestion],
    *,
    labels: _Labels | None = None,
    today: datetime.date | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> Iterator[list]:
    """The ledger's rows for ``queryset``, in its order, ready to write (strings neutralised).

    ``labels`` are the translated words (taken from the active language when not given);
    pass them when the rows are produced after the request's language is gone.
    """
    labels = labels or _Labels.current()
    today = today or timezone.localdate()
    assigned = Suggestion.State.ASSIGNED
    ids = _ordered_ids(queryset)
    chunk_size = _chunk_limit(queryset, chunk_size)
    # Built once: the annotations cost as much to build as the chunk's filter.
    ledger = suggestions_ledger().using(queryset.db).values_list(*_LEDGER_VALUES)
    for start in range(0, len(ids), chunk_size):
        chunk = ids[start : start + chunk_size]
        found = {row[0]: row for row in ledger.filter(pk__in=chunk)}
        co_signers, co_units, revisits = _chunk_extras(chunk, labels, queryset.db)
        # A fifth query only for a chunk with a main suggestion of a merged group (并案).
        mains = [row[0] for row in found.values() if row[-1]]
        here = _merged_here(mains, labels, queryset.db) if mains else {}
        for pk in chunk:
            row = found.get(pk)
            if row is None:  # deleted since the ids were read
                continue
            (
                _pk,
                number,
                term,
                session,
                title,
                category,
                lead_deputy,
                delegation,
                raised_on,
                state,
                lead_unit,
                original_due_on,
                due_on,
                reply_class,
                on_time,
                work_rating,
                result_rating,
                merged_into_id,
                main_number,
                main_title,
                _merged_count,
            ) = row
            values = (
                _number_cell(number),
                term,
                session,
                title,
                category,
                lead_deputy,
                co_signers.get(pk, ""),
                delegation,
                raised_on,
                labels.states.get(state, state),
                _merge_cell(labels, pk, merged_into_id, main_number, main_title, here)
                if merged_into_id or pk in here
                else "",
                lead_unit or "",
                co_units.get(pk, ""),
                original_due_on,
                due_on,
                labels.days_left((due_on - today).days) if state == assigned and due_on else "",
                labels.classes.get(reply_class, ""),
                "" if on_time is None else (labels.on_time if on_time else labels.late),
                labels.ratings.get(work_rating, ""),
                labels.ratings.get(result_rating, ""),
                revisits.get(pk, ""),
            )
            # neutralise(), inlined: two million calls for 100,000 rows cost half a second.
            yield [
                "'" + value
                if type(value) is str and value.startswith(DANGEROUS_PREFIXES)
                else value
                for value in values
            ]


def _attachment(extension: str) -> str:
    """The ledger's Content-Disposition, named for today in ASCII and in the user's language
    (建议台账-2026-12-02.xlsx, as RFC 5987's ``filename*``)."""
    day = timezone.localdate().isoformat()
    # Translated outside the f-string, where makemessages would not find it.
    name = _("Suggestion ledger")
    return attachment(f"suggestion-ledger-{day}.{extension}", f"{name}-{day}.{extension}")


def ledger_csv_response(queryset: QuerySet[Suggestion]) -> StreamingHttpResponse:
    """The ledger as csv in UTF-8 with a byte order mark, streamed as it is read."""
    # Words are translated now, in the request's language: the body is produced later.
    pieces = csv_pieces(
        [neutralise(header) for header in ledger_headers()],
        ledger_rows(queryset, labels=_Labels.current()),
    )
    response = StreamingHttpResponse(pieces, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _attachment("csv")
    return response


def ledger_xlsx_response(queryset: QuerySet[Suggestion]) -> StreamingHttpResponse:
    """The ledger as an xlsx workbook, streamed as it is read (``sheets.xlsx_writer``)."""
    # Words are translated now, in the request's language: the body is produced later.
    pieces = stream_xlsx(
        [neutralise(header) for header in ledger_headers()],
        ledger_rows(queryset, labels=_Labels.current()),
        sheet_title=_("Ledger"),
        column_widths=[width for _header, width in LEDGER_COLUMNS],
    )
    response = StreamingHttpResponse(pieces, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = _attachment("xlsx")
    return response


__all__ = ["handling_record", "ledger_csv_response", "ledger_rows", "ledger_xlsx_response"]
