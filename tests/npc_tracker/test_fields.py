"""The shared form fields: a value that is no row's id is a form error, never a query."""

import pytest
from django import forms

from npc_tracker import fields
from suggestions.forms import AssignForm
from tests import factories


@pytest.mark.django_db
@pytest.mark.parametrize("value", [str(10**38), "0", "-5"])
def test_an_id_past_any_row_is_a_form_error(value):
    class Form(forms.Form):
        units = fields.ModelMultipleChoiceField(
            queryset=factories.HandlingUnitFactory._meta.model.objects.all()
        )

    form = Form({"units": [value]})
    assert not form.is_valid()
    assert form.errors.as_data()["units"][0].code == "invalid_pk_value"


@pytest.mark.django_db
def test_a_forged_assignment_with_a_huge_co_unit_is_refused_by_the_form(cast):
    from tests import flows

    suggestion = flows.reviewed(cast)
    form = AssignForm({"lead_unit": cast.lead_unit.pk, "co_units": [str(10**38)]}, obj=suggestion)
    assert not form.is_valid()
    assert "co_units" in form.errors


@pytest.mark.django_db
def test_real_ids_are_still_chosen(cast):
    from tests import flows

    suggestion = flows.reviewed(cast)
    form = AssignForm(
        {"lead_unit": cast.lead_unit.pk, "co_units": [cast.co_unit.pk]}, obj=suggestion
    )
    assert form.is_valid(), form.errors
    assert list(form.cleaned_data["co_units"]) == [cast.co_unit]
