"""Key suggestions in the admin: designated from a suggestion's page through the service,
their list with stage and visits, each one's read-only visits, and the visit's form."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from suggestions import services
from suggestions.models import Inspection, InspectionFile, KeySuggestion
from tests import factories, flows, keys

CHANGELIST = reverse("admin:suggestions_keysuggestion_changelist")
TODAY = timezone.localdate


def designate_url(suggestion):
    return reverse("admin:suggestions_suggestion_transition", args=[suggestion.pk, "designate_key"])


def change_url(key):
    return reverse("admin:suggestions_keysuggestion_change", args=[key.pk])


def inspection_url(key):
    return reverse("admin:suggestions_keysuggestion_inspection", args=[key.pk])


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def _designation(cast, **changes):
    return {
        "year": TODAY().year,
        "leader": cast.leader.pk,
        "committee": "财政经济委员会",
        "deputies": [cast.co_deputy.pk, cast.other_deputy.pk],
        **changes,
    }


# The designation, from the suggestion's page.


def test_the_suggestion_page_offers_the_designation_while_it_may_be_chosen(cast, staff_client):
    suggestion = flows.assigned(cast)
    label = _("Designate as a key suggestion")
    page = staff_client.get(
        reverse("admin:suggestions_suggestion_change", args=[suggestion.pk])
    ).content.decode()
    assert designate_url(suggestion) in page and label in page
    keys.designated(cast, suggestion)
    page = staff_client.get(
        reverse("admin:suggestions_suggestion_change", args=[suggestion.pk])
    ).content.decode()
    assert designate_url(suggestion) not in page  # chosen already
    proposed = flows.proposed(cast, title="另一件建议")
    page = staff_client.get(
        reverse("admin:suggestions_suggestion_change", args=[proposed.pk])
    ).content.decode()
    assert designate_url(proposed) not in page  # not reviewed yet


def test_the_designation_form_offers_only_government_leaders(cast, staff_client):
    page = staff_client.get(designate_url(flows.assigned(cast))).content.decode()
    assert f'<option value="{cast.leader.pk}"' in page
    assert f'<option value="{cast.other_leader.pk}"' in page
    assert f'<option value="{cast.clerk.pk}"' not in page
    assert f'<option value="{cast.staff.pk}"' not in page
    assert f'value="{TODAY().year}"' in page
    # The deputies by search: the admin's autocomplete, with its script.
    assert "admin/js/autocomplete.js" in page
    assert "field_name=invited_deputies" in page or 'data-field-name="invited_deputies"' in page


def test_designating_through_the_admin_calls_the_service(cast, staff_client):
    suggestion = flows.assigned(cast)
    response = staff_client.post(designate_url(suggestion), _designation(cast))
    assert response.status_code == 302
    key = KeySuggestion.objects.get(suggestion=suggestion)
    assert (key.year, key.leader, key.committee, key.designated_by) == (
        TODAY().year,
        cast.leader,
        "财政经济委员会",
        cast.staff,
    )
    assert set(key.invited_deputies.all()) == {cast.co_deputy, cast.other_deputy}


@pytest.mark.parametrize("make", ["withdrawn", "chosen"])
def test_a_refused_designation_shows_the_services_reason(cast, staff_client, make):
    """A page kept open while the suggestion was withdrawn or chosen meets the service."""
    suggestion = flows.reviewed(cast)
    if make == "withdrawn":
        services.suggestion_withdraw(suggestion=suggestion, by=cast.staff, reason="代表撤回。")
        message = _("A suggestion that is “%(state)s” cannot be a key suggestion.") % {
            "state": suggestion.get_state_display()
        }
    else:
        keys.designated(cast, suggestion, leader=cast.other_leader)
        message = _("%(suggestion)s is already a key suggestion.") % {"suggestion": suggestion}
    before = KeySuggestion.objects.count()
    response = staff_client.post(designate_url(suggestion), _designation(cast))
    page = response.content.decode()
    assert response.status_code == 200
    assert escape(message) in page
    assert 'class="errorlist nonfield"' in page
    assert KeySuggestion.objects.count() == before


def test_a_designation_without_a_leader_is_refused_by_the_form(cast, staff_client):
    suggestion = flows.assigned(cast)
    response = staff_client.post(
        designate_url(suggestion), _designation(cast, leader=cast.clerk.pk)
    )
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not KeySuggestion.objects.exists()


def test_key_suggestions_are_not_added_or_changed_in_the_admin(cast, staff_client):
    key = keys.designated(cast)
    assert staff_client.get(reverse("admin:suggestions_keysuggestion_add")).status_code == 403
    page = staff_client.get(change_url(key)).content.decode()
    assert 'name="committee"' not in page  # read-only: the designation is the service's
    assert staff_client.post(change_url(key), {"committee": "改"}).status_code == 403
    assert KeySuggestion.objects.get().committee == "财政经济委员会"
    listing = staff_client.get(CHANGELIST).content.decode()
    assert 'id="designate-help"' in listing


# The list.


def test_the_list_shows_year_leader_committee_stage_visits_and_last_visit(cast, staff_client):
    cast.leader.first_name = "刘振华"
    cast.leader.save()
    key = keys.designated(cast)
    keys.visit(key, cast.staff, happened_on=TODAY() - datetime.timedelta(days=20))
    keys.visit(key, cast.leader, happened_on=TODAY() - datetime.timedelta(days=3))
    page = staff_client.get(CHANGELIST).content.decode()
    row = page[page.index(key.suggestion.title) :]
    row = row[: row.index("</tr>")]
    assert f'<td class="field-year">{TODAY().year}</td>' in row
    assert "刘振华" in row
    assert "财政经济委员会" in row
    assert "已交办" in row  # the suggestion's state
    assert '<td class="field-visits">2</td>' in row
    assert (TODAY() - datetime.timedelta(days=3)).isoformat() in row


def test_the_list_filters_by_year_and_leader(cast, staff_client):
    mine = keys.designated(cast)
    other = keys.designated(
        cast,
        flows.assigned(cast, title="关于建设社区食堂的建议"),
        leader=cast.other_leader,
        year=TODAY().year - 1,
    )
    by_year = staff_client.get(CHANGELIST, {"year": TODAY().year - 1}).content.decode()
    assert other.suggestion.title in by_year and mine.suggestion.title not in by_year
    by_leader = staff_client.get(CHANGELIST, {"leader__id__exact": cast.leader.pk}).content.decode()
    assert mine.suggestion.title in by_leader and other.suggestion.title not in by_leader


def test_the_list_reads_the_same_queries_at_1_and_at_10_key_suggestions(cast, staff_client):
    def add(n):
        for i in range(n):
            key = keys.designated(cast, flows.assigned(cast, title=f"第{i}件重点建议"))
            keys.visit(key, cast.staff)

    add(1)
    with CaptureQueriesContext(connection) as one:
        assert staff_client.get(CHANGELIST).status_code == 200
    add(9)
    with CaptureQueriesContext(connection) as ten:
        page = staff_client.get(CHANGELIST).content.decode()
    assert page.count('<td class="field-visits">1</td>') == 10
    assert len(one) == len(ten)


# Each key suggestion's page and its visits.


def test_the_key_suggestion_page_shows_its_visits_read_only(cast, staff_client):
    key = keys.designated(cast)
    visit = keys.visit(key, cast.leader, deputies=[cast.co_deputy], files=[keys.png("现场.png")])
    services.interim_check_record(
        suggestion=key.suggestion, by=cast.staff, happened_on=TODAY(), findings="督查：已开工。"
    )
    page = staff_client.get(change_url(key)).content.decode()
    assert visit.findings in page
    assert visit.next_steps in page
    assert cast.co_deputy.name in page
    file = InspectionFile.objects.get()
    assert reverse("tasks:inspection_file", args=[file.pk]) in page
    assert "现场.png" in page
    assert "督查：已开工。" in page
    assert inspection_url(key) in page
    # Append-only: no field of a visit to edit, no row to add or delete.
    assert 'name="inspections-0-findings"' not in page
    assert "inspections-0-DELETE" not in page
    assert "添加另一个" not in page


def test_recording_a_visit_in_the_admin_calls_the_service(cast, staff_client):
    key = keys.designated(cast, deputies=[cast.co_deputy, cast.other_deputy])
    page = staff_client.get(inspection_url(key)).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert cast.other_deputy.name in page and cast.deputy.name not in page  # the invited only
    day = TODAY() - datetime.timedelta(days=2)
    response = staff_client.post(
        inspection_url(key),
        {
            "inspection-happened_on": day.isoformat(),
            "inspection-kind": "visit",
            "inspection-participants": "副市长、财经委、交通局",
            "inspection-deputies": [cast.other_deputy.pk],
            "inspection-findings": "已完成选址。",
            "inspection-next_steps": "月底前招标。",
            "inspection-files": [keys.png("一.png"), factories.document("纪要.pdf")],
        },
    )
    assert response.status_code == 302
    visit = Inspection.objects.get()
    assert (visit.happened_on, visit.recorded_by, visit.findings) == (
        day,
        cast.staff,
        "已完成选址。",
    )
    assert list(visit.deputies.all()) == [cast.other_deputy]
    assert sorted(f.name for f in visit.files.all()) == ["一.png", "纪要.pdf"]


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"inspection-happened_on": "2099-01-01"}, "date_future"),  # the service's refusal
        ({"inspection-findings": ""}, "required"),  # the form's
        ({"inspection-files": "text"}, "document_type"),
    ],
)
def test_a_refused_visit_is_shown_and_nothing_written(cast, staff_client, changes, code):
    key = keys.designated(cast)
    data = {
        "inspection-happened_on": TODAY().isoformat(),
        "inspection-kind": "visit",
        "inspection-participants": "财经委",
        "inspection-findings": "已完成选址。",
        **changes,
    }
    if data.get("inspection-files") == "text":
        data["inspection-files"] = [SimpleUploadedFile("a.png", "不是图片".encode())]
    response = staff_client.post(inspection_url(key), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="errorlist' in page
    if code == "date_future":
        assert f'data-codes="{code}"' in page
        assert escape(_("The visit is dated in the future.")) in page
    assert not Inspection.objects.exists()
    assert not InspectionFile.objects.exists()


def test_the_visit_page_is_for_the_office(cast, client):
    key = keys.designated(cast)
    reviewer = flows.person(cast, "reviewer")
    client.force_login(reviewer)
    assert client.get(inspection_url(key)).status_code in (403, 404)
    client.force_login(cast.leader)  # not staff: the admin sends them to its login
    assert client.get(inspection_url(key)).status_code == 302


def test_the_designation_form_finds_deputies_by_name(cast, staff_client):
    """The invited deputies' field searches the deputies through the admin's autocomplete."""
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "suggestions",
            "model_name": "keysuggestion",
            "field_name": "invited_deputies",
            "term": "李",
        },
    )
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [str(cast.co_deputy.pk)]
