import pytest
from django.contrib.auth.models import Permission

from tests import factories

IMPORT_PERMISSIONS = [
    "deputies.add_deputy",
    "suggestions.add_handlingunit",
    "suggestions.add_suggestion",
]


def grant(user, *perms: str) -> None:
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


@pytest.fixture
def importer(db):
    """A committee-office staff user holding the three models' add (import) permission."""
    user = factories.StaffFactory(username="importer", first_name="赵敏")
    grant(user, *IMPORT_PERMISSIONS)
    return type(user).objects.get(pk=user.pk)  # a fresh object: permissions are cached


@pytest.fixture
def roster(db):
    """Deputies of term 16: two 张伟 in different delegations make a name ambiguous."""
    return {
        "王丽": factories.DeputyFactory(name="王丽", delegation="城关区代表团"),
        "李强": factories.DeputyFactory(name="李强", delegation="城关区代表团"),
        "陈静": factories.DeputyFactory(name="陈静", delegation="七里河区代表团"),
        "张伟/城关": factories.DeputyFactory(name="张伟", delegation="城关区代表团"),
        "张伟/七里河": factories.DeputyFactory(name="张伟", delegation="七里河区代表团"),
        "王丽/15": factories.DeputyFactory(name="王丽", delegation="城关区代表团", term=15),
    }
