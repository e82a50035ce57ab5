"""Reads about people: who a user is as a deputy."""


def deputy_of(user):
    """The user's deputy record, or None (one query, cached on the user)."""
    if not user.is_authenticated:
        return None
    return getattr(user, "deputy", None)
