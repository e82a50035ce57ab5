"""The fixed actors, the units and the deputies the suggestions need."""

import datetime
import random
import zoneinfo
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from deputies.models import Deputy
from suggestions import permissions
from suggestions.models import Assignment, HandlingUnit, Suggestion, UnitMembership

from .copy import NULL, Ids, Writer
from .plan import (
    BENCH_UNIT,
    CLERK,
    DEPUTY,
    DEPUTY_PREFIX,
    HEAD,
    OFFICE,
    PASSWORD,
    SEED_USER,
    allocate,
    sessions,
)
from .tables import (
    CITIES,
    CITY_UNITS,
    DISTRICTS,
    ETHNICITIES,
    GIVEN,
    PARTIES,
    POSITIONS,
    PROVINCIAL_UNITS,
    SURNAMES,
)

User = get_user_model()


@dataclass
class Unit:
    """A unit and the users who act for it, by id (as text, as rows hold them)."""

    id: str
    clerk: str
    head: str
    leader: str


@dataclass
class Cast:
    """Who acts in the generated records, by id."""

    seed: int
    staff: int
    units: list[Unit]
    bench_unit: Unit
    deputies: dict[int, list[tuple[int, int]]]  # term -> [(deputy id, user id)]
    bench_deputy: tuple[int, int]
    bench_deputy_term: int
    fresh: bool  # the bench unit and deputy have nothing yet: this run gives them theirs


def _user(username: str, password_hash: str, name: str = "", **flags) -> User:
    user, _created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": name,
            "email": f"{username}@bench.example.cn",
            "password": password_hash,
            **flags,
        },
    )
    return user


def unit_names() -> list[tuple[str, str]]:
    """(name, kind) of the 200-odd units a province's suggestions go to."""
    names = [(n, _kind(n)) for n in PROVINCIAL_UNITS]
    for suffix in CITY_UNITS:
        names += [(f"{city}{suffix}", _kind(suffix)) for city in CITIES]
    return names


def _kind(name: str) -> str:
    if name.endswith("法院"):
        return HandlingUnit.Kind.COURT
    if name.endswith("检察院"):
        return HandlingUnit.Kind.PROCURATORATE
    if name.endswith("公司"):
        return HandlingUnit.Kind.ENTERPRISE
    return HandlingUnit.Kind.GOVERNMENT


