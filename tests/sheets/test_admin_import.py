"""The admin's import: upload, preview (nothing written), confirm; only with the permission."""

import re

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from deputies.models import Deputy
from suggestions.models import HandlingUnit, Suggestion
from tests import factories
from tests.spreadsheets import (
    DEPUTY_HEADERS,
    SUGGESTION_HEADERS,
    UNIT_HEADERS,
    csv_bytes,
    db_state,
    xlsx,
)

DEPUTIES = [
    DEPUTY_HEADERS,
    ["孙丽", "女", "汉族", "中共", "市级", "城关区代表团", "第十六届", "教师", "13800000001"],
    ["赵磊", "男", "汉族", "", "市", "城关区代表团", 16, "", ""],
]
FILES = {
    # url prefix: (file rows, model)
    "deputies_deputy": (DEPUTIES, Deputy),
    "suggestions_handlingunit": (
        [UNIT_HEADERS, ["市交通运输局", "交通局", "政府部门", ""]],
        HandlingUnit,
    ),
    "suggestions_suggestion": (
        [
            SUGGESTION_HEADERS,
            ["1", "关于增设信号灯的建议", "王丽", "", "", "", "内容", "2026-03-05", 16, 3],
        ],
        Suggestion,
    ),
}


@pytest.fixture
def importer_client(client, importer, roster):
    """The importer logged in; the roster's deputies are there for the suggestions file."""
    client.force_login(importer)
    return client


def _upload(client, prefix, data, name="data.xlsx"):
    return client.post(
        reverse(f"admin:{prefix}_import"),
        {"import_file": SimpleUploadedFile(name, data)},
    )


def _token(response) -> str:
    return re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)


def test_admin_import_page_shows_the_columns(importer_client):
    """The import page lists the file's columns, the required ones marked."""
    response = importer_client.get(reverse("admin:deputies_deputy_import"))
    assert response.status_code == 200
    assert "姓名*" in response.content.decode()


def test_admin_changelist_links_to_the_import(importer_client):
    """The changelist of each importable model has the import button."""
    for prefix in FILES:
        response = importer_client.get(reverse(f"admin:{prefix}_changelist"))
        assert reverse(f"admin:{prefix}_import") in response.content.decode()


@pytest.mark.parametrize("prefix", list(FILES))
def test_admin_import_previews_then_imports_on_confirm(importer_client, importer, prefix):
    """Uploading previews without writing; confirming imports the rows and logs them."""
    rows, model = FILES[prefix]
    before = db_state()
    count = model.objects.count()
    preview = _upload(importer_client, prefix, xlsx(rows))
    assert preview.status_code == 200
    assert preview.context["report"].ok
    assert preview.context["report"].new == len(rows) - 1
    assert db_state() == before
    response = importer_client.post(
        reverse(f"admin:{prefix}_process_import"), {"token": _token(preview)}
    )
    assert response.status_code == 302
    assert response.url == reverse(f"admin:{prefix}_changelist")
    assert model.objects.count() == count + len(rows) - 1
    assert LogEntry.objects.filter(user=importer, action_flag=ADDITION).count() == len(rows) - 1


def test_admin_import_lists_every_bad_row_and_offers_no_confirm(importer_client):
    """A bad file shows each bad row's number, column and reason, and nothing to confirm."""
    bad = [DEPUTY_HEADERS, DEPUTIES[1], ["赵六", "", "", "", "特级", "城关区代表团", "x"]]
    before = db_state()
    response = _upload(importer_client, "deputies_deputy", xlsx(bad))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="token"' not in page
    assert {(e.row, e.column, e.code) for e in response.context["report"].errors} == {
        (3, "层级", "bad_choice"),
        (3, "届次", "bad_number"),
    }
    assert page.count('class="import-error"') == 2
    assert db_state() == before


def test_admin_import_refuses_a_wrong_file_before_parsing(importer_client):
    """A file that is not what its name says is refused with the guard's message."""
    before = db_state()
    response = _upload(importer_client, "deputies_deputy", csv_bytes(DEPUTIES), name="名册.xlsx")
    assert [e.code for e in response.context["report"].errors] == ["not_xlsx"]
    assert db_state() == before


def test_admin_import_refuses_an_upload_over_10_mb(importer_client):
    """An upload over 10 MB is refused by the form, before it is read."""
    response = _upload(importer_client, "deputies_deputy", b"x" * (10 * 1024 * 1024 + 1), "a.csv")
    assert response.status_code == 200
    assert response.context["form"].errors["import_file"]
    assert "report" not in response.context


def test_admin_import_confirm_refuses_another_users_token(importer, roster, client):
    """A preview's token is bound to its user: another importer cannot confirm it."""
    client.force_login(importer)
    token = _token(_upload(client, "deputies_deputy", xlsx(DEPUTIES)))
    client.force_login(factories.StaffFactory(username="other_importer"))
    confirm = reverse("admin:deputies_deputy_process_import")
    assert client.post(confirm, {"token": token}).status_code == 403
    assert not Deputy.objects.filter(name="赵磊").exists()
    client.force_login(importer)  # its own user still can (and the upload is cleaned up)
    assert client.post(confirm, {"token": token}).status_code == 302
    assert Deputy.objects.filter(name="赵磊").exists()


def test_admin_import_confirm_refuses_a_forged_token(importer_client):
    """A token that was not signed by the server imports nothing."""
    before = db_state()
    response = importer_client.post(
        reverse("admin:deputies_deputy_process_import"), {"token": "x:y"}
    )
    assert response.status_code == 302
    assert response.url == reverse("admin:deputies_deputy_import")
    assert db_state() == before


@pytest.mark.parametrize("prefix", list(FILES))
def test_admin_import_forbidden_without_the_import_permission(client, db, prefix):
    """Staff without the import permission get 403 at both steps and see no import button."""
    user = factories.StaffFactory(username="plain_staff", groups=[])
    client.force_login(user)
    rows, _model = FILES[prefix]
    before = db_state()
    assert client.get(reverse(f"admin:{prefix}_import")).status_code == 403
    assert _upload(client, prefix, xlsx(rows)).status_code == 403
    assert client.post(reverse(f"admin:{prefix}_process_import"), {"token": "x"}).status_code == 403
    assert db_state() == before


def test_admin_changelist_hides_the_import_from_reviewers(client, db):
    """A reviewer, who may see suggestions but not import them, has no import button."""
    reviewer = factories.StaffFactory(username="reviewer", groups=["reviewers"])
    client.force_login(reviewer)
    response = client.get(reverse("admin:suggestions_suggestion_changelist"))
    assert response.status_code == 200
    assert reverse("admin:suggestions_suggestion_import") not in response.content.decode()
