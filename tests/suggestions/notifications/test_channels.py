"""Reminder channels: e-mail by default, and the extension point for an SMS provider."""

import datetime

import pytest
import time_machine
from django.core import mail

from deputies.models import Deputy
from suggestions import services
from suggestions.models import Reminder
from suggestions.notifications import channels
from tests import flows

SENT: list[tuple[str, str]] = []


class RecordingSms(channels.SmsChannel):
    """A provider that records what it would send."""

    def send_text(self, mobile, text):
        SENT.append((mobile, text))


@pytest.fixture
def sms(settings):
    SENT.clear()
    settings.NPC_REMINDERS = {
        **settings.NPC_REMINDERS,
        "CHANNELS": ["suggestions.notifications.channels.EmailChannel", f"{__name__}.RecordingSms"],
    }
    return SENT


def test_sms_channel_texts_a_deputy_and_skips_people_without_a_mobile(
    cast, sms, django_capture_on_commit_callbacks
):
    """With an SMS channel configured, a deputy's reminder also goes out as a text message."""
    Deputy.objects.filter(pk=cast.deputy.pk).update(mobile="13900000001")
    moment = datetime.datetime(2026, 3, 10, 2, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        flows.handled(cast, co=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_due_reminders(now=moment + datetime.timedelta(days=16))
    reminder = Reminder.objects.get()
    assert reminder.recipient == cast.deputy.user and reminder.sent_at
    assert [mobile for mobile, _text in sms] == ["13900000001"]
    assert sms[0][1] == mail.outbox[0].subject


def test_sms_channel_without_a_provider_refuses_to_pretend():
    """The SMS base class is an interface: without a provider it raises, sending nothing."""
    with pytest.raises(NotImplementedError):
        channels.SmsChannel().send_text("13900000001", "提醒")
