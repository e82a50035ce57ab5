"""Reminders and in-app notifications (DESIGN "Deadlines and reminders").

- ``reminders``: which reminders are due on a day (the rules, as queries);
- ``services``: the sweep that records them once each (``send_due_reminders``), the
  delivery of one (``reminder_deliver``), and the in-app notifications;
- ``channels``: how a reminder reaches a person (e-mail; SMS as an extension point);
- ``receivers``: notifications on the suggestion's transitions, and the hand-over of
  new reminders to the worker;
- ``tasks``: the Celery tasks (the periodic sweep, the delivery of one reminder);
- ``selectors``: a user's notifications and their unread count;
- ``templates/``: the e-mails.

The models (``Reminder``, ``Notification``) are in ``suggestions.models.notifications``.
"""
