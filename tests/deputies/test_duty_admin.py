"""The committee office's side of the duty record in the admin: terms, rules and groups; the
records added through the service (its refusals on the form, nothing saved) and taken back
with a reason, all or nothing; a group's activity."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils.translation import gettext

from deputies import services
from deputies.models import DeputyGroup, DutyRecord, DutyRule, GroupActivity
from tests import factories, flows

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)
ADD = reverse("admin:deputies_dutyrecord_add")
CHANGELIST = reverse("admin:deputies_dutyrecord_changelist")


def _add(client, cast, **fields):
    client.force_login(cast.staff)
    post = {"deputy": cast.deputy.pk, "kind": "meeting", "happened_on": "2026-11-02"}
    with flows.on(TODAY):
        return client.post(ADD, post | fields)


def _record(cast, deputy=None, **kwargs):
    arguments = {"kind": "meeting", "happened_on": TODAY} | kwargs
    with flows.on(TODAY):
        return services.duty_record(deputy=deputy or cast.deputy, by=cast.staff, **arguments)


# Terms, rules, groups


def test_rule_admin_lists_by_year_and_shows_the_negative_points_refusal(client, staff):
    """The rules are filtered by year; a rule with negative points is refused on the form."""
    DutyRule.objects.create(year=2025, kind="meeting", points=Decimal(3))
    DutyRule.objects.create(year=2026, kind="training", points=Decimal(4))
    client.force_login(staff)
    page = client.get(reverse("admin:deputies_dutyrule_changelist"), {"year": 2026})
    assert page.status_code == 200
    assert len(page.context["cl"].result_list) == 1
    response = client.post(
        reverse("admin:deputies_dutyrule_add"), {"year": 2026, "kind": "meeting", "points": "-1"}
    )
    assert response.status_code == 200
    assert gettext("Points cannot be negative.") in response.content.decode()
    assert DutyRule.objects.count() == 2


def test_term_admin_adds_a_term(client, staff):
    """A term is added with its dates; one ending before it starts is refused."""
    client.force_login(staff)
    add = reverse("admin:deputies_term_add")
    refused = client.post(add, {"number": 16, "starts_on": "2022-01-01", "ends_on": "2021-01-01"})
    assert gettext("A term ends after it starts.") in refused.content.decode()
    assert client.post(add, {"number": 16, "starts_on": "2022-01-01"}).status_code == 302


def test_group_admin_lists_member_counts_and_has_history(client, cast):
    """The groups' list shows each group's member count; its page links the history."""
    group = DeputyGroup.objects.create(name="城关区第一代表小组")
    group.members.set([cast.deputy, cast.co_deputy])
    DeputyGroup.objects.create(name="教育专业小组", kind="industry")
    client.force_login(cast.staff)
    page = client.get(reverse("admin:deputies_deputygroup_changelist"))
    counts = {g.name: g.member_count for g in page.context["cl"].result_list}
    assert counts == {"城关区第一代表小组": 2, "教育专业小组": 0}
    change = client.get(reverse("admin:deputies_deputygroup_change", args=[group.pk]))
    body = change.content.decode()
    assert reverse("admin:deputies_deputygroup_activity", args=[group.pk]) in body
    assert "/history/" in body
    # The members are chosen with the autocomplete widget.
    assert 'data-model-name="deputy"' in body or "admin-autocomplete" in body


# The records


def test_record_admin_adds_through_the_service(client, cast):
    """The add form records the duty as the service does: by whom, the year's points."""
    response = _add(client, cast, source="第三次会议", notes="全程出席")
    assert response.status_code == 302
    record = DutyRecord.objects.get()
    assert (record.deputy, record.kind, record.happened_on) == (
        cast.deputy,
        "meeting",
        datetime.date(2026, 11, 2),
    )
    assert (record.recorded_by, record.points, record.source) == (cast.staff, None, "第三次会议")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        # tomorrow
        ({"happened_on": "2026-11-21"}, "The date %(date)s is in the future."),
        # negative points
        ({"points": "-2"}, "Points cannot be negative."),
    ],
)
def test_record_admin_shows_the_services_refusals_and_saves_nothing(client, cast, fields, message):
    """The service's refusals are the form's errors; no record is saved."""
    response = _add(client, cast, **fields)
    assert response.status_code == 200
    text = gettext(message)
    if "%(date)s" in text:
        text = text % {"date": "2026-11-21"}
    assert text in response.content.decode()
    assert not DutyRecord.objects.exists()


