"""Append-only records: written once, never edited, never deleted; a correction is a new record.

The classes live in ``npc_tracker.records`` (shared by every app); they are named here too
for the loop's models and their many imports."""

from npc_tracker.records import AppendOnlyError, AppendOnlyModel, AppendOnlyQuerySet

__all__ = ["AppendOnlyError", "AppendOnlyModel", "AppendOnlyQuerySet"]
