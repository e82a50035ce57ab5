"""The JSON API v1 (``/api/v1/``) for the deputies' phones, the units' office systems and
the province's platforms: the same selectors, services and action table as the pages,
so a user can read and do through it exactly what their pages allow (docs/api.md)."""
