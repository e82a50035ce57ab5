"""django-import-export resources of handling units and suggestions, and their shared base.

``imports.import_file()`` reads the file and maps its headers; these resources turn each
row into a model instance. Values are parsed by the helpers of the ``imports`` package
(``values.py``), names resolved by its ``resolvers.py``, new suggestions written by its
``bulk.py``; rows are keyed as DESIGN.md says, with every existing row of the file's keys
loaded once.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models.base import ModelState
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets

from deputies.models import Deputy

from . import imports
from .audit import record_bulk_creation
from .imports import BadValue, Column
from .imports.bulk import insert_links, insert_new
from .imports.resolvers import DeputyResolver, LeaderResolver, Resolver
from .models import HandlingUnit, NumberSequence, Suggestion

# Widgets: each parses one kind of value as offices write it and renders it back the same
# way, so an export of these resources imports again unchanged.


class TextWidget(widgets.Widget):
    def __init__(self, *, required: bool = False, max_length: int | None = None):
        super().__init__()
        self.required, self.max_length = required, max_length

    def clean(self, value, row=None, **kwargs):
        return imports.clean_text(value, required=self.required, max_length=self.max_length)


class OrdinalWidget(widgets.Widget):
    """届次 or 会次: 16 or 第十六届, 3 or 第三次."""

    def __init__(self, suffixes):
        super().__init__()
        self.suffixes = suffixes

    def clean(self, value, row=None, **kwargs):
        return imports.parse_ordinal(value, suffixes=self.suffixes)


class DateWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return imports.parse_date(value)

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class ChoiceWidget(widgets.Widget):
    """A choice written in Chinese (or English); rendered as its first Chinese spelling."""

    def __init__(self, table: dict[str, str], *, label, required: bool = True):
        super().__init__()
        self.table = {imports.normalise_header(k): v for k, v in table.items()}
        self.spelling = {}
        for written, value in table.items():
            self.spelling.setdefault(value, written)
        self.label, self.required = label, required
        self.shown = list(self.spelling.values())

    def clean(self, value, row=None, **kwargs):
        return imports.parse_choice(
            value, self.table, required=self.required, label=self.label, shown=self.shown
        )

    def render(self, value, obj=None, **kwargs):
        return self.spelling.get(value, value or "")


class ResolvedWidget(widgets.Widget):
    """A name resolved by the resource's ``Resolver`` (set before the import starts)."""

    resolver: Resolver | None = None

    def __init__(self, *, required: bool = True, render_as=str):
        super().__init__()
        self.required, self.render_as = required, render_as

    def clean(self, value, row=None, **kwargs):
        name = imports.clean_text(value, required=self.required)
        return self.resolver.resolve(name, row) if name else None

    def render(self, value, obj=None, **kwargs):
        return self.render_as(value) if value is not None else ""


class ResolvedListWidget(widgets.ManyToManyWidget):
    """Several names in one cell (、 ， , ； ; or spaces), each resolved."""

    resolver: Resolver | None = None

    def __init__(self, model, render_as=str):
        super().__init__(model, separator="、")
        self.render_as = render_as

    def clean(self, value, row=None, **kwargs):
        found, problems = [], []
        for name in imports.split_names(value):
            try:
                found.append(self.resolver.resolve(name, row))
            except BadValue as e:
                problems.append(e)
        if problems:  # every name that is wrong, not only the first
            raise BadValue("；".join(e.message for e in problems), problems[0].code)
        return found

    def render(self, value, obj=None, **kwargs):
        return "、".join(self.render_as(v) for v in value.all()) if value is not None else ""


def field(name: str, column: Column, widget) -> fields.Field:
    return fields.Field(attribute=name, column_name=column.header, widget=widget)


# The shared base.


