from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Assessment and reports")

    def ready(self):
        from auditlog.registry import auditlog

        from .models import AssessmentScheme

        auditlog.register(AssessmentScheme)
