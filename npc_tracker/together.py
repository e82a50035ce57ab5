"""Several querysets' rows in one query (UNION ALL), as model instances with the objects of
some of their foreign keys: a page that shows an object with a dozen kinds of records reads
them at once, not a query (a round trip and an ORM compilation) each.

Each part's columns go into typed slots that all parts share (an integer slot holds one
part's ``assignment_id`` and another's ``reply_id``), so that the union's columns agree on
PostgreSQL as on SQLite; a part without a column for a slot selects NULL there. The rows
come back unordered: callers sort them (a union's parts cannot keep an ORDER BY on SQLite).
Generic: it knows no app's models.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Cast

# The slot of each internal type; another type (JSON, UUID...) gets a slot of its own.
_SLOTS = {
    "int": models.IntegerField,
    "text": models.TextField,
    "date": models.DateField,
    "datetime": models.DateTimeField,
    "bool": models.BooleanField,
}
_SLOT_OF = {
    **dict.fromkeys(
        (
            "AutoField",
            "BigAutoField",
            "SmallAutoField",
            "IntegerField",
            "BigIntegerField",
            "SmallIntegerField",
            "PositiveIntegerField",
            "PositiveBigIntegerField",
            "PositiveSmallIntegerField",
        ),
        "int",
    ),
    **dict.fromkeys(("CharField", "TextField", "SlugField", "FileField", "ImageField"), "text"),
    "DateField": "date",
    "DateTimeField": "datetime",
    "BooleanField": "bool",
}
PART = "_part"


@dataclass(frozen=True)
class Part:
    """A queryset whose rows to read, with the objects of its foreign keys ``related``
    (every column of theirs, as ``select_related`` reads them; one level)."""

    queryset: models.QuerySet
    related: tuple[str, ...] = ()


def _slot(field) -> tuple[str, type]:
    while field.is_relation:
        field = field.target_field
    kind = field.get_internal_type()
    slot = _SLOT_OF.get(kind, kind)
    return slot, _SLOTS.get(slot, type(field))


@dataclass
class _Layout:
    model: type
    attnames: list[str]
    # Positions in the row: the model's own columns, then each related object's (with the
    # position of its primary key: NULL there is an empty key).
    own: list[int]
    related: list[tuple[models.Field, type, list[str], list[int], int]]


def read_together(parts: dict[str, Part]) -> dict[str, list]:
    """Each part's rows as instances of its model, in one query; ``{name: [instance, ...]}``
    in no particular order. The related objects are cached on them (no query to reach
    them; None for an empty nullable key)."""
    parts = {name: p for name, p in parts.items() if not p.queryset.query.is_empty()}
    found: dict[str, list] = {name: [] for name in parts}
    if not parts:
        return found
    columns: dict[str, list[tuple[str, str]]] = {}  # part: [(path, slot alias)]
    needed: dict[str, int] = {}
    fields_of: dict[str, type] = {}
    for name, part in parts.items():
        model = part.queryset.model
        paths = [(f.attname, f) for f in model._meta.concrete_fields]
        for rel in part.related:
            target = model._meta.get_field(rel).related_model
            paths += [(f"{rel}__{f.attname}", f) for f in target._meta.concrete_fields]
        taken: dict[str, int] = {}
        columns[name] = []
        for path, field in paths:
            slot, output = _slot(field)
            fields_of[slot] = output
            index = taken[slot] = taken.get(slot, -1) + 1
            columns[name].append((path, f"_{slot}{index}"))
        for slot, index in taken.items():
            needed[slot] = max(needed.get(slot, 0), index + 1)
    aliases = [f"_{slot}{i}" for slot in sorted(needed) for i in range(needed[slot])]
    slot_field = {f"_{slot}{i}": fields_of[slot] for slot in needed for i in range(needed[slot])}
    position = {alias: i for i, alias in enumerate([PART, *aliases])}
    querysets, layouts = [], {}
    for name, part in parts.items():
        mine = dict((alias, path) for path, alias in columns[name])
        expressions = {PART: Value(name, output_field=models.CharField())}
        for alias in aliases:
            # A typed NULL: PostgreSQL types two untyped NULLs of a union as text.
            expressions[alias] = (
                F(mine[alias]) if alias in mine else Cast(Value(None), slot_field[alias]())
            )
        querysets.append(
            part.queryset.order_by().annotate(**expressions).values_list(PART, *aliases)
        )
        layouts[name] = _layout(part, columns[name], position)
    rows = querysets[0].union(*querysets[1:], all=True) if len(querysets) > 1 else querysets[0]
    db = rows.db
    for row in rows:
        layout = layouts[row[0]]
        instance = layout.model.from_db(db, layout.attnames, [row[i] for i in layout.own])
        for field, model, attnames, at, pk in layout.related:
            related = None if row[pk] is None else model.from_db(db, attnames, [row[i] for i in at])
            field.set_cached_value(instance, related)
        found[row[0]].append(instance)
    return found


def _layout(part: Part, columns: list[tuple[str, str]], position: dict[str, int]) -> _Layout:
    model = part.queryset.model
    at = iter(position[alias] for _path, alias in columns)
    own_fields = model._meta.concrete_fields
    own = [next(at) for _f in own_fields]
    related = []
    for rel in part.related:
        field = model._meta.get_field(rel)
        target = field.related_model
        attnames = [f.attname for f in target._meta.concrete_fields]
        indexes = [next(at) for _name in attnames]
        pk = indexes[attnames.index(target._meta.pk.attname)]
        related.append((field, target, attnames, indexes, pk))
    return _Layout(model, [f.attname for f in own_fields], own, related)


def prefetched(instance, name: str, objects: Iterable) -> None:
    """Give ``instance.<name>.all()`` these objects without a query, as ``prefetch_related``
    stores what it read (the related manager's cache)."""
    manager = getattr(instance, name)
    cache_name = getattr(manager, "prefetch_cache_name", None) or (
        manager.field.remote_field.cache_name
    )
    queryset = manager.get_queryset()
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[cache_name] = queryset
