"""Signed reply documents: the type from the content, the size limit, and guarded download."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from suggestions import documents
from tests import factories, flows


def zipped(*names):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<xml/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("a.pdf", b"%PDF-1.7\n", "pdf"),  # PDF magic
        ("a.ofd", zipped("OFD.xml", "Doc_0/Document.xml"), "ofd"),  # a zip holding OFD.xml
        ("a.doc", bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 8, "doc"),  # OLE2
        ("a.docx", zipped("[Content_Types].xml", "word/document.xml"), "docx"),  # Word 2007+
        ("a.JPG", b"\xff\xd8\xff\xe0JFIF", "jpg"),  # JPEG, upper-case extension
        ("a.png", bytes.fromhex("89504E470D0A1A0A") + b"IHDR", "png"),  # PNG
    ],
)
def test_validate_document_accepts_each_kind_by_its_content(name, content, kind):
    """Each accepted kind is recognised from its bytes and passes validation."""
    upload = SimpleUploadedFile(name, content)
    assert documents.sniff(upload) == kind
    documents.validate_document(upload)


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("a.pdf", b"MZ\x90\x00", "document_type"),  # an executable named .pdf
        ("a.docx", zipped("xl/workbook.xml"), "document_type"),  # a spreadsheet, not Word
        ("a.html", b"<html><script>", "document_type"),  # HTML is never accepted
        ("a.png", b"%PDF-1.7\n", "document_name_mismatch"),  # a PDF behind a .png name
    ],
)
def test_validate_document_refuses_what_the_content_does_not_allow(name, content, code):
    """A file is refused when its content is not accepted or does not match its name."""
    with pytest.raises(ValidationError) as error:
        documents.validate_document(SimpleUploadedFile(name, content))
    assert error.value.code == code


def test_validate_document_refuses_a_file_over_20_mb():
    """A document larger than 20 MB is refused before its type is read."""
    upload = SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * documents.MAX_BYTES)
    with pytest.raises(ValidationError) as error:
        documents.validate_document(upload)
    assert error.value.code == "document_too_large"


def test_validate_document_refuses_a_small_docx_that_expands_past_100_mb():
    """A docx of a few hundred KB holding a 200 MB member is refused from its directory,
    before anything inflates it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<xml/>")
        archive.writestr("word/document.xml", "<xml/>")
        with archive.open("word/media/padding.bin", "w", force_zip64=True) as member:
            for _ in range(200):
                member.write(bytes(1024 * 1024))
    content = buffer.getvalue()
    assert len(content) < 1024 * 1024
    with pytest.raises(ValidationError) as error:
        documents.validate_document(SimpleUploadedFile("答复函.docx", content))
    assert error.value.code == "document_too_large"


def test_validate_document_refuses_a_docx_compressed_as_word_never_does():
    """A docx whose members use another compression (here bzip2) is refused."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_BZIP2) as archive:
        archive.writestr("[Content_Types].xml", "<xml/>")
        archive.writestr("word/document.xml", "<xml/>")
    with pytest.raises(ValidationError) as error:
        documents.validate_document(SimpleUploadedFile("答复函.docx", buffer.getvalue()))
    assert error.value.code == "document_type"


def test_document_is_served_as_an_attachment_with_nosniff(client, cast):
    """The download is an attachment, never sniffed, with the stored content."""
    suggestion = flows.handled(cast)
    reply = suggestion.current_reply()
    client.force_login(cast.clerk)
    response = client.get(reverse("tasks:document", args=[reply.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == factories.document().read()


def test_document_of_another_unit_is_a_404(client, cast):
    """Another unit's clerk gets a 404 for the reply document, not its content."""
    suggestion = flows.handled(cast)
    client.force_login(cast.other_clerk)
    response = client.get(reverse("tasks:document", args=[suggestion.current_reply().pk]))
    assert response.status_code == 404


def test_documents_are_not_served_as_media(client, cast, settings):
    """No URL serves the media folder: the stored path itself is a 404."""
    suggestion = flows.handled(cast)
    client.force_login(cast.clerk)
    path = settings.MEDIA_URL + suggestion.current_reply().document.name
    assert client.get(path).status_code == 404


def test_behind_nginx_the_document_is_handed_over_by_x_accel_redirect(client, cast, settings):
    """The view decides who may read it; nginx sends the bytes from its internal location."""
    settings.DOCUMENTS_ACCEL_REDIRECT = "/protected-media/"
    reply = flows.handled(cast).current_reply()
    client.force_login(cast.clerk)
    response = client.get(reverse("tasks:document", args=[reply.pk]))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/protected-media/" + reply.document.name
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content == b""


@pytest.mark.parametrize("who", ["anonymous", "other_clerk"])
def test_behind_nginx_others_get_no_x_accel_redirect(client, cast, settings, who):
    settings.DOCUMENTS_ACCEL_REDIRECT = "/protected-media/"
    reply = flows.handled(cast).current_reply()
    if who != "anonymous":
        client.force_login(getattr(cast, who))
    response = client.get(reverse("tasks:document", args=[reply.pk]))
    assert response.status_code in (302, 404)
    assert "X-Accel-Redirect" not in response
    if who == "anonymous":
        assert response["Location"].startswith(reverse("login"))
