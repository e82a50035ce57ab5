from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    name = "stations"
    verbose_name = _("Liaison stations")

    def ready(self):
        from auditlog.registry import auditlog

        from .models import LiaisonStation

        auditlog.register(LiaisonStation)
