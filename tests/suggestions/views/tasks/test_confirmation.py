"""The reply's and the signatures' confirmation step on the task page, the reply's document
kept between the steps, and how a refused form shows its errors."""

import datetime
import os
import re

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from suggestions.models import Reply, SignOff, Suggestion
from tests import flows
from tests.confirm import confirm, confirmation_of

CONTENT = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n"


def pdf(name="答复函.pdf", content=CONTENT):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def url(suggestion, action="reply"):
    return reverse("tasks:action", args=[flows.lead(suggestion).pk, action])


def reply_data(**overrides):
    due = (timezone.localdate() + datetime.timedelta(days=90)).isoformat()
    data = {
        "reply-classification": "B",
        "reply-text": "经研究，已列入年度计划。",
        "reply-commitment_1": "年底前完成信号灯安装",
        "reply-commitment_1_due": due,
    }
    return {**data, **overrides}


def kept_files() -> list[str]:
    folder = os.path.join(settings.MEDIA_ROOT, "kept")
    return os.listdir(folder) if os.path.isdir(folder) else []


def hidden_value(html: str, name: str) -> str:
    """The value of the hidden input ``name`` ("" when it has none)."""
    tag = re.search(rf'<input type="hidden" name="{re.escape(name)}"[^>]*>', html).group(0)
    found = re.search(r'value="([^"]*)"', tag)
    return found.group(1) if found else ""


def section(page: str, name: str) -> str:
    start = page.index(f'id="action-{name}"')
    return page[start : page.index("</section>", start)]


def ready(cast):
    """An assigned suggestion with everything a reply needs first; the clerk logged in."""
    suggestion = flows.assigned(cast)
    flows.prepare_reply(cast, suggestion)
    return suggestion


def test_reply_first_shows_what_will_be_recorded_and_records_nothing(client, cast):
    """The first valid POST sums the reply up (class, text, document, commitment), says it
    cannot be taken back, offers Confirm and Back, and records nothing."""
    suggestion = ready(cast)
    before = flows.snapshot(suggestion)
    client.force_login(cast.clerk)
    response = client.post(url(suggestion), {**reply_data(), "reply-document": pdf()})
    assert response.status_code == 200
    panel = section(response.content.decode(), "reply")
    assert 'id="confirm-reply"' in panel
    assert _("This is what will be recorded. The record cannot be taken back.") in panel
    for shown in (
        str(Reply.Classification.B.label),
        "经研究，已列入年度计划。",
        "答复函.pdf",
        "年底前完成信号灯安装",
    ):
        assert escape(shown) in panel, shown
    assert f">{_('Confirm')}</button>" in panel and f">{_('Back')}</button>" in panel
    assert 'name="reply-confirmed"' in panel
    assert 'type="file"' not in panel  # the document is kept on the server, not re-sent
    assert flows.snapshot(suggestion) == before
    assert len(kept_files()) == 1


def test_confirmed_reply_is_recorded_with_the_kept_document(client, cast):
    """Confirming records the reply with the very file chosen at the first step, and the
    kept copy is deleted."""
    suggestion = ready(cast)
    client.force_login(cast.clerk)
    first = client.post(url(suggestion), {**reply_data(), "reply-document": pdf()})
    response = confirm(client, first, url(suggestion))
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.state == Suggestion.State.HANDLED
    reply = suggestion.current_reply()
    with reply.document.open("rb") as document:
        assert document.read() == CONTENT
    assert reply.document.name.endswith(".pdf")
    assert kept_files() == []


def test_back_shows_the_filled_in_form_and_asks_again(client, cast):
    """Back returns to the form with what was typed and the document kept; submitting it
    again shows the summary again rather than recording at once."""
    suggestion = ready(cast)
    client.force_login(cast.clerk)
    first = client.post(url(suggestion), {**reply_data(), "reply-document": pdf()})
    _action, carried = confirmation_of(first)
    back = client.post(url(suggestion), {**carried, "reply-back": "1"})
    assert back.status_code == 200
    form = section(back.content.decode(), "reply")
    assert 'id="confirm-reply"' not in form
    assert "经研究，已列入年度计划。</textarea>" in form
    assert (
        escape(_("Kept: {name}. Choose another file only to replace it.")).replace(
            "{name}", "答复函.pdf"
        )
        in form
    )
    assert hidden_value(form, "reply-confirmed") == ""
    data = {k: v for k, v in carried.items() if k != "reply-confirmed"}
    again = client.post(url(suggestion), data)
    assert confirmation_of(again) is not None
    assert not Reply.objects.filter(suggestion=suggestion).exists()


def test_a_value_changed_after_the_summary_is_summed_up_again(client, cast):
    """The confirmation holds for the values shown: a changed text asks again."""
    suggestion = ready(cast)
    client.force_login(cast.clerk)
    first = client.post(url(suggestion), {**reply_data(), "reply-document": pdf()})
    _action, carried = confirmation_of(first)
    carried["reply-text"] = ["另一段答复。"]
    second = client.post(url(suggestion), carried)
    assert second.status_code == 200
    assert "另一段答复。" in section(second.content.decode(), "reply")
    assert not Reply.objects.filter(suggestion=suggestion).exists()


def test_a_kept_document_is_not_given_to_another_user(client, cast):
    """The head posting the clerk's confirmation (its kept file's token) gets no file:
    "choose the file again", and nothing is recorded."""
    suggestion = ready(cast)
    client.force_login(cast.clerk)
    _action, carried = confirmation_of(
        client.post(url(suggestion), {**reply_data(), "reply-document": pdf()})
    )
    client.force_login(cast.head)
    response = client.post(url(suggestion), carried)
    assert response.status_code == 400
    assert escape(_("Choose the file again: it was not kept.")) in response.content.decode()
    assert not Reply.objects.filter(suggestion=suggestion).exists()


