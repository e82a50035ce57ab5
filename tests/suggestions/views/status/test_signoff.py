"""The deputy's sign-off: the only write a deputy makes, once per reply round, lead only."""

import pytest
from django.urls import reverse

from suggestions import services
from suggestions.models import Notification, SignOff, Suggestion
from tests import factories, flows
from tests.confirm import submit

pytestmark = pytest.mark.django_db


def sign(client, suggestion, work="satisfied", result="satisfied", opinion=""):
    """Sign, and confirm when the page asks."""
    return submit(
        client,
        reverse("status:signoff", args=[suggestion.pk]),
        {
            "signoff-work_rating": work,
            "signoff-result_rating": result,
            "signoff-opinion": opinion,
        },
    )


def refusal_codes(response) -> set[str]:
    page = response.content.decode()
    assert 'class="refusal"' in page
    return set(page.split('data-codes="')[1].split('"')[0].split())


def test_signoff_is_recorded_for_the_lead_deputy(client, cast):
    """The lead deputy's two ratings and opinion become the round's deputy sign-off."""
    suggestion = flows.handled(cast)
    client.force_login(cast.deputy.user)
    response = sign(client, suggestion, "basically_satisfied", "satisfied", "沟通及时。")
    assert response.status_code == 302
    assert response.url == reverse("status:detail", args=[suggestion.pk]) + "#messages"
    signoff = SignOff.objects.get(suggestion=suggestion)
    assert (signoff.level, signoff.round, signoff.signer) == ("deputy", 1, cast.deputy.user)
    assert (signoff.work_rating, signoff.result_rating) == ("basically_satisfied", "satisfied")
    assert signoff.opinion == "沟通及时。"
    page = client.get(reverse("status:detail", args=[suggestion.pk])).content.decode()
    assert 'id="signoff"' not in page
    assert 'id="rating-1" data-round="1" data-work="basically_satisfied"' in page


def test_signoff_form_is_shown_only_to_the_lead_deputy_once_replied(client, cast):
    """Before a reply nobody sees the form; after it the lead deputy does, a co-signer not."""
    suggestion = flows.assigned(cast)
    url = reverse("status:detail", args=[suggestion.pk])
    client.force_login(cast.deputy.user)
    assert 'id="signoff"' not in client.get(url).content.decode()
    flows.prepare_reply(cast, suggestion)
    flows.reply(cast, suggestion)
    page = client.get(url).content.decode()
    assert 'id="signoff-form"' in page
    assert page.count('type="radio"') == 6  # three ratings for each of the two questions
    client.force_login(cast.co_deputy.user)
    assert 'id="signoff"' not in client.get(url).content.decode()


def test_signoff_is_refused_when_dissatisfied_without_a_reason(client, cast):
    """Dissatisfied with no opinion is refused with the service's code; nothing is recorded."""
    suggestion = flows.handled(cast)
    client.force_login(cast.deputy.user)
    response = sign(client, suggestion, "satisfied", "dissatisfied", "  ")
    assert response.status_code == 400
    assert refusal_codes(response) == {"dissatisfied_reason_required"}
    assert not SignOff.objects.filter(suggestion=suggestion).exists()


def test_signoff_twice_in_one_round_is_refused_with_a_message(client, cast):
    """A second sign-off of the same round is refused (already_signed); the first stands."""
    suggestion = flows.handled(cast)
    client.force_login(cast.deputy.user)
    assert sign(client, suggestion).status_code == 302
    before = flows.snapshot(suggestion)
    response = sign(client, suggestion, "dissatisfied", "dissatisfied", "改主意了。")
    assert response.status_code == 400
    assert refusal_codes(response) == {"already_signed"}
    assert flows.snapshot(suggestion) == before
    assert SignOff.objects.get(suggestion=suggestion).work_rating == "satisfied"


def test_signoff_is_allowed_again_in_the_next_round(client, cast):
    """After a redo and a new reply the lead deputy signs the new round."""
    suggestion = flows.handled(cast)
    client.force_login(cast.deputy.user)
    assert sign(client, suggestion, "dissatisfied", "dissatisfied", "未解决。").status_code == 302
    services.suggestion_order_redo(suggestion=suggestion, by=cast.staff, reason="代表不满意。")
    flows.prepare_reply(cast, suggestion)
    flows.reply(cast, suggestion)
    assert sign(client, suggestion).status_code == 302
    rounds = SignOff.objects.filter(suggestion=suggestion, level="deputy")
    assert sorted(rounds.values_list("round", "work_rating")) == [
        (1, "dissatisfied"),
        (2, "satisfied"),
    ]


def test_signoff_by_a_co_signer_is_refused(client, cast):
    """A co-signer sees the suggestion and the ratings but their sign-off is refused."""
    suggestion = flows.handled(cast)
    client.force_login(cast.co_deputy.user)
    before = flows.snapshot(suggestion)
    response = sign(client, suggestion)
    assert response.status_code == 400
    assert refusal_codes(response) == {"permission_denied"}
    assert flows.snapshot(suggestion) == before


