"""The demo's duty record: the year's rules, groups with an activity, the office's entries
each quarter, so that the ranking has a spread and ties, a few deputies fall short, and
the demo deputy's /my/duty/ has something to show and one rule still owed."""

import datetime
import io
from collections import Counter
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog

from demo import duty
from demo.city import DEPUTIES
from deputies import selectors, services
from deputies.models import Deputy, DeputyGroup, DutyRecord, DutyRule, GroupActivity
from suggestions.models import Suggestion
from tests import flows

pytestmark = pytest.mark.django_db

Kind = DutyRecord.Kind
TODAY = datetime.date(2026, 11, 20)


def test_the_demo_duty_record_is_meaningful(client):
    """One seeding (it takes seconds) for the three stories: the ranking, the suggestions
    counted by themselves, the demo deputy's page."""
    call_command("seed_demo", stdout=io.StringIO())
    today = timezone.localdate()
    _ranking_has_a_spread_ties_and_shortfalls(today)
    _approved_suggestions_count_by_themselves()
    _the_demo_deputys_duty_page(client, today)


def _ranking_has_a_spread_ties_and_shortfalls(demo):
    year = demo.year
    assert DutyRule.objects.filter(year=year).count() == len(Kind.values)
    assert DeputyGroup.objects.count() == len(duty.GROUPS)
    assert GroupActivity.objects.count() == len(duty.GROUPS)
    rows = selectors.ranking(year=year)
    assert len(rows) == len(DEPUTIES)
    totals = [row.total for row in rows]
    assert max(totals) > min(totals)
    assert any(count > 1 for count in Counter(totals).values())  # a tie shares a rank
    # Everyone else met constituents this quarter and reported to their voters: whoever
    # falls short is one the demo means to (another demo module may add a deputy's
    # reception or report, never take one away).
    short = selectors.shortfalls(year=year, today=demo)
    quarter = selectors.quarter_of(demo)
    names = dict(Deputy.objects.values_list("pk", "name"))
    no_contact = {names[pk] for pk, codes in short.items() if f"contact_q{quarter}" in codes}
    no_report = {names[pk] for pk, codes in short.items() if "report" in codes}
    assert no_contact and no_contact <= {DEPUTIES[i][0] for i in duty.NO_CONTACT_THIS_QUARTER}
    assert no_report and no_report <= {DEPUTIES[i][0] for i in duty.NO_REPORT}


def _approved_suggestions_count_by_themselves():
    """Every suggestion the office accepted has its lead deputy's record, once; the ones
    withdrawn after acceptance have theirs reversed."""
    approved = StateLog.objects.filter(transition="approve").values_list("object_id", flat=True)
    accepted = Suggestion.objects.filter(pk__in={int(pk) for pk in approved})
    assert accepted.count() > 40
    records = DutyRecord.objects.filter(kind=Kind.SUGGESTION_LEAD)
    for suggestion in accepted:
        mine = records.filter(source=f"suggestion:{suggestion.pk}")
        assert [(r.deputy_id, r.sign) for r in mine.filter(sign=1)] == [
            (suggestion.lead_deputy_id, 1)
        ]
        withdrawn = suggestion.state == Suggestion.State.WITHDRAWN
        assert mine.filter(sign=-1).exists() == withdrawn


def _the_demo_deputys_duty_page(client, demo):
    deputy = Deputy.objects.get(user__username="deputy")
    year = selectors.duty_year(deputy=deputy, year=demo.year, today=demo)
    kinds = {label for label, _count, _points in year.by_kind}
    assert {Kind.MEETING.label, Kind.TRAINING.label, Kind.CONTACT.label} <= kinds
    assert Kind.SUGGESTION_LEAD.label in kinds
    # Constituents met every quarter; the report to voters still owed (and, in the
    # first weeks of a year, a suggestion: those the demo raised fall in the year before).
    owed = [check.code for check in year.checks if not check.met]
    assert "report" in owed and not [code for code in owed if code.startswith("contact")]
    client.force_login(deputy.user)
    page = client.get(reverse("duty:mine")).content.decode()
    assert 'class="owed" data-check="report"' in page
    assert 'data-kind="meeting"' in page and 'data-kind="suggestion_lead"' in page


def test_the_closest_pair_is_evened_when_the_entries_made_no_tie(cast):
    """Whatever day the demo is made on, two deputies share a rank."""
    builder = SimpleNamespace(
        today=TODAY, staff=cast.staff, deputies=[cast.deputy, cast.co_deputy, cast.other_deputy]
    )
    with flows.on(TODAY):
        for deputy, kind in [(cast.deputy, "report"), (cast.co_deputy, "meeting")]:
            services.duty_record(deputy=deputy, by=cast.staff, kind=kind, happened_on=TODAY)
        duty._a_tie(builder)  # 5, 2, 0: the closest pair is the second and the third
    totals = [row.total for row in selectors.ranking(year=TODAY.year)]
    assert totals == [5, 2, 2]
    assert DutyRecord.objects.get(kind=Kind.OTHER).deputy == cast.other_deputy
