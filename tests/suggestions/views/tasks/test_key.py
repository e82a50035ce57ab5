"""The leading leader's key suggestions on /tasks/: the tab, the list, each one's page with
its visits and interim checks, the visit form; and who may open a visit's files."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from suggestions import services
from suggestions.models import Inspection, InspectionFile
from tests import factories, flows, keys

TODAY = timezone.localdate
KEY_LIST = reverse("tasks:key_list")


def key_url(key):
    return reverse("tasks:key", args=[key.pk])


def action_url(key, name="inspection"):
    return reverse("tasks:key_action", args=[key.pk, name])


def client_for(client, cast, role):
    if role != "anonymous":
        client.force_login(flows.person(cast, role))
    return client


# The tab and the list.


@pytest.mark.parametrize(
    ("role", "has_tab"),
    [
        ("leader", True),  # leads the key suggestion
        ("other_leader", False),  # a leader leading none
        ("clerk", False),  # the lead unit's clerk: their unit handles it, they lead nothing
    ],
)
def test_the_task_list_has_a_tab_for_the_key_suggestions_one_leads(client, cast, role, has_tab):
    keys.designated(cast)
    page = client_for(client, cast, role).get(reverse("tasks:list")).content.decode()
    assert (f'href="{KEY_LIST}" data-tab="key"' in page) is has_tab


def test_the_leaders_list_shows_each_key_suggestion_with_its_visits(client, cast):
    suggestion = flows.assigned(cast)
    key = keys.designated(cast, suggestion)
    keys.visit(key, cast.staff, happened_on=TODAY() - datetime.timedelta(days=30))
    keys.visit(key, cast.leader, happened_on=TODAY() - datetime.timedelta(days=4))
    others = keys.designated(
        cast, flows.assigned(cast, title="别人领办的建议"), leader=cast.other_leader
    )
    client.force_login(cast.leader)
    page = client.get(KEY_LIST).content.decode()
    row = page[page.index(f'id="key-{key.pk}"') :]
    row = row[: row.index("</tr>")]
    lead = flows.lead(suggestion)
    assert f'class="year">{TODAY().year}<' in row
    assert f'class="number">{suggestion.number}<' in row
    assert f'href="{key_url(key)}">{suggestion.title}<' in row
    assert cast.lead_unit.name in row
    assert suggestion.get_state_display() in row
    assert lead.due_on.isoformat() in row
    assert 'class="visits">2<' in row
    assert (TODAY() - datetime.timedelta(days=4)).isoformat() in row
    assert others.suggestion.title not in page
    assert 'data-tab="key" class="active"' in page


def test_the_leaders_list_reads_the_same_queries_at_1_and_at_6_rows(client, cast):
    def add(n):
        for i in range(n):
            key = keys.designated(cast, flows.assigned(cast, title=f"第{i}件"))
            keys.visit(key, cast.leader)

    client.force_login(cast.leader)
    add(1)
    with CaptureQueriesContext(connection) as one:
        client.get(KEY_LIST)
    add(5)
    with CaptureQueriesContext(connection) as six:
        page = client.get(KEY_LIST).content.decode()
    assert page.count('class="visits">1<') == 6
    assert len(one) == len(six) <= 5


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),  # sent to the login page
        ("staff", 403),  # the office has the admin's key suggestion page
        ("leader", 200),  # leads it
        ("other_leader", 404),  # another leader: a 404, never its data
        ("clerk", 404),  # the lead unit's clerk: handles it, does not lead it
        ("deputy", 403),  # deputies have /my/
    ],
)
def test_the_key_suggestion_page_is_its_leaders_only(client, cast, role, status):
    key = keys.designated(cast)
    response = client_for(client, cast, role).get(key_url(key))
    assert response.status_code == status
    if status == 200:
        assert key.suggestion.title in response.content.decode()


# The page.


def test_the_page_shows_the_handling_the_reply_the_visits_and_the_checks(client, cast):
    suggestion = flows.handled(cast)
    key = keys.designated(cast, suggestion, deputies=[cast.co_deputy, cast.other_deputy])
    services.interim_check_record(
        suggestion=suggestion, by=cast.staff, happened_on=TODAY(), findings="督查：已开工。"
    )
    visit = keys.visit(
        key,
        cast.leader,
        kind="meeting",
        deputies=[cast.other_deputy],
        files=[keys.png("现场.png")],
    )
    client.force_login(cast.leader)
    page = client.get(key_url(key)).content.decode()
    assert suggestion.title in page and suggestion.number in page
    assert f'data-state="{suggestion.state}"' in page
    assert f'id="lead-unit">{cast.lead_unit.name}<' in page
    assert "财政经济委员会" in page
    assert cast.other_deputy.name in page
    reply = suggestion.current_reply()
    assert reply.text in page
    assert reverse("tasks:document", args=[reply.pk]) in page
    item = page[page.index(f'id="inspection-{visit.pk}"') :]
    item = item[: item.index("</li>")]
    assert visit.happened_on.isoformat() in item
    assert 'data-kind="meeting"' in item
    assert visit.participants in item and visit.findings in item and visit.next_steps in item
    assert cast.other_deputy.name in item
    file = InspectionFile.objects.get()
    assert f'href="{reverse("tasks:inspection_file", args=[file.pk])}"' in item
    assert "督查：已开工。" in page
    assert 'id="action-inspection"' in page
    assert f'action="{action_url(key)}#action-inspection"' in page
    assert 'enctype="multipart/form-data"' in page


def test_the_page_reads_the_same_queries_at_1_and_at_4_visits(client, cast):
    key = keys.designated(cast, deputies=[cast.co_deputy])
    client.force_login(cast.leader)

    def add(n):
        for _i in range(n):
            keys.visit(key, cast.leader, deputies=[cast.co_deputy], files=[keys.png()])

    add(1)
    with CaptureQueriesContext(connection) as one:
        client.get(key_url(key))
    add(3)
    with CaptureQueriesContext(connection) as four:
        page = client.get(key_url(key)).content.decode()
    assert page.count('class="inspection"') == 4
    assert len(one) == len(four)


def test_the_leader_records_a_visit_from_the_page(client, cast):
    key = keys.designated(cast, deputies=[cast.co_deputy])
    client.force_login(cast.leader)
    day = TODAY() - datetime.timedelta(days=1)
    response = client.post(
        action_url(key),
        {
            "inspection-happened_on": day.isoformat(),
            "inspection-kind": "visit",
            "inspection-participants": "副市长、交通局",
            "inspection-deputies": [cast.co_deputy.pk],
            "inspection-findings": "施工已过半。",
            "inspection-next_steps": "十月底前完工。",
            "inspection-files": [keys.png("照片.png")],
        },
    )
    assert response.status_code == 302
    assert response.url == key_url(key) + "#messages"
    visit = Inspection.objects.get()
    assert (visit.recorded_by, visit.happened_on, visit.findings) == (
        cast.leader,
        day,
        "施工已过半。",
    )
    assert list(visit.deputies.all()) == [cast.co_deputy]
    assert [f.name for f in visit.files.all()] == ["照片.png"]
    page = client.get(key_url(key)).content.decode()
    assert "施工已过半。" in page


def test_a_refused_visit_keeps_what_was_typed_and_says_why(client, cast):
    key = keys.designated(cast)
    client.force_login(cast.leader)
    response = client.post(
        action_url(key),
        {
            "inspection-happened_on": (TODAY() + datetime.timedelta(days=3)).isoformat(),
            "inspection-kind": "visit",
            "inspection-participants": "副市长",
            "inspection-findings": "已完成选址。",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'data-codes="date_future"' in page
    assert escape(_("The visit is dated in the future.")) in page
    assert "已完成选址。" in page
    assert not Inspection.objects.exists()


@pytest.mark.parametrize(
    ("role", "name", "status"),
    [
        ("other_leader", "inspection", 404),  # another leader's post: the key is not theirs
        ("leader", "designate_key", 404),  # not an action of this page
        ("clerk", "inspection", 404),  # the unit's clerk: not their key suggestion
    ],
)
def test_a_forged_post_is_refused(client, cast, role, name, status):
    key = keys.designated(cast)
    response = client_for(client, cast, role).post(
        action_url(key, name),
        {
            "inspection-happened_on": TODAY().isoformat(),
            "inspection-kind": "visit",
            "inspection-participants": "某人",
            "inspection-findings": "某事。",
        },
    )
    assert response.status_code == status
    assert not Inspection.objects.exists()


# The visits' files.


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),  # sent to the login page
        ("staff", 200),  # the committee office
        ("leader", 200),  # leads the key suggestion
        ("clerk", 200),  # the lead unit handles the suggestion
        ("co_clerk", 200),  # a co-unit handles it too
        ("deputy", 200),  # its lead deputy
        ("co_deputy", 200),  # its co-signing deputy
        ("invited", 200),  # invited to follow it
        ("other_clerk", 404),  # another unit
        ("other_leader", 404),  # another leader
        ("uninvited", 404),  # a deputy with nothing to do with it
        ("reviewer", 404),  # staff outside the committee office
    ],
)
def test_a_visits_file_is_served_only_to_who_may_see_it(client, cast, role, status):
    invited, uninvited = factories.DeputyFactory(), factories.DeputyFactory()
    key = keys.designated(cast, deputies=[invited])
    keys.visit(key, cast.staff, files=[keys.png("现场.png")])
    file = InspectionFile.objects.get()
    if role == "invited":
        client.force_login(invited.user)
    elif role == "uninvited":
        client.force_login(uninvited.user)
    else:
        client_for(client, cast, role)
    response = client.get(reverse("tasks:inspection_file", args=[file.pk]))
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == keys.PNG
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
