"""The assignment list of a 交办会 (assignment meeting): reviewed suggestions assigned in
one go, each row through the assign service (``suggestion_assign``) with the meeting's
date.

Columns: 建议编号, 主办单位, 协办单位 (optional: names separated by 、 ， , ； ; or spaces),
复杂 (optional: 是/否, blank is 否), 交办日期 (the meeting's date: the deadlines count from
it); optional too, 届次 and 会次 (blank or absent: the current term and session of
``settings.NPC``) and 标题, which must then be the numbered suggestion's title, so that a
mistyped number is a bad row instead of another suggestion assigned.

A row is not a record this resource writes: it is a call of the service of the action
table's "assign" (the one the admin's button calls), which checks
everything an assignment in the admin is checked for (the state, the units, the date not
in the future nor before the approval) and writes the assignments, the transition record
and its notifications on commit. ``sheets.import_file`` runs the whole file in one
transaction, each row in a savepoint of its own; a bad row, a refusal of the service
included, rolls every row back (all or nothing), and every bad row is reported with the
column the refusal concerns.

Importing the same list again changes nothing: a suggestion already assigned as its row
says (the same open lead and co-units, assigned on the row's date, with the reply
deadline the row's 复杂 gives) is unchanged; one assigned otherwise is a bad row, since
an import never changes an assignment (that is a reassignment).
"""

from __future__ import annotations

import re

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import TransitionNotAllowed

import sheets
from sheets import BadValue, Column, name_key
from sheets.resolvers import Resolver
from sheets.resources import (
    ChoiceWidget,
    DateWidget,
    OrdinalWidget,
    ResolvedListWidget,
    ResolvedWidget,
    SheetResource,
    TextWidget,
    field,
)

from .. import actions, deadlines
from ..models import Assignment, HandlingUnit, Suggestion

# The action table's "assign": its service, the one the admin's button calls.
ASSIGN = actions.get(actions.Page.ADMIN, "assign")

COMPLEX = {
    "是": True,
    "否": False,
    "复杂": True,
    "不复杂": False,
    "yes": True,
    "no": False,
    "y": True,
    "n": False,
    "true": True,
    "false": False,
    "1": True,
    "0": False,
}

# The column a refusal of the service concerns, by its code (other codes: the whole row).
COLUMN_OF_CODE = {
    "not_allowed": "number",  # the suggestion's state (not reviewed)
    "assigned_on_future": "assigned_on",
    "assigned_before_approval": "assigned_on",
    "duplicate_unit": "co_units",
    "inactive_unit": "lead_unit",
    "unit_already_assigned": "lead_unit",
    "lead_unit_required": "lead_unit",
}

# 第15号 and 15号 for the number 15, as lists sometimes write it.
_WRITTEN_NUMBER = re.compile(r"^第?\s*(\d+)\s*号?$")


class UnitResolver(Resolver):
    """A handling unit by its name or its short name (简称); a full name wins over another
    unit's short name. An inactive unit is a bad value: it is given nothing new."""

    def __init__(self):
        self.units: dict[str, dict[int, HandlingUnit]] = {}
        for unit in HandlingUnit.objects.only("name", "short_name", "is_active"):
            for name in {unit.name, unit.short_name}:
                if key := name_key(name):
                    self.units.setdefault(key, {})[unit.pk] = unit

    def resolve(self, name, row):
        key = name_key(name)
        found = list(self.units.get(key, {}).values())
        if len(found) > 1:
            found = [u for u in found if name_key(u.name) == key] or found
        if not found:
            raise BadValue(
                _("No handling unit is named “%(name)s”.") % {"name": name}, "unknown_unit"
            )
        if len(found) > 1:
            raise BadValue(
                _("Several units are called “%(name)s” (%(units)s): write the full name.")
                % {"name": name, "units": "、".join(sorted(u.name for u in found))},
                "ambiguous_unit",
            )
        unit = found[0]
        if not unit.is_active:
            raise BadValue(
                _("These units are inactive: %(units)s.") % {"units": unit.name}, "inactive_unit"
            )
        return unit


class CurrentOrdinalWidget(OrdinalWidget):
    """届次 or 会次, optional: blank is the current one (``settings.NPC``)."""

    def __init__(self, suffixes, rule: str):
        super().__init__(suffixes)
        self.rule = rule

    def clean(self, value, row=None, **kwargs):
        number = sheets.parse_ordinal(value, suffixes=self.suffixes, required=False)
        return number or deadlines.rule(self.rule)


def _number_variants(text: str) -> list[str]:
    match = _WRITTEN_NUMBER.match(text)
    return [text, match.group(1)] if match and match.group(1) != text else [text]


