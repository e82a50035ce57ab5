"""The ways a reminder reaches a person. ``settings.NPC_REMINDERS["CHANNELS"]`` lists them.

A channel's ``deliver`` raises when the message could not go out: the delivery's
transaction rolls back, the reminder stays unsent and the task retries it. (A channel
that succeeded before another failed sends again on the retry: keep the channels few.)
The in-app notification is not a channel: it is written with every delivery.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.module_loading import import_string


def reminder_context(reminder) -> dict:
    return {"reminder": reminder, "suggestion": reminder.suggestion}


class Channel:
    """Delivers one reminder to its recipient, or raises."""

    def deliver(self, reminder) -> None:
        raise NotImplementedError


class EmailChannel(Channel):
    """E-mail in plain text and HTML, through Django's mail backend (EMAIL_URL)."""

    def deliver(self, reminder) -> None:
        if reminder.recipient.email:
            self.message(reminder).send()

    def message(self, reminder) -> EmailMultiAlternatives:
        with translation.override(settings.LANGUAGE_CODE):
            context = reminder_context(reminder)
            subject = render_to_string("notifications/reminder_subject.txt", context)
            body = render_to_string("notifications/reminder.txt", context)
            html = render_to_string("notifications/reminder.html", context)
        message = EmailMultiAlternatives(
            subject.strip(), body, settings.DEFAULT_FROM_EMAIL, [reminder.recipient.email]
        )
        message.attach_alternative(html, "text/html")
        return message


class SmsChannel(Channel):
    """The extension point for text messages: subclass it for a provider.

    Implement ``send_text(mobile, text)`` (raise when the provider refuses) and add the
    subclass's dotted path to ``NPC_REMINDERS["CHANNELS"]``. Only deputies have a mobile
    number in the system; others are skipped.
    """

    def deliver(self, reminder) -> None:
        deputy = getattr(reminder.recipient, "deputy", None)
        if deputy is not None and deputy.mobile:
            with translation.override(settings.LANGUAGE_CODE):
                text = render_to_string(
                    "notifications/reminder_subject.txt", reminder_context(reminder)
                ).strip()
            self.send_text(deputy.mobile, text)

    def send_text(self, mobile: str, text: str) -> None:
        raise NotImplementedError("Subclass SmsChannel for an SMS provider.")


def channels() -> list[Channel]:
    return [import_string(path)() for path in settings.NPC_REMINDERS["CHANNELS"]]
