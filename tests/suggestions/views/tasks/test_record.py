"""tasks:record: the handling record printed from the task page, and the upload of the
signed scan; the scan served to the office and the unit only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from suggestions.models import PaperSubmission, SignOff
from tests import flows
from tests.confirm import submit

PDF = b"%PDF-1.7\n% signed record\n%%EOF\n"


def _url(assignment):
    return reverse("tasks:record", args=[assignment.pk])


def _upload(client, assignment, **fields):
    """Upload the scan, and confirm when the page asks (the upload cannot be taken back)."""
    data = {
        "paper_submit-scan": SimpleUploadedFile("record.pdf", PDF, "application/pdf"),
        "paper_submit-deputy_signed_on": fields.get("deputy", timezone.localdate()),
        "paper_submit-work_rating": "satisfied",
        "paper_submit-result_rating": "satisfied",
        "paper_submit-unit_head_signed_on": fields.get("head", ""),
        "paper_submit-leader_signed_on": "",
    }
    return submit(client, _url(assignment), data)


@pytest.fixture
def no_account(cast):
    suggestion = flows.handled(cast)
    deputy = suggestion.lead_deputy
    deputy.user = None
    deputy.save()
    return suggestion


def test_record_page_has_the_committees_heading_signature_lines_and_the_upload(
    cast, client, no_account, settings
):
    settings.NPC = {**settings.NPC, "COMMITTEE_NAME": "示范市人大常委会"}
    client.force_login(cast.clerk)
    page = client.get(_url(flows.lead(no_account))).content.decode()
    assert "示范市人大常委会" in page
    assert no_account.title in page
    assert page.count('class="line"') >= 9  # opinion, signature, date for each level
    assert 'name="paper_submit-scan"' in page
    assert 'name="paper_submit-deputy_signed_on"' in page


def test_the_leader_sees_the_record_but_no_upload(cast, client, no_account):
    client.force_login(cast.leader)
    page = client.get(_url(flows.lead(no_account))).content.decode()
    assert no_account.title in page
    assert 'name="paper_submit-scan"' not in page


def test_another_units_clerk_gets_404(cast, client, no_account):
    client.force_login(cast.other_clerk)
    assert client.get(_url(flows.lead(no_account))).status_code == 404


def test_upload_sends_the_record_to_the_office(cast, client, no_account):
    client.force_login(cast.clerk)
    response = _upload(client, flows.lead(no_account))
    assert response.status_code == 302
    submission = PaperSubmission.objects.get()
    assert (submission.submitted_by, submission.decision) == (cast.clerk, "pending")
    assert set(submission.signatures) == {"deputy"}
    page = client.get(_url(flows.lead(no_account))).content.decode()
    assert "submission-pending" in page
    assert 'name="paper_submit-scan"' not in page  # one waits at a time


def test_a_refused_upload_keeps_what_was_typed_and_the_scan(cast, client, no_account):
    """Refused by the service after the confirmation, the form keeps the dates and the scan
    (kept on the server): it need not be chosen again."""
    client.force_login(cast.clerk)
    response = _upload(client, flows.lead(no_account), deputy="2000-01-01")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="2000-01-01"' in page
    assert 'role="alert"' in page
    assert "paper_submit-scan" in page
    assert "record.pdf" in page
    assert 'name="paper_submit-scan_kept" value="' in page
    assert not PaperSubmission.objects.exists()


def test_levels_signed_online_are_not_asked_again(cast, client):
    suggestion = flows.handled(cast)
    flows.sign_before_leader(cast, suggestion)
    client.force_login(cast.clerk)
    page = client.get(_url(flows.lead(suggestion))).content.decode()
    assert 'name="paper_submit-leader_signed_on"' in page
    assert 'name="paper_submit-deputy_signed_on"' not in page
    assert 'name="paper_submit-unit_head_signed_on"' not in page


def test_the_scan_is_served_to_the_unit_and_the_office_only(cast, client, no_account):
    client.force_login(cast.clerk)
    _upload(client, flows.lead(no_account))
    url = reverse("tasks:scan", args=[PaperSubmission.objects.get().pk])
    assert client.get(url).status_code == 200
    client.force_login(cast.staff)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(cast.other_clerk)
    assert client.get(url).status_code == 404
    client.force_login(cast.deputy.user if cast.deputy.user else cast.co_clerk)
    assert client.get(url).status_code == 404


def test_verification_in_the_admin_checks_each_item(cast, client, no_account):
    client.force_login(cast.clerk)
    _upload(client, flows.lead(no_account), head=timezone.localdate())
    client.force_login(cast.staff)
    url = reverse("admin:suggestions_suggestion_transition", args=[no_account.pk, "verify_paper"])
    page = client.get(url).content.decode()
    assert "checked_deputy" in page and "checked_unit_head" in page
    assert reverse("tasks:scan", args=[PaperSubmission.objects.get().pk]) in page

    refused = submit(client, url, {"accept": "1", "checked_deputy": "on"})
    assert refused.status_code == 200
    assert not SignOff.objects.exists()

    submit(client, url, {"accept": "1", "checked_deputy": "on", "checked_unit_head": "on"})
    levels = set(SignOff.objects.values_list("level", "verified_by"))
    assert levels == {("deputy", cast.staff.pk), ("unit_head", cast.staff.pk)}


def test_the_office_refuses_with_a_reason_the_unit_sees(cast, client, no_account):
    client.force_login(cast.clerk)
    _upload(client, flows.lead(no_account))
    client.force_login(cast.staff)
    url = reverse("admin:suggestions_suggestion_transition", args=[no_account.pk, "verify_paper"])
    submit(client, url, {"accept": "0", "reason": "扫描件不清晰。"})
    client.force_login(cast.clerk)
    page = client.get(_url(flows.lead(no_account))).content.decode()
    assert "扫描件不清晰。" in page
    assert 'name="paper_submit-scan"' in page


def test_the_responsible_person_shows_on_the_record(cast, client):
    suggestion = flows.assigned(cast)
    cast.clerk.first_name = "李经办"
    cast.clerk.save()
    from suggestions import services

    services.assignment_name_handler(
        assignment=flows.lead(suggestion), by=cast.head, handler=cast.clerk
    )
    client.force_login(cast.head)
    page = client.get(_url(flows.lead(suggestion))).content.decode()
    assert "李经办" in page


def test_the_task_page_links_to_the_record_and_names_the_responsible_person(cast, client):
    from suggestions import services

    suggestion = flows.assigned(cast)
    lead = flows.lead(suggestion)
    cast.clerk.first_name = "李经办"
    cast.clerk.save()
    services.assignment_name_handler(assignment=lead, by=cast.head, handler=cast.clerk)
    client.force_login(cast.clerk)
    page = client.get(reverse("tasks:detail", args=[lead.pk])).content.decode()
    assert f'href="{_url(lead)}"' in page
    assert 'id="handler"' in page and "李经办" in page
    rows = client.get(reverse("tasks:list"), {"tab": "all"}).content.decode()
    row = rows[rows.index(f'id="assignment-{lead.pk}"') :].split("</tr>", 1)[0]
    assert 'class="handler"' in row and "李经办" in row
