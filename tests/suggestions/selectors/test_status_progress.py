"""The deputy's progress bar: the sign-off step turns green once the deputy has signed."""

import datetime

from django.urls import reverse

from suggestions import selectors
from suggestions.models import Suggestion
from tests import flows

TODAY = datetime.date(2026, 5, 1)


def _steps(deputy_signed: bool):
    row = Suggestion(state="handled", round=1, lead_deputy_id=1)
    row.deputy_signed = deputy_signed
    status = selectors.status_of(row, deputy=None, today=TODAY)
    return status, [(s["done"], s["current"]) for s in status.stages]


def test_signed_step_is_done_once_the_deputy_signed():
    """Replied and signed by the deputy: the reply and sign-off steps are done (green)."""
    status, steps = _steps(deputy_signed=True)
    assert status.stage == 3  # still replied: the head and the leader sign next
    assert steps == [
        (True, False),
        (True, False),
        (True, False),
        (True, True),  # replied, and the deputy has rated it
        (True, False),  # the sign-off step: green
        (False, False),  # closed: not yet
    ]


def test_signed_step_waits_while_the_deputy_has_not_signed():
    """Replied, not yet signed: the reply is the current step and the sign-off is to come."""
    _status, steps = _steps(deputy_signed=False)
    assert steps[3] == (False, True)
    assert steps[4] == (False, False)


def test_status_page_marks_the_signed_step_done_after_the_deputys_signoff(client, cast):
    """On /my/<id>/ the sign-off step has the done class once the deputy has signed."""
    suggestion = flows.handled(cast)
    client.force_login(cast.deputy.user)
    url = reverse("status:detail", args=[suggestion.pk])
    before = client.get(url).content.decode()
    assert '<li class=""><span>已签字</span></li>' in before
    flows.sign_before_leader(cast, suggestion)
    after = client.get(url).content.decode()
    assert '<li class="done"><span>已签字</span></li>' in after
    assert '<li class="done current" aria-current="step"><span>已答复</span></li>' in after
