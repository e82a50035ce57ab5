"""The action table: each action declared once, offered exactly to who may take it now."""

import importlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from suggestions import actions, confirmation, forms, services
from suggestions.actions import Page
from suggestions.models import Redo, Suggestion
from tests import flows
from tests.confirm import confirm, confirmation_of

# Where a label or a service could be spelled a second time: the app code and templates.
PDF = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n"
SOURCES = ["suggestions", "deputies", "stations", "npc_tracker", "templates"]


def _app_sources():
    base = Path(settings.BASE_DIR)
    for folder in SOURCES:
        for path in (base / folder).rglob("*"):
            if path.suffix in (".py", ".html", ".txt") and "migrations" not in path.parts:
                yield path, path.read_text(encoding="utf-8")


def test_actions_have_a_label_form_and_service_of_the_services_api():
    """Every action names an action form and a service of its app's service API (the
    loop's, or the app above that registered it: the stations')."""
    for action in actions.ACTIONS.values():
        assert str(action.label)
        assert issubclass(action.form, forms.ActionForm), action.name
        module = importlib.import_module(action.service.__module__.split(".")[0] + ".services")
        assert getattr(module, action.service.__name__) is action.service, action.name


# The office's actions that write a record without a transition of their own (the paper
# record's verification makes the "sign" transition when it carries the third signature;
# the designation of a key suggestion moves nothing).
RECORDS = {"redo_waive", "interim_check", "verify_paper", "designate_key"}


def test_each_admin_action_is_a_transition_of_the_lifecycle_or_a_record():
    """The admin's buttons are the lifecycle's transitions, each with its words, and the
    office's records that move nothing."""
    for action in actions.ACTIONS.values():
        if action.page == Page.ADMIN and action.name not in RECORDS:
            words = Suggestion.transition_words(action.name)
            assert str(words["verb"]) and str(words["done"])
    for name in RECORDS:
        assert actions.get(Page.ADMIN, name) is not None
        assert not hasattr(Suggestion, name)


def test_each_label_is_spelled_in_one_place_only():
    """An action's label appears once in the code and templates: in the action table."""
    sources = list(_app_sources())
    for action in actions.ACTIONS.values():
        with translation.override(None):
            msgid = str(action.label)
        pattern = re.compile(
            r"""(_|gettext_lazy|gettext|translate)\(?\s*["']""" + re.escape(msgid) + r"""["']"""
        )
        found = [str(path) for path, text in sources if pattern.search(text)]
        assert [Path(p).name for p in found] == ["actions.py"], (msgid, found)


def test_each_service_is_bound_to_its_action_in_one_place_only():
    """Which service an action calls is written once: no page dispatches by name."""
    sources = list(_app_sources())
    for action in actions.ACTIONS.values():
        name = action.service.__name__
        app = action.service.__module__.split(".")[0]
        callers = [
            Path(path).name
            for path, text in sources
            if re.search(r"services\." + name + r"\b", text)
            # An app below the table (the deputies': it imports no app above it) binds its
            # own service in its own admin, the one page it cannot reach the table from.
            and not (app == "deputies" and path.parts[-2] == "deputies")
        ]
        # The table binds it; nothing else in the pages or the admin calls it directly.
        assert callers == ["actions.py"], (name, callers)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("clerk", ["communication", "reply", "reassignment", "extension"]),  # lead member
        ("co_clerk", []),  # another unit's clerk: not this assignment's unit
        ("leader", []),  # sees the task, acts only by signing once there is a reply
        # A head is a member, and names the responsible person.
        ("head", ["communication", "reply", "name_handler", "reassignment", "extension"]),
    ],
)
def test_task_actions_are_offered_by_relation_and_state(cast, role, expected):
    """On an assigned suggestion's lead assignment, each role is offered exactly its actions."""
    lead = flows.lead(flows.assigned(cast))
    user = flows.person(cast, role)
    assert [a.name for a in actions.available(Page.TASKS, user=user, obj=lead)] == expected


def test_signoff_actions_follow_the_order_of_the_signatures(cast):
    """The head is offered the sign-off after the deputy signed, the leader after the head."""
    suggestion = flows.handled(cast)
    lead = flows.lead(suggestion)

    def offered(user):
        fresh = flows.lead(Suggestion.objects.get(pk=suggestion.pk))
        return [a.name for a in actions.available(Page.TASKS, user=user, obj=fresh)]

    assert "signoff_head" not in offered(cast.head)  # the deputy signs first
    assert "signoff_leader" not in offered(cast.leader)
    fresh = Suggestion.objects.get(pk=suggestion.pk)
    status = actions.available(Page.STATUS, user=cast.deputy.user, obj=fresh)
    assert [a.name for a in status] == ["signoff"]
    flows.deputy_signs(cast, suggestion)
    unit_work = ["communication", "name_handler", "paper_submit"]
    assert offered(cast.head) == ["signoff_head", *unit_work]  # the signature first
    assert offered(cast.leader) == []  # the head signs first
    services.signoff_record(suggestion=suggestion, by=cast.head, level="unit_head")
    assert offered(cast.head) == unit_work
    assert offered(cast.leader) == ["signoff_leader"]
    services.signoff_record(suggestion=suggestion, by=cast.leader, level="leader")
    assert offered(cast.head) == ["communication", "name_handler"]
    assert offered(cast.leader) == []
    assert lead.pk == flows.lead(Suggestion.objects.get(pk=suggestion.pk)).pk


