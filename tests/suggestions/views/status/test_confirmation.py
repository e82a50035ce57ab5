"""The deputy's sign-off is confirmed as a step of its own before it is recorded."""

from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from suggestions.models import SignOff
from tests import flows
from tests.confirm import confirm, confirmation_of


def post(client, suggestion, **data):
    url = reverse("status:signoff", args=[suggestion.pk])
    return client.post(url, {f"signoff-{k}": v for k, v in data.items()})


def test_signoff_first_shows_the_ratings_to_confirm_and_records_nothing(client, cast):
    """The ratings and the opinion are summed up with Confirm and Back; nothing is signed."""
    suggestion = flows.handled(cast)
    client.force_login(cast.deputy.user)
    response = post(
        client, suggestion, work_rating="satisfied", result_rating="dissatisfied", opinion="未落实"
    )
    assert response.status_code == 200
    page = response.content.decode()
    panel = page[page.index('id="confirm-signoff"') :]
    panel = panel[: panel.index("</form>")]
    for shown in (
        SignOff.Rating.SATISFIED.label,
        SignOff.Rating.DISSATISFIED.label,
        "未落实",
        _("This is what will be recorded. The record cannot be taken back."),
    ):
        assert escape(str(shown)) in panel
    assert 'action="' + reverse("status:signoff", args=[suggestion.pk]) + '#action-signoff"' in (
        panel
    )
    assert not SignOff.objects.filter(suggestion=suggestion).exists()


def test_confirmed_signoff_is_recorded(client, cast):
    """Confirm records exactly the ratings shown."""
    suggestion = flows.handled(cast)
    client.force_login(cast.deputy.user)
    first = post(client, suggestion, work_rating="basically_satisfied", result_rating="satisfied")
    response = confirm(client, first, reverse("status:signoff", args=[suggestion.pk]))
    assert response.status_code == 302
    signoff = SignOff.objects.get(suggestion=suggestion)
    assert (signoff.work_rating, signoff.result_rating) == ("basically_satisfied", "satisfied")


def test_back_shows_the_ratings_chosen(client, cast):
    """Back returns to the form with the chosen ratings checked; nothing is signed."""
    suggestion = flows.handled(cast)
    client.force_login(cast.deputy.user)
    first = post(client, suggestion, work_rating="basically_satisfied", result_rating="satisfied")
    _action, carried = confirmation_of(first)
    back = client.post(
        reverse("status:signoff", args=[suggestion.pk]), {**carried, "signoff-back": "1"}
    )
    page = back.content.decode()
    assert back.status_code == 200 and 'id="signoff-form"' in page
    assert 'value="basically_satisfied" id="id_signoff-work_rating_1" required checked>' in page
    assert not SignOff.objects.filter(suggestion=suggestion).exists()


def test_dissatisfied_without_a_reason_is_refused_before_the_confirmation(client, cast):
    """The missing reason is said at the opinion field at once, with the service's code,
    not after the deputy confirmed."""
    suggestion = flows.handled(cast)
    client.force_login(cast.deputy.user)
    response = post(client, suggestion, work_rating="satisfied", result_rating="dissatisfied")
    assert response.status_code == 400
    page = response.content.decode()
    assert confirmation_of(response) is None
    assert 'data-codes="dissatisfied_reason_required"' in page
    assert page.count(escape(_("Say why you are dissatisfied."))) == 1
    assert 'href="#id_signoff-opinion"' in page
