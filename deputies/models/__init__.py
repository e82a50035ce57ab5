"""People: the deputies and their terms (``deputy``), their groups (``groups``), and their
duty records and the year's points (``duty``)."""

from .deputy import Deputy, Term
from .duty import DutyRecord, DutyRule, DutyTotal
from .groups import DeputyGroup, GroupActivity

__all__ = ["Deputy", "DeputyGroup", "DutyRecord", "DutyRule", "DutyTotal", "GroupActivity", "Term"]
