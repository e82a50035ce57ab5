"""Signed reply documents: the type is read from the content, not taken from the name.

Accepted: PDF, OFD (China's fixed-layout format: a zip holding ``OFD.xml``), Word 97-2003
(an OLE2 compound file), Word 2007+ (a zip holding ``word/document.xml``), JPEG and PNG,
up to ``MAX_BYTES``. A zip (OFD, docx) is checked from its directory by the import guard's
``sheets.guard.zip_problem``, before anything inflates it: at most ``MAX_UNCOMPRESSED``
once expanded, ``MAX_ZIP_MEMBERS`` members, stored or deflated, not encrypted.
"""

import os
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sheets.guard import zip_problem

MAX_BYTES = 20 * 1024 * 1024
MAX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_ZIP_MEMBERS = 10_000

EXTENSIONS = {
    "pdf": {".pdf"},
    "ofd": {".ofd"},
    "doc": {".doc"},
    "docx": {".docx"},
    "jpg": {".jpg", ".jpeg"},
    "png": {".png"},
}
ACCEPT = ",".join(sorted(ext for exts in EXTENSIONS.values() for ext in exts))

_OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")
_PNG = bytes.fromhex("89504E470D0A1A0A")


def _zip_infos(upload) -> list[zipfile.ZipInfo]:
    """The zip's directory (nothing inflated); empty when it is not a readable zip."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            return archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        return []
    finally:
        upload.seek(0)


def _zip_names(upload) -> set[str]:
    return {info.filename.lstrip("/") for info in _zip_infos(upload)}


def _zip_refusal(upload) -> ValidationError | None:
    """Why a zip document is refused from its directory alone, or None."""
    problem = zip_problem(
        _zip_infos(upload), max_members=MAX_ZIP_MEMBERS, max_uncompressed=MAX_UNCOMPRESSED
    )
    if problem in ("members", "size"):
        return ValidationError(
            _("The document expands to more than %(mb)s MB.")
            % {"mb": MAX_UNCOMPRESSED // (1024 * 1024)},
            code="document_too_large",
        )
    if problem is not None:
        return ValidationError(
            _("The document is encrypted or compressed in a way Word does not write."),
            code="document_type",
        )
    return None


def sniff(upload) -> str | None:
    """The document's kind read from its first bytes (and a zip's contents), or None."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(_OLE2):
        return "doc"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(_PNG):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        names = _zip_names(upload)
        if "OFD.xml" in names:
            return "ofd"
        if "word/document.xml" in names:
            return "docx"
    return None


def validate_document(upload) -> None:
    """Refuse a file too large, of a type not accepted, or whose name hides another type."""
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("The document is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)},
            code="document_too_large",
        )
    kind = sniff(upload)
    if kind is None:
        raise ValidationError(
            _("Only PDF, OFD, Word (doc, docx), JPEG and PNG documents are accepted."),
            code="document_type",
        )
    if kind in ("ofd", "docx") and (refusal := _zip_refusal(upload)) is not None:
        raise refusal
    ext = os.path.splitext(upload.name or "")[1].lower()
    if ext not in EXTENSIONS[kind]:
        raise ValidationError(
            _("The file's name does not match its content (%(kind)s).") % {"kind": kind.upper()},
            code="document_name_mismatch",
        )


SCAN_KINDS = ("pdf", "jpg", "png")
SCAN_ACCEPT = ",".join(sorted(ext for kind in SCAN_KINDS for ext in EXTENSIONS[kind]))


def validate_scan(upload) -> None:
    """A scan of the signed paper record: PDF, JPEG or PNG, named for what it is."""
    validate_document(upload)
    if sniff(upload) not in SCAN_KINDS:
        raise ValidationError(_("The scan must be a PDF, JPEG or PNG file."), code="scan_type")
