from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmark: a tool, not a domain app (``bench/settings.py`` and the tests' settings
    install it, the production settings never do)."""

    name = "bench"
