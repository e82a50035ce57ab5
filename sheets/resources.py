"""The base of the apps' django-import-export resources, and the widgets they share.

``import_file()`` (``driver.py``) reads the file and maps its headers; a resource turns
each row into a model instance. Values are parsed by the helpers of ``values.py``, names
resolved by a ``resolvers.Resolver``; rows are keyed, with every existing row of the
file's keys loaded once.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from .columns import Column, normalise_header
from .report import BadValue
from .resolvers import Resolver
from .values import clean_text, parse_choice, parse_date, parse_ordinal, split_names

# Widgets: each parses one kind of value as offices write it and renders it back the same
# way, so an export of these resources imports again unchanged.


class TextWidget(widgets.Widget):
    def __init__(self, *, required: bool = False, max_length: int | None = None):
        super().__init__()
        self.required, self.max_length = required, max_length

    def clean(self, value, row=None, **kwargs):
        return clean_text(value, required=self.required, max_length=self.max_length)


class OrdinalWidget(widgets.Widget):
    """届次 or 会次: 16 or 第十六届, 3 or 第三次."""

    def __init__(self, suffixes):
        super().__init__()
        self.suffixes = suffixes

    def clean(self, value, row=None, **kwargs):
        return parse_ordinal(value, suffixes=self.suffixes)


class DateWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return parse_date(value)

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class ChoiceWidget(widgets.Widget):
    """A choice written in Chinese (or English); rendered as its first Chinese spelling."""

    def __init__(self, table: dict[str, str], *, label, required: bool = True):
        super().__init__()
        self.table = {normalise_header(k): v for k, v in table.items()}
        self.spelling = {}
        for written, value in table.items():
            self.spelling.setdefault(value, written)
        self.label, self.required = label, required
        self.shown = list(self.spelling.values())

    def clean(self, value, row=None, **kwargs):
        return parse_choice(
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
        name = clean_text(value, required=self.required)
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
        for name in split_names(value):
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
    """A resource fed by ``import_file()``: keyed rows, codes on every error.

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
                # Every widget refuses a formula (clean_text and the parsers).
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
