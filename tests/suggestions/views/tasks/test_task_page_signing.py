"""The task page for a signer: the line of signatures, and the signing form first."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from suggestions.models import SignOff
from tests import flows


def detail(client, user, suggestion) -> str:
    client.force_login(user)
    response = client.get(reverse("tasks:detail", args=[flows.lead(suggestion).pk]))
    assert response.status_code == 200
    return response.content.decode()


def actions_of(page: str) -> str:
    return page[page.index('id="actions"') : page.index('id="timeline"')]


def test_task_page_shows_who_signed_and_who_is_next(client, cast):
    """The record's facts list the signatures: the deputy's ratings and the next signer."""
    suggestion = flows.handled(cast)
    flows.deputy_signs(cast, suggestion, work=SignOff.Rating.BASICALLY_SATISFIED)
    page = detail(client, cast.clerk, suggestion)
    facts = page[page.index('id="signatures"') :]
    facts = facts[: facts.index("</dd>")]
    deputy = pgettext("sign-off level", "Deputy")
    ratings = f"{SignOff.Rating.BASICALLY_SATISFIED.label}/{SignOff.Rating.SATISFIED.label}"
    assert f"{deputy} ✔ {ratings}</li>" in facts
    assert (
        f'data-state="next" title="{_("signs next")}">{pgettext("sign-off level", "Head")} …'
        in (facts)
    )


def test_task_page_has_no_signatures_before_the_reply(client, cast):
    """Before the reply there is nothing to sign and no line."""
    page = detail(client, cast.clerk, flows.assigned(cast))
    assert 'id="signatures"' not in page


def test_head_finds_the_signing_form_first_and_is_told_it_waits(client, cast):
    """For the head whose turn it is, the sign form is the first action, and the top of the
    page says the signature waits, linking to the form."""
    suggestion = flows.handled(cast)
    flows.deputy_signs(cast, suggestion)
    page = detail(client, cast.head, suggestion)
    actions = actions_of(page)
    assert actions.index('id="action-signoff_head"') < actions.index('id="action-communication"')
    assert page.index('id="your-turn"') < page.index('id="actions"')
    assert 'href="#action-signoff_head"' in page[page.index('id="your-turn"') :][:300]


def test_leader_finds_the_signing_form_first(client, cast):
    """For the leader, after the head signed, the sign form heads the actions."""
    page = detail(client, cast.leader, flows.awaiting_leader(cast))
    actions = actions_of(page)
    first = actions.index('<section class="card action"')
    assert actions.index('id="action-signoff_leader"') < first + 80
    assert 'href="#action-signoff_leader"' in page


def test_clerk_is_not_told_a_signature_waits(client, cast):
    """A clerk signs nothing: no "your signature is waiting" on the page."""
    suggestion = flows.handled(cast)
    flows.deputy_signs(cast, suggestion)
    assert 'id="your-turn"' not in detail(client, cast.clerk, suggestion)


def test_head_is_not_told_before_the_deputy_signed(client, cast):
    """Before the deputy's signature it is not the head's turn: no form, no call to sign."""
    page = detail(client, cast.head, flows.handled(cast))
    assert 'id="your-turn"' not in page
    assert 'id="action-signoff_head"' not in page
