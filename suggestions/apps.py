from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuggestionsConfig(AppConfig):
    name = "suggestions"
    verbose_name = _("Deputies' suggestions")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        # Field history of the records staff may edit; append-only records need none.
        for model in (
            models.HandlingUnit,
            models.UnitMembership,
            models.Suggestion,
            models.Assignment,
            models.ReassignmentRequest,
            models.ExtensionRequest,
            models.WorkdayOverride,
        ):
            auditlog.register(model)
