"""Third-party apps under the names the admin shows, in the user's language.

django-axes has no name of its own (the admin showed its label, "AXES") and
django-auditlog's is English; INSTALLED_APPS names these configurations instead of the
packages. The apps' labels, tables and migrations stay theirs.
"""

from auditlog.apps import AuditlogConfig as BaseAuditlogConfig
from axes.apps import AppConfig as BaseAxesConfig
from django.utils.translation import gettext_lazy as _


class AuditlogConfig(BaseAuditlogConfig):
    """django-auditlog: the field history of every record (审计日志)."""

    verbose_name = _("Audit log")


class AxesConfig(BaseAxesConfig):
    """django-axes: failed logins and the lockouts they cause (登录锁定)."""

    verbose_name = _("Login lockout")
