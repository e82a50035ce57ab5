"""A merged group (并案) on the deputies' status pages: each deputy sees their own
suggestion as merged, the main one's handling on it, and signs the main one's record."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from suggestions import selectors, services
from suggestions.models import Notification, SignOff, Suggestion
from tests import flows
from tests.confirm import submit

from .test_signoff import sign

pytestmark = pytest.mark.django_db


def test_a_group_deputy_sees_their_merged_suggestion_and_the_main_one(client, cast):
    """张伟's suggestion was merged into 王丽's: his list has both; his own row says merged
    and follows the main one's stage."""
    main, other = flows.merged_handled(cast)
    client.force_login(cast.other_deputy.user)
    page = client.get(reverse("status:list")).content.decode()
    assert f'id="suggestion-{other.pk}" data-state="merged" data-stage="3"' in page
    assert f'id="suggestion-{main.pk}"' in page
    assert 'data-role="merged"' in page  # the main one: "yours was merged into it"
    visible = selectors.suggestions_visible_to_deputy(user=cast.other_deputy.user)
    assert set(visible.values_list("pk", flat=True)) == {main.pk, other.pk}


def test_another_deputy_sees_neither(client, cast):
    main, other = flows.merged(cast)
    outsider = flows.person(cast, "co_deputy")  # co-signs the main one only
    visible = set(
        selectors.suggestions_visible_to_deputy(user=outsider).values_list("pk", flat=True)
    )
    assert visible == {main.pk}


def test_the_merged_suggestions_page_shows_the_main_ones_handling(client, cast):
    """The reply, its document, the units and the sign-off form: the main one's."""
    main, other = flows.merged_handled(cast)
    reply = main.current_reply()
    client.force_login(cast.other_deputy.user)
    page = client.get(reverse("status:detail", args=[other.pk])).content.decode()
    assert 'id="merged-into"' in page
    assert reverse("status:detail", args=[main.pk]) in page
    assert f'id="reply-{reply.pk}"' in page
    assert reverse("tasks:document", args=[reply.pk]) in page
    assert cast.lead_unit.name in page
    assert 'id="signoff-form"' in page
    assert f'action="{reverse("status:signoff", args=[other.pk])}' in page
    document = client.get(reverse("tasks:document", args=[reply.pk]))
    assert document.status_code == 200


def test_the_main_ones_page_lists_the_merged_suggestions(client, cast):
    main, other = flows.merged_handled(cast)
    client.force_login(cast.deputy.user)
    page = client.get(reverse("status:detail", args=[main.pk])).content.decode()
    assert f'id="merged-{other.pk}"' in page
    assert cast.other_deputy.name in page


def test_a_group_deputy_signs_on_the_main_suggestion(client, cast):
    """Signing from the merged suggestion's page writes the deputy's sign-off on the main one;
    the deputy level waits for the other lead deputy (代表 1/2)."""
    main, other = flows.merged_handled(cast)
    client.force_login(cast.other_deputy.user)
    response = sign(client, other)
    assert response.status_code == 302
    signoff = SignOff.objects.get()
    assert (signoff.suggestion_id, signoff.deputy_id) == (main.pk, cast.other_deputy.pk)
    assert signoff.signer == cast.other_deputy.user
    page = client.get(reverse("status:detail", args=[other.pk])).content.decode()
    assert 'id="signoff-form"' not in page
    assert 'data-level="deputy" data-state="next"' in page
    assert "1/2" in page
    # 王丽 still signs: her page offers the form and says it waits for her.
    client.force_login(cast.deputy.user)
    page = client.get(reverse("status:detail", args=[main.pk])).content.decode()
    assert 'id="signoff-form"' in page
    assert 'class="sentence waiting' in page
    sign(client, main)
    page = client.get(reverse("status:detail", args=[main.pk])).content.decode()
    assert 'data-level="deputy" data-state="signed"' in page and "2/2" in page
    assert 'data-level="unit_head" data-state="next"' in page


