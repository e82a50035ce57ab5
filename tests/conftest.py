import uuid

import pytest
from django.utils import translation

from suggestions import permissions
from tests import factories
from tests.flows import Cast
from tests.spreadsheets import IMPORT_PERMISSIONS, grant


@pytest.fixture(autouse=True)
def _media_and_language(settings, tmp_path):
    """Uploads go to a temporary folder; messages are checked in Chinese, the default."""
    settings.MEDIA_ROOT = tmp_path / "media"
    with translation.override("zh-hans"):
        yield


@pytest.fixture(autouse=True)
def _own_cache_keys():
    """Each test reads and writes the cache under keys of its own: what another test kept
    (in this process, or in the other xdist worker's, sharing Redis) is never read, and
    nobody has to empty the cache (which would empty it under the other worker too)."""
    from django.core.cache import cache

    previous = cache.key_prefix
    cache.key_prefix = f"test-{uuid.uuid4().hex}"
    yield
    cache.key_prefix = previous


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Users are made by the dozen: hash their passwords cheaply (Django's advice for tests)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _eager_celery():
    """Unit tests run tasks in-process; the real-worker tests start their own worker."""
    from npc_tracker.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def staff(db):
    return factories.StaffFactory(username="staff")


@pytest.fixture
def reviewer(db):
    return factories.StaffFactory(username="reviewer", groups=[permissions.REVIEWERS])


@pytest.fixture
def cast(db, staff) -> Cast:
    """Everyone in one suggestion's loop: staff, the lead and co units, the deputy."""
    lead_unit = factories.HandlingUnitFactory(name="市交通运输局")
    co_unit = factories.HandlingUnitFactory(name="市公安局交通警察支队")
    other_unit = factories.HandlingUnitFactory(name="市教育局")
    return Cast(
        staff=staff,
        lead_unit=lead_unit,
        co_unit=co_unit,
        other_unit=other_unit,
        clerk=factories.MembershipFactory(unit=lead_unit).user,
        head=factories.MembershipFactory(unit=lead_unit, is_head=True).user,
        leader=lead_unit.leader,
        co_clerk=factories.MembershipFactory(unit=co_unit).user,
        other_clerk=factories.MembershipFactory(unit=other_unit).user,
        other_leader=other_unit.leader,
        deputy=factories.DeputyFactory(name="王丽"),
        co_deputy=factories.DeputyFactory(name="李强"),
        other_deputy=factories.DeputyFactory(name="张伟"),
    )


@pytest.fixture
def browser():
    """Debian's Chromium under Playwright (the end-to-end tests mark themselves e2e)."""
    from tests.browser import ARGS, CHROMIUM

    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


# The imports' users and deputies (tests/sheets, tests/deputies, tests/suggestions/resources).


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


@pytest.fixture
def station(cast):
    """A village room used by the deputy (the stations' tests, and the pages' panels)."""
    from stations.models import LiaisonStation

    station = LiaisonStation.objects.create(name="幸福社区联络站", kind="room", level="village")
    station.deputies.add(cast.deputy)
    return station


@pytest.fixture
def keeper(station):
    """The station's keeper (a module with a richer station or other keepers defines its own)."""
    user = factories.UserFactory(username="keeper")
    station.keepers.add(user)
    return user