def _unit_names(assignments) -> str:
    return "、".join(a.unit.name for a in assignments) or "—"


class Problems:
    """A row's errors by attribute, as ``ValidationError`` wants them for the report."""

    def __init__(self, bad: dict[str, BadValue]):
        self.by_attribute: dict[str, list[ValidationError]] = {}
        for attribute, error in bad.items():
            self.add(attribute, error.message, error.code)

    def add(self, attribute: str, message: str, code: str) -> None:
        self.by_attribute.setdefault(attribute, []).append(ValidationError(message, code=code))

    def __contains__(self, attribute: str) -> bool:
        return attribute in self.by_attribute

    def __bool__(self) -> bool:
        return bool(self.by_attribute)


class AssignmentListResource(SheetResource):
    """The 交办会's list: 建议编号, 主办单位, 协办单位, 复杂, 交办日期 (届次, 会次, 标题)."""

    columns = [
        Column("number", "建议编号", ("number", "suggestion number", "编号", "建议号")),
        Column("lead_unit", "主办单位", ("lead unit", "lead", "主办")),
        Column(
            "co_units",
            "协办单位",
            ("co-units", "co units", "co-handling units", "协办"),
            required=False,
        ),
        Column("complex", "复杂", ("complex", "是否复杂", "复杂建议"), required=False),
        Column("assigned_on", "交办日期", ("assigned on", "assignment date", "交办时间")),
        Column("term", "届次", ("term",), required=False),
        Column("session", "会次", ("session",), required=False),
        Column("title", "标题", ("title", "建议标题", "题目"), required=False),
    ]
    key_field = "number"

    number = field("number", columns[0], TextWidget(required=True, max_length=30))
    lead_unit = field("lead_unit", columns[1], ResolvedWidget())
    co_units = field("co_units", columns[2], ResolvedListWidget(HandlingUnit))
    complex = field(
        "complex",
        columns[3],
        ChoiceWidget(COMPLEX, label=gettext_lazy("yes/no value"), required=False),
    )
    assigned_on = field("assigned_on", columns[4], DateWidget())
    term = field("term", columns[5], CurrentOrdinalWidget(sheets.TERM_SUFFIXES, "CURRENT_TERM"))
    session = field(
        "session",
        columns[6],
        CurrentOrdinalWidget(sheets.SESSION_SUFFIXES, "CURRENT_SESSION"),
    )
    title = field("title", columns[7], TextWidget())

    class Meta(SheetResource.Meta):
        model = Assignment
        fields = (
            "number",
            "lead_unit",
            "co_units",
            "complex",
            "assigned_on",
            "term",
            "session",
            "title",
        )
        import_id_fields = ("number",)

    def before_import(self, dataset, **kwargs):
        resolver = UnitResolver()
        self.fields["lead_unit"].widget.resolver = resolver
        self.fields["co_units"].widget.resolver = resolver
        super().before_import(dataset, **kwargs)
        self.suggestions = self._suggestions(dataset)
        self.seen_suggestions: dict[int, int] = {}

    def _column(self, dataset, name: str, widget) -> set:
        """The values of an optional column (the default when it is absent), bad ones left
        to their rows."""
        header = self.fields[name].column_name
        cells = dataset[header] if header in dataset.headers else [None]
        found = set()
        for cell in cells:
            try:
                found.add(widget.clean(cell))
            except BadValue:
                pass
        return found

    def _suggestions(self, dataset) -> dict[tuple[int, int, str], Suggestion]:
        """The file's suggestions by (term, session, number), with their open assignments,
        loaded once."""
        numbers = {
            variant
            for text in sheets.texts(dataset[self.fields["number"].column_name])
            for variant in _number_variants(text)
        }
        open_assignments = Assignment.objects.filter(closed_on__isnull=True).select_related("unit")
        found = (
            Suggestion.objects.filter(
                term__in=self._column(dataset, "term", self.fields["term"].widget),
                session__in=self._column(dataset, "session", self.fields["session"].widget),
                number__in=numbers,
            )
            .exclude(number="")
            .prefetch_related(Prefetch("assignments", open_assignments, to_attr="open_now"))
        )
        return {(s.term, s.session, s.number): s for s in found}

    def key_label(self):
        return _("suggestion number in this term and session")

    # One row: one call of the service.

    def import_row(self, row, instance_loader, **kwargs):
        row_result = self.get_row_result_class()()
        try:
            values, bad = self.clean_row(row)
            problems = Problems(bad)
            number = self.sheet_rows[kwargs["row_number"] - 1] if self.sheet_rows else None
            status, instance = self._assign(values, problems, number)
            if problems:
                raise ValidationError(problems.by_attribute)
            row_result.import_type = status
            row_result.instance = instance
        except ValidationError as e:
            row_result.import_type = row_result.IMPORT_TYPE_INVALID
            row_result.validation_error = e
            self.failed = True
        except Exception as e:
            row_result.import_type = row_result.IMPORT_TYPE_ERROR
            row_result.errors.append(
                self.get_error_result_class()(e, row=row, number=kwargs["row_number"])
            )
            self.failed = True
        return row_result

    def _suggestion(self, values: dict, problems: Problems, row_number) -> Suggestion | None:
        """The suggestion the row numbers, once in the file."""
        if {"number", "term", "session"} & set(problems.by_attribute):
            return None
        # Absent columns: the current term and session.
        term = values.get("term") or deadlines.rule("CURRENT_TERM")
        session = values.get("session") or deadlines.rule("CURRENT_SESSION")
        text = values["number"]
        for variant in _number_variants(text):
            suggestion = self.suggestions.get((term, session, variant))
            if suggestion is not None:
                break
        else:
            problems.add(
                "number",
                _("No suggestion of term %(term)s, session %(session)s is numbered %(number)s.")
                % {"term": term, "session": session, "number": text},
                "unknown_suggestion",
            )
            return None
        if suggestion.pk in self.seen_suggestions:
            problems.add(
                "number",
                _("The same %(what)s is already in row %(row)s of this file.")
                % {"what": self.key_label(), "row": self.seen_suggestions[suggestion.pk]},
                "duplicate_key",
            )
            return None
        self.seen_suggestions[suggestion.pk] = row_number
        title = values.get("title")
        if title and name_key(title) != name_key(suggestion.title):
            problems.add(
                "title",
                _("Number %(number)s is “%(title)s”: check the number or the title.")
                % {"number": suggestion.number, "title": suggestion.title},
                "title_mismatch",
            )
        return suggestion

    def _assign(self, values: dict, problems: Problems, row_number) -> tuple[str, object]:
        """Assign the row's suggestion (or find it assigned as the row says); what is wrong
        goes to ``problems``."""
        suggestion = self._suggestion(values, problems, row_number)
        lead_unit = values.get("lead_unit")
        co_units = self.m2m.get("co_units", [])
        if lead_unit is not None and lead_unit in co_units:
            problems.add(
                "co_units",
                _("The lead unit cannot also be a co-unit."),
                "lead_is_co_unit",
            )
            co_units = [u for u in co_units if u != lead_unit]
        assigned_on = values.get("assigned_on")
        if assigned_on is None and "assigned_on" not in problems:
            problems.add("assigned_on", _("This cell is required."), "required")
        complex_ = bool(values.get("complex"))
        if suggestion is None or lead_unit is None or assigned_on is None or "complex" in problems:
            return "", None
        if suggestion.open_now:
            return self._unchanged(suggestion, lead_unit, co_units, assigned_on, complex_, problems)
        try:
            assignments = ASSIGN.service(
                suggestion=suggestion,
                by=self.by,
                lead_unit=lead_unit,
                co_units=co_units,
                complex=complex_,
                assigned_on=assigned_on,
            )
        except (ValidationError, PermissionDenied, TransitionNotAllowed) as error:
            refusal = actions.Refusal.of(error)
            for message, code in zip(refusal.messages, refusal.codes, strict=True):
                problems.add(COLUMN_OF_CODE.get(code, NON_FIELD_ERRORS), message, code)
            return "", None
        return "new", assignments[0]

    def _unchanged(self, suggestion, lead_unit, co_units, assigned_on, complex_, problems):
        """A suggestion already assigned: unchanged when exactly as the row says."""
        assignments = suggestion.open_now
        leads = [a for a in assignments if a.role == Assignment.Role.LEAD]
        cos = [a for a in assignments if a.role == Assignment.Role.CO]
        due_on, _basis = deadlines.reply_due(assigned_on, complex=complex_)
        if (
            len(leads) == 1
            and leads[0].unit_id == lead_unit.pk
            and leads[0].original_due_on == due_on
            and {a.unit_id for a in cos} == {u.pk for u in co_units}
            and all(a.assigned_on == assigned_on for a in assignments)
        ):
            return "skip", leads[0]
        problems.add(
            "number",
            _(
                "This suggestion is already assigned otherwise (lead unit %(lead)s, co-units "
                "%(co)s, assigned on %(date)s, reply due %(due)s); an import never changes "
                "an assignment."
            )
            % {
                "lead": _unit_names(leads),
                "co": _unit_names(cos),
                "date": "、".join(sorted({str(a.assigned_on) for a in assignments})),
                "due": "、".join(str(a.original_due_on) for a in leads) or "—",
            },
            "assigned_otherwise",
        )
        return "", None