def unit_count(total: int) -> int:
    return min(200, max(10, total // 50))


def deputy_count(total: int) -> int:
    return max(50, total // 20)


class Setup:
    """Creates, once, the accounts, units and deputies the suggestions need."""

    def __init__(self, writer: Writer, rng: random.Random, today: datetime.date):
        self.writer = writer
        self.rng = rng
        self.today = today
        self.password_hash = make_password(PASSWORD)
        self.tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)

    def run(self, total: int) -> Cast:
        leaders = [
            _user(f"bench-leader{n:02d}", self.password_hash, f"副省长{n:02d}")
            for n in range(1, 21)
        ]
        office = Group.objects.get_or_create(name=permissions.COMMITTEE_OFFICE)[0]
        permissions.grant_group_permissions()
        staff = []
        for username in OFFICE:
            user = _user(username, self.password_hash, "常委会工作人员", is_staff=True)
            user.groups.add(office)
            staff.append(user)
        seed = _user(SEED_USER, "!", "基准数据", is_active=False)
        units = self._units(total, leaders)
        bench_unit = self._bench_unit(leaders[0])
        deputies, bench_deputy, term = self._deputies(total)
        fresh = (
            not Assignment.objects.filter(unit_id=bench_unit.id).exists()
            and not Suggestion.objects.filter(lead_deputy_id=bench_deputy[0]).exists()
        )
        return Cast(seed.pk, staff[0].pk, units, bench_unit, deputies, bench_deputy, term, fresh)

    def _units(self, total: int, leaders: list) -> list[Unit]:
        wanted = unit_names()[: unit_count(total)]
        existing = set(
            HandlingUnit.objects.filter(name__in=[n for n, _k in wanted]).values_list(
                "name", flat=True
            )
        )
        for index, (name, kind) in enumerate(wanted):
            if name in existing:
                continue
            unit = HandlingUnit.objects.create(
                name=name, kind=kind, leader=leaders[index % len(leaders)]
            )
            for role, is_head in (("clerk", False), ("head", True)):
                user = _user(f"bench-unit{index + 1:03d}-{role}", self.password_hash, name)
                UnitMembership.objects.create(unit=unit, user=user, is_head=is_head)
        return self._load_units([n for n, _k in wanted])

    def _load_units(self, names: list[str]) -> list[Unit]:
        found = {}
        for unit_id, leader_id, user_id, is_head in UnitMembership.objects.filter(
            unit__name__in=names
        ).values_list("unit_id", "unit__leader_id", "user_id", "is_head"):
            found.setdefault(unit_id, {"leader": leader_id})["head" if is_head else "clerk"] = (
                user_id
            )
        return [
            Unit(str(pk), str(f["clerk"]), str(f["head"]), str(f["leader"]))
            for pk, f in sorted(found.items())
        ]

    def _bench_unit(self, leader) -> Unit:
        unit = HandlingUnit.objects.get_or_create(
            name=BENCH_UNIT, defaults={"short_name": "基准单位", "leader": leader}
        )[0]
        clerk = _user(CLERK, self.password_hash, "基准单位经办人")
        head = _user(HEAD, self.password_hash, "基准单位主要负责人")
        UnitMembership.objects.get_or_create(unit=unit, user=clerk, defaults={"is_head": False})
        UnitMembership.objects.get_or_create(unit=unit, user=head, defaults={"is_head": True})
        return Unit(str(unit.pk), str(clerk.pk), str(head.pk), str(unit.leader_id))

    def _deputies(self, total: int):
        term_years = Counter(term for term, _session in sessions())
        current_term = sessions()[0][0]
        user = _user(DEPUTY, self.password_hash, "基准代表")
        bench = Deputy.objects.get_or_create(
            user=user,
            defaults={
                "name": "基准代表",
                "level": Deputy.Level.PROVINCIAL,
                "delegation": f"{CITIES[0]}代表团",
                "term": current_term,
            },
        )[0]
        seeded = Deputy.objects.filter(user__username__startswith=DEPUTY_PREFIX)
        have = seeded.count()
        wanted = deputy_count(total)
        if wanted > have:
            taken = set(
                Deputy.objects.filter(term__in=term_years).values_list("name", "delegation", "term")
            )
            self._add_deputies(have, wanted - have, term_years, taken)
        deputies: dict[int, list] = {}
        for pk, user_id, term in seeded.values_list("pk", "user_id", "term").order_by("pk"):
            deputies.setdefault(term, []).append((pk, user_id))
        return deputies, (bench.pk, user.pk), bench.term

    def _add_deputies(self, first: int, count: int, term_years: Counter, taken: set) -> None:
        rng, users, deputies = self.rng, Ids(User), Ids(Deputy)
        joined = datetime.datetime.combine(self.today, datetime.time(9), tzinfo=self.tz)
        joined = joined.isoformat(sep=" ")
        user_rows, deputy_rows = [], []
        terms = [t for t, n in allocate(count, term_years).items() for _ in range(n)]
        rng.shuffle(terms)
        for offset, term in enumerate(terms):
            index = first + offset + 1
            city = rng.choice(CITIES)
            delegation = f"{city}代表团"
            while True:
                name = rng.choice(SURNAMES) + rng.choice(GIVEN)
                if rng.random() < 0.7:
                    name += rng.choice(GIVEN)
                if (name, delegation, term) not in taken:
                    taken.add((name, delegation, term))
                    break
            username = f"{DEPUTY_PREFIX}{index:06d}"
            user_id = str(users.take())
            user_rows.append(
                (user_id, self.password_hash, NULL, "f", username, name, "",
                 f"{username}@bench.example.cn", "f", "t", joined)
            )  # fmt: skip
            position = rng.choice(POSITIONS).format(city=city, district=rng.choice(DISTRICTS))
            deputy_rows.append(
                (str(deputies.take()), user_id, name, rng.choice("MF"), rng.choice(ETHNICITIES),
                 rng.choice(PARTIES), Deputy.Level.PROVINCIAL, delegation, str(term), position,
                 f"13{rng.randrange(10**9):09d}")
            )  # fmt: skip
        with transaction.atomic():
            self.writer.write(User, user_rows)
            self.writer.write(Deputy, deputy_rows)
            users.sync()
            deputies.sync()
