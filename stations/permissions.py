"""Who may act for a station and who may see a constituent's name and phone."""

from deputies.selectors import deputy_of
from suggestions import permissions as suggestion_permissions


def keeps(user, station) -> bool:
    """Whether ``user`` may record and route for ``station`` (one query for a keeper)."""
    if not (user.is_authenticated and user.is_active):
        return False
    if suggestion_permissions.is_committee_staff(user):
        return True
    return station.keepers.filter(pk=user.pk).exists()


def sees_contact(user, opinion, *, kept_ids=None, deputy_id=None) -> bool:
    """Whether ``user`` may see the constituent's name and phone of ``opinion``: the
    station's keepers, the deputy it was forwarded to, and the committee office (DESIGN
    "Liaison stations"). ``kept_ids`` (the ids of the stations the user keeps) and
    ``deputy_id`` (the user's deputy's id) spare a list page a query per row."""
    if not (user.is_authenticated and user.is_active):
        return False
    if suggestion_permissions.is_committee_staff(user):
        return True
    if kept_ids is None:
        kept_ids = set(user.kept_stations.values_list("pk", flat=True))
    if opinion.station_id in kept_ids:
        return True
    if deputy_id is None:
        deputy = deputy_of(user)
        deputy_id = deputy.pk if deputy is not None else 0
    return bool(deputy_id) and opinion.deputy_id == deputy_id
