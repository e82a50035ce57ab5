"""Who may act for a station: its keepers, and the committee office for every station."""

from suggestions import permissions as suggestion_permissions


def keeps(user, station) -> bool:
    """Whether ``user`` may record and route for ``station`` (one query for a keeper)."""
    if not (user.is_authenticated and user.is_active):
        return False
    if suggestion_permissions.is_committee_staff(user):
        return True
    return station.keepers.filter(pk=user.pk).exists()
