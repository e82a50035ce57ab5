import pytest
from django.contrib.auth.models import Permission

from tests import factories


def grant(user, *codenames: str):
    """Give ``user`` the named permissions of the suggestions app; return it afresh."""
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="suggestions", codename__in=codenames)
    )
    return type(user).objects.get(pk=user.pk)  # permissions are cached on the instance


@pytest.fixture
def exporter(staff):
    """Committee staff who may see the changelist and export the ledger."""
    return grant(staff, "view_suggestion", "export_suggestion")


@pytest.fixture
def viewer(db):
    """Staff outside the committee office who may see suggestions but not export them."""
    user = factories.StaffFactory(username="viewer", groups=[])
    return grant(user, "view_suggestion")
