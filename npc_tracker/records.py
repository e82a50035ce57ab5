"""Append-only records: written once, never edited, never deleted; a correction is a new
record. Every app's append-only models derive from ``AppendOnlyModel``; the database
refuses the change too (``npc_tracker.append_only``'s triggers)."""

from django.db import models


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an append-only record."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} records are append-only")

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} records are append-only")


class AppendOnlyModel(models.Model):
    """A record that is written once: never edited, never deleted."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} records are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} records are append-only")