def test_a_group_deputy_cannot_sign_twice(client, cast):
    main, other = flows.merged_handled(cast)
    client.force_login(cast.other_deputy.user)
    sign(client, other)
    response = submit(
        client,
        reverse("status:signoff", args=[main.pk]),
        {"signoff-work_rating": "satisfied", "signoff-result_rating": "satisfied"},
    )
    assert response.status_code == 400
    assert SignOff.objects.count() == 1


def test_the_status_list_reads_a_groups_signatures_without_more_queries(client, cast):
    """The group's lead deputies come in the sign-offs' one query: as many queries for one
    replied group as for five, and the line counts the group's deputies."""

    def add():
        main, _other = flows.merged_handled(cast)
        flows.group_deputy_signs(cast, main, cast.other_deputy)

    client.force_login(cast.other_deputy.user)
    add()
    with CaptureQueriesContext(connection) as one:
        first = client.get(reverse("status:list")).content.decode()
    for _i in range(4):
        add()
    with CaptureQueriesContext(connection) as five:
        page = client.get(reverse("status:list")).content.decode()
    assert first.count("1/2") == 1
    assert page.count("1/2") == 5
    assert len(one) == len(five) <= 6


def test_a_reply_tells_every_lead_deputy_of_the_group(cast, django_capture_on_commit_callbacks):
    """Both lead deputies hear that a reply arrived and that their sign-off waits."""
    with django_capture_on_commit_callbacks(execute=True):
        flows.merged_handled(cast)
    waiting = set(
        Notification.objects.filter(kind="signoff_waiting").values_list("recipient", flat=True)
    )
    arrived = set(
        Notification.objects.filter(kind="reply_arrived").values_list("recipient", flat=True)
    )
    assert waiting == {cast.deputy.user_id, cast.other_deputy.user_id}
    assert {cast.deputy.user_id, cast.other_deputy.user_id, cast.co_deputy.user_id} <= arrived


def test_the_unit_head_hears_only_once_every_group_deputy_signed(
    cast, django_capture_on_commit_callbacks
):
    main, _other = flows.merged_handled(cast)
    kind = "reminder_signoff_waiting"
    with django_capture_on_commit_callbacks(execute=True):
        flows.group_deputy_signs(cast, main, cast.other_deputy)
    assert not Notification.objects.filter(recipient=cast.head, kind=kind).exists()
    with django_capture_on_commit_callbacks(execute=True):
        flows.group_deputy_signs(cast, Suggestion.objects.get(pk=main.pk), cast.deputy)
    assert Notification.objects.filter(recipient=cast.head, kind=kind).exists()


def test_the_main_ones_timeline_tells_the_merge(cast):
    main, other = flows.merged(cast)
    events = selectors.suggestion_timeline(main)
    merged_in = [e for e in events if e.kind == "merged_in"]
    assert [e.ref for e in merged_in] == [other.pk]
    assert other.title in merged_in[0].title
    assert merged_in[0].note == "同一事项。"
    own = [e for e in selectors.suggestion_timeline(other) if e.kind == "transition"]
    assert str(main) in own[-1].detail


def test_status_of_a_merged_row_says_where_it_went(cast):
    main, other = flows.merged(cast)
    row = selectors.status_rows(user=cast.other_deputy.user).get(pk=other.pk)
    status = selectors.status_of(row, deputy=cast.other_deputy)
    assert main.number in status.sentence
    assert not status.stopped
    assert status.stage == 1  # the main one is reviewed


def test_unmerged_the_deputy_no_longer_sees_the_main_one(cast):
    main, other = flows.merged(cast)
    services.suggestion_unmerge(suggestion=other, by=cast.staff, reason="误并。")
    visible = selectors.suggestions_visible_to_deputy(user=cast.other_deputy.user)
    assert list(visible.values_list("pk", flat=True)) == [other.pk]