class SheetResource(resources.ModelResource):
    """A resource fed by ``imports.import_file()``: keyed rows, codes on every error.

    Subclasses declare ``columns``, ``key`` (the attributes that identify a row) and
    ``compared`` (the attribute names that tell an existing row unchanged), and may
    override ``existing_rows()``, ``check_row()`` and ``changed_existing()``.
    """

    columns: list[Column] = []
    key: tuple[str, ...] = ()
    key_field = ""  # the column a duplicate key is reported in
    compared: tuple[str, ...] = ()

    class Meta:
        skip_diff = True
        skip_html_diff = True
        clean_model_instances = False
        report_skipped = True
        use_transactions = True

    def __init__(self, by=None, **kwargs):
        super().__init__(**kwargs)
        self.by = by
        self.sheet_rows: list[int] = []
        self.existing: dict[tuple, object] = {}
        self.snapshots: dict[int, dict] = {}
        self.seen: dict[tuple, int] = {}
        self.failed = False

    # Hooks.

    def existing_rows(self, dataset) -> list:
        """The saved instances the file's rows may match (loaded once)."""
        return []

    def snapshot(self, instance) -> dict:
        return {name: getattr(instance, name) for name in self.compared}

    def compared_names(self, row) -> list[str]:
        return list(self.compared)

    def check_row(self, instance, row, errors: dict) -> dict:
        """Errors across columns of one row, as {attribute: BadValue}."""
        return {}

    def changed_existing(self, instance, row) -> bool:
        """An existing row with other values: True to skip, False to update, or raise."""
        return False

    # import-export's flow.

    def before_import(self, dataset, **kwargs):
        # (attribute, column, widget, many-to-many) of each column the file has.
        self.plan = [
            (f.attribute, f.column_name, f.widget, isinstance(f.widget, widgets.ManyToManyWidget))
            for f in self.get_import_fields()
            if f.column_name in dataset.headers
        ]
        for instance in self.existing_rows(dataset):
            key = tuple(getattr(instance, name) for name in self.key)
            self.existing[key] = instance
            self.snapshots[instance.pk] = self.snapshot(instance)

    def clean_row(self, row) -> tuple[dict, dict[str, BadValue]]:
        """Each cell of the row, cleaned once by its widget: the attributes' values (the
        many-to-many ones go to ``self.m2m``) and the bad cells' errors."""
        values: dict = {}
        errors: dict[str, BadValue] = {}
        self.m2m = {}
        for attribute, column, widget, many in self.plan:
            try:
                # Every widget refuses a formula (imports.clean_text and the parsers).
                cleaned = widget.clean(row[column], row=row)
            except BadValue as e:
                errors[attribute] = e
                continue
            if many:
                self.m2m[attribute] = cleaned
            else:
                values[attribute] = cleaned
        return values, errors

    def instance_for(self, values: dict, row) -> tuple[object, bool]:
        """The saved instance of the row's key, or a new one; True when new."""
        try:
            key = tuple(values[name] for name in self.key)
        except KeyError:  # a key cell is bad (or its column missing): no saved row matches
            key = None
        instance = self.existing.get(key) if key is not None else None
        if instance is not None:
            return instance, False
        return self.init_instance(row), True

    def import_row(self, row, instance_loader, **kwargs):
        """import-export's ``import_row`` without what this import never uses (the diff,
        the delete branch, a label per row), each cell cleaned once: the suggestions
        import is timed per row."""
        row_result = self.get_row_result_class()()
        try:
            values, cell_errors = self.clean_row(row)
            instance, new = self.instance_for(values, row)
            row_result.import_type = (
                row_result.IMPORT_TYPE_NEW if new else row_result.IMPORT_TYPE_UPDATE
            )
            errors = {}
            try:
                self.import_instance(instance, row, values=values, errors=cell_errors, **kwargs)
            except ValidationError as e:
                errors = e.update_error_dict(errors)
            if self.skip_row(instance, None, row, errors):
                row_result.import_type = row_result.IMPORT_TYPE_SKIP
            else:
                self.validate_instance(instance, errors)
                self.save_instance(instance, new, row, **kwargs)
                self.save_m2m(instance, row, **kwargs)
            row_result.instance = instance  # the report names it when shown
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

    def import_instance(self, instance, row, *, values, errors, **kwargs):
        """Set the row's cleaned values on ``instance``; raise every error of the row."""
        for attribute, value in values.items():
            setattr(instance, attribute, value)
        if not any(name in errors for name in self.key):
            key = tuple(getattr(instance, name) for name in self.key)
            number = self.sheet_rows[kwargs["row_number"] - 1] if self.sheet_rows else None
            if key in self.seen:
                errors[self.key_field] = BadValue(
                    _("The same %(what)s is already in row %(row)s of this file.")
                    % {"what": self.key_label(), "row": self.seen[key]},
                    "duplicate_key",
                )
            else:
                self.seen[key] = number
        errors.update(self.check_row(instance, row, errors))
        if errors:
            raise ValidationError(
                {name: ValidationError(e.message, code=e.code) for name, e in errors.items()}
            )

    def key_label(self) -> str:
        return str(self._meta.model._meta.verbose_name)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or instance._state.adding:
            return False
        before = self.snapshots[instance.pk]
        now = self.snapshot(instance)
        if all(before[name] == now[name] for name in self.compared_names(row)):
            return True
        return self.changed_existing(instance, row)


