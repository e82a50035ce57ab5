"""A notification about a matter that is over (closed by the revisit, withdrawn, not
accepted) is no longer new: not counted in the header, not listed as new, not bold."""

import pytest
from django.urls import reverse

from suggestions import services
from suggestions.notifications import selectors
from tests import flows

pytestmark = pytest.mark.django_db


def _closed(cast, how):
    if how == "revisited":
        return flows.revisited(cast)
    suggestion = flows.reviewed(cast)
    if how == "withdrawn":
        services.suggestion_withdraw(suggestion=suggestion, by=cast.staff, reason="代表撤回。")
    else:
        suggestion = flows.proposed(cast, title="不予立案的建议")
        services.suggestion_reject(suggestion=suggestion, by=cast.staff, reason="不属于建议。")
    return suggestion


@pytest.mark.parametrize("how", ["revisited", "withdrawn", "not_accepted"])
def test_a_closed_matters_notification_is_not_new(client, cast, how):
    """The header counts only the open matter; the list shows the closed one as read."""
    user = cast.deputy.user
    closed = _closed(cast, how)
    still_open = flows.assigned(cast, title="仍在办理的建议")
    [old] = services.notify(recipients=[user], kind="test", text="已办结事项", suggestion=closed)
    [new] = services.notify(
        recipients=[user], kind="test", text="办理中事项", suggestion=still_open
    )
    assert selectors.unread_notification_count(user=user) == 1
    assert selectors.unread_notifications(user=user) == [new]
    client.force_login(user)
    page = client.get(reverse("status:list")).content.decode()
    assert '<span class="badge" id="unread-count">1</span>' in page
    notices = page.split('id="status-notifications"')[1].split("</section>")[0]
    assert "办理中事项" in notices and "已办结事项" not in notices
    listing = client.get(reverse("tasks:notifications")).content.decode()
    assert listing.count('class="notification unread"') == 1
    assert "已办结事项" in listing  # still listed, no longer new
    old.refresh_from_db()
    assert old.read_at is None  # nothing was written: it is read as not new


def test_a_notification_without_a_suggestion_stays_new_until_read(cast):
    """A notice about no suggestion is new while unread, as before."""
    user = cast.clerk
    services.notify(recipients=[user], kind="test", text="系统通知")
    assert selectors.unread_notification_count(user=user) == 1
    assert [n.is_new for n in selectors.notifications_of(user=user)] == [True]
