from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    name = "stations"
    verbose_name = _("Liaison stations")

    def ready(self):
        from auditlog.registry import auditlog

        from suggestions import actions
        from suggestions.notifications import reminders as loop_reminders

        from . import actions as station_actions
        from . import reminders
        from .models import LiaisonStation

        auditlog.register(LiaisonStation)
        # The stations' rows of the one action table, and their rule in the one sweep.
        actions.register(*station_actions.ACTIONS)
        loop_reminders.register_rule(reminders.opinion_reminders)
