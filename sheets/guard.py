"""The file guard: refuse a file by its size, type and zip directory before any parser
reads it (see the package's docstring for the rules)."""

from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _

from .report import ImportRefused

MAX_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED = 100 * 1024 * 1024
COMPRESSIONS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
MAX_ZIP_MEMBERS = 1_000
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_limited(file: bytes | str | Path | IO[bytes]) -> bytes:
    if isinstance(file, bytes):
        data = file
    elif isinstance(file, (str, Path)):
        with open(file, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    else:
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ImportRefused(
            _("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)},
            "too_large",
        )
    return data


def _not_xlsx() -> ImportRefused:
    return ImportRefused(
        _("The file is named .xlsx but is not an Excel workbook (.xlsx)."), "not_xlsx"
    )


def xml_bomb() -> ImportRefused:
    return ImportRefused(
        _("The workbook's XML declares a DOCTYPE or entities (an XML bomb): it is refused."),
        "xml_bomb",
    )


def _scan_xml(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse an XML part that declares a DOCTYPE or an entity, or hides its encoding."""
    tail = b""
    with zf.open(info) as part:
        first = True
        while chunk := part.read(1024 * 1024):
            if first and (chunk[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in chunk[:512]):
                # UTF-16 or UTF-32 would hide the markers from a byte search; Excel writes UTF-8.
                raise ImportRefused(
                    _("The workbook's XML is not in UTF-8: it is refused."), "bad_xml"
                )
            first = False
            window = (tail + chunk).lower()
            if b"<!doctype" in window or b"<!entity" in window:
                raise xml_bomb()
            tail = window[-16:]


def zip_problem(
    infos: list[zipfile.ZipInfo], *, max_members: int, max_uncompressed: int
) -> str | None:
    """What is wrong with a zip, read from its directory alone (nothing is inflated):
    ``"members"`` (too many), ``"size"`` (expands past ``max_uncompressed``),
    ``"encrypted"``, ``"compression"`` (neither stored nor deflated, as Office writes:
    zipfile cannot read some other methods at all), or None. The workbook guard and the
    reply documents' check both ask it."""
    if len(infos) > max_members:
        return "members"
    if sum(info.file_size for info in infos) > max_uncompressed:
        return "size"
    if any(info.flag_bits & 0x1 for info in infos):
        return "encrypted"
    if any(info.compress_type not in COMPRESSIONS for info in infos):
        return "compression"
    return None


def _check_xlsx(data: bytes) -> None:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise _not_xlsx()
    with zf:
        names = {info.filename for info in infos}
        if "[Content_Types].xml" not in names:
            raise _not_xlsx()
        problem = zip_problem(infos, max_members=MAX_ZIP_MEMBERS, max_uncompressed=MAX_UNCOMPRESSED)
        if problem in ("members", "encrypted"):
            raise _not_xlsx()
        if problem == "size":
            raise ImportRefused(
                _("The workbook expands to more than %(mb)s MB: it is refused.")
                % {"mb": MAX_UNCOMPRESSED // (1024 * 1024)},
                "too_large_uncompressed",
            )
        if problem == "compression":
            raise ImportRefused(
                _("The workbook is compressed in a way Excel does not write: it is refused."),
                "damaged",
            )
        try:
            if b"spreadsheetml" not in zf.read("[Content_Types].xml"):
                raise _not_xlsx()
            for info in infos:
                if info.filename.lower().endswith((".xml", ".rels", ".vml")):
                    _scan_xml(zf, info)
        except (zipfile.BadZipFile, EOFError, OSError, RuntimeError, NotImplementedError):
            # A member larger than declared ends in a CRC error: zipfile stops at the
            # declared size, so nothing past the limit is ever inflated.
            raise ImportRefused(_("The workbook is damaged: it is refused."), "damaged")


def decode_csv(data: bytes) -> str:
    if b"\x00" in data:
        raise ImportRefused(
            _(
                "The csv file is not text in UTF-8 or GB18030 (is it UTF-16 or a binary "
                "file?). Save it as CSV UTF-8 or as an Excel workbook (.xlsx)."
            ),
            "bad_encoding",
        )
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRefused(
        _("The csv file is neither UTF-8 nor GB18030 text. Save it as CSV UTF-8 or as .xlsx."),
        "bad_encoding",
    )


def check_file(data: bytes, name: str | None = None) -> str:
    """The file's format, "xlsx" or "csv", or ``ImportRefused`` before any parsing."""
    if len(data) > MAX_BYTES:
        raise ImportRefused(
            _("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)},
            "too_large",
        )
    suffix = Path(name).suffix.lower() if name else ""
    if suffix not in ("", ".xlsx", ".csv"):
        raise ImportRefused(
            _("Only Excel workbooks (.xlsx) and csv files can be imported."), "bad_type"
        )
    if not data.strip():
        raise ImportRefused(_("The file is empty."), "empty")
    is_zip = data[:4] in ZIP_MAGIC
    if suffix == ".xlsx" or (not suffix and is_zip):
        if not is_zip:
            raise _not_xlsx()
        _check_xlsx(data)
        return "xlsx"
    if is_zip or data.startswith(OLE_MAGIC):
        raise ImportRefused(
            _("The file is named .csv but is a workbook or a binary file."), "not_csv"
        )
    return "csv"
