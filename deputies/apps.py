from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeputiesConfig(AppConfig):
    name = "deputies"
    verbose_name = _("Deputies")

    def ready(self):
        from auditlog.registry import auditlog

        from sheets import registry

        from .models import Deputy

        auditlog.register(Deputy)
        registry.register(
            kind="deputies",
            model="deputies.Deputy",
            resource="deputies.resources.DeputyResource",
            order=1,
        )
