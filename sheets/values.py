"""Values as offices write them: text, 届次 and 会次, dates, choices, lists of names."""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata
from collections.abc import Sequence

from django.utils.translation import gettext as _

from .columns import normalise_header
from .report import BadValue

_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}


def is_formula(value) -> bool:
    # The xlsx reader gives every formula as its text ("=..."); csv cells are text.
    return isinstance(value, str) and value.lstrip().startswith("=")


def formula_error() -> BadValue:
    return BadValue(
        _("A formula is not accepted: the file must hold values (copy, then paste as values)."),
        "formula",
    )


def clean_text(value, *, required: bool = False, max_length: int | None = None) -> str:
    """A cell as text: numbers without a trailing .0, dates as YYYY-MM-DD, spaces trimmed."""
    if value.__class__ is str:  # most cells: one check instead of six
        text = value.strip()
    elif value is None:
        text = ""
    elif isinstance(value, bool):
        text = str(value)
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, datetime.datetime):
        text = value.date().isoformat() if value.time() == datetime.time() else str(value)
    elif isinstance(value, datetime.date):
        text = value.isoformat()
    else:
        text = str(value).strip()
    if text.startswith("="):  # is_formula() of the trimmed text
        raise formula_error()
    if required and not text:
        raise BadValue(_("This cell is required."), "required")
    if max_length is not None and len(text) > max_length:
        raise BadValue(
            _("At most %(max)s characters (this has %(length)s).")
            % {"max": max_length, "length": len(text)},
            "too_long",
        )
    return text


def _chinese_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if all(c in _CN_DIGITS for c in text):  # 一六 for 16
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    total = digit = 0
    for char in text:
        if char in _CN_DIGITS:
            digit = _CN_DIGITS[char]
        elif char in "十百":
            total += (digit or 1) * (10 if char == "十" else 100)
            digit = 0
        else:
            raise ValueError(text)
    return total + digit


@functools.cache
def _ordinal_pattern(suffixes: tuple[str, ...]) -> re.Pattern:
    ends = "|".join(re.escape(s) for s in suffixes)
    return re.compile(rf"^第?([0-9零〇一二两三四五六七八九十百]+)(?:{ends})?$")


def parse_ordinal(value, *, suffixes: Sequence[str], required: bool = True) -> int | None:
    """届次 or 会次: 16, "16", "第十六届", "十六", "第三次会议"; None when blank and optional."""
    # A file repeats the same few terms and sessions on every row.
    return _parse_ordinal(value, tuple(suffixes), required)


@functools.lru_cache(maxsize=1024)
def _parse_ordinal(value, suffixes: tuple[str, ...], required: bool) -> int | None:
    if is_formula(value):
        raise formula_error()
    if isinstance(value, bool):
        value = str(value)
    number = None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) or value is None:
        text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", value or ""))
        if not text:
            if required:
                raise BadValue(_("This cell is required."), "required")
            return None
        match = _ordinal_pattern(tuple(suffixes)).match(text)
        if match:
            try:
                number = _chinese_number(match.group(1))
            except ValueError:
                number = None
    if number is None or not 1 <= number <= 999:
        raise BadValue(
            _("“%(value)s” is not a number such as 16 or 第十六届.") % {"value": value},
            "bad_number",
        )
    return number


TERM_SUFFIXES = ("届人大", "届")
SESSION_SUFFIXES = ("次会议", "次", "会议")

_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?$"
)


def parse_date(value, *, spreadsheet: bool = True) -> datetime.date | None:
    """A spreadsheet date, or text such as 2026-03-05, 2026/3/5, 2026年3月5日; blank is None."""
    if is_formula(value):
        raise formula_error()
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    date = None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and spreadsheet:
        # A date cell formatted as a number: Excel's serial day count.
        from openpyxl.utils.datetime import from_excel

        if 1 <= value <= 2958465:
            date = from_excel(value).date()
    elif isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        if re.fullmatch(r"\d{8}", text):
            text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
        match = _DATE.match(text)
        if match:
            try:
                date = datetime.date(*(int(g) for g in match.groups()))
            except ValueError:
                date = None
    if date is None or not 1949 <= date.year <= 2100:
        raise BadValue(
            _("“%(value)s” is not a date such as 2026-03-05 or 2026年3月5日.") % {"value": value},
            "bad_date",
        )
    return date


def parse_choice(
    value, table: dict[str, str], *, required: bool, label: str, shown: Sequence[str] = ()
) -> str:
    """Map a value as written (Chinese or English) to a choice; blank is "" when optional.

    ``shown`` are the spellings the error message suggests (the table's values otherwise).
    """
    text = clean_text(value)
    if not text:
        if required:
            raise BadValue(_("This cell is required."), "required")
        return ""
    key = normalise_header(text)
    if key in table:
        return table[key]
    raise BadValue(
        _("“%(value)s” is not a %(label)s; write one of: %(choices)s.")
        % {
            "value": text,
            "label": label,
            "choices": "、".join(shown or dict.fromkeys(table.values())),
        },
        "bad_choice",
    )


def texts(values) -> set[str]:
    """The cells of a column as text, leaving out the bad ones (their rows report them)."""
    found = set()
    for value in values:
        try:
            found.add(clean_text(value))
        except BadValue:
            pass
    return found - {""}


_NAME_SEPARATORS = re.compile(r"[、，,；;\s]+")


def split_names(value) -> list[str]:
    """Co-signers as offices list them: separated by 、 ， , ； ; or spaces, once each."""
    text = clean_text(value)
    names = [n for n in _NAME_SEPARATORS.split(text) if n]
    return list(dict.fromkeys(names))


@functools.lru_cache(maxsize=8192)
def name_key(name: str) -> str:
    """Names compare without spaces (rosters pad two-character names: 王  丽)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name or ""))