# Handling units.

UNIT_KINDS = {
    "政府部门": HandlingUnit.Kind.GOVERNMENT,
    "政府": HandlingUnit.Kind.GOVERNMENT,
    "人民法院": HandlingUnit.Kind.COURT,
    "法院": HandlingUnit.Kind.COURT,
    "人民检察院": HandlingUnit.Kind.PROCURATORATE,
    "检察院": HandlingUnit.Kind.PROCURATORATE,
    "企事业单位": HandlingUnit.Kind.ENTERPRISE,
    "企业": HandlingUnit.Kind.ENTERPRISE,
    "事业单位": HandlingUnit.Kind.ENTERPRISE,
    "其他": HandlingUnit.Kind.OTHER,
    **{value: value for value in HandlingUnit.Kind.values},
    "government department": HandlingUnit.Kind.GOVERNMENT,
    "people's court": HandlingUnit.Kind.COURT,
    "people's procuratorate": HandlingUnit.Kind.PROCURATORATE,
}


def _leader_name(user) -> str:
    return user.get_full_name() or user.get_username()


class HandlingUnitResource(SheetResource):
    """Handling units keyed by name: 单位名称, 简称, 类型, 分管领导."""

    columns = [
        Column("name", "单位名称", ("name", "unit", "unit name", "单位", "承办单位")),
        Column("short_name", "简称", ("short name", "abbreviation"), required=False),
        Column("kind", "类型", ("kind", "type", "单位类型")),
        Column("leader", "分管领导", ("leader", "supervising leader"), required=False),
    ]
    key = ("name",)
    key_field = "name"
    compared = ("name", "short_name", "kind", "leader_id")

    name = field("name", columns[0], TextWidget(required=True, max_length=100))
    short_name = field("short_name", columns[1], TextWidget(max_length=30))
    kind = field("kind", columns[2], ChoiceWidget(UNIT_KINDS, label=gettext_lazy("unit kind")))
    leader = field("leader", columns[3], ResolvedWidget(required=False, render_as=_leader_name))

    class Meta(SheetResource.Meta):
        model = HandlingUnit
        fields = ("name", "short_name", "kind", "leader")
        import_id_fields = ("name",)

    def before_import(self, dataset, **kwargs):
        self.fields["leader"].widget.resolver = LeaderResolver()
        super().before_import(dataset, **kwargs)

    def existing_rows(self, dataset):
        names = imports.texts(dataset[self.fields["name"].column_name])
        return list(HandlingUnit.objects.filter(name__in=names))

    def key_label(self):
        return _("unit name")


# Suggestions.


def _deputy_name(deputy) -> str:
    return deputy.name


# What an imported suggestion's audit entry shows (the text is in the record itself).
AUDITED_FIELDS = ["term", "session", "number", "title", "lead_deputy_id", "raised_on", "state"]


