"""The liaison stations at scale (issue 16): ``manage.py seed_bench_stations``.

Once, on a data set ``seed_bench`` made (its deputies, units and ``bench-staff``):
``stations`` stations at three levels (a county 代表之家 per hundred, a township 代表工作站
per ten, the rest village 代表联络站, each under one of the level above), 2 to 4 of the
seeded deputies at each, this year's "八有" checklist of each (nine items in ten met, all
pointing to one stored evidence file), and keepers: ``bench-keeper`` (password
``bench12345``) keeps one township station, ``bench-keeper-NNN`` (no usable password) one
other township station each, for a hundred of them.

Then, every run, opinions up to ``opinions`` in total: the keeper's station gets
``keeper_share(opinions)`` of them (3,000 at a million), the rest spread evenly over the
other stations. States in the shares of ``STATES``; the ones still waiting (open,
forwarded, referred) were raised in the last 40 days, the others over three years. Each
moved one has its path (``OpinionStep``: one step, two for answered and suggested ones);
a suggested one names a seeded suggestion no other opinion names, and that suggestion's
lead deputy. Activities: a few per station (``ACTIVITIES_PER_STATION``), 60 at the
keeper's, each with two deputies present; reception days: two held and one planned per
township station and the keeper's.

COPY on PostgreSQL (foreign-key triggers off for the connection, as ``seed_bench`` does
when it can), ``executemany`` elsewhere (the tests). Prints nothing; returns (table, rows,
seconds) lines.
"""

import datetime
import random
import time
import zoneinfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction

from deputies.models import Deputy
from stations.models import (
    Activity,
    LiaisonStation,
    Opinion,
    OpinionStep,
    ReceptionDay,
    StationCheck,
)
from suggestions.models import HandlingUnit, Suggestion

from .copy import Ids
from .plan import PASSWORD, STAFF
from .tables import GIVEN, PDF, SURNAMES

User = get_user_model()

KEEPER = "bench-keeper"
KEEPER_PREFIX = "bench-keeper-"
OTHER_KEEPERS = 100
KEEPER_OPINIONS = 3000
EVIDENCE = "stations/checks/bench/evidence.pdf"
MARK = "基准"  # every bench station's name starts with it
ACTIVITIES_PER_STATION = 3
KEEPER_ACTIVITIES = 60
S = Opinion.State
# The states' shares: most opinions were settled on the spot or answered long ago.
STATES = (
    (S.OPEN, 0.03),
    (S.SETTLED, 0.42),
    (S.FORWARDED, 0.05),
    (S.REFERRED, 0.07),
    (S.ANSWERED, 0.33),
    (S.SUGGESTED, 0.10),
)
WAITING = {S.OPEN, S.FORWARDED, S.REFERRED}
MATTERS = (
    "村道破损严重，雨天积水，群众出行不便",
    "小区供暖温度不达标，室温偏低",
    "村里没有公交站点，老人进城就医困难",
    "学校门口上下学时段交通拥堵",
    "社区缺少老年人助餐点",
    "灌溉渠淤堵，影响春耕生产",
    "集贸市场卫生条件差，污水横流",
    "路灯损坏多时无人维修",
    "农村饮水水质不稳定，雨季浑浊",
    "养老服务中心收费偏高",
    "电动自行车充电难，楼道私拉电线",
    "老旧小区外墙保温脱落，存在安全隐患",
    "卫生室常用药品短缺",
    "垃圾清运不及时，气味大",
    "农田机耕路损毁，农机无法通行",
)
SETTLED_NOTES = "联络站当场协调相关部门，问题已解决，群众表示满意。"
ANSWER = "经现场核查，已安排专人处理，相关问题已于近日整改完毕，并纳入日常巡查。"


