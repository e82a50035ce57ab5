"""A deadline reads "逾期 N 天", "今日到期" or "剩 N 天" on every page, never "-48"."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from suggestions import exports, selectors, services, wording
from suggestions.models import Notification, Suggestion
from tests import flows

ASSIGNED_ON = datetime.date(2026, 3, 10)  # due three months later, on 10 June 2026
LATE = datetime.date(2026, 7, 28)  # 48 days after the deadline


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (-48, "逾期 48 天"),  # overdue: the days past the deadline, never a negative number
        (-1, "逾期 1 天"),  # the day after the deadline
        (0, "今日到期"),  # the deadline is today
        (1, "剩 1 天"),  # due tomorrow
        (15, "剩 15 天"),  # due soon
    ],
)
def test_days_left_words_in_chinese(days, words):
    """The days left read as words, in Chinese by default."""
    assert wording.days_left_words(days) == words


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (-1, "1 day overdue"),  # singular
        (-48, "48 days overdue"),  # plural
        (0, "Due today"),
        (1, "1 day left"),
        (3, "3 days left"),
    ],
)
def test_days_left_words_in_english(days, words):
    """In English the words take the singular or the plural."""
    with translation.override("en"):
        assert wording.days_left_words(days) == words


def test_deadline_words_count_from_today():
    """A deadline's words are counted from the day given."""
    due = datetime.date(2026, 6, 10)
    assert wording.deadline_words(due, datetime.date(2026, 6, 7)) == "剩 3 天"
    assert wording.deadline_words(due, due) == "今日到期"
    assert wording.deadline_words(due, LATE) == "逾期 48 天"


@pytest.fixture
def late(cast):
    """A suggestion whose lead unit has not replied 48 days after its deadline."""
    with flows.on(ASSIGNED_ON):
        return flows.assigned(cast, co=False)


def test_task_list_and_page_say_overdue_in_words(client, late, cast):
    """The task list's row and the task page say 逾期 48 天, not -48."""
    client.force_login(cast.clerk)
    lead = flows.lead(late)
    with flows.on(LATE):
        listing = client.get(reverse("tasks:list")).content.decode()
        page = client.get(reverse("tasks:detail", args=[lead.pk])).content.decode()
    row = listing.split(f'id="assignment-{lead.pk}"')[1].split("</tr>")[0]
    assert 'class="days-left">逾期 48 天</td>' in row
    assert "-48" not in row
    assert '<span class="days-left overdue" id="days-left">逾期 48 天</span>' in page
    assert "-48" not in page


def test_task_page_says_days_left_before_the_deadline(client, late, cast):
    """Before the deadline the task page counts down; on the day it says 今日到期."""
    client.force_login(cast.clerk)
    url = reverse("tasks:detail", args=[flows.lead(late).pk])
    with flows.on(datetime.date(2026, 6, 7)):
        assert (
            '<span class="days-left" id="days-left">剩 3 天</span>'
            in client.get(url).content.decode()
        )
    with flows.on(datetime.date(2026, 6, 10)):
        assert ">今日到期</span>" in client.get(url).content.decode()


def test_task_page_says_nothing_of_days_once_replied(client, cast):
    """A replied suggestion owes nothing: no days left on its task page."""
    suggestion = flows.handled(cast, co=False)
    client.force_login(cast.clerk)
    page = client.get(reverse("tasks:detail", args=[flows.lead(suggestion).pk])).content.decode()
    assert 'id="days-left"' not in page


def test_admin_ledger_says_overdue_in_words(client, late, cast):
    """The admin's ledger column says 逾期 48 天 in red."""
    client.force_login(cast.staff)
    with flows.on(LATE):
        page = client.get(reverse("admin:suggestions_suggestion_changelist")).content.decode()
    assert '<span class="npc-overdue">逾期 48 天</span>' in page
    with flows.on(datetime.date(2026, 6, 10)):
        page = client.get(reverse("admin:suggestions_suggestion_changelist")).content.decode()
    assert '<td class="field-days_left">今日到期</td>' in page


def test_ledger_export_says_overdue_in_words(late):
    """The ledger export's days-left cell says 逾期 48 天, not the number -48."""
    header = exports.ledger_headers().index("剩余天数")
    [row] = exports.ledger_rows(Suggestion.objects.filter(pk=late.pk), today=LATE)
    assert row[header] == "逾期 48 天"
    [row] = exports.ledger_rows(
        Suggestion.objects.filter(pk=late.pk), today=datetime.date(2026, 6, 7)
    )
    assert row[header] == "剩 3 天"


def test_ledger_export_words_the_days_in_the_language_it_was_asked_in(late):
    """Rows produced after the request's language is gone still use that language."""
    with translation.override("en"):
        labels = exports._Labels.current()
    [row] = exports.ledger_rows(Suggestion.objects.filter(pk=late.pk), labels=labels, today=LATE)
    assert "48 days overdue" in row


def test_deputys_status_says_overdue_in_words(client, late, cast):
    """The deputy's /my/ list and page say how many days the reply is overdue."""
    client.force_login(cast.deputy.user)
    with flows.on(LATE):
        listing = client.get(reverse("status:list")).content.decode()
        page = client.get(reverse("status:detail", args=[late.pk])).content.decode()
    for html in (listing, page):
        assert '（<span class="days-left">逾期 48 天</span>）' in html
        assert "-48" not in html
    row = Suggestion(state="assigned", round=1, lead_deputy_id=1)
    row.lead_unit_name, row.due_on = "市交通运输局", datetime.date(2026, 6, 10)
    status = selectors.status_of(row, deputy=None, today=datetime.date(2026, 6, 7))
    assert status.sentence.endswith('（<span class="days-left">剩 3 天</span>）')


def test_reminders_word_the_days_as_the_pages_do(late, cast, django_capture_on_commit_callbacks):
    """An overdue reminder's e-mail and in-app copy say 逾期 N 天; a due-soon one 剩 N 天."""
    at = datetime.datetime.combine(datetime.date(2026, 6, 11), datetime.time(10), datetime.UTC)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_due_reminders(now=at)
    assert f"【建议】逾期 1 天：{late.title}" in {m.subject for m in mail.outbox}
    assert "该建议的答复期限：逾期 1 天。" in mail.outbox[0].body
    texts = set(Notification.objects.filter(recipient=cast.clerk).values_list("text", flat=True))
    assert f"【建议】逾期 1 天：{late.title}" in texts
    mail.outbox.clear()
    soon = datetime.datetime.combine(datetime.date(2026, 6, 3), datetime.time(10), datetime.UTC)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_due_reminders(now=soon)
    assert f"【建议】剩 7 天：{late.title}" in {m.subject for m in mail.outbox}
