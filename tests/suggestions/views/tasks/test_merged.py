"""A merged group (并案) on the task pages: the unit sees the merged suggestions and every
lead deputy to contact; the paper record carries a signature per lead deputy not signed
online; the office checks each; the printed record has a box per lead deputy."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from suggestions import actions, services
from suggestions.actions import Page
from suggestions.models import PaperSubmission, SignOff, Suggestion
from tests import flows
from tests.confirm import submit

PDF = b"%PDF-1.7\n% signed record\n%%EOF\n"


@pytest.fixture
def group(cast):
    main, other = flows.merged_handled(cast)
    cast.other_deputy.mobile = "13912345678"
    cast.other_deputy.save()
    return main, other


def test_the_task_page_shows_the_merged_suggestions_and_their_deputies(cast, client, group):
    main, other = group
    client.force_login(cast.clerk)
    page = client.get(reverse("tasks:detail", args=[flows.lead(main).pk])).content.decode()
    assert f'id="merged-{other.pk}"' in page
    assert other.title in page
    assert cast.other_deputy.name in page
    assert "13912345678" in page  # the unit handling it contacts each deputy


def test_the_paper_form_asks_a_block_per_group_deputy_not_signed_online(cast, group):
    main, _other = group
    form = actions.get(Page.TASKS, "paper_submit").bind(flows.lead(main))
    names = set(form.fields)
    for deputy in (cast.deputy, cast.other_deputy):
        assert f"deputy_{deputy.pk}_signed_on" in names
        assert f"deputy_{deputy.pk}_work_rating" in names
    assert "deputy_signed_on" not in names
    flows.group_deputy_signs(cast, Suggestion.objects.get(pk=main.pk), cast.other_deputy)
    form = actions.get(Page.TASKS, "paper_submit").bind(flows.lead(main))
    assert f"deputy_{cast.deputy.pk}_signed_on" in form.fields
    assert f"deputy_{cast.other_deputy.pk}_signed_on" not in form.fields


def _upload(client, main, cast):
    today = timezone.localdate().isoformat()
    data = {"paper_submit-scan": SimpleUploadedFile("record.pdf", PDF, "application/pdf")}
    for deputy, rating in ((cast.deputy, "satisfied"), (cast.other_deputy, "dissatisfied")):
        prefix = f"paper_submit-deputy_{deputy.pk}"
        data |= {
            f"{prefix}_signed_on": today,
            f"{prefix}_work_rating": rating,
            f"{prefix}_result_rating": rating,
            f"{prefix}_opinion": "希望加快进度。" if rating == "dissatisfied" else "",
        }
    data["paper_submit-unit_head_signed_on"] = today
    return submit(client, reverse("tasks:record", args=[flows.lead(main).pk]), data)


def test_the_paper_record_of_a_group_is_uploaded_checked_and_written_per_deputy(
    cast, client, group
):
    main, _other = group
    client.force_login(cast.clerk)
    assert _upload(client, main, cast).status_code == 302
    submission = PaperSubmission.objects.get()
    entries = submission.signatures["deputy"]
    assert [e["deputy"] for e in entries] == [cast.deputy.pk, cast.other_deputy.pk]
    # The office's page lists each deputy's entry with a check box of its own.
    client.force_login(cast.staff)
    url = reverse("admin:suggestions_suggestion_transition", args=[main.pk, "verify_paper"])
    page = client.get(url).content.decode()
    for deputy in (cast.deputy, cast.other_deputy):
        assert f'name="checked_deputy_{deputy.pk}"' in page
        assert deputy.name in page
    # Accepting without checking them all is refused.
    response = client.post(url, {"accept": "1", f"checked_deputy_{cast.deputy.pk}": "on"})
    assert f"checked_deputy_{cast.other_deputy.pk}" in response.context["form"].errors
    data = {
        "accept": "1",
        f"checked_deputy_{cast.deputy.pk}": "on",
        f"checked_deputy_{cast.other_deputy.pk}": "on",
        "checked_unit_head": "on",
    }
    submit(client, url, data)
    deputies = SignOff.objects.filter(level=SignOff.Level.DEPUTY).order_by("deputy_id")
    assert {s.deputy_id for s in deputies} == {cast.deputy.pk, cast.other_deputy.pk}
    assert SignOff.objects.filter(level=SignOff.Level.UNIT_HEAD).exists()


def test_the_printed_record_has_a_box_per_group_deputy(cast, client, group):
    main, other = group
    flows.group_deputy_signs(cast, main, cast.other_deputy)
    client.force_login(cast.clerk)
    page = client.get(reverse("tasks:record", args=[flows.lead(main).pk])).content.decode()
    assert page.count('class="box signoff-deputy"') == 2
    assert f"（{cast.other_deputy.name}）" in page and f"（{cast.deputy.name}）" in page
    assert other.title in page  # the merged suggestions, in the record's first table


def test_the_head_signs_only_after_every_group_deputy(cast, group):
    main, _other = group
    head = actions.get(Page.TASKS, "signoff_head")
    flows.group_deputy_signs(cast, main, cast.other_deputy)
    assert not head.available(cast.head, flows.lead(Suggestion.objects.get(pk=main.pk)))
    flows.group_deputy_signs(cast, Suggestion.objects.get(pk=main.pk), cast.deputy)
    assert head.available(cast.head, flows.lead(Suggestion.objects.get(pk=main.pk)))
    services.signoff_record(suggestion=main, by=cast.head, level="unit_head")
    services.signoff_record(suggestion=main, by=cast.leader, level="leader")
    assert Suggestion.objects.get(pk=main.pk).state == Suggestion.State.SIGNED


def test_the_task_list_counts_a_groups_deputies_without_more_queries(cast, client):
    """The list's signature line says 代表 1/2 for a group half signed, and reads as many
    queries for three groups as for one."""

    def add():
        main, _other = flows.merged_handled(cast)
        flows.group_deputy_signs(cast, main, cast.other_deputy)

    client.force_login(cast.clerk)
    url = reverse("tasks:list") + "?tab=all"
    add()
    with CaptureQueriesContext(connection) as one:
        first = client.get(url).content.decode()
    add()
    add()
    with CaptureQueriesContext(connection) as three:
        page = client.get(url).content.decode()
    assert first.count("1/2") == 1
    assert page.count("1/2") == 3
    assert len(one) == len(three) <= 6