def keeper_share(opinions: int) -> int:
    """How many of ``opinions`` are the keeper's station's: a realistic few thousand."""
    return min(KEEPER_OPINIONS, max(1, opinions // 20))


def _levels(stations: int) -> tuple[int, int, int]:
    counties = max(1, stations // 100)
    townships = max(2, stations // 10)
    return counties, townships, max(0, stations - counties - townships)


class Table:
    """Rows of one model, by column name, written with COPY or ``executemany``."""

    def __init__(self, model, columns: tuple[str, ...], lines: list):
        self.model, self.columns, self.lines = model, columns, lines
        self.rows: list[tuple] = []

    def add(self, *row) -> None:
        self.rows.append(row)

    def flush(self) -> None:
        if not self.rows:
            return
        started = time.perf_counter()
        meta = self.model._meta
        names = ", ".join(
            connection.ops.quote_name(meta.get_field(c).column) if "." not in c else c
            for c in self.columns
        )
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # COPY's text format made here: a quarter of psycopg's write_row per row.
                data = "".join("\t".join(map(_text, row)) + "\n" for row in self.rows)
                with cursor.cursor.copy(f'COPY "{meta.db_table}" ({names}) FROM STDIN') as copy:
                    copy.write(data.encode())
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(
                    f'INSERT INTO "{meta.db_table}" ({names}) VALUES ({marks})',
                    [tuple(map(_adapt, row)) for row in self.rows],
                )
        self.lines.append((meta.db_table, len(self.rows), time.perf_counter() - started))
        self.rows = []


def _text(value) -> str:
    """A value in COPY's text format (the generated text holds no tab, newline or
    backslash)."""
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return str(value)


def _adapt(value):
    """A value as SQLite's backend stores it (PostgreSQL's COPY adapts its own)."""
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return connection.ops.adapt_datefield_value(value)
    return value


def _through(model, field: str):
    return getattr(model, field).through


def seed(*, stations: int, opinions: int, seed: int = 1) -> tuple[list, float]:
    """Stations once, then opinions up to ``opinions``; the (table, rows, seconds) lines."""
    started = time.perf_counter()
    lines: list = []
    rng = random.Random(f"stations-{seed}-{opinions}")
    today = datetime.date.today()
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                if cursor.fetchone()[0]:
                    cursor.execute("SET LOCAL session_replication_role = replica")
        if not LiaisonStation.objects.filter(name__startswith=MARK).exists():
            _stations(stations, rng, today, lines)
        _opinions(opinions, rng, today, tz, lines)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (LiaisonStation, Opinion, OpinionStep, Activity, ReceptionDay):
                cursor.execute(f'ANALYZE "{model._meta.db_table}"')
    return lines, time.perf_counter() - started


def _stations(stations: int, rng: random.Random, today, lines: list) -> None:
    staff = User.objects.get(username=STAFF)
    deputies = list(Deputy.objects.order_by("pk").values_list("pk", flat=True))
    if not deputies:
        raise ValueError("seed_bench first: no deputies to put at the stations")
    counties, townships, villages = _levels(stations)
    ids = Ids(LiaisonStation)
    table = Table(
        LiaisonStation,
        ("id", "name", "kind", "level", "parent_id", "address", "contact", "phone",
         "opening_hours"),
        lines,
    )  # fmt: skip
    K, L = LiaisonStation.Kind, LiaisonStation.Level
    county_ids, township_ids = [], []
    hours = "周一至周五 8:30—11:30，13:30—17:00"
    for c in range(counties):
        pk = ids.take()
        county_ids.append(pk)
        table.add(pk, f"{MARK}{c + 1:03d}县人大代表之家", K.HOME, L.COUNTY, None,
                  f"基准{c + 1:03d}县人民路{c + 1}号", "县人大常委会代表工作室",
                  f"0464-8{c:06d}", hours)  # fmt: skip
    for t in range(townships):
        pk = ids.take()
        township_ids.append(pk)
        county = t % counties
        table.add(pk, f"{MARK}{county + 1:03d}县第{t + 1:04d}镇人大代表工作站", K.STATION,
                  L.TOWNSHIP, county_ids[county], f"基准{county + 1:03d}县第{t + 1}镇政府院内",
                  "镇人大主席团", f"0464-7{t:06d}", hours)  # fmt: skip
    village_ids = []
    for v in range(villages):
        pk = ids.take()
        village_ids.append(pk)
        township = v % townships
        table.add(pk, f"{MARK}第{township + 1:04d}镇第{v + 1:05d}村人大代表联络站", K.ROOM,
                  L.VILLAGE, township_ids[township], f"第{township + 1}镇第{v + 1}村村委会",
                  "村委会", f"0464-6{v:06d}", "每月15日接待日")  # fmt: skip
    table.flush()
    ids.sync()
    every = county_ids + township_ids + village_ids
    at = Table(_through(LiaisonStation, "deputies"), ("liaisonstation_id", "deputy_id"), lines)
    for pk in every:
        for deputy in rng.sample(deputies, min(len(deputies), rng.randint(2, 4))):
            at.add(pk, deputy)
    at.flush()
    # Keepers: the bench keeper keeps the first township station; others one each.
    password = make_password(PASSWORD)
    keeper = User.objects.update_or_create(
        username=KEEPER,
        defaults={"first_name": "基准联络员", "password": password, "is_active": True},
    )[0]
    User.objects.bulk_create(
        [
            User(username=f"{KEEPER_PREFIX}{n:03d}", first_name="联络员", password="!")
            for n in range(1, min(OTHER_KEEPERS, len(township_ids) - 1) + 1)
        ]
    )
    others = User.objects.filter(username__startswith=KEEPER_PREFIX).order_by("username")
    kept = Table(_through(LiaisonStation, "keepers"), ("liaisonstation_id", "user_id"), lines)
    kept.add(township_ids[0], keeper.pk)
    for n, user in enumerate(others, 1):
        kept.add(township_ids[n], user.pk)
    kept.flush()
    # This year's checklist: nine items in ten met, with the one stored evidence file.
    if not default_storage.exists(EVIDENCE):
        default_storage.save(EVIDENCE, ContentFile(PDF))
    checks = Table(
        StationCheck,
        ("station_id", "year", "item", "met", "evidence", "notes", "checked_by_id",
         "checked_on"),
        lines,
    )  # fmt: skip
    checked_on = min(today, datetime.date(today.year, 6, 18))
    for pk in every:
        for item in StationCheck.Item.values:
            met = rng.random() < 0.9
            checks.add(pk, today.year, item, met, EVIDENCE if met else "",
                       "" if met else "尚未达标，限期整改。", staff.pk, checked_on)  # fmt: skip
    checks.flush()
    _activities(every, township_ids, staff.pk, keeper.pk, rng, today, lines)


def _station_deputies() -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    through = _through(LiaisonStation, "deputies")
    for station, deputy in (
        through.objects.filter(liaisonstation__name__startswith=MARK)
        .order_by()
        .values_list("liaisonstation_id", "deputy_id")
    ):
        found.setdefault(station, []).append(deputy)
    return found


def _activities(every, township_ids, staff_id, keeper_id, rng, today, lines) -> None:
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    at_station = _station_deputies()
    keeper_station = township_ids[0]
    planned = Table(ReceptionDay, ("id", "station_id", "day", "planned_by_id", "notes"), lines)
    on_duty = Table(_through(ReceptionDay, "deputies"), ("receptionday_id", "deputy_id"), lines)
    day_ids = Ids(ReceptionDay)
    held: dict[int, list[tuple[int, datetime.date]]] = {}
    for pk in township_ids:
        for months in (-2, -1, 1):
            day = (today.replace(day=1) + datetime.timedelta(days=31 * months)).replace(day=15)
            rid = day_ids.take()
            by = keeper_id if pk == keeper_station else staff_id
            planned.add(rid, pk, day, by, "代表轮值接待")
            for deputy in at_station[pk][:2]:
                on_duty.add(rid, deputy)
            if day < today:
                held.setdefault(pk, []).append((rid, day))
    planned.flush()
    on_duty.flush()
    day_ids.sync()
    ids = Ids(Activity)
    table = Table(
        Activity,
        ("id", "station_id", "kind", "happened_on", "reception_day_id", "citizens", "notes",
         "corrects_id", "recorded_by_id", "recorded_at"),
        lines,
    )  # fmt: skip
    present = Table(_through(Activity, "deputies"), ("activity_id", "deputy_id"), lines)
    kinds = [k for k in Activity.Kind.values if k != Activity.Kind.RECEPTION]
    for pk in every:
        by = keeper_id if pk == keeper_station else staff_id
        count = KEEPER_ACTIVITIES if pk == keeper_station else ACTIVITIES_PER_STATION
        receptions = held.get(pk, [])
        for n in range(count):
            if n < len(receptions):
                reception, day = receptions[n]
                kind = Activity.Kind.RECEPTION
            else:
                reception, kind = None, rng.choice(kinds)
                day = today - datetime.timedelta(days=rng.randint(1, 700))
            aid = ids.take()
            at = datetime.datetime.combine(day, datetime.time(17), tzinfo=tz)
            table.add(aid, pk, kind, day, reception, rng.randint(0, 40),
                      "代表活动记录", None, by, at)  # fmt: skip
            for deputy in at_station[pk][:2]:
                present.add(aid, deputy)
    table.flush()
    present.flush()
    ids.sync()


def _opinions(total: int, rng, today, tz, lines: list) -> None:
    stations = list(
        LiaisonStation.objects.filter(name__startswith=MARK)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    keeper = User.objects.get(username=KEEPER)
    keeper_station = keeper.kept_stations.get().pk
    have = Opinion.objects.filter(station__name__startswith=MARK).count()
    if total <= have:
        return
    keeper_have = Opinion.objects.filter(station=keeper_station).count()
    for_keeper = max(0, min(total - have, keeper_share(total) - keeper_have))
    others = [pk for pk in stations if pk != keeper_station]
    staff_id = User.objects.get(username=STAFF).pk
    at_station = _station_deputies()
    units = list(HandlingUnit.objects.filter(is_active=True).values_list("pk", flat=True))
    # Suggestions no opinion names yet, with their lead deputies, for the suggested ones.
    free = list(
        Suggestion.objects.filter(opinion__isnull=True)
        .order_by("-pk")
        .values_list("pk", "lead_deputy_id")[: int((total - have) * 0.12) + 10]
    )
    states, weights = zip(*STATES, strict=True)
    opinion_ids, step_ids = Ids(Opinion), Ids(OpinionStep)
    columns = ("id", "station_id", "matter", "raised_on", "name", "phone", "state",
               "deputy_id", "unit_id", "suggestion_id", "recorded_by_id", "recorded_at",
               "moved_at")  # fmt: skip
    table = Table(Opinion, columns, lines)
    steps = Table(
        OpinionStep, ("id", "opinion_id", "to", "deputy_id", "unit_id", "notes", "by_id", "at"),
        lines,
    )  # fmt: skip
    adding = total - have
    choose = rng.choices
    randint = rng.randint
    ten = datetime.time(10)
    for n in range(adding):
        station = keeper_station if n < for_keeper else others[n % len(others)]
        by = keeper.pk if station == keeper_station else staff_id
        state = choose(states, weights)[0]
        if state == S.SUGGESTED and not free:
            state = S.ANSWERED
        if state in WAITING:
            raised_on = today - datetime.timedelta(days=randint(0, 40))
        else:
            raised_on = today - datetime.timedelta(days=randint(3, 1100))
        recorded = datetime.datetime.combine(raised_on, ten, tzinfo=tz)
        moved = recorded
        deputy = unit = suggestion = None
        pk = opinion_ids.take()
        path = []
        if state != S.OPEN:
            moved = min(recorded + datetime.timedelta(days=randint(0, 3), hours=1),
                        datetime.datetime.combine(today, ten, tzinfo=tz))  # fmt: skip
            if state == S.SETTLED:
                path.append((S.SETTLED, None, None, SETTLED_NOTES, moved))
            elif state == S.FORWARDED:
                deputy = rng.choice(at_station[station])
                path.append((S.FORWARDED, deputy, None, "", moved))
            elif state == S.SUGGESTED:
                suggestion, deputy = free.pop()
                path.append((S.FORWARDED, deputy, None, "", moved))
                moved += datetime.timedelta(days=randint(1, 5))
                path.append((S.SUGGESTED, deputy, None, "", moved))
            else:
                unit = rng.choice(units)
                path.append((S.REFERRED, None, unit, "", moved))
                if state == S.ANSWERED:
                    moved += datetime.timedelta(days=randint(3, 20))
                    path.append((S.ANSWERED, None, unit, ANSWER, moved))
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        phone = f"1{randint(30, 89)}{randint(0, 99_999_999):08d}"
        matter = MATTERS[n % len(MATTERS)]
        table.add(pk, station, matter, raised_on, name, phone, state, deputy, unit, suggestion,
                  by, recorded, moved)  # fmt: skip
        for to, step_deputy, step_unit, notes, at in path:
            steps.add(step_ids.take(), pk, to, step_deputy, step_unit, notes, by, at)
        if len(table.rows) >= 50_000:
            table.flush()
            steps.flush()
    table.flush()
    steps.flush()
    opinion_ids.sync()
    step_ids.sync()