def test_record_admin_refuses_the_same_reference_twice(client, cast):
    """A second record of the kind with the same reference is refused with the reason."""
    assert _add(client, cast, source="第三次会议").status_code == 302
    response = _add(client, cast, source="第三次会议")
    assert response.status_code == 200
    expected = gettext("%(name)s already has this record (%(source)s).") % {
        "name": cast.deputy.name,
        "source": "第三次会议",
    }
    assert expected in response.content.decode()
    assert DutyRecord.objects.count() == 1


def test_record_admin_offers_no_automatic_kind(client, cast):
    """Suggestions count by themselves: the form does not offer them."""
    client.force_login(cast.staff)
    body = client.get(ADD).content.decode()
    assert 'value="meeting"' in body and 'value="suggestion_lead"' not in body


def test_record_changelist_rows_are_read_only_with_effective_points(client, cast):
    """The rows show the deputy, kind, counted points (the year's rule), reversal, source;
    filters by kind, delegation and level; search by name; nothing is changed."""
    DutyRule.objects.create(year=2026, kind="meeting", points=Decimal("2.5"))
    meeting = _record(cast, source="第三次会议")
    _record(cast, deputy=cast.other_deputy, kind="training", points="4")
    with flows.on(TODAY):
        services.duty_reverse(record=meeting, by=cast.staff, reason="录入错误")
    client.force_login(cast.staff)
    page = client.get(CHANGELIST)
    rows = {(r.deputy.name, r.kind, r.sign): r for r in page.context["cl"].result_list}
    assert rows[("王丽", "meeting", 1)].effective_points == Decimal("2.5")
    assert rows[("王丽", "meeting", -1)].effective_points == Decimal("-2.5")
    assert rows[("张伟", "training", 1)].effective_points == Decimal(4)
    body = page.content.decode()
    assert gettext("Taken back") in body
    assert gettext("Takes back #%(id)s") % {"id": meeting.pk} in body
    assert reverse("admin:deputies_ranking") in body
    assert len(client.get(CHANGELIST, {"q": "张伟"}).context["cl"].result_list) == 1
    assert len(client.get(CHANGELIST, {"kind__exact": "training"}).context["cl"].result_list) == 1
    assert len(client.get(CHANGELIST, {"happened_on__year": 2025}).context["cl"].result_list) == 0
    cast.other_deputy.delegation = "七里河区代表团"
    cast.other_deputy.level = "county"
    cast.other_deputy.save()
    by_delegation = client.get(CHANGELIST, {"delegation": "七里河区代表团"})
    assert [r.deputy.name for r in by_delegation.context["cl"].result_list] == ["张伟"]
    by_level = client.get(CHANGELIST, {"deputy__level__exact": "city"})
    assert {r.deputy.name for r in by_level.context["cl"].result_list} == {"王丽"}
    change = client.get(reverse("admin:deputies_dutyrecord_change", args=[meeting.pk]))
    assert 'name="kind"' not in change.content.decode()


def _take_back(client, records, reason="录入错误", confirm=True):
    post = {"action": "reverse_selected", "_selected_action": [r.pk for r in records]}
    if confirm:
        post |= {"post": "yes", "reason": reason}
    with flows.on(TODAY):
        return client.post(CHANGELIST, post)


def test_take_back_asks_for_a_reason_then_reverses_each(client, cast):
    """The action's page asks for the reason; confirmed, each record gets its reversal."""
    records = [_record(cast, source="a"), _record(cast, deputy=cast.co_deputy, source="b")]
    client.force_login(cast.staff)
    page = _take_back(client, records, confirm=False)
    assert page.status_code == 200
    assert 'name="reason"' in page.content.decode()
    assert not DutyRecord.objects.filter(sign=-1).exists()
    empty = _take_back(client, records, reason="")
    assert empty.status_code == 200 and not DutyRecord.objects.filter(sign=-1).exists()
    assert _take_back(client, records).status_code == 302
    reversals = DutyRecord.objects.filter(sign=-1).order_by("reverses_id")
    assert [(r.reverses_id, r.notes) for r in reversals] == [(r.pk, "录入错误") for r in records]


