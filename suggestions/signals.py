from django.dispatch import Signal

# Sent after the transaction that changed a suggestion has committed; notifications
# and reminders hang off it. Arguments: suggestion_id, transition, by_id.
suggestion_transitioned = Signal()
