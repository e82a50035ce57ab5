"""One name for each state, whatever the role: the admin, the task and status pages, the export."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from suggestions import exports, selectors
from suggestions.models import Suggestion
from tests import flows

# The names chosen in docs/architecture.md, "State names".
NAMES = {
    "proposed": "待审查",
    "reviewed": "已立案",
    "assigned": "已交办",
    "handled": "已答复",
    "signed": "已签字",
    "revisited": "已办结",
    "not_accepted": "不予立案",
    "withdrawn": "已撤回",
    "merged": "已并案",
}
# The words one role or another read before, for the same states.
RETIRED = ["已提交", "已审查", "已回访（办结）"]


def test_each_state_has_the_chosen_chinese_name():
    """The state's label is the name the table in docs/architecture.md gives it."""
    assert {state: str(label) for state, label in Suggestion.State.choices} == NAMES


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_progress_bar_names_each_stage_by_its_state(language):
    """The deputy's progress bar uses the states' own labels, in either language."""
    row = Suggestion(state="proposed", round=0, lead_deputy_id=1)
    with translation.override(language):
        status = selectors.status_of(row, deputy=None, today=datetime.date(2026, 5, 1))
        labels = [str(step["label"]) for step in status.stages]
        expected = [
            str(Suggestion.State(s).label)
            for s in ("proposed", "reviewed", "assigned", "handled", "signed", "revisited")
        ]
    assert labels == expected


@pytest.mark.parametrize(
    ("flow", "state"),
    [
        (flows.proposed, "proposed"),  # staff once read 待审查, deputies 已提交
        (flows.reviewed, "reviewed"),  # staff once read 已审查, deputies 已立案
        (flows.revisited, "revisited"),  # staff once read 已回访（办结）, deputies 已回访
    ],
)
def test_staff_and_deputy_read_the_same_state_name(client, cast, flow, state):
    """The admin's ledger and the deputy's /my/ page name the state with the same word."""
    suggestion = flow(cast)
    client.force_login(cast.staff)
    admin_page = client.get(reverse("admin:suggestions_suggestion_changelist")).content.decode()
    assert f'<span class="npc-state npc-state-{state}">{NAMES[state]}</span>' in admin_page
    client.force_login(cast.deputy.user)
    my_page = client.get(reverse("status:detail", args=[suggestion.pk])).content.decode()
    assert f"<span>{NAMES[state]}</span>" in my_page
    for page in (admin_page, my_page):
        assert not [word for word in RETIRED if word in page]


def test_task_list_and_export_name_a_closed_suggestion_as_the_admin_does(client, cast):
    """The unit's task list and the ledger export say 已办结, like the admin and /my/."""
    suggestion = flows.revisited(cast)
    client.force_login(cast.clerk)
    page = client.get(reverse("tasks:list"), {"tab": "all"}).content.decode()
    assert f'data-state="revisited">{NAMES["revisited"]}</td>' in page
    [row] = exports.ledger_rows(Suggestion.objects.filter(pk=suggestion.pk))
    assert NAMES["revisited"] in row