def test_a_refused_reply_keeps_what_was_typed_and_the_document(client, cast):
    """A reply refused by the form keeps the text and the chosen file; corrected, it is
    summed up with that file and recorded without choosing it again."""
    suggestion = ready(cast)
    client.force_login(cast.clerk)
    refused = client.post(
        url(suggestion),
        {**reply_data(**{"reply-commitment_1_due": ""}), "reply-document": pdf()},
    )
    assert refused.status_code == 400
    form = section(refused.content.decode(), "reply")
    assert "年底前完成信号灯安装" in form and "经研究，已列入年度计划。" in form
    assert "答复函.pdf" in form
    kept = hidden_value(form, "reply-document_kept")
    assert kept
    corrected = {**reply_data(), "reply-document_kept": kept}
    summary = client.post(url(suggestion), corrected)
    assert "答复函.pdf" in section(summary.content.decode(), "reply")
    assert confirm(client, summary, url(suggestion)).status_code == 302
    assert Suggestion.objects.get(pk=suggestion.pk).state == Suggestion.State.HANDLED


def test_a_refused_document_says_to_choose_the_file_again(client, cast):
    """A file whose content is not accepted is refused at its field, with the plain advice
    to choose the file again."""
    suggestion = ready(cast)
    client.force_login(cast.clerk)
    response = client.post(
        url(suggestion), {**reply_data(), "reply-document": pdf(content=b"MZ not a pdf")}
    )
    assert response.status_code == 400
    form = section(response.content.decode(), "reply")
    advice = _("Choose the file again: a browser cannot keep a chosen file once the form is sent.")
    assert escape(advice) in form
    assert hidden_value(form, "reply-document_kept") == ""


def test_a_refused_form_scrolls_to_its_errors_and_shows_each_once(client, cast):
    """The refused form posts to its own anchor, its error box is focused on load and names
    the fields to correct; each field's message appears once, at the field."""
    suggestion = ready(cast)
    client.force_login(cast.clerk)
    response = client.post(
        url(suggestion),
        {**reply_data(**{"reply-text": "", "reply-commitment_1_due": ""}), "reply-document": pdf()},
    )
    assert response.status_code == 400
    page = response.content.decode()
    form = section(page, "reply")
    assert f'action="{url(suggestion)}#action-reply"' in form
    box = form[form.index('class="refusal"') : form.index("</div>", form.index('class="refusal"'))]
    assert "autofocus" in box and 'role="alert"' in box
    assert 'href="#id_reply-text"' in box and 'href="#id_reply-commitment_1"' in box
    pair = _("Give each commitment both its text and its due date.")
    assert page.count(escape(pair)) == 1
    assert page.count(escape(_("This field is required."))) == 1
    assert escape(pair) not in box


def test_a_service_refusal_after_the_confirmation_is_shown_once_at_the_top(client, cast):
    """A commitment dated in the past passes the form, is confirmed, and is refused by the
    service: its message once, at the top of the form, with the document still kept."""
    suggestion = ready(cast)
    client.force_login(cast.clerk)
    past = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    first = client.post(
        url(suggestion),
        {**reply_data(**{"reply-commitment_1_due": past}), "reply-document": pdf()},
    )
    response = confirm(client, first, url(suggestion))
    assert response.status_code == 400
    page = response.content.decode()
    message = _("A commitment's due date cannot be in the past: %(date)s.") % {"date": past}
    assert page.count(escape(message)) == 1
    box = section(page, "reply")
    assert 'data-codes="bad_commitment"' in box
    assert "答复函.pdf" in box
    assert not Reply.objects.filter(suggestion=suggestion).exists()


def test_reply_form_says_first_that_a_communication_is_needed(client, cast):
    """Before any communication the reply form says so prominently, linking to the
    communication form, which comes first; once one is recorded it says that instead."""
    suggestion = flows.assigned(cast, co=False)
    client.force_login(cast.clerk)
    detail = reverse("tasks:detail", args=[flows.lead(suggestion).pk])
    page = client.get(detail).content.decode()
    reply = section(page, "reply")
    assert 'class="unmet" data-code="no_communication"' in reply
    assert 'href="#action-communication"' in reply
    assert reply.index('id="conditions-reply"') < reply.index("<form")
    assert page.index('id="action-communication"') < page.index('id="action-reply"')
    flows.prepare_reply(cast, suggestion)
    reply = section(client.get(detail).content.decode(), "reply")
    assert 'class="met" data-code="communication"' in reply
    assert 'class="unmet"' not in reply


def test_head_signature_is_confirmed_before_it_is_recorded(client, cast):
    """The head's first POST shows the opinion to be signed; only Confirm records it."""
    suggestion = flows.handled(cast)
    flows.deputy_signs(cast, suggestion)
    client.force_login(cast.head)
    first = client.post(url(suggestion, "signoff_head"), {"signoff_head-opinion": "同意答复。"})
    assert first.status_code == 200
    panel = section(first.content.decode(), "signoff_head")
    assert "同意答复。" in panel and 'id="confirm-signoff_head"' in panel
    assert not SignOff.objects.filter(suggestion=suggestion, level="unit_head").exists()
    assert confirm(client, first, url(suggestion, "signoff_head")).status_code == 302
    assert SignOff.objects.get(suggestion=suggestion, level="unit_head").opinion == "同意答复。"
