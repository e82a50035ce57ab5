"""Third-party apps under the names the admin shows, in the user's language.

django-axes has no name of its own (the admin showed its label, "AXES") and
django-auditlog's is English; INSTALLED_APPS names these configurations instead of the
packages. The apps' labels, tables and migrations stay theirs.
"""

from auditlog.apps import AuditlogConfig as BaseAuditlogConfig
from axes.apps import AppConfig as BaseAxesConfig
from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AuditlogConfig(BaseAuditlogConfig):
    """django-auditlog: the field history of every record (审计日志)."""

    verbose_name = _("Audit log")


class AxesConfig(BaseAxesConfig):
    """django-axes: failed logins and the lockouts they cause (登录锁定)."""

    verbose_name = _("Login lockout")


class ProjectConfig(AppConfig):
    """The project package as an app: after every ``migrate`` (and ``flush``) it puts the
    data generation's trigger on any table without one (``npc_tracker.generation``)."""

    name = "npc_tracker"

    def ready(self):
        # post_migrate is sent for the apps with models, after every migration has run; this
        # package has none, so it listens to the last of them.
        last = [config for config in apps.get_app_configs() if config.models_module][-1]
        post_migrate.connect(_install_generation, sender=last, dispatch_uid="npc_generation")


def _install_generation(sender, using="default", **kwargs):
    from . import generation

    generation.install(using)
