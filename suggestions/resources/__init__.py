"""django-import-export resources of handling units and suggestions.

``sheets.import_file()`` reads the file and maps its headers; these resources, on the base
of ``sheets.resources``, turn each row into a model instance. Values are parsed by the
helpers of ``sheets`` (``values.py``), names resolved by ``sheets.resolvers`` (leaders)
and ``deputies.resources`` (deputies), new suggestions written by ``sheets.bulk``; rows
are keyed as DESIGN.md says, with every existing row of the file's keys loaded once.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models.base import ModelState
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import sheets
from deputies.models import Deputy
from deputies.resources import DeputyResolver
from sheets import BadValue, Column
from sheets.audit import record_bulk_creation
from sheets.bulk import insert_links, insert_new
from sheets.resolvers import LeaderResolver
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

from .. import similar_marks, similar_sync
from ..models import Category, HandlingUnit, NumberSequence, Suggestion

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
        names = sheets.texts(dataset[self.fields["name"].column_name])
        return list(HandlingUnit.objects.filter(name__in=names))

    def key_label(self):
        return _("unit name")


# Suggestions.


def _deputy_name(deputy) -> str:
    return deputy.name


# What an imported suggestion's audit entry shows (the text is in the record itself).
AUDITED_FIELDS = ["term", "session", "number", "title", "lead_deputy_id", "raised_on", "state"]


class CategoryWidget(TextWidget):
    """A category of the list staff keep (``Category``), read once per import."""

    def __init__(self):
        super().__init__(max_length=50)
        self._names = None

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs)
        if not text:
            return text
        if self._names is None:
            self._names = set(Category.names(active_only=False))
        if text not in self._names:
            raise BadValue(
                _("“%(value)s” is not a category on the list; write one of: %(choices)s.")
                % {"value": text, "choices": "、".join(Category.names())},
                "bad_category",
            )
        return text


class SuggestionResource(SheetResource):
    """Suggestions keyed by number within term and session, created in bulk as proposed.

    The checks of ``services.suggestion_create`` apply (title and content required, the
    lead deputy not also a co-signer, a number used once per session); rows are written
    in bulk (``sheets.bulk``: ``COPY`` on PostgreSQL) and every lookup is made once per
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
    category = field("category", columns[5], CategoryWidget())
    content = field("content", columns[6], TextWidget(required=True))
    raised_on = field("raised_on", columns[7], DateWidget())
    term = field("term", columns[8], OrdinalWidget(sheets.TERM_SUFFIXES))
    session = field("session", columns[9], OrdinalWidget(sheets.SESSION_SUFFIXES))

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
                        sheets.parse_ordinal(term, suffixes=sheets.TERM_SUFFIXES),
                        sheets.parse_ordinal(session, suffixes=sheets.SESSION_SUFFIXES),
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
        numbers = sheets.texts(dataset[self.fields["number"].column_name])
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
        if not sheets.clean_text(row.get(self.fields["raised_on"].column_name)):
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
                # The finder's grams with the rows; their marks once the import commits.
                rows = [(s.pk, s.title, s.content) for s in self.create_instances]
                similar_marks.insert_grams(rows)
                similar_sync.schedule_marks([pk for pk, _title, _content in rows])
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
