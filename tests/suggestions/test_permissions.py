"""The unit policy: one condition per relation, read as a queryset and as a predicate."""

import pytest

from suggestions import permissions
from suggestions.permissions import units
from tests import factories, flows

ROLES = ["staff", "clerk", "head", "leader", "co_clerk", "other_clerk", "other_leader", "deputy"]


@pytest.fixture
def people(cast):
    return {role: flows.person(cast, role) for role in ROLES}


def test_policy_predicate_agrees_with_its_queryset_for_every_user_unit_and_relation(cast, people):
    """``has`` is true exactly for the units in ``units``, and ``relations`` lists the same."""
    all_units = [cast.lead_unit, cast.co_unit, cast.other_unit]
    for user in people.values():
        for relation in units.RELATIONS:
            listed = set(units.units(user, relation))
            for unit in all_units:
                assert units.has(user, relation, unit) == (unit in listed), (user, relation)
                assert (relation in units.relations(user, unit)) == (unit in listed)


@pytest.mark.parametrize(
    ("role", "relations"),
    [
        ("clerk", {"member", "sees"}),  # a clerk acts for the unit
        ("head", {"member", "head", "sees"}),  # a head is a member who signs second
        ("leader", {"leader", "sees"}),  # the leader sees the tasks, signs last, is no member
        ("other_clerk", set()),  # another unit's clerk
        ("staff", set()),  # the office sees every unit through the admin, not as a unit
    ],
)
def test_each_role_has_its_relations_to_the_lead_unit(cast, people, role, relations):
    """The lead unit's people stand in exactly their relations to it."""
    assert units.relations(people[role], cast.lead_unit) == relations


def test_an_inactive_member_has_no_relation_to_the_unit(cast):
    """A deactivated clerk neither sees nor acts for the unit."""
    cast.clerk.is_active = False
    cast.clerk.save()
    assert units.relations(cast.clerk, cast.lead_unit) == frozenset()
    assert not units.units(cast.clerk, "sees").exists()
    assert not permissions.is_unit_member(cast.clerk, cast.lead_unit)


def test_a_member_of_two_units_sees_both(cast):
    """Memberships add up: a clerk of two units sees and acts for both."""
    factories.MembershipFactory(unit=cast.other_unit, user=cast.clerk)
    assert set(units.units(cast.clerk, "member")) == {cast.lead_unit, cast.other_unit}
    assert units.unit_ids(cast.clerk, "sees") == sorted([cast.lead_unit.pk, cast.other_unit.pk])
