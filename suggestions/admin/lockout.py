"""The login lockout's records (django-axes) in the committee office's words.

The office sees them and may not change or delete them (``permissions.VIEW_ONLY_APPS``);
a superuser unlocks an account by deleting its access attempts. The package's column of
attempts left is English whatever the language: here it is in the user's.
"""

from axes.admin import AccessAttemptAdmin
from axes.conf import settings as axes_settings
from axes.models import AccessAttempt
from django.contrib import admin
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _


class LockoutAttemptAdmin(AccessAttemptAdmin):
    @admin.display(description=_("Status"))
    def status(self, obj):
        left = axes_settings.AXES_FAILURE_LIMIT - obj.failures_since_start
        if left > 0:
            return ngettext("%(count)s attempt left", "%(count)s attempts left", left) % {
                "count": left
            }
        return gettext("Locked out")


if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)
    admin.site.register(AccessAttempt, LockoutAttemptAdmin)
