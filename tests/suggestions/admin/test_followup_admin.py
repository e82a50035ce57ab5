"""What waits for the office: the ledger's filter, its counts on the admin index, the
office's records from the suggestion's page, and categories as a choice list."""

from django.urls import reverse
from django.utils import timezone

from suggestions.models import Category, InterimCheck, RedoWaiver, Suggestion
from tests import flows


def _changelist(client, **params):
    return client.get(reverse("admin:suggestions_suggestion_changelist"), params)


def test_index_counts_what_waits_for_the_office(cast, client):
    dissatisfied = flows.handled(cast)
    flows.sign_before_leader(cast, dissatisfied, rating="dissatisfied")
    flows.signed(cast, classification="A")  # revisit due today
    flows.handled(cast)
    client.force_login(cast.staff)
    page = client.get(reverse("admin:index")).content.decode()
    section = page[page.index('id="office-todo"') :]
    counts = {
        key: section.split(f"npc-todo-{key}", 1)[1].split('npc-count">', 1)[1].split("<", 1)[0]
        for key in ("redo_decision", "paper", "revisit_due")
    }
    assert counts == {"redo_decision": "1", "paper": "0", "revisit_due": "1"}


def test_the_follow_up_filter_lists_exactly_those_suggestions(cast, client):
    dissatisfied = flows.handled(cast, title="交通不满意")
    flows.sign_before_leader(cast, dissatisfied, rating="dissatisfied")
    flows.handled(cast, title="另一件建议")
    client.force_login(cast.staff)
    page = _changelist(client, followup="redo_decision").content.decode()
    assert "交通不满意" in page and "另一件建议" not in page


def test_accept_without_redo_from_the_suggestions_page(cast, client):
    suggestion = flows.handled(cast)
    flows.sign_before_leader(cast, suggestion, rating="dissatisfied")
    client.force_login(cast.staff)
    change = client.get(reverse("admin:suggestions_suggestion_change", args=[suggestion.pk]))
    waive = reverse("admin:suggestions_suggestion_transition", args=[suggestion.pk, "redo_waive"])
    assert waive in change.content.decode()
    client.post(waive, {"reason": "诉求受政策限制，认可本轮办理。"})
    assert RedoWaiver.objects.get().reason == "诉求受政策限制，认可本轮办理。"
    change = client.get(reverse("admin:suggestions_suggestion_change", args=[suggestion.pk]))
    assert waive not in change.content.decode()


def test_interim_check_from_the_suggestions_page_shows_on_it(cast, client):
    suggestion = flows.assigned(cast)
    client.force_login(cast.staff)
    client.post(
        reverse("admin:suggestions_suggestion_transition", args=[suggestion.pk, "interim_check"]),
        {"happened_on": timezone.localdate().isoformat(), "findings": "已完成选址。"},
    )
    assert InterimCheck.objects.get().findings == "已完成选址。"
    assert Suggestion.objects.get(pk=suggestion.pk).state == "assigned"
    page = client.get(reverse("admin:suggestions_suggestion_change", args=[suggestion.pk]))
    assert "interim-checks" in page.content.decode() and "已完成选址。" in page.content.decode()


def test_the_suggestions_page_shows_when_the_revisit_is_due(cast, client):
    suggestion = flows.signed(cast)
    due = suggestion.current_reply().commitments.get().due_on
    client.force_login(cast.staff)
    page = client.get(reverse("admin:suggestions_suggestion_change", args=[suggestion.pk]))
    assert 'npc-revisit-due">' in page.content.decode()
    assert due.isoformat() in page.content.decode()


def test_category_is_a_choice_of_the_list_staff_keep(cast, client):
    Category.objects.create(name="测试类别", order=99)
    Category.objects.filter(name="其他").update(active=False)
    client.force_login(cast.staff)
    page = client.get(reverse("admin:suggestions_suggestion_add")).content.decode()
    select = page[page.index('name="category"') :].split("</select>", 1)[0]
    assert '<option value="测试类别">' in select
    assert '<option value="其他">' not in select
    assert "<textarea" not in select and 'type="text"' not in select
