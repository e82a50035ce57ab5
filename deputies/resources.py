"""The django-import-export resource of deputies (the roster an office keeps), and the
resolver of deputies named in other imports (a suggestion's lead and co-signers).

Rows are keyed by name, delegation and term, as the offices' rosters identify a deputy;
an existing deputy whose other columns differ is updated, the same row is unchanged.
``sheets.import_file()`` feeds it; the widgets parse values as offices
write them (层级 全国/省/市/县/乡 with or without 级, 性别 男/女, 届次 16 or 第十六届).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import sheets
from sheets import TERM_SUFFIXES, BadValue, Column, clean_text, name_key, parse_ordinal
from sheets.resolvers import Resolver
from sheets.resources import ChoiceWidget, OrdinalWidget, SheetResource, TextWidget, field

from .models import Deputy

LEVELS = {
    "全国": Deputy.Level.NATIONAL,
    "省": Deputy.Level.PROVINCIAL,
    "市": Deputy.Level.CITY,
    "县": Deputy.Level.COUNTY,
    # A district of a city elects deputies at the county level.
    "区": Deputy.Level.COUNTY,
    "乡": Deputy.Level.TOWNSHIP,
    "镇": Deputy.Level.TOWNSHIP,
    "乡镇": Deputy.Level.TOWNSHIP,
    **{value: value for value in Deputy.Level.values},
}
# 省级, 省人大代表, 全国人大: the same levels as offices spell them.
LEVELS |= {
    f"{word}{suffix}": level
    for word, level in list(LEVELS.items())
    for suffix in ("级", "人大", "人大代表", "级人大代表", "代表")
    if "\u4e00" <= word[0] <= "\u9fff"
}

GENDERS = {
    "男": Deputy.Gender.MALE,
    "女": Deputy.Gender.FEMALE,
    "男性": Deputy.Gender.MALE,
    "女性": Deputy.Gender.FEMALE,
    "m": Deputy.Gender.MALE,
    "f": Deputy.Gender.FEMALE,
    "male": Deputy.Gender.MALE,
    "female": Deputy.Gender.FEMALE,
}


class DeputyResource(SheetResource):
    """Deputies: 姓名, 性别, 民族, 党派, 层级, 代表团/选区, 届次, 职务, 手机."""

    columns = [
        Column("name", "姓名", ("name", "full name")),
        Column("gender", "性别", ("gender", "sex"), required=False),
        Column("ethnicity", "民族", ("ethnicity", "ethnic group"), required=False),
        Column("party", "党派", ("party", "party affiliation", "政治面貌"), required=False),
        Column("level", "层级", ("level", "代表层级")),
        Column(
            "delegation",
            "代表团/选区",
            (
                "delegation",
                "constituency",
                "delegation or constituency",
                "代表团",
                "选区",
                "代表团(选区)",
                "选区/代表团",
            ),
        ),
        Column("term", "届次", ("term",)),
        Column("position", "职务", ("position", "post", "工作单位及职务"), required=False),
        Column(
            "mobile",
            "手机",
            ("mobile", "mobile phone", "phone", "手机号", "手机号码"),
            required=False,
        ),
    ]
    key = ("name", "delegation", "term")
    key_field = "name"
    compared = ("gender", "ethnicity", "party", "level", "position", "mobile")

    name = field("name", columns[0], TextWidget(required=True, max_length=50))
    gender = field(
        "gender", columns[1], ChoiceWidget(GENDERS, label=gettext_lazy("gender"), required=False)
    )
    ethnicity = field("ethnicity", columns[2], TextWidget(max_length=20))
    party = field("party", columns[3], TextWidget(max_length=30))
    level = field("level", columns[4], ChoiceWidget(LEVELS, label=gettext_lazy("deputy level")))
    delegation = field("delegation", columns[5], TextWidget(required=True, max_length=50))
    term = field("term", columns[6], OrdinalWidget(sheets.TERM_SUFFIXES))
    position = field("position", columns[7], TextWidget(max_length=100))
    mobile = field("mobile", columns[8], TextWidget(max_length=20))

    class Meta(SheetResource.Meta):
        model = Deputy
        fields = (
            "name",
            "gender",
            "ethnicity",
            "party",
            "level",
            "delegation",
            "term",
            "position",
            "mobile",
        )
        import_id_fields = ("name", "delegation", "term")

    def existing_rows(self, dataset):
        names = sheets.texts(dataset[self.fields["name"].column_name])
        return list(Deputy.objects.filter(name__in=names))

    def key_label(self):
        return _("deputy (name, delegation and term)")


class DeputyResolver(Resolver):
    """A deputy named in a row, among the deputies of the row's term: the row's delegation
    tells apart deputies of the same name. None or several is a bad value, never a new
    deputy."""

    def __init__(self, terms, term_column: str, delegation_column: str):
        self.term_column, self.delegation_column = term_column, delegation_column
        self.deputies: dict[tuple[int, str], list[Deputy]] = {}
        for deputy in Deputy.objects.filter(term__in=terms).only("name", "delegation", "term"):
            self.deputies.setdefault((deputy.term, name_key(deputy.name)), []).append(deputy)

    def resolve(self, name, row):
        try:
            term = parse_ordinal(row.get(self.term_column), suffixes=TERM_SUFFIXES)
        except BadValue:
            raise BadValue(_("The deputy cannot be found without a valid term."), "no_term")
        found = self.deputies.get((term, name_key(name)), [])
        delegation = name_key(clean_text(row.get(self.delegation_column)))
        if len(found) > 1 and delegation:
            found = [d for d in found if name_key(d.delegation) == delegation] or found
        if not found:
            raise BadValue(
                _("No deputy of term %(term)s is named “%(name)s”.") % {"term": term, "name": name},
                "unknown_deputy",
            )
        if len(found) > 1:
            raise BadValue(
                _(
                    "Several deputies of term %(term)s are named “%(name)s” (%(delegations)s): "
                    "give the delegation to tell them apart."
                )
                % {
                    "term": term,
                    "name": name,
                    "delegations": "、".join(sorted(d.delegation for d in found)),
                },
                "ambiguous_deputy",
            )
        return found[0]
