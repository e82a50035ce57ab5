"""The pages' access matrix, repeated through the API: every role × every endpoint of
``/api/v1/`` that names an object × the objects of two worlds (ours and another unit's,
deputy's, station's, user's). The API never answers 2xx where the same user's page refuses
(0 leaks), and, over the endpoints of an object's kind, it reaches every object the page
shows (nothing hidden that the page shows). The lists never hold another's object.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from api.models import DeviceToken
from stations import services as station_services
from stations.models import LiaisonStation
from suggestions import services
from suggestions.models import Notification, Suggestion
from tests import factories, flows

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "staff",
    "clerk",
    "head",
    "leader",
    "co_clerk",
    "other_clerk",
    "other_leader",
    "deputy",
    "co_deputy",
    "other_deputy",
    "keeper",
    "other_keeper",
]


def api_patterns():
    """(name, route, view class) of every endpoint of the ``api`` namespace."""

    def walk(entries, prefix=""):
        for entry in entries:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                yield entry.name, prefix + str(entry.pattern), getattr(entry.callback, "cls", None)

    api = next(
        e
        for e in get_resolver().url_patterns
        if isinstance(e, URLResolver) and e.namespace == "api"
    )
    return [(name, route, cls) for name, route, cls in walk(api.url_patterns) if cls is not None]


@dataclass
class World:
    users: dict
    objects: dict  # kind -> {label: id}
    pages: dict  # kind -> the URL names of the pages that show it


def _other_suggestion(cast) -> Suggestion:
    suggestion = services.suggestion_create(
        by=cast.staff,
        title="关于改善农村饮水安全的建议",
        content="部分村庄自来水水质不稳定，建议加强水源保护。",
        lead_deputy=cast.other_deputy,
    )
    services.suggestion_approve(suggestion=suggestion, by=cast.staff)
    services.suggestion_assign(suggestion=suggestion, by=cast.staff, lead_unit=cast.other_unit)
    return suggestion


@pytest.fixture
def world(cast) -> World:
    ours = flows.handled(cast)
    theirs = _other_suggestion(cast)
    keeper = factories.UserFactory(username="keeper")
    other_keeper = factories.UserFactory(username="other-keeper")
    station = LiaisonStation.objects.create(name="幸福社区联络站", kind="room", level="village")
    station.deputies.add(cast.deputy)
    station.keepers.add(keeper)
    other_station = LiaisonStation.objects.create(name="东风村联络室", kind="room", level="village")
    other_station.deputies.add(cast.other_deputy)
    other_station.keepers.add(other_keeper)
    today = datetime.date.today()

    def opinion(at, by, **route):
        made = station_services.opinion_record(
            station=at,
            by=by,
            matter="路灯不亮",
            raised_on=today,
            name="张三丰",
            phone="13812341234",
        )
        station_services.opinion_route(opinion=made, by=by, **route)
        return made.pk

    activity = station_services.station_activity_record(
        station=station, by=keeper, kind="briefing", happened_on=today,
        files=[factories.document("纪要.pdf")],
    )  # fmt: skip
    other_activity = station_services.station_activity_record(
        station=other_station, by=other_keeper, kind="briefing", happened_on=today,
        files=[factories.document("纪要.pdf")],
    )  # fmt: skip
    users = {
        role: flows.person(cast, role)
        for role in ROLES
        if role not in ("anonymous", "keeper", "other_keeper")
    }
    users |= {"keeper": keeper, "other_keeper": other_keeper}
    notifications = {}
    for role in ("clerk", "other_clerk", "deputy"):
        notifications[role] = Notification.objects.create(
            recipient=users[role], kind="test", text="提醒", suggestion=ours
        ).pk
    scan = services.signoff_paper_submit(
        assignment=flows.lead(ours),
        by=cast.clerk,
        scan=factories.document("scan.pdf"),
        signatures={"deputy": {"signed_on": today, "work_rating": "satisfied",
                               "result_rating": "satisfied", "opinion": ""}},
    )  # fmt: skip
    keys = {
        label: services.key_suggestion_designate(
            suggestion=suggestion, by=cast.staff, year=today.year, leader=leader
        ).pk
        for label, suggestion, leader in (
            ("ours", ours, cast.leader),
            ("theirs", theirs, cast.other_leader),
        )
    }
    devices = {
        role: str(DeviceToken.objects.create(user=users[role], name=role)[0].public_id)
        for role in ("clerk", "other_clerk")
    }
    objects = {
        "suggestion": {"ours": ours.pk, "theirs": theirs.pk},
        "assignment": {
            "ours_lead": flows.lead(ours).pk,
            "ours_co": ours.assignments.get(role="co").pk,
            "theirs": theirs.lead_assignment().pk,
        },
        "reply": {"ours": ours.replies.get().pk},
        "scan": {"ours": scan.pk},
        "key": keys,
        "opinion": {
            "forwarded": opinion(station, keeper, to="deputy", deputy=cast.deputy),
            "referred": opinion(station, keeper, to="unit", unit=cast.lead_unit),
            "other_forwarded": opinion(
                other_station, other_keeper, to="deputy", deputy=cast.other_deputy
            ),
            "other_referred": opinion(other_station, other_keeper, to="unit", unit=cast.other_unit),
        },
        "station": {"ours": station.pk, "theirs": other_station.pk},
        "activity_file": {
            "ours": activity.files.get().pk,
            "theirs": other_activity.files.get().pk,
        },
        "notification": notifications,
        "device": devices,
    }
    # The pages that show an object of each kind: the deputy's status page and the
    # office's admin page for a suggestion, one page for each other kind.
    pages = {
        "suggestion": ("status:detail", "admin:suggestions_suggestion_change"),
        "assignment": ("tasks:detail",),
        "reply": ("tasks:document",),
        "scan": ("tasks:scan",),
        "key": ("tasks:key",),
        "opinion": ("stations:opinion",),
        "station": ("stations:detail",),
        "activity_file": ("stations:activity_file",),
    }
    return World(users=users, objects=objects, pages=pages)


# The object kind an endpoint's path names, by its path's start (the longest first).
KINDS = [
    ("my/suggestions/", "suggestion"),
    ("ledger/", "suggestion"),
    ("my/opinions/", "opinion"),
    ("tasks/opinions/", "opinion"),
    ("stations/opinions/", "opinion"),
    ("stations/activities/files/", "activity_file"),
    ("stations/", "station"),
    ("tasks/key/", "key"),
    ("tasks/", "assignment"),
    ("documents/scans/", "scan"),
    ("documents/replies/", "reply"),
    ("notifications/", "notification"),
    ("auth/devices/", "device"),
    ("assessment/", "year"),  # a year, not an object: tests/api/test_staff.py
]


def kind_of(route: str) -> str | None:
    if "<" not in route:
        return None
    for start, kind in KINDS:
        if route.startswith(start):
            return kind
    return "?"


def object_endpoints():
    out = []
    for name, route, cls in api_patterns():
        kind = kind_of(route)
        if kind in (None, "year"):
            continue
        methods = [m for m in ("get", "post", "delete") if hasattr(cls, m)]
        out.append((name, route, kind, methods))
    return out


def client_for(world, role) -> APIClient:
    client = APIClient()
    if role != "anonymous":
        _token, key = DeviceToken.objects.create(user=world.users[role], name="matrix")
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def page_shows(world, role, kind, pk) -> bool | None:
    """Whether the same user's page shows the object (None: the kind has no page)."""
    names = world.pages.get(kind)
    if names is None:
        return None
    if role == "anonymous":
        return False
    client = Client()
    client.force_login(world.users[role])
    return any(client.get(reverse(name, args=[pk])).status_code == 200 for name in names)


