"""A device's token (django-rest-knox, ``KNOX_TOKEN_MODEL``): stored as a digest, never in
clear; expiring; one per device a user logs in from, named so the user can tell their
devices apart and revoke one."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken


class DeviceToken(AbstractAuthToken):
    # How the API names a device (the digest is the key, and is not shown).
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(
        _("device"), max_length=100, blank=True, help_text=_("What the user called it.")
    )

    class Meta:
        verbose_name = _("device token")
        verbose_name_plural = _("device tokens")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.user} · {self.name or self.token_key}"
