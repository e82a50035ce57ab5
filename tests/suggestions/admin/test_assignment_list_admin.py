"""The 交办会's assignment list in the admin: linked from the ledger, previewed (nothing
assigned), then confirmed; only for those who may assign."""

import datetime
import re

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from suggestions.models import Assignment, Suggestion
from tests import flows
from tests.spreadsheets import ASSIGNMENT_HEADERS, xlsx

IMPORT = reverse("admin:suggestions_assignment_import")
CONFIRM = reverse("admin:suggestions_assignment_process_import")
LEDGER = reverse("admin:suggestions_suggestion_changelist")
GOOD = ["1", "市交通运输局", "市公安局交通警察支队", "否", "2026-03-05"]


@pytest.fixture
def meeting(cast, client):
    """A suggestion approved on 2 March (number 1); staff logged in on 12 March."""
    with flows.on(datetime.date(2026, 3, 2)):
        suggestion = flows.reviewed(cast)
    client.force_login(cast.staff)
    with flows.on(datetime.date(2026, 3, 12)):
        yield cast, suggestion


def _upload(client, rows):
    data = xlsx([ASSIGNMENT_HEADERS, *rows])
    return client.post(IMPORT, {"import_file": SimpleUploadedFile("交办清单.xlsx", data)})


def test_ledger_links_to_the_assignment_list_import(meeting, client):
    """The suggestions' changelist has a button to import a 交办会's list."""
    page = client.get(LEDGER).content.decode()
    assert IMPORT in page


def test_assignments_changelist_has_the_import_button(meeting, client):
    """The assignments' own changelist, read-only otherwise, has the import button."""
    page = client.get(reverse("admin:suggestions_assignment_changelist")).content.decode()
    assert IMPORT in page


def test_assignment_list_import_page_lists_its_columns(meeting, client):
    """The import page names the list's columns, the required ones marked."""
    page = client.get(IMPORT).content.decode()
    for header in ("建议编号*", "主办单位*", "协办单位", "复杂", "交办日期*"):
        assert header in page


def test_assignment_list_previews_then_assigns_on_confirm(meeting, client):
    """The upload is a dry run (nothing assigned); the confirmation assigns the rows and
    logs each assignment for the staff member."""
    cast, suggestion = meeting
    preview = _upload(client, [GOOD])
    assert preview.status_code == 200
    assert preview.context["report"].new == 1
    assert Assignment.objects.count() == 0
    token = re.search(r'name="token" value="([^"]+)"', preview.content.decode()).group(1)
    response = client.post(CONFIRM, {"token": token})
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.state == Suggestion.State.ASSIGNED
    assert flows.lead(suggestion).assigned_on == datetime.date(2026, 3, 5)
    assert LogEntry.objects.filter(user=cast.staff, action_flag=ADDITION).count() == 1


def test_assignment_list_bad_rows_are_listed_with_nothing_to_confirm(meeting, client):
    """A bad list shows each bad row with its column and reason; nothing to confirm."""
    _cast, suggestion = meeting
    response = _upload(client, [GOOD, ["99", "市交通运输局", "", "否", "2026-03-05"]])
    page = response.content.decode()
    assert 'name="token"' not in page
    assert [(e.row, e.column, e.code) for e in response.context["report"].errors] == [
        (3, "建议编号", "unknown_suggestion")
    ]
    assert page.count('class="import-error"') == 1
    suggestion.refresh_from_db()
    assert suggestion.state == Suggestion.State.REVIEWED


def test_assignment_list_import_is_closed_to_reviewers(meeting, client, reviewer):
    """A reviewer, who may not assign, has no button and gets 403 at the import."""
    client.force_login(reviewer)
    assert IMPORT not in client.get(LEDGER).content.decode()
    assert client.get(IMPORT).status_code == 403
    assert _upload(client, [GOOD]).status_code == 403
    assert Assignment.objects.count() == 0
