"""The signals the apps above send about their deputies' duty (DESIGN "Deputy duty":
events that cross upward go through signals). They are sent INSIDE the transaction that
made or undid the source, so that the duty record commits or rolls back with it; the
receivers (``receivers``, connected in ``apps.ready``) write it once per source however
often a signal fires.

``duty_done``: ``source`` (str, e.g. "suggestion:12"), ``kind`` (a ``DutyRecord.Kind``),
``happened_on`` (date), ``deputy_ids`` (the deputies it counts for), ``by`` (the user, or None).
``duty_undone``: ``source``, ``by``, ``reason`` (str): every record of the source is reversed.
"""

from django.dispatch import Signal

duty_done = Signal()
duty_undone = Signal()