def test_every_endpoint_naming_an_object_has_a_known_kind():
    unknown = [route for _name, route, kind, _m in object_endpoints() if kind == "?"]
    assert unknown == []


def _found(method: str, answer) -> bool:
    """Whether the answer shows the object was found: a GET's 2xx; for a write, anything
    but 401, 404 and a role's 403 (an action refused for its content or its state has
    found its object)."""
    if method == "get":
        return answer.status_code < 300
    if answer.status_code in (401, 404):
        return False
    return not (answer.status_code == 403 and answer.json().get("code") == "permission_denied")


def test_no_endpoint_shows_what_the_page_refuses_and_none_hides_what_it_shows(world):
    endpoints = object_endpoints()
    assert endpoints, "the API names no object"
    owned = {"notification", "device"}  # a user's own: no page to compare with
    shows = {
        (role, kind, label): (role == label) if kind in owned else page_shows(world, role, kind, pk)
        for role in ROLES
        for kind, objects in world.objects.items()
        for label, pk in objects.items()
    }
    leaks, reached = [], set()
    for role in ROLES:
        client = client_for(world, role)
        for name, route, kind, methods in endpoints:
            head, tail = route.split("<", 1)[0], route.split(">", 1)[1]
            for label, pk in world.objects[kind].items():
                url = f"/api/v1/{head}{pk}{tail}"
                allowed = shows[(role, kind, label)]
                for method in methods:
                    if method != "get" and allowed:
                        continue  # writes are tried only where they must be refused
                    if method == "get":
                        answer = client.get(url)
                    else:
                        answer = getattr(client, method)(url, {}, format="json")
                    if _found(method, answer):
                        if not allowed:
                            leaks.append((role, method.upper(), name, label, answer.status_code))
                        elif method == "get":
                            reached.add((role, kind, label))
    # The kinds the API reads (a key suggestion is only written: its visits).
    read = {kind for _name, _route, kind, methods in endpoints if "get" in methods}
    hidden = [
        key for key, allowed in shows.items() if allowed and key[1] in read and key not in reached
    ]
    assert leaks == []
    assert hidden == []


LISTS = {
    "my-suggestions": "suggestion",
    "tasks": "assignment",
    "my-opinions": "opinion",
    "task-opinions": "opinion",
    "stations": "station",
    "ledger": "suggestion",
    "notifications": "notification",
}


def test_no_list_holds_another_users_object(world):
    leaks = []
    for role in ROLES[1:]:
        client = client_for(world, role)
        for name, kind in LISTS.items():
            answer = client.get(reverse(f"api:{name}"), {"page_size": 100})
            if answer.status_code != 200:
                continue
            body = answer.json()
            ids = {row["id"] for row in body.get("results", body)}
            for label, pk in world.objects[kind].items():
                if pk not in ids:
                    continue
                allowed = (
                    (role == label) if kind == "notification" else page_shows(world, role, kind, pk)
                )
                if not allowed:
                    leaks.append((role, name, label))
    assert leaks == []
