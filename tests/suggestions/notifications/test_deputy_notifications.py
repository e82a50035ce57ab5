"""Deputies' notifications: a reply has arrived, and the lead deputy's sign-off waits."""

from django.urls import reverse

from suggestions import services
from suggestions.models import Notification
from tests import flows


def test_reply_notifies_the_deputies_that_a_reply_arrived(cast, django_capture_on_commit_callbacks):
    """A reply tells the lead deputy and each co-signer with an account, once each."""
    suggestion = flows.assigned(cast)
    flows.prepare_reply(cast, suggestion)
    with django_capture_on_commit_callbacks(execute=True):
        flows.reply(cast, suggestion)
    notes = Notification.objects.filter(kind="reply_arrived", suggestion=suggestion)
    assert sorted(n.recipient_id for n in notes) == sorted(
        [cast.deputy.user_id, cast.co_deputy.user_id]
    )
    assert all(suggestion.title in n.text and n.assignment_id is None for n in notes)


def test_reply_tells_only_the_lead_deputy_their_signoff_waits(
    cast, django_capture_on_commit_callbacks
):
    """Only the lead deputy is told that their sign-off is waiting."""
    suggestion = flows.assigned(cast)
    flows.prepare_reply(cast, suggestion)
    with django_capture_on_commit_callbacks(execute=True):
        flows.reply(cast, suggestion)
    waiting = Notification.objects.filter(kind="signoff_waiting", suggestion=suggestion)
    assert [n.recipient_id for n in waiting] == [cast.deputy.user_id]


def test_reply_skips_deputies_without_an_account(cast, django_capture_on_commit_callbacks):
    """A co-signer without a user account is simply not notified."""
    cast.co_deputy.user = None
    cast.co_deputy.save()
    suggestion = flows.assigned(cast)
    flows.prepare_reply(cast, suggestion)
    with django_capture_on_commit_callbacks(execute=True):
        flows.reply(cast, suggestion)
    notes = Notification.objects.filter(kind="reply_arrived", suggestion=suggestion)
    assert [n.recipient_id for n in notes] == [cast.deputy.user_id]


def test_other_transitions_do_not_notify_deputies(cast, django_capture_on_commit_callbacks):
    """Assignment and sign-off make no deputy notification."""
    with django_capture_on_commit_callbacks(execute=True):
        flows.assigned(cast)
    deputies = [cast.deputy.user, cast.co_deputy.user]
    assert not Notification.objects.filter(recipient__in=deputies).exists()


def test_deputy_sees_the_notifications_in_the_header_list_and_status_page(
    client, cast, django_capture_on_commit_callbacks
):
    """The header counts the deputy's unread notices; the list links to the status page."""
    suggestion = flows.assigned(cast)
    flows.prepare_reply(cast, suggestion)
    with django_capture_on_commit_callbacks(execute=True):
        flows.reply(cast, suggestion)
    client.force_login(cast.deputy.user)
    page = client.get(reverse("status:list")).content.decode()
    assert '<span class="badge" id="unread-count">2</span>' in page
    notices = page.split('id="status-notifications"')[1].split("</section>")[0]
    assert 'data-kind="signoff_waiting"' in notices and 'data-kind="reply_arrived"' in notices
    assert f'href="{reverse("status:detail", args=[suggestion.pk])}"' in notices
    listing = client.get(reverse("tasks:notifications"))
    assert listing.status_code == 200
    assert listing.content.decode().count('class="notification unread"') == 2
    client.post(reverse("tasks:notifications"))
    page = client.get(reverse("status:list")).content.decode()
    assert 'id="unread-count"' not in page
    assert 'id="status-notifications"' not in page


def test_deputy_does_not_see_another_deputys_notifications(client, cast):
    """The status list shows only the reader's own notices."""
    suggestion = flows.assigned(cast)
    services.notify(
        recipients=[cast.deputy.user], kind="test", text="给王丽", suggestion=suggestion
    )
    client.force_login(cast.other_deputy.user)
    page = client.get(reverse("status:list")).content.decode()
    assert "给王丽" not in page


def test_notifications_page_links_a_deputy_to_the_status_page(
    client, cast, django_capture_on_commit_callbacks
):
    """On the notifications page a deputy's notification leads to /my/<id>/, not a task page."""
    with django_capture_on_commit_callbacks(execute=True):
        suggestion = flows.handled(cast)
    client.force_login(cast.deputy.user)
    page = client.get(reverse("tasks:notifications")).content.decode()
    assert f'href="{reverse("status:detail", args=[suggestion.pk])}"' in page
    assert 'href="/tasks/' not in page.split('id="notifications"')[1]
