from django.dispatch import Signal

# Sent after the sweep's transaction has committed, with the ids of the reminders it
# created (``reminder_ids``); the receiver hands each to the worker for delivery.
reminders_created = Signal()
