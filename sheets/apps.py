from django.apps import AppConfig


class SheetsConfig(AppConfig):
    """Spreadsheet machinery without models: the apps register their import kinds."""

    name = "sheets"
