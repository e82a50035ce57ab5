import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "npc_tracker.settings")

app = Celery("npc_tracker")
# Every Celery setting lives in Django's settings module under the CELERY_ prefix.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Tasks kept in an app's sub-package: the reminders' (suggestions/notifications/tasks.py).
app.autodiscover_tasks(["suggestions.notifications"])
