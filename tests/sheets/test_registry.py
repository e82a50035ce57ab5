"""The import kinds the apps register with ``sheets``: exactly six, in the office's order."""

import pytest

import sheets
from deputies.models import Deputy
from deputies.resources import DeputyResource
from sheets import registry
from stations.models import LiaisonStation
from stations.resources import StationResource
from suggestions.models import Assignment, HandlingUnit, Suggestion
from suggestions.resources import HandlingUnitResource, SuggestionResource
from suggestions.resources.assignments import AssignmentListResource


def test_registry_kinds_are_deputies_units_suggestions_assignments_stations_in_order():
    """The apps register the six kinds; the command offers them in this order (the
    assignment list of a 交办会 after the suggestions and units it names; the stations,
    then the deputies' stations, which name both)."""
    assert sheets.kinds() == (
        "deputies",
        "units",
        "suggestions",
        "assignments",
        "stations",
        "deputy_stations",
    )


@pytest.mark.parametrize(
    ("kind", "model", "resource"),
    [
        ("deputies", Deputy, DeputyResource),  # registered by deputies
        ("units", HandlingUnit, HandlingUnitResource),  # registered by suggestions
        ("suggestions", Suggestion, SuggestionResource),  # registered by suggestions
        ("assignments", Assignment, AssignmentListResource),  # registered by suggestions
        ("stations", LiaisonStation, StationResource),  # registered by stations
    ],
)
def test_registry_maps_each_kind_to_its_model_and_resource(kind, model, resource):
    """Each kind names its model and resource, and the model names its kind back."""
    assert registry.model_of(kind) is model
    assert sheets.resource_class(kind) is resource
    assert sheets.kind_of(model) == kind


def test_registry_refuses_a_kind_registered_twice_differently():
    """A second registration of a kind under another model is a mistake, not an override."""
    with pytest.raises(ValueError):
        registry.register(kind="units", model="deputies.Deputy", resource="x.Resource")
    assert sheets.resource_class("units") is HandlingUnitResource


def test_import_file_refuses_an_unregistered_kind(importer):
    """An unregistered kind is refused before any file is read, whoever asks."""
    with pytest.raises(ValueError, match="unknown import kind"):
        sheets.import_file(kind="nonsense", file=b"", by=None)
    with pytest.raises(ValueError, match="unknown import kind"):
        sheets.can_import(importer, "nonsense")


@pytest.mark.parametrize(
    ("kind", "needs_user"),
    [
        ("deputies", False),  # written by the import itself
        ("units", False),
        ("suggestions", False),
        ("assignments", True),  # each row calls suggestion_assign, which records who
    ],
)
def test_registry_says_which_kinds_need_a_user(kind, needs_user):
    """Only a kind registered with needs_user is refused without a user."""
    assert registry.needs_user(kind) is needs_user
