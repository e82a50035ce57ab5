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

from django.db import connections, models

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


def read_together(parts: dict[str, Part]) -> dict[str, list]:
    """Each part's rows as instances of its model, in one query; ``{name: [instance, ...]}``
    in no particular order. The related objects are cached on them (no query to reach
    them; None for an empty nullable key).

    Each part is compiled by the ORM as its own query (with ``select_related``), then its
    select list is laid out in the slots, NULL where it has no column. (Annotating every
    slot instead cost more CPU than the queries it saved; ``values_list`` of the related
    columns' paths, more than ``select_related``.)"""
    found: dict[str, list] = {name: [] for name in parts}
    parts = {name: p for name, p in parts.items() if not p.queryset.query.is_empty()}
    if not parts:
        return found
    compiled, needed, slot_type = {}, {}, {}
    for name, part in parts.items():
        queryset = part.queryset.order_by()
        if part.related:
            queryset = queryset.select_related(*part.related)
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        select = compiler.select
        quote = compiler.connection.ops.quote_name
        head = "SELECT {} FROM ".format(
            ", ".join(f"{c} AS {quote(alias)}" if alias else c for _e, (c, _p), alias in select)
        )
        if not sql.startswith(head) or any(p for _e, (_c, p), _a in select):
            raise ValueError(f"The part {name!r} is not a plain select of its columns.")
        taken: dict[str, int] = {}
        slots = []
        for expression, _sql, _alias in select:
            slot, output = _slot(expression.target)
            slot_type[slot] = output
            taken[slot] = taken.get(slot, -1) + 1
            slots.append((slot, taken[slot]))
        for slot, index in taken.items():
            needed[slot] = max(needed.get(slot, 0), index + 1)
        compiled[name] = (compiler, slots, sql[len(head) :], params)
    order = [(slot, i) for slot in sorted(needed) for i in range(needed[slot])]
    position = {slot: at for at, slot in enumerate(order, start=1)}
    db = next(iter(parts.values())).queryset.db
    connection = connections[db]
    # A typed NULL: PostgreSQL types two untyped NULLs of a union as text.
    null = {slot: f"CAST(NULL AS {slot_type[slot]().db_type(connection)})" for slot in needed}
    members, arguments, layouts = [], [], {}
    for name, (compiler, slots, rest, params) in compiled.items():
        select = [null[slot] for slot, _i in order]
        for (_e, (column, _p), _a), slot in zip(compiler.select, slots, strict=True):
            select[position[slot] - 1] = column
        members.append(f"SELECT %s, {', '.join(select)} FROM {rest}")
        arguments += [name, *params]
        layouts[name] = _layout(compiler, [position[slot] for slot in slots])
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(members), arguments)
        rows = cursor.fetchall()
    by_part: dict[str, list] = {name: [] for name in parts}
    for row in rows:
        by_part[row[0]].append(row)
    for name, raw in by_part.items():
        layout = layouts[name]
        values = [[row[i] for i in layout.positions] for row in raw]
        for row in layout.compiler.apply_converters(values, layout.converters):
            instance = layout.model.from_db(db, layout.attnames, [row[i] for i in layout.own])
            for field, model, attnames, at, pk in layout.related:
                related = (
                    None if row[pk] is None else model.from_db(db, attnames, [row[i] for i in at])
                )
                field.set_cached_value(instance, related)
            found[name].append(instance)
    return found


@dataclass
class _Layout:
    compiler: object
    # The part's columns' positions in the union's rows, and their converters (the
    # database's and the fields', by the part's own compiler).
    positions: list[int]
    converters: dict
    model: type
    attnames: list[str]
    # The model's columns among the part's, and each related object's: its field, model,
    # columns and the position of its primary key (NULL there is an empty key).
    own: list[int]
    related: list[tuple]


def _layout(compiler, positions: list[int]) -> _Layout:
    """Where each object's columns are, as the compiler selected them (``klass_info``)."""
    select = compiler.select
    info = compiler.klass_info

    def columns(indexes):
        return [select[i][0].target.attname for i in indexes], list(indexes)

    attnames, own = columns(info["select_fields"])
    related = []
    for child in info.get("related_klass_infos", []):
        model = child["model"]
        names, at = columns(child["select_fields"])
        related.append((child["field"], model, names, at, at[names.index(model._meta.pk.attname)]))
    converters = compiler.get_converters([expression for expression, _s, _a in select])
    return _Layout(compiler, positions, converters, info["model"], attnames, own, related)


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