def test_signoff_ratings_are_shown_to_a_co_signer(client, cast):
    """The lead deputy's ratings appear on the co-signer's page."""
    suggestion = flows.handled(cast)
    flows.sign_all(cast, suggestion, rating="dissatisfied")
    client.force_login(cast.co_deputy.user)
    page = client.get(reverse("status:detail", args=[suggestion.pk])).content.decode()
    assert 'id="rating-1" data-round="1" data-work="dissatisfied"' in page
    assert "未解决实际问题。" in page


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (flows.assigned, "not_allowed"),  # no reply yet: nothing to sign
        (flows.signed, "not_allowed"),  # the round's record is complete
    ],
)
def test_signoff_is_refused_when_there_is_nothing_to_sign(client, cast, make, code):
    """Outside the replied state the service refuses the sign-off; nothing changes."""
    suggestion = make(cast)
    client.force_login(cast.deputy.user)
    before = flows.snapshot(suggestion)
    response = sign(client, suggestion)
    assert response.status_code == 400
    assert refusal_codes(response) == {code}
    assert flows.snapshot(suggestion) == before


def test_signoff_of_another_deputys_suggestion_is_404(client, cast):
    """Deputy Y posting a sign-off for deputy X's suggestion gets a 404; nothing changes."""
    suggestion = flows.handled(cast)
    client.force_login(cast.other_deputy.user)
    before = flows.snapshot(suggestion)
    assert sign(client, suggestion).status_code == 404
    assert flows.snapshot(suggestion) == before


def test_signoff_with_a_bad_rating_is_refused_by_the_form(client, cast):
    """A rating outside the three choices is a form error (400); nothing is recorded."""
    suggestion = flows.handled(cast)
    client.force_login(cast.deputy.user)
    response = sign(client, suggestion, "excellent", "satisfied")
    assert response.status_code == 400
    assert not SignOff.objects.filter(suggestion=suggestion).exists()


NON_SIGNOFF_POSTS = [
    ("status:list", lambda s, a, r: []),  # the list is read-only: 405
    ("status:detail", lambda s, a, r: [s.pk]),  # the page is read-only: 405
    ("tasks:list", lambda s, a, r: []),  # not a task user: 403
    ("tasks:detail", lambda s, a, r: [a.pk]),  # not a task user: 403
    ("tasks:document", lambda s, a, r: [r.pk]),  # a download only: 405
    ("admin:suggestions_suggestion_change", lambda s, a, r: [s.pk]),  # admin: to its login
    ("admin:suggestions_suggestion_delete", lambda s, a, r: [s.pk]),  # admin: to its login
    ("admin:suggestions_suggestion_add", lambda s, a, r: []),  # admin: to its login
]
TASK_ACTIONS = [
    "communication",
    "co_opinion",
    "reply",
    "reassignment",
    "extension",
    "signoff_head",
    "signoff_leader",
]
STAFF_TRANSITIONS = ["order_redo", "revisit", "withdraw", "reassign"]


@pytest.mark.parametrize("role", ["deputy", "co_deputy"])
def test_deputy_posts_other_than_the_signoff_change_nothing(client, cast, role):
    """Every other POST a deputy can make is refused and leaves the suggestion as it was."""
    suggestion = flows.handled(cast)
    lead = flows.lead(suggestion)
    reply = suggestion.current_reply()
    client.force_login(flows.person(cast, role))
    before = flows.snapshot(suggestion)
    notes = Notification.objects.count()
    data = {"reason": "代表要求。", "notes": "x", "text": "x", "opinion": "x"}
    urls = [reverse(name, args=args(suggestion, lead, reply)) for name, args in NON_SIGNOFF_POSTS]
    urls += [reverse("tasks:action", args=[lead.pk, action]) for action in TASK_ACTIONS]
    urls += [
        reverse("admin:suggestions_suggestion_transition", args=[suggestion.pk, name])
        for name in STAFF_TRANSITIONS
    ]
    for url in urls:
        response = client.post(url, data)
        assert response.status_code in (302, 403, 404, 405), url
        if response.status_code == 302:
            assert response.url.startswith(reverse("admin:login")), url
    assert flows.snapshot(suggestion) == before
    assert Notification.objects.count() == notes
    assert Suggestion.objects.get(pk=suggestion.pk).state == Suggestion.State.HANDLED


def test_a_deputy_working_for_the_lead_unit_is_told_to_sign_on_paper(cast, client):
    """Conflict of interest: no sign form online, a note saying the signature is on paper."""
    suggestion = flows.handled(cast)
    factories.MembershipFactory(unit=cast.lead_unit, user=cast.deputy.user)
    client.force_login(cast.deputy.user)
    page = client.get(reverse("status:detail", args=[suggestion.pk])).content.decode()
    assert 'id="signoff-on-paper"' in page
    assert 'id="signoff-form"' not in page
    response = client.post(
        reverse("status:signoff", args=[suggestion.pk]),
        {"signoff-work_rating": "satisfied", "signoff-result_rating": "satisfied"},
    )
    assert response.status_code == 400
    assert not suggestion.signoffs.exists()