def test_admin_offers_the_office_its_transitions_and_a_reviewer_only_review(cast, reviewer):
    """A proposed suggestion: the office may approve, return, reject, withdraw, merge it
    into another; a reviewer approve, return and reject."""
    suggestion = flows.proposed(cast)
    office = [a.name for a in actions.available(Page.ADMIN, user=cast.staff, obj=suggestion)]
    review = [a.name for a in actions.available(Page.ADMIN, user=reviewer, obj=suggestion)]
    assert office == ["approve", "return_for_revision", "reject", "withdraw", "merge"]
    assert review == ["approve", "return_for_revision", "reject"]


def test_a_page_states_the_consequence_of_an_action_that_needs_confirmation(client, cast):
    """The reply form says a reply cannot be changed once sent, beside its button."""
    lead = flows.lead(flows.assigned(cast))
    client.force_login(cast.clerk)
    page = client.get(reverse("tasks:detail", args=[lead.pk])).content.decode()
    reply = page[page.index('id="action-reply"') :]
    reply = reply[: reply.index("</section>")]
    assert 'class="confirm-note"' in reply
    assert "答复一经提交不能修改" in reply
    communication = page[page.index('id="action-communication"') :]
    assert 'class="confirm-note"' not in communication[: communication.index("</section>")]


def test_perform_returns_the_services_refusal_with_its_codes(cast):
    """A refused action comes back as the service's messages and codes; nothing changes."""
    suggestion = flows.assigned(cast)
    flows.prepare_reply(cast, suggestion)
    lead = flows.lead(suggestion)
    action = actions.get(Page.TASKS, "reply")
    form = action.bind(
        lead,
        {
            "reply-classification": "B",
            "reply-text": "列入计划。",
            "reply-commitment_1": "年内完成",
            "reply-commitment_1_due": "2020-01-01",  # in the past: the service refuses
        },
        {"reply-document": SimpleUploadedFile("reply.pdf", PDF)},
        confirmed=True,
    )
    assert form.is_valid(), form.errors
    refusal = actions.perform(action, user=cast.clerk, form=form)
    assert refusal is not None
    assert "bad_commitment" in refusal.codes
    assert Suggestion.objects.get(pk=lead.suggestion_id).state == Suggestion.State.ASSIGNED


def test_reply_form_checks_the_replys_conditions_before_the_confirmation(cast):
    """Without a communication and the co-unit's opinion, the reply form is refused with
    the service's codes before anyone is asked to confirm."""
    lead = flows.lead(flows.assigned(cast))
    action = actions.get(Page.TASKS, "reply")
    form = action.bind(
        lead,
        {"reply-classification": "A", "reply-text": "已解决。"},
        {"reply-document": SimpleUploadedFile("reply.pdf", PDF)},
        owner=cast.clerk.pk,
    )
    assert not form.is_valid()
    assert not form.awaiting_confirmation
    assert set(form.error_codes()) == {"no_communication", "co_opinions_missing"}


def test_the_actions_whose_record_cannot_be_taken_back_ask_for_confirmation():
    """The table's ``confirm`` makes the form two-step: reply, signatures, redo, revisit,
    rejection and withdrawal; no other action."""
    two_step = {
        action.name
        for action in actions.ACTIONS.values()
        if issubclass(action.form, confirmation.ConfirmationMixin)
    }
    assert two_step == {a.name for a in actions.ACTIONS.values() if a.confirm}
    assert {"reply", "signoff", "signoff_head", "signoff_leader", "order_redo", "revisit"} <= (
        two_step
    )
    assert "communication" not in two_step


def test_admin_redo_is_confirmed_before_it_is_ordered(cast, client):
    """The office's redo shows the grounds and reason to confirm; only Confirm orders it."""
    suggestion = flows.handled(cast)
    client.force_login(cast.staff)
    url = reverse("admin:suggestions_suggestion_transition", args=[suggestion.pk, "order_redo"])
    first = client.post(url, {"grounds": "nonconforming", "reason": "答复针对性不强。"})
    page = first.content.decode()
    assert first.status_code == 200 and 'id="confirm-order_redo"' in page
    panel = page[page.index('id="confirm-order_redo"') :]
    assert "答复针对性不强。" in panel and str(Redo.Grounds.NONCONFORMING.label) in panel
    assert Suggestion.objects.get(pk=suggestion.pk).state == Suggestion.State.HANDLED
    response = confirm(client, first, url)
    assert response.status_code == 302
    assert Suggestion.objects.get(pk=suggestion.pk).state == Suggestion.State.ASSIGNED


def test_admin_confirmation_holds_only_for_the_values_shown(cast, client):
    """A reason edited after the summary is summed up again, not recorded."""
    suggestion = flows.handled(cast)
    client.force_login(cast.staff)
    url = reverse("admin:suggestions_suggestion_transition", args=[suggestion.pk, "order_redo"])
    first = client.post(url, {"grounds": "nonconforming", "reason": "答复针对性不强。"})
    _action, carried = confirmation_of(first)
    second = client.post(url, {**carried, "reason": "另一个理由。"})
    assert 'id="confirm-order_redo"' in second.content.decode()
    assert "另一个理由。" in second.content.decode()
    assert Suggestion.objects.get(pk=suggestion.pk).state == Suggestion.State.HANDLED
