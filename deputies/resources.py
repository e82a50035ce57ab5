"""The django-import-export resource of deputies (the roster an office keeps).

Rows are keyed by name, delegation and term, as the offices' rosters identify a deputy;
an existing deputy whose other columns differ is updated, the same row is unchanged.
``suggestions.imports.import_file()`` feeds it; the widgets parse values as offices
write them (层级 全国/省/市/县/乡 with or without 级, 性别 男/女, 届次 16 or 第十六届).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suggestions import imports
from suggestions.imports import Column
from suggestions.resources import ChoiceWidget, OrdinalWidget, SheetResource, TextWidget, field

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
    term = field("term", columns[6], OrdinalWidget(imports.TERM_SUFFIXES))
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
        names = imports.texts(dataset[self.fields["name"].column_name])
        return list(Deputy.objects.filter(name__in=names))

    def key_label(self):
        return _("deputy (name, delegation and term)")
