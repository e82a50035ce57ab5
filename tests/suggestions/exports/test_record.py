"""The handling record (纪实表): one suggestion's loop on a printable A4 page."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext

from suggestions import exports, services
from suggestions.models import Communication, RevisitOutcome, SignOff
from tests import factories, flows

from .conftest import grant

pytestmark = [pytest.mark.urls("tests.suggestions.exports.urls"), pytest.mark.django_db]


def _record_url(suggestion) -> str:
    return reverse("exports_admin:suggestions_suggestion_record", args=[suggestion.pk])


def _page(client, user, suggestion) -> str:
    client.force_login(user)
    response = client.get(_record_url(suggestion))
    assert response.status_code == 200
    return response.content.decode()


def _redone(cast):
    """A reply, a redo ordered on it, then a second reply: round 1 is replaced."""
    suggestion = flows.handled(cast)
    services.suggestion_order_redo(
        suggestion=suggestion, by=cast.staff, reason="答复不符合要求，限期重办。"
    )
    services.communication_record(
        assignment=flows.lead(suggestion),
        by=cast.clerk,
        stage=Communication.Stage.DURING,
        method=Communication.Method.PHONE,
        happened_on=suggestion.lead_assignment().assigned_on,
        notes="电话沟通重办方案。",
    )
    services.reply_submit(
        assignment=flows.lead(suggestion),
        by=cast.clerk,
        classification="A",
        text="已完成信号灯安装。",
        document=factories.document(),
    )
    return suggestion


def test_record_shows_the_whole_loop_of_a_revisited_suggestion(client, cast, exporter):
    """Deputy, units, communications, reply, commitments, sign-offs and revisit are shown."""
    suggestion = flows.revisited(cast)
    page = _page(client, exporter, suggestion)
    lead = suggestion.lead_assignment()
    for shown in (
        suggestion.title,
        "王丽",  # the lead deputy
        "李强",  # the co-signer
        "城关区代表团",  # the delegation
        "市交通运输局",  # the lead unit
        "市公安局交通警察支队",  # the co-unit
        lead.due_on.isoformat(),
        "走访代表，了解建议背景。",  # the communication
        "同意主办意见。",  # the co-unit's opinion
        "经研究，已列入年度计划。",  # the reply
        "年底前完成信号灯安装",  # the commitment
        "现场查看，信号灯已安装。",  # the revisit's notes
    ):
        assert escape(shown) in page, shown
    for label in (
        Communication.Stage.BEFORE.label,
        Communication.Method.VISIT.label,
        RevisitOutcome.Outcome.KEPT.label,
        SignOff.Rating.SATISFIED.label,
        *SignOff.Level.labels,
    ):
        assert escape(str(label)) in page, label


def test_record_names_each_signer_in_the_signoff_boxes(client, cast, exporter):
    """Each of the three boxes holds its signer: the deputy by name, the others by account."""
    suggestion = flows.signed(cast)
    page = _page(client, exporter, suggestion)
    boxes = dict(re.findall(r'class="box signoff-(\w+)">(.*?)</div>', page, re.S))
    assert set(boxes) == {"deputy", "unit_head", "leader"}
    assert "王丽" in boxes["deputy"]
    assert cast.head.get_username() in boxes["unit_head"]
    assert cast.leader.get_username() in boxes["leader"]
    assert escape(gettext("Signature")) not in page  # no box left to sign


def test_record_leaves_empty_boxes_when_signoffs_are_missing(client, cast, exporter):
    """A replied, unsigned suggestion prints three empty boxes to sign by hand."""
    suggestion = flows.handled(cast)
    page = _page(client, exporter, suggestion)
    assert page.count(escape(gettext("Signature"))) == 3
    assert escape(gettext("Not revisited yet.")) in page


def test_record_marks_a_reply_replaced_by_a_redo(client, cast, exporter):
    """Both replies are shown; only the one replaced by the redo carries the mark."""
    suggestion = _redone(cast)
    page = _page(client, exporter, suggestion)
    mark = escape(gettext("Replaced by a redo"))
    assert page.count(mark) == 1
    first, second = page.split(escape(gettext("Reply of round %(round)s") % {"round": 2}))
    assert mark in first and "经研究，已列入年度计划。" in first
    assert mark not in second and "已完成信号灯安装。" in second
    assert "答复不符合要求，限期重办。" in page  # the redo's reason
    assert "电话沟通重办方案。" in page  # the new round's communication


def test_record_is_a_standalone_printable_a4_page(client, cast, exporter):
    """No admin chrome, an A4 page rule, a print button hidden on paper, nothing external,
    nothing inline (the Content Security Policy allows only the site's own files)."""
    page = _page(client, exporter, flows.assigned(cast))
    css = finders.find("css/record.css")
    with open(css, encoding="utf-8") as f:
        rules = f.read()
    assert 'href="/static/css/record.css"' in page
    assert "size: A4" in rules
    assert "@media print" in rules and ".no-print { display: none" in rules
    assert 'class="toolbar no-print"' in page and "data-print" in page
    assert 'src="/static/js/print.js"' in page
    assert "<style" not in page and "onclick" not in page and "<script>" not in page
    assert 'id="header"' not in page  # the admin's header
    assert not re.search(r'(src|href)="(https?:)?//', page)


def test_record_reads_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    """Gathering the record costs the same few queries however long the loop was."""
    suggestion = _redone(cast)
    with django_assert_max_num_queries(16):
        exports.handling_record(suggestion)


def test_record_forbidden_when_staff_lacks_view_permission(client, cast):
    """Staff without view permission on suggestions get 403."""
    suggestion = flows.assigned(cast)
    client.force_login(factories.StaffFactory(username="no_view", groups=[]))
    assert client.get(_record_url(suggestion)).status_code == 403


def test_record_redirects_to_login_when_user_is_not_staff(client, cast):
    """A unit clerk is not admin staff: the admin sends them to its login page."""
    suggestion = flows.assigned(cast)
    client.force_login(cast.clerk)
    response = client.get(_record_url(suggestion))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_record_allowed_with_view_permission_only(client, cast, viewer):
    """View permission is enough for the record, without the export permission."""
    suggestion = flows.assigned(cast)
    page = _page(client, viewer, suggestion)
    assert escape(suggestion.title) in page


def test_record_not_found_when_suggestion_does_not_exist(client, exporter):
    """An unknown id is a 404."""
    client.force_login(exporter)
    url = reverse("exports_admin:suggestions_suggestion_record", args=[999999])
    assert client.get(url).status_code == 404


def test_change_form_links_to_the_record(client, cast, staff):
    """The suggestion's change page has a button to its handling record."""
    suggestion = flows.assigned(cast)
    client.force_login(grant(staff, "view_suggestion"))
    url = reverse("exports_admin:suggestions_suggestion_change", args=[suggestion.pk])
    page = client.get(url).content.decode()
    assert f'href="{_record_url(suggestion)}"' in page
