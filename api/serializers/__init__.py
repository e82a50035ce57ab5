"""What the API answers, by role (``deputy``, ``tasks``, ``stations``, ``staff``), on the
shared pieces of ``common``."""
