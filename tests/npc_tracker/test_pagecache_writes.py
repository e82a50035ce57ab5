"""After every write of the loop, each kept page a user of it opens is the page as drawn anew.

Every service of ``suggestions.services`` is watched while the loop is walked (with a
merge, an extension, a reassignment, a redo, a key suggestion and the notifications): after
each call from outside the services, the page each user keeps is fetched as served (kept or
not) and drawn anew (``Cache-Control: no-cache``), and the two must be the same page."""

import datetime
import functools
import inspect

import pytest
from django.test import Client
from django.urls import reverse

from suggestions import services
from suggestions.models import SignOff
from tests import flows
from tests.npc_tracker.test_pagecache import same

pytestmark = pytest.mark.django_db


class Watch:
    def __init__(self, cast, monkeypatch):
        self.cast = cast
        self.clients = {}
        self.urls = []  # (role, url)
        self.checked = []  # the services after which every page was compared
        self.depth = 0
        for name in services.__all__:
            function = getattr(services, name)
            if inspect.isfunction(function) and not name.startswith(("may_", "in_")):
                monkeypatch.setattr(services, name, self.wrap(name, function))

    def wrap(self, name, function):
        @functools.wraps(function)
        def watched(*args, **kwargs):
            self.depth += 1
            try:
                result = function(*args, **kwargs)
            finally:
                self.depth -= 1
            if self.depth == 0:
                self.compare(name)
            return result

        return watched

    def add(self, role, url):
        if role not in self.clients:
            client = Client()
            client.force_login(flows.person(self.cast, role))
            self.clients[role] = client
        client = self.clients[role]
        client.get(url)  # the CSRF cookie
        client.get(url)  # kept
        self.urls.append((role, url))

    def compare(self, name):
        for role, url in self.urls:
            client = self.clients[role]
            served = client.get(url)
            fresh = client.get(url, HTTP_CACHE_CONTROL="no-cache")
            assert served.status_code == fresh.status_code, (name, role, url)
            assert same(served.content.decode()) == same(fresh.content.decode()), (
                f"{url} for {role} was stale after {name}"
            )
        self.checked.append(name)


def test_every_write_of_the_loop_shows_on_every_kept_page(cast, monkeypatch):
    watch = Watch(cast, monkeypatch)
    for role in ("clerk", "head", "leader", "co_clerk", "other_clerk"):
        watch.add(role, reverse("tasks:list"))
    for role in ("deputy", "co_deputy"):
        watch.add(role, reverse("status:list"))
    watch.add("staff", reverse("admin:suggestions_suggestion_changelist"))

    suggestion = flows.proposed(cast)
    watch.add("deputy", reverse("status:detail", args=[suggestion.pk]))
    services.suggestion_approve(suggestion=suggestion, by=cast.staff)
    services.suggestion_assign(
        suggestion=suggestion, by=cast.staff, lead_unit=cast.lead_unit, co_units=[cast.co_unit]
    )
    lead = flows.lead(suggestion)
    watch.add("clerk", reverse("tasks:detail", args=[lead.pk]))
    watch.add("co_clerk", reverse("tasks:detail", args=[flows.co(suggestion).pk]))
    services.assignment_name_handler(assignment=lead, by=cast.head, handler=cast.clerk)
    extension = services.extension_request(
        assignment=lead,
        by=cast.clerk,
        until=lead.due_on + datetime.timedelta(days=10),
        reason="需要跨部门协调",
    )
    services.extension_decide(request=extension, by=cast.staff, approve=True)
    flows.prepare_reply(cast, suggestion)  # co-opinion, communication
    flows.reply(cast, suggestion)
    flows.deputy_signs(cast, suggestion, result=SignOff.Rating.DISSATISFIED)
    services.notifications_mark_read(by=cast.clerk)

    moved = flows.assigned(cast, co=False, title="调整承办单位的建议")
    request = services.reassignment_request(
        assignment=flows.lead(moved), by=cast.clerk, reason="不属于本单位职责"
    )
    services.reassignment_decide(
        request=request, by=cast.staff, approve=True, lead_unit=cast.other_unit, co_units=[]
    )
    refused = flows.proposed(cast, title="不予立案的建议")
    services.suggestion_reject(suggestion=refused, by=cast.staff, reason="不属于建议范围。")
    flows.merged_handled(cast)
    flows.revisited(cast)

    assert {
        "suggestion_create",
        "suggestion_approve",
        "suggestion_assign",
        "assignment_name_handler",
        "extension_request",
        "extension_decide",
        "co_opinion_submit",
        "communication_record",
        "reply_submit",
        "signoff_record",
        "notifications_mark_read",
        "reassignment_request",
        "reassignment_decide",
        "suggestion_reject",
        "suggestion_merge",
        "revisit_record",
    } <= set(watch.checked)
