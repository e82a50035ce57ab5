"""The committee office's admin of the suggestion loop: ``units``, ``suggestion`` (the
ledger and each suggestion's page with its actions), ``records`` (the other records, the
audit log), ``lockout`` (django-axes' records), ``export`` (the ledger's xlsx and csv
export). Importing this package registers them all."""

from . import lockout, records, suggestion, units

__all__ = ["lockout", "records", "suggestion", "units"]