def test_take_back_is_all_or_nothing(client, cast):
    """One record reversed already: nothing is taken back and the page says which and why."""
    done = _record(cast, source="a")
    fresh = _record(cast, deputy=cast.co_deputy, source="b")
    with flows.on(TODAY):
        services.duty_reverse(record=done, by=cast.staff, reason="重复")
    client.force_login(cast.staff)
    response = _take_back(client, [done, fresh])
    assert response.status_code == 200
    assert gettext("This record was reversed already.") in response.content.decode()
    assert DutyRecord.objects.filter(sign=-1).count() == 1
    assert not DutyRecord.objects.filter(reverses=fresh).exists()


def test_take_back_is_not_offered_to_staff_outside_the_office(client, cast):
    """Staff who may only view the records get no action, and a forged one does nothing."""
    record = _record(cast)
    plain = factories.StaffFactory(username="plain", groups=[])
    plain.user_permissions.add(Permission.objects.get(codename="view_dutyrecord"))
    client.force_login(plain)
    page = client.get(CHANGELIST)
    assert page.status_code == 200
    assert "reverse_selected" not in page.content.decode()
    _take_back(client, [record])
    assert not DutyRecord.objects.filter(sign=-1).exists()


# A group's activity


@pytest.fixture
def group(cast):
    group = DeputyGroup.objects.create(name="城关区第一代表小组")
    group.members.set([cast.deputy, cast.co_deputy])
    return group


def _activity(client, group, **fields):
    post = {"kind": "research", "happened_on": "2026-11-10", "notes": "调研"} | fields
    with flows.on(TODAY):
        return client.post(reverse("admin:deputies_deputygroup_activity", args=[group.pk]), post)


def test_group_activity_records_a_duty_for_each_member_present(client, cast, group):
    """The form lists the members as checkboxes; those ticked each get a record."""
    client.force_login(cast.staff)
    with flows.on(TODAY):
        form = client.get(reverse("admin:deputies_deputygroup_activity", args=[group.pk]))
    body = form.content.decode()
    assert 'type="checkbox"' in body and "王丽" in body and "李强" in body and "张伟" not in body
    response = _activity(client, group, present=[cast.deputy.pk])
    assert response.status_code == 302
    activity = GroupActivity.objects.get()
    assert list(activity.present.all()) == [cast.deputy]
    record = DutyRecord.objects.get()
    assert (record.deputy, record.kind, record.source) == (
        cast.deputy,
        "research",
        f"group:{activity.pk}",
    )


def test_group_activity_refuses_a_non_member(client, cast, group):
    """A forged non-member meets the service's refusal; nothing is recorded."""
    client.force_login(cast.staff)
    response = _activity(client, group, present=[cast.deputy.pk, cast.other_deputy.pk])
    assert response.status_code == 200
    expected = gettext("%(names)s are not members of %(group)s.") % {
        "names": "张伟",
        "group": group.name,
    }
    assert expected in response.content.decode()
    assert not GroupActivity.objects.exists() and not DutyRecord.objects.exists()


def test_group_activity_refuses_a_future_date(client, cast, group):
    """An activity dated after today is refused on the form; nothing is recorded."""
    client.force_login(cast.staff)
    response = _activity(client, group, present=[cast.deputy.pk], happened_on="2026-12-01")
    assert response.status_code == 200
    expected = gettext("The date %(date)s is in the future.") % {"date": "2026-12-01"}
    assert expected in response.content.decode()
    assert not GroupActivity.objects.exists() and not DutyRecord.objects.exists()


def test_group_activity_action_opens_the_groups_form(client, cast, group):
    """The changelist's action on one group leads to its activity form."""
    client.force_login(cast.staff)
    response = client.post(
        reverse("admin:deputies_deputygroup_changelist"),
        {"action": "record_activity", "_selected_action": [group.pk]},
    )
    assert response.status_code == 302
    assert response.url == reverse("admin:deputies_deputygroup_activity", args=[group.pk])


def test_group_activity_is_refused_to_others(client, cast, group):
    """A deputy is sent to the login page; staff outside the office are refused."""
    url = reverse("admin:deputies_deputygroup_activity", args=[group.pk])
    client.force_login(cast.deputy.user)
    assert client.get(url).status_code == 302
    client.force_login(factories.StaffFactory(username="plain", groups=[]))
    assert client.get(url).status_code in (403, 404)
