"""The duty signals' receivers: each hands its arguments to the service that writes once."""

from django.dispatch import receiver

from . import services
from .signals import duty_done, duty_undone


@receiver(duty_done, dispatch_uid="deputies_duty_done")
def record_duty(sender, *, source, kind, happened_on, deputy_ids, by=None, **kwargs):
    services.duty_auto_record(
        source=source, kind=kind, happened_on=happened_on, deputy_ids=deputy_ids, by=by
    )


@receiver(duty_undone, dispatch_uid="deputies_duty_undone")
def reverse_duty(sender, *, source, by=None, reason="", **kwargs):
    services.duty_auto_reverse(source=source, by=by, reason=reason)