class SuggestionResource(SheetResource):
    """Suggestions keyed by number within term and session, created in bulk as proposed.

    The checks of ``services.suggestion_create`` apply (title and content required, the
    lead deputy not also a co-signer, a number used once per session); rows are written
    in bulk (``imports.bulk``: ``COPY`` on PostgreSQL) and every lookup is made once per
    file, not once per row.
    """

    columns = [
        Column("number", "建议编号", ("number", "suggestion number", "编号", "建议号")),
        Column("title", "标题", ("title", "题目", "建议题目", "建议标题")),
        Column("lead_deputy", "领衔代表", ("lead deputy", "lead", "领衔人")),
        Column(
            "co_deputies",
            "附议代表",
            ("co-signers", "co signers", "co deputies", "co-signing deputies", "附议人"),
            required=False,
        ),
        Column("delegation", "代表团", ("delegation",), required=False),
        Column("category", "类别", ("category", "分类", "建议类别"), required=False),
        Column("content", "内容", ("content", "建议内容", "text")),
        Column("raised_on", "提出日期", ("raised on", "date", "提交日期"), required=False),
        Column("term", "届次", ("term",)),
        Column("session", "会次", ("session",)),
    ]
    key = ("term", "session", "number")
    key_field = "number"
    compared = (
        "title",
        "content",
        "category",
        "delegation",
        "lead_deputy_id",
        "raised_on",
        "co_deputy_ids",
    )

    number = field("number", columns[0], TextWidget(required=True, max_length=30))
    title = field("title", columns[1], TextWidget(required=True, max_length=200))
    lead_deputy = field("lead_deputy", columns[2], ResolvedWidget(render_as=_deputy_name))
    co_deputies = field("co_deputies", columns[3], ResolvedListWidget(Deputy, _deputy_name))
    delegation = field("delegation", columns[4], TextWidget(max_length=50))
    category = field("category", columns[5], TextWidget(max_length=50))
    content = field("content", columns[6], TextWidget(required=True))
    raised_on = field("raised_on", columns[7], DateWidget())
    term = field("term", columns[8], OrdinalWidget(imports.TERM_SUFFIXES))
    session = field("session", columns[9], OrdinalWidget(imports.SESSION_SUFFIXES))

    class Meta(SheetResource.Meta):
        model = Suggestion
        fields = (
            "number",
            "title",
            "lead_deputy",
            "co_deputies",
            "delegation",
            "category",
            "content",
            "raised_on",
            "term",
            "session",
        )
        import_id_fields = ("term", "session", "number")
        use_bulk = True
        batch_size = 1000

    def _sessions(self, dataset) -> set[tuple[int, int]]:
        """The (term, session) pairs of the file's rows (bad values are left to their rows)."""
        found = set()
        terms = dataset[self.fields["term"].column_name]
        sessions = dataset[self.fields["session"].column_name]
        for term, session in zip(terms, sessions, strict=True):
            try:
                found.add(
                    (
                        imports.parse_ordinal(term, suffixes=imports.TERM_SUFFIXES),
                        imports.parse_ordinal(session, suffixes=imports.SESSION_SUFFIXES),
                    )
                )
            except BadValue:
                pass
        return found

    def before_import(self, dataset, **kwargs):
        pairs = self._sessions(dataset)
        self.terms = {term for term, _session in pairs}
        self.sessions = {session for _term, session in pairs}
        resolver = DeputyResolver(
            self.terms,
            term_column=self.fields["term"].column_name,
            delegation_column=self.fields["delegation"].column_name,
        )
        self.fields["lead_deputy"].widget.resolver = resolver
        self.fields["co_deputies"].widget.resolver = resolver
        self.today = timezone.localdate()
        # What every new suggestion of the file starts as; the date given spares the
        # model its default (a time zone conversion).
        by = self.by if self.by is not None and self.by.pk else None
        self.blank = vars(Suggestion(raised_on=self.today, created_by=by)).copy()
        del self.blank["_state"]  # each instance has its own
        super().before_import(dataset, **kwargs)

    def existing_rows(self, dataset):
        numbers = imports.texts(dataset[self.fields["number"].column_name])
        found = list(
            Suggestion.objects.filter(
                term__in=self.terms, session__in=self.sessions, number__in=numbers
            )
            # Matches the unique index's condition, so PostgreSQL looks the numbers up in it
            # (it cannot tell by itself that none of 10,000 numbers is blank).
            .exclude(number="")
            .only(
                *[name for name in self.compared if name != "co_deputy_ids"],
                "term",
                "session",
                "number",
                "state",
            )
        )
        through = Suggestion.co_deputies.through
        co = {}
        for suggestion_id, deputy_id in through.objects.filter(suggestion__in=found).values_list(
            "suggestion_id", "deputy_id"
        ):
            co.setdefault(suggestion_id, set()).add(deputy_id)
        for suggestion in found:
            suggestion.co_deputy_ids = frozenset(co.get(suggestion.pk, ()))
        return found

    def key_label(self):
        return _("suggestion number in this term and session")

    def check_row(self, instance, row, errors):
        found = {}
        co = self.m2m.get("co_deputies", [])
        instance.co_deputy_ids = frozenset(d.pk for d in co)
        # Inserted in the file's order: the ledger lists co-signers as they were entered.
        instance.co_deputy_order = list(dict.fromkeys(d.pk for d in co))
        if "lead_deputy" not in errors and instance.lead_deputy_id in instance.co_deputy_ids:
            found["co_deputies"] = BadValue(
                _("The lead deputy cannot also be a co-signer."), "lead_is_co_signer"
            )
        if not instance.delegation and "lead_deputy" not in errors:
            instance.delegation = instance.lead_deputy.delegation
        if instance.raised_on is None:
            instance.raised_on = self.today
        return found

    def compared_names(self, row):
        names = list(self.compared)
        # A blank date means "today" for a new row; it does not contradict a saved one.
        if not imports.clean_text(row.get(self.fields["raised_on"].column_name)):
            names.remove("raised_on")
        if self.fields["co_deputies"].column_name not in row:
            names.remove("co_deputy_ids")
        return names

    def changed_existing(self, instance, row):
        raise ValidationError(
            {
                "number": ValidationError(
                    _(
                        "Number %(number)s of term %(term)s, session %(session)s already "
                        "exists with other content; an import never changes a suggestion."
                    )
                    % {
                        "number": instance.number,
                        "term": instance.term,
                        "session": instance.session,
                    },
                    code="number_taken",
                )
            }
        )

    def init_instance(self, row=None):
        # A copy of a blank suggestion's attributes, as unpickling makes an instance: the
        # same new suggestion as Suggestion() in 0.5 µs instead of 26 µs per row.
        instance = Suggestion.__new__(Suggestion)
        instance.__dict__.update(self.blank)
        instance._state = ModelState()
        return instance

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """Insert the new suggestions, then their co-signers, unless a row already failed."""
        try:
            if self.create_instances and not self.failed:
                # As suggestion_create does for a typed number: hold the sessions' numbering,
                # so an approval numbering the same session waits for the import to commit.
                for term, session in sorted({(s.term, s.session) for s in self.create_instances}):
                    NumberSequence.objects.select_for_update().get_or_create(
                        term=term, session=session
                    )
                insert_new(Suggestion, self.create_instances, batch_size=batch_size)
                insert_links(
                    Suggestion.co_deputies.through,
                    [
                        (s.pk, deputy_id)
                        for s in self.create_instances
                        for deputy_id in s.co_deputy_order
                    ],
                    ("suggestion", "deputy"),
                )
                record_bulk_creation(
                    self.create_instances,
                    actor=self.by,
                    fields=AUDITED_FIELDS,
                    source="import",
                )
        except Exception as e:
            self.handle_import_error(result, e, raise_errors)
        finally:
            self.create_instances.clear()
