from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    name = "stations"
    verbose_name = _("Liaison stations")

    def ready(self):
        from auditlog.registry import auditlog

        from sheets import registry
        from suggestions import actions
        from suggestions.notifications import reminders as loop_reminders

        from . import actions as station_actions
        from . import reminders
        from .models import LiaisonStation

        auditlog.register(LiaisonStation)
        # The stations' rows of the one action table, and their rule in the one sweep.
        actions.register(*station_actions.ACTIONS)
        loop_reminders.register_rule(reminders.opinion_reminders)
        # The stations' imports, after the deputies', units, suggestions and assignments.
        # "stations" first: the admin of LiaisonStation imports it (sheets.kind_of).
        registry.register(
            kind="stations",
            model="stations.LiaisonStation",
            resource="stations.resources.StationResource",
            order=5,
        )
        registry.register(
            kind="deputy_stations",
            model="stations.LiaisonStation",
            resource="stations.resources.DeputyStationResource",
            may_import="stations.resources.may_link_deputies",
            order=6,
        )
