from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    name = "stations"
    verbose_name = _("Liaison stations")

    def ready(self):
        from auditlog.registry import auditlog

        from suggestions import actions
        from suggestions import panels as loop_panels
        from suggestions.notifications import reminders as loop_reminders

        from . import actions as station_actions
        from . import panels, reminders
        from .models import LiaisonStation

        auditlog.register(LiaisonStation)
        # The stations' rows of the one action table, and their rule in the one sweep.
        actions.register(*station_actions.ACTIONS)
        loop_reminders.register_rule(reminders.opinion_reminders)
        # Their panels on the deputies' /my/ and the units' /tasks/.
        loop_panels.register(loop_panels.STATUS_LIST, panels.FORWARDED)
        loop_panels.register(loop_panels.TASK_LIST, panels.REFERRED)
