from django.dispatch import Signal

# Sent after the transaction that changed a suggestion has committed; notifications
# and reminders hang off it. Arguments: suggestion_id, transition, by_id.
suggestion_transitioned = Signal()

# Sent on commit when sign-offs were written (online, or from a verified paper record):
# suggestion_id, signoff_ids. The next signer is told from it.
signoffs_recorded = Signal()

# Sent on commit when a lead unit uploaded a signed paper record (submission_id), and
# when the office accepted or refused one (submission_id).
paper_submitted = Signal()
paper_verified = Signal()
