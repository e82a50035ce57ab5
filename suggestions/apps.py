from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from sheets import registry


class SuggestionsConfig(AppConfig):
    name = "suggestions"
    verbose_name = _("Deputies' suggestions")

    def ready(self):
        from auditlog.registry import auditlog
        from django.db.models.signals import post_init, post_migrate, post_save

        from . import models, permissions, similar_sync

        # After every app's migrations: the other apps' permissions exist by the last one.
        post_migrate.connect(permissions.grant_group_permissions, dispatch_uid="npc_group_perms")

        # The similar-suggestion finder's grams and marks follow each suggestion's saves.
        post_init.connect(
            similar_sync.remember_loaded, sender=models.Suggestion, dispatch_uid="similar_loaded"
        )
        post_save.connect(
            similar_sync.suggestion_saved, sender=models.Suggestion, dispatch_uid="similar_saved"
        )

        # Audit: every create, change and delete of a domain record, with its actor
        # (AuditlogMiddleware); the entries themselves are append-only (migration 0007).
        for model in (
            models.HandlingUnit,
            models.UnitMembership,
            models.Suggestion,
            models.Assignment,
            models.ReassignmentRequest,
            models.ExtensionRequest,
            models.WorkdayOverride,
            # Append-only records: their creation is the whole history.
            models.Communication,
            models.CoOpinion,
            models.Reply,
            models.Commitment,
            models.SignOff,
            models.Redo,
            models.Revisit,
            models.RevisitOutcome,
            models.Inspection,
            models.InspectionFile,
        ):
            auditlog.register(model)
        # A key suggestion's invited deputies are part of its designation's history.
        auditlog.register(models.KeySuggestion, m2m_fields={"invited_deputies"})
        # Accounts and their rights; a password is recorded as changed, never shown.
        from django.contrib.auth.models import Group, User

        auditlog.register(
            User,
            exclude_fields=["last_login"],
            mask_fields=["password"],
            m2m_fields={"groups", "user_permissions"},
        )
        auditlog.register(Group, m2m_fields={"permissions"})

        # Transition records are append-only like the suggestion's own records.
        from django.db.models.signals import pre_delete, pre_save
        from django_fsm_log.models import StateLog

        pre_save.connect(_refuse_edit, sender=StateLog, dispatch_uid="statelog_append_only")
        pre_delete.connect(_refuse_delete, sender=StateLog, dispatch_uid="statelog_no_delete")
        # The idle-timeout clock starts at login (connects its user_logged_in receiver).
        import npc_tracker.middleware  # noqa: F401

        # In-app notifications on transitions; reminders handed to the worker. The
        # deputies' contact rule joins the sweep like the rules of the apps above.
        from .notifications import duty_reminders, receivers, reminders  # noqa: F401

        reminders.register_rule(duty_reminders.contact_reminders)

        # The imports of this app; deputies register theirs, first in the order.
        registry.register(
            kind="units",
            model="suggestions.HandlingUnit",
            resource="suggestions.resources.HandlingUnitResource",
            order=2,
        )
        registry.register(
            kind="suggestions",
            model="suggestions.Suggestion",
            resource="suggestions.resources.SuggestionResource",
            # As services.suggestion_create: only the committee office enters suggestions.
            may_import="suggestions.permissions.is_committee_staff",
            order=3,
        )
        registry.register(
            kind="assignments",
            model="suggestions.Assignment",
            resource="suggestions.resources.assignments.AssignmentListResource",
            # Who may assign (the assign transition's permission): the committee office.
            may_import="suggestions.permissions.is_committee_staff",
            order=4,
            # Each row is an assignment made through the service, which records who.
            needs_user=True,
        )


def _refuse_edit(sender, instance, raw=False, **kwargs):
    from .models import AppendOnlyError

    if not instance._state.adding and not raw:
        raise AppendOnlyError("transition records are append-only")


def _refuse_delete(sender, instance, **kwargs):
    from .models import AppendOnlyError

    raise AppendOnlyError("transition records are append-only")
