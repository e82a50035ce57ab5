"""The stations' tests' common cast: a village room used by the deputy, and its keeper
(a module with a richer station or other keepers defines its own)."""

import pytest

from stations.models import LiaisonStation
from tests import factories


@pytest.fixture
def station(cast):
    station = LiaisonStation.objects.create(name="幸福社区联络站", kind="room", level="village")
    station.deputies.add(cast.deputy)
    return station


@pytest.fixture
def keeper(station):
    user = factories.UserFactory(username="keeper")
    station.keepers.add(user)
    return user
