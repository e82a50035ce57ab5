from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data (``manage.py seed_demo``, ``make demo``): a tool above every domain app,
    which it fills through their services; nothing imports it."""

    name = "demo"
