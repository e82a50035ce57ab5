"""The two lists answer rows built as plain values (issue 19: DRF's field by field work
was a third of their time); the serializers that document them must say the same."""

import json

import pytest
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from api.serializers import deputy as deputy_out
from api.serializers.tasks import TaskRowOut, task_row_data
from suggestions import selectors
from suggestions.models import Assignment
from tests import flows

pytestmark = pytest.mark.django_db


def _json(data) -> object:
    return json.loads(JSONRenderer().render(data))


def _every_kind_of_row(cast) -> None:
    """Rows owing work, overdue or not, replied, signed at each step, and closed."""
    flows.assigned(cast)
    flows.deputy_signs(cast, flows.handled(cast))
    flows.signed(cast, co=False)
    # A unit relieved of its assignment (as a reassignment leaves it).
    relieved = flows.co(flows.assigned(cast))
    Assignment.objects.filter(pk=relieved.pk).update(
        closed_on=timezone.localdate(), close_reason=Assignment.CloseReason.REASSIGNED
    )


def test_a_task_rows_plain_values_are_the_serializers(cast):
    """``task_row_data`` answers what ``TaskRowOut`` would, row for row, in JSON."""
    _every_kind_of_row(cast)
    today = timezone.localdate()
    units = selectors.task_units(cast.clerk)
    rows = list(
        selectors.task_rows(
            user=cast.clerk,
            tab="all",
            unit_ids=units.ids,
            head_unit_ids=units.head_ids,
            leader_unit_ids=units.leader_ids,
        )
    )
    selectors.attach_current_signoffs(a.suggestion for a in rows)
    assert len(rows) >= 3
    for row in rows:
        plain = _json(task_row_data(row, today=today))
        assert plain == _json(TaskRowOut(row, context={"today": today}).data)
    assert any(_json(task_row_data(r, today=today))["signatures"] for r in rows)
    assert any(_json(task_row_data(r, today=today))["days_left"] is not None for r in rows)


def test_a_deputys_rows_plain_values_are_the_serializers(cast):
    """The deputy's list answers ``row_data`` as it is: ``MySuggestionRowOut`` gives the
    same JSON for it."""
    _every_kind_of_row(cast)
    user = cast.deputy.user
    rows = list(selectors.status_rows(user=user))
    selectors.attach_current_signoffs(rows)
    assert len(rows) >= 3
    for row in rows:
        data = deputy_out.row_data(
            row,
            status=selectors.status_of(row, deputy=cast.deputy),
            deputy=cast.deputy,
            units=[],
            steps=selectors.signoff_steps(row),
        )
        assert _json(data) == _json(deputy_out.MySuggestionRowOut(data).data)
