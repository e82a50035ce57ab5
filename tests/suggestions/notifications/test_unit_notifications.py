"""In-app notifications: made on assignment, redo and reminders; counted in the header."""

from django.urls import reverse

from suggestions import services
from suggestions.models import Notification, Reminder
from tests import flows


def test_assignment_notifies_every_member_of_each_unit(cast, django_capture_on_commit_callbacks):
    """Assigning tells the lead unit's and the co-unit's members, once each."""
    with django_capture_on_commit_callbacks(execute=True):
        suggestion = flows.assigned(cast)
    notes = Notification.objects.filter(kind="assigned", suggestion=suggestion)
    assert {n.recipient for n in notes} == {cast.clerk, cast.head, cast.co_clerk}
    assert {n.assignment for n in notes} == set(suggestion.open_assignments())
    assert all(suggestion.title in n.text for n in notes)


def test_redo_notifies_the_lead_unit(cast, django_capture_on_commit_callbacks):
    """Ordering a redo tells the lead unit's members with the new deadline."""
    suggestion = flows.handled(cast)
    with django_capture_on_commit_callbacks(execute=True):
        services.suggestion_order_redo(suggestion=suggestion, by=cast.staff, reason="答复不规范。")
    notes = Notification.objects.filter(kind="redo")
    assert {n.recipient for n in notes} == {cast.clerk, cast.head}
    assert str(flows.lead(suggestion).due_on) in notes.first().text


def test_reminder_delivery_creates_one_notification(cast):
    """A delivered reminder appears once in the recipient's notifications, even if retried."""
    suggestion = flows.assigned(cast)
    reminder = Reminder.objects.create(
        recipient=cast.clerk,
        kind=Reminder.Kind.DUE_TODAY,
        suggestion=suggestion,
        assignment=flows.lead(suggestion),
        target=f"assignment:{flows.lead(suggestion).pk}",
        due_on=flows.lead(suggestion).due_on,
        sweep="00000000-0000-0000-0000-000000000001",
    )
    assert services.reminder_deliver(reminder_id=reminder.pk) is True
    assert services.reminder_deliver(reminder_id=reminder.pk) is False
    note = Notification.objects.get(recipient=cast.clerk, kind="reminder_due_today")
    assert suggestion.title in note.text


def test_header_shows_the_unread_count_and_the_list_marks_read(client, cast):
    """The header counts unread notifications; marking them read clears the count."""
    suggestion = flows.assigned(cast)
    for text in ("一", "二"):
        services.notify(recipients=[cast.clerk], kind="test", text=text, suggestion=suggestion)
    services.notify(recipients=[cast.head], kind="test", text="别人的", suggestion=suggestion)
    client.force_login(cast.clerk)
    page = client.get(reverse("tasks:list")).content.decode()
    assert '<span class="badge" id="unread-count">2</span>' in page
    listing = client.get(reverse("tasks:notifications")).content.decode()
    assert listing.count('class="notification unread"') == 2
    assert "别人的" not in listing
    response = client.post(reverse("tasks:notifications"))
    assert response.status_code == 302
    page = client.get(reverse("tasks:list")).content.decode()
    assert 'id="unread-count"' not in page
    assert Notification.objects.filter(recipient=cast.clerk, read_at__isnull=True).count() == 0


def test_notifications_page_needs_a_login(client, db):
    """Anonymous visitors are sent to the login page."""
    response = client.get(reverse("tasks:notifications"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_reassignment_notifies_only_the_new_unit(cast, django_capture_on_commit_callbacks):
    """An approved reassignment tells the new lead unit's members, not the old ones again."""
    with django_capture_on_commit_callbacks(execute=True):
        suggestion = flows.assigned(cast, co=False)
    request = services.reassignment_request(
        assignment=flows.lead(suggestion), by=cast.clerk, reason="不属于本单位职责。"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.reassignment_decide(
            request=request, by=cast.staff, approve=True, lead_unit=cast.other_unit
        )
    notes = Notification.objects.filter(kind="assigned", suggestion=suggestion)
    assert sorted(n.recipient.username for n in notes) == sorted(
        [cast.clerk.username, cast.head.username, cast.other_clerk.username]
    )
