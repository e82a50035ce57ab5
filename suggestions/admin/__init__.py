"""The committee office's admin of the suggestion loop: ``units``, ``suggestion`` (the
ledger and each suggestion's page with its actions), ``bulk_assign`` (the ledger's bulk
action "assign"), ``records`` (the other records, the audit log, the assignments with the
import of a 交办会's list), ``followup`` (what waits for the office, paper records,
interim checks, categories), ``key`` (key suggestions and their inspection visits),
``lockout`` (django-axes' records), ``export`` (the ledger's
xlsx and csv export). Importing this package registers them all."""

from django.contrib import admin

from . import followup, key, lockout, records, suggestion, units

# The index lists what waits for the office above the apps (followup.office_todo).
admin.site.index_template = "admin/npc_index.html"

__all__ = ["followup", "key", "lockout", "records", "suggestion", "units"]
