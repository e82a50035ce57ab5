"""The stations' imports (DESIGN "Liaison stations": stations and deputies' stations import
from xlsx like the rest), on the base of ``sheets.resources``; ``sheets.import_file()``
feeds them, all rows or none.

- ``stations``: 站点名称, 类型 (代表之家/代表工作站/代表联络站), 层级 (县/乡/村), 上级站点,
  地址, 联系人, 联系电话 (开放时间 besides). Keyed by name (unique): an existing station
  whose other columns differ is updated, as the deputies' roster is; the same row is
  unchanged; a name twice in the file is a bad row. 上级站点 names a station that exists
  already or one of the file's rows, in any order: the file's stations are written
  first and their parents set after (``after_import``), inside the import's one
  transaction. An unknown parent and a chain of parents that comes back to a station
  (its own parent included) are bad rows.
- ``deputy_stations``: 姓名, 代表团/选区, 站点名称 (届次 besides: blank is the current term):
  each row links a deputy to a station (the stations' ``deputies``). A link that exists
  already is unchanged; an unknown deputy or station is a bad row.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import sheets
from deputies.models import Deputy
from sheets import BadValue, Column, clean_text, name_key
from sheets.resources import ChoiceWidget, OrdinalWidget, SheetResource, TextWidget, field
from suggestions import deadlines

from .models import LiaisonStation

Kind, Level = LiaisonStation.Kind, LiaisonStation.Level

# As offices write them; the first Chinese spelling of each is the one an export writes.
KINDS = {
    "代表之家": Kind.HOME,
    "代表工作站": Kind.STATION,
    "代表联络站": Kind.ROOM,
    "代表联络室": Kind.ROOM,
    "人大代表之家": Kind.HOME,
    "人大代表工作站": Kind.STATION,
    "人大代表联络站": Kind.ROOM,
    "人大代表联络室": Kind.ROOM,
    "联络站": Kind.ROOM,
    "联络室": Kind.ROOM,
    **{value: value for value in Kind.values},
    "deputies' home": Kind.HOME,
    "work station": Kind.STATION,
    "liaison room": Kind.ROOM,
}
LEVELS = {
    "县": Level.COUNTY,
    "县级": Level.COUNTY,
    "区": Level.COUNTY,
    "区级": Level.COUNTY,
    "县(区)": Level.COUNTY,
    "乡": Level.TOWNSHIP,
    "镇": Level.TOWNSHIP,
    "乡镇": Level.TOWNSHIP,
    "乡级": Level.TOWNSHIP,
    "镇级": Level.TOWNSHIP,
    "乡镇级": Level.TOWNSHIP,
    "街道": Level.TOWNSHIP,
    "乡镇(街道)": Level.TOWNSHIP,
    "村": Level.VILLAGE,
    "村级": Level.VILLAGE,
    "社区": Level.VILLAGE,
    "村(社区)": Level.VILLAGE,
    **{value: value for value in Level.values},
}

NAME_ALIASES = ("station", "station name", "站点", "名称", "联络站名称", "站点名")


def may_link_deputies(user) -> bool:
    """Linking deputies to stations changes the stations: the change permission too."""
    return user.has_perm("stations.change_liaisonstation")


class StationResource(SheetResource):
    """Stations: 站点名称, 类型, 层级, 上级站点, 地址, 联系人, 联系电话, 开放时间."""

    columns = [
        Column("name", "站点名称", ("name", *NAME_ALIASES)),
        Column("kind", "类型", ("kind", "type", "站点类型")),
        Column("level", "层级", ("level", "站点层级")),
        Column("parent_name", "上级站点", ("parent", "parent station", "上级"), required=False),
        Column("address", "地址", ("address", "站点地址"), required=False),
        Column("contact", "联系人", ("contact",), required=False),
        Column("phone", "联系电话", ("phone", "contact phone", "电话"), required=False),
        Column("opening_hours", "开放时间", ("opening hours", "接待时间"), required=False),
    ]
    key = ("name",)
    key_field = "name"
    compared = ("kind", "level", "parent_id", "address", "contact", "phone", "opening_hours")

    name = field("name", columns[0], TextWidget(required=True, max_length=100))
    kind = field("kind", columns[1], ChoiceWidget(KINDS, label=gettext_lazy("kind of station")))
    level = field("level", columns[2], ChoiceWidget(LEVELS, label=gettext_lazy("level of station")))
    parent_name = field("parent_name", columns[3], TextWidget(max_length=100))
    address = field("address", columns[4], TextWidget(max_length=200))
    contact = field("contact", columns[5], TextWidget(max_length=100))
    phone = field("phone", columns[6], TextWidget(max_length=30))
    opening_hours = field("opening_hours", columns[7], TextWidget(max_length=100))

    class Meta(SheetResource.Meta):
        model = LiaisonStation
        fields = (
            "name",
            "kind",
            "level",
            "parent_name",
            "address",
            "contact",
            "phone",
            "opening_hours",
        )
        import_id_fields = ("name",)

    def before_import(self, dataset, **kwargs):
        # Every station by its name's key (pk, parent): the parents a row may name, and the
        # chains of parents the file must not close into a loop.
        self.saved: dict[str, tuple[int, int | None]] = {
            name_key(name): (pk, parent_id)
            for pk, name, parent_id in LiaisonStation.objects.values_list("pk", "name", "parent_id")
        }
        self.file_parents = self._file_parents(dataset)
        self.in_loop = self._loops()
        self.created: dict[str, LiaisonStation] = {}  # the file's stations, by name key
        self.pending: list[tuple[LiaisonStation, str]] = []  # parents set after the rows
        super().before_import(dataset, **kwargs)

    def _file_parents(self, dataset) -> dict[str, str]:
        """The parent each of the file's stations names (its key, "" for none), when the file
        has the column; unreadable cells are left to their rows."""
        header = self.fields["parent_name"].column_name
        if header not in dataset.headers:
            return {}
        found = {}
        names = dataset[self.fields["name"].column_name]
        for name, parent in zip(names, dataset[header], strict=True):
            try:
                found.setdefault(name_key(clean_text(name)), name_key(clean_text(parent)))
            except BadValue:
                pass
        found.pop("", None)
        return found

    def _loops(self) -> set[str]:
        """The file's stations whose chain of parents (the file's, else the saved ones)
        comes back to them."""
        by_pk = {pk: key for key, (pk, _parent) in self.saved.items()}

        def parent_of(key: str) -> str:
            if key in self.file_parents:
                return self.file_parents[key]
            saved = self.saved.get(key)
            return by_pk.get(saved[1], "") if saved and saved[1] else ""

        looped = set()
        for start in self.file_parents:
            seen, key = {start}, parent_of(start)
            while key and key not in seen:
                seen.add(key)
                key = parent_of(key)
            if key == start:
                looped.add(start)
        return looped

    def existing_rows(self, dataset):
        names = sheets.texts(dataset[self.fields["name"].column_name])
        return list(LiaisonStation.objects.filter(name__in=names))

    def key_label(self):
        return _("station name")

    def compared_names(self, row):
        names = list(self.compared)
        if self.fields["parent_name"].column_name not in row:
            names.remove("parent_id")  # no column: the parents stay as they are
        return names

    def check_row(self, instance, row, errors):
        found = {}
        if "name" in errors or self.fields["parent_name"].column_name not in row:
            return found
        key = name_key(instance.name)
        self.created[key] = instance
        parent = getattr(instance, "parent_name", "")
        if not parent or "parent_name" in errors:
            instance.parent = None
            return found
        parent_key = name_key(parent)
        if key in self.in_loop:
            found["parent_name"] = BadValue(
                _("“%(parent)s” cannot be the parent of “%(name)s”: its parents lead back to it.")
                % {"parent": parent, "name": instance.name},
                "parent_loop",
            )
        elif parent_key in self.saved:
            instance.parent_id = self.saved[parent_key][0]
        elif parent_key in self.file_parents:
            # A new station of this file: set once every row is written (it may come later).
            instance.parent = None
            self.pending.append((instance, parent_key))
        else:
            found["parent_name"] = BadValue(
                _(
                    "No station is named “%(name)s”, here or in this file: add the parent "
                    "station first, or as a row of this file."
                )
                % {"name": parent},
                "unknown_parent",
            )
        return found

    def after_import(self, dataset, result, **kwargs):
        """The parents that are rows of this file, now that they are written."""
        if self.failed:
            return
        for instance, parent_key in self.pending:
            instance.parent = self.created[parent_key]
            instance.save(update_fields=["parent"])


# Deputies' stations.


class OptionalOrdinalWidget(OrdinalWidget):
    """届次, optional: blank is None (the resource then prefers the current term)."""

    def clean(self, value, row=None, **kwargs):
        return sheets.parse_ordinal(value, suffixes=self.suffixes, required=False)


class DeputyStationResource(SheetResource):
    """Deputies' stations: 姓名, 代表团/选区, 站点名称 (届次: blank is the current term)."""

    columns = [
        Column("deputy", "姓名", ("name", "deputy", "代表姓名")),
        Column(
            "delegation",
            "代表团/选区",
            ("delegation", "constituency", "代表团", "选区", "代表团(选区)", "选区/代表团"),
        ),
        Column("station", "站点名称", NAME_ALIASES),
        Column("term", "届次", ("term",), required=False),
    ]
    key_field = "deputy"

    deputy = field("deputy", columns[0], TextWidget(required=True, max_length=50))
    delegation = field("delegation", columns[1], TextWidget(required=True, max_length=50))
    station = field("station", columns[2], TextWidget(required=True, max_length=100))
    term = field("term", columns[3], OptionalOrdinalWidget(sheets.TERM_SUFFIXES))

    class Meta(SheetResource.Meta):
        model = LiaisonStation
        fields = ("deputy", "delegation", "station", "term")
        import_id_fields = ("station",)

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        names = sheets.texts(dataset[self.fields["deputy"].column_name])
        self.deputies: dict[str, list[Deputy]] = {}
        for deputy in Deputy.objects.filter(name__in=names).only("name", "delegation", "term"):
            self.deputies.setdefault(name_key(deputy.name), []).append(deputy)
        self.stations = {name_key(s.name): s for s in LiaisonStation.objects.only("name")}
        through = LiaisonStation.deputies.through
        self.links = set(
            through.objects.filter(
                deputy__in=[d for found in self.deputies.values() for d in found]
            ).values_list("liaisonstation_id", "deputy_id")
        )
        self.seen_links: dict[tuple[int, int], int] = {}
        self.current_term = deadlines.rule("CURRENT_TERM")

    def key_label(self):
        return _("deputy and station")

    def _deputy(self, values: dict, errors: dict) -> Deputy | None:
        if {"deputy", "delegation", "term"} & set(errors):
            return None
        name, delegation = values["deputy"], name_key(values["delegation"])
        found = [
            d for d in self.deputies.get(name_key(name), []) if name_key(d.delegation) == delegation
        ]
        term = values.get("term")
        if term:
            found = [d for d in found if d.term == term]
        elif len(found) > 1:
            found = [d for d in found if d.term == self.current_term] or found
        if not found:
            errors["deputy"] = BadValue(
                _("No deputy of %(delegation)s is named “%(name)s”.")
                % {"delegation": values["delegation"], "name": name},
                "unknown_deputy",
            )
            return None
        if len(found) > 1:
            errors["deputy"] = BadValue(
                _("Several deputies of %(delegation)s are named “%(name)s”: give the term.")
                % {"delegation": values["delegation"], "name": name},
                "ambiguous_deputy",
            )
            return None
        return found[0]

    def _station(self, values: dict, errors: dict) -> LiaisonStation | None:
        if "station" in errors:
            return None
        station = self.stations.get(name_key(values["station"]))
        if station is None:
            errors["station"] = BadValue(
                _("No station is named “%(name)s”: import the stations first.")
                % {"name": values["station"]},
                "unknown_station",
            )
        return station

    def import_row(self, row, instance_loader, **kwargs):
        """One link: new, unchanged when it exists, or a bad row with every reason."""
        row_result = self.get_row_result_class()()
        try:
            values, errors = self.clean_row(row)
            deputy = self._deputy(values, errors)
            station = self._station(values, errors)
            number = self.sheet_rows[kwargs["row_number"] - 1] if self.sheet_rows else None
            if deputy and station:
                pair = (station.pk, deputy.pk)
                if pair in self.seen_links:
                    errors["deputy"] = BadValue(
                        _("The same %(what)s is already in row %(row)s of this file.")
                        % {"what": self.key_label(), "row": self.seen_links[pair]},
                        "duplicate_key",
                    )
                self.seen_links.setdefault(pair, number)
            if errors:
                raise ValidationError(
                    {name: ValidationError(e.message, code=e.code) for name, e in errors.items()}
                )
            if pair in self.links:
                row_result.import_type = row_result.IMPORT_TYPE_SKIP
            else:
                station.deputies.add(deputy)
                # The station's deputies changed: the admin's log records it on the station.
                row_result.import_type = row_result.IMPORT_TYPE_UPDATE
            row_result.instance = station
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
