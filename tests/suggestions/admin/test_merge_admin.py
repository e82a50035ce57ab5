"""Merging (并案) in the admin: the ledger's bulk action, the suggestion page's actions
"merge" and "unmerge", the group on the page and its mark in the ledger."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from suggestions import services
from suggestions.models import Suggestion
from tests import factories, flows

CHANGELIST = reverse("admin:suggestions_suggestion_changelist")
S = Suggestion.State


@pytest.fixture
def staff_client(client, cast):
    client.force_login(cast.staff)
    return client


def _other(cast, **kwargs) -> Suggestion:
    return services.suggestion_create(
        by=cast.staff,
        title=kwargs.pop("title", "关于学校门口增设红绿灯的建议"),
        content="学校门口上下学时段拥堵，建议增设红绿灯。",
        lead_deputy=cast.other_deputy,
        **kwargs,
    )


def _merge_selected(client, suggestions, **data):
    return client.post(
        CHANGELIST,
        {
            "action": "merge_selected",
            ACTION_CHECKBOX_NAME: [s.pk for s in suggestions],
            "post": "yes",
            **data,
        },
    )


def test_bulk_merge_first_shows_the_selected_suggestions_to_choose_the_main_one(cast, staff_client):
    """The action opens its page: the selected suggestions, each a choice of main one."""
    main, other = flows.reviewed(cast), _other(cast)
    page = staff_client.post(
        CHANGELIST, {"action": "merge_selected", ACTION_CHECKBOX_NAME: [main.pk, other.pk]}
    ).content.decode()
    assert 'id="merge-selected"' in page
    assert f'name="main" value="{main.pk}"' in page
    assert f'name="main" value="{other.pk}"' in page
    assert Suggestion.objects.filter(state=S.MERGED).count() == 0


def test_bulk_merge_merges_the_others_into_the_main_one_chosen(cast, staff_client):
    """Confirmed with a main one and a reason, the other selected ones are merged into it."""
    main, other, third = flows.reviewed(cast), _other(cast), _other(cast, title="第三件建议")
    response = _merge_selected(
        staff_client, [main, other, third], main=main.pk, reason="同一事项，并案办理。"
    )
    assert response.status_code == 302
    for s in (other, third):
        s.refresh_from_db()
        assert (s.state, s.merged_into_id, s.state_before_merge) == (S.MERGED, main.pk, "proposed")
    main.refresh_from_db()
    assert main.state == S.REVIEWED
    assert main.group_lead_deputy_ids() == [cast.deputy.pk, cast.other_deputy.pk]


def test_bulk_merge_takes_a_main_suggestion_typed_by_its_number(cast, staff_client):
    """A main one not selected is named by its number in the term and session."""
    main = flows.reviewed(cast)
    other = _other(cast)
    _merge_selected(staff_client, [other], main_number=main.number, reason="同一事项。")
    other.refresh_from_db()
    assert other.merged_into_id == main.pk


def test_bulk_merge_refused_shows_the_services_reasons_and_merges_nothing(cast, staff_client):
    """One selected suggestion already assigned: the page says why, and nothing is merged."""
    main, assigned = flows.reviewed(cast), flows.assigned(cast, title="已交办的建议")
    other = _other(cast)
    before = flows.snapshot(assigned)
    page = _merge_selected(
        staff_client, [main, assigned, other], main=main.pk, reason="同一事项。"
    ).content.decode()
    assert 'id="merge-refused"' in page
    refusal = page[page.index('id="merge-refused"') :]
    refusal = refusal[: refusal.index("</div>")]
    assert assigned.title in refusal  # the service names the one it refused
    assert not Suggestion.objects.filter(state=S.MERGED).exists()
    assert flows.snapshot(assigned) == before


def test_bulk_merge_without_a_main_one_or_a_reason_asks_for_them(cast, staff_client):
    main, other = flows.reviewed(cast), _other(cast)
    response = _merge_selected(staff_client, [main, other])
    form = response.context["form"]
    assert "reason" in form.errors
    assert form.non_field_errors().as_data()[0].code == "main_required"
    assert not Suggestion.objects.filter(state=S.MERGED).exists()


def test_bulk_merge_is_not_offered_to_a_reviewer(client, cast, reviewer):
    client.force_login(reviewer)
    page = client.get(CHANGELIST).content.decode()
    assert "merge_selected" not in page


def _transition(pk, name):
    return reverse("admin:suggestions_suggestion_transition", args=[pk, name])


def test_merge_action_takes_the_main_suggestion_from_the_link(cast, staff_client):
    """?into=<id> (the similar-suggestion panel's link) fills in the main suggestion."""
    main, other = flows.reviewed(cast), _other(cast)
    page = staff_client.get(_transition(other.pk, "merge") + f"?into={main.pk}").content.decode()
    assert f'value="#{main.pk}"' in page
    assert main.title in page  # "Proposed: No. 1 …" under the field
    response = staff_client.post(
        _transition(other.pk, "merge"), {"into": f"#{main.pk}", "reason": "同一事项。"}
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.merged_into_id == main.pk


def test_merge_action_refused_by_the_service_says_why(cast, staff_client):
    """Into a suggestion already assigned: the service's reason, nothing merged."""
    assigned, other = flows.assigned(cast), _other(cast)
    response = staff_client.post(
        _transition(other.pk, "merge"), {"into": assigned.number, "reason": "同一事项。"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    other.refresh_from_db()
    assert other.state == S.PROPOSED


def test_merge_action_with_an_unknown_number_says_so(cast, staff_client):
    other = _other(cast)
    response = staff_client.post(_transition(other.pk, "merge"), {"into": "999", "reason": "x"})
    assert response.context["form"].errors["into"]
    assert Suggestion.objects.get(pk=other.pk).state == S.PROPOSED


def test_unmerge_is_offered_on_a_merged_suggestion_and_gives_back_its_state(cast, staff_client):
    main, other = flows.merged(cast)
    page = staff_client.get(
        reverse("admin:suggestions_suggestion_change", args=[other.pk])
    ).content.decode()
    assert _transition(other.pk, "unmerge") in page
    assert _transition(other.pk, "merge") not in page
    staff_client.post(_transition(other.pk, "unmerge"), {"reason": "误并，撤销。"})
    other.refresh_from_db()
    assert (other.state, other.merged_into_id) == (S.PROPOSED, None)


def test_a_main_suggestion_offers_no_merge_of_itself(cast, staff_client):
    """A main one keeps its merged ones: merging it elsewhere is not offered."""
    main, _other_ = flows.merged(cast)
    page = staff_client.get(
        reverse("admin:suggestions_suggestion_change", args=[main.pk])
    ).content.decode()
    assert _transition(main.pk, "merge") not in page


def test_the_pages_show_the_group(cast, staff_client):
    """On the main one the merged ones with their deputies; on a merged one its main one."""
    main, other = flows.merged(cast)
    main_page = staff_client.get(
        reverse("admin:suggestions_suggestion_change", args=[main.pk])
    ).content.decode()
    other_page = staff_client.get(
        reverse("admin:suggestions_suggestion_change", args=[other.pk])
    ).content.decode()
    assert f'id="merged-{other.pk}"' in main_page and cast.other_deputy.name in main_page
    assert reverse("admin:suggestions_suggestion_change", args=[main.pk]) in other_page
    assert f"并入第{main.number}号" in other_page or f"Merged into No. {main.number}" in other_page
    # The timeline of the main one tells the merge.
    assert 'npc-event-merged_in"' in main_page


def test_ledger_marks_the_group_in_the_state_cell(cast, staff_client):
    main, other = flows.merged(cast)
    page = staff_client.get(CHANGELIST).content.decode()
    assert 'class="npc-merge npc-merged-into"' in page
    assert 'class="npc-merge npc-merge-main"' in page


def _changelist_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(CHANGELIST)
    assert response.status_code == 200
    return len(queries)


def test_ledger_queries_do_not_grow_with_merged_groups(cast, staff_client):
    """The group's marks come from the ledger's one query: as many queries with 10 merged
    groups as with one."""
    flows.merged(cast)
    one = _changelist_queries(staff_client)
    for _ in range(9):
        main = factories.SuggestionFactory(lead_deputy=cast.deputy)
        other = factories.SuggestionFactory(lead_deputy=cast.other_deputy)
        services.suggestion_merge(
            suggestions=[other], into=main, by=cast.staff, reason="同一事项。"
        )
    assert Suggestion.objects.filter(state=S.MERGED).count() == 10
    assert _changelist_queries(staff_client) == one


def test_the_group_is_not_a_field_of_the_form(cast, staff_client):
    """``merged_into`` is read-only on a proposed suggestion's form: only the actions merge."""
    other = _other(cast)
    url = reverse("admin:suggestions_suggestion_change", args=[other.pk])
    page = staff_client.get(url).content.decode()
    assert 'name="merged_into"' not in page
