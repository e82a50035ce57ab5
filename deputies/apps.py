from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeputiesConfig(AppConfig):
    name = "deputies"
    verbose_name = _("Deputies")

    def ready(self):
        from auditlog.registry import auditlog

        from sheets import registry

        from . import receivers  # noqa: F401  (connects the duty signals' receivers)
        from .models import Deputy, DeputyGroup, DutyRule

        auditlog.register(Deputy)
        auditlog.register(DutyRule)
        auditlog.register(DeputyGroup, m2m_fields={"members"})
        registry.register(
            kind="deputies",
            model="deputies.Deputy",
            resource="deputies.resources.DeputyResource",
            order=1,
        )
