"""The shape of a report that a page and a .docx both render: a title, sections of
paragraphs, a table; and the small helpers its wording uses (numbers, rates, lists)."""

import dataclasses

from django.utils.translation import get_language, pgettext

from .selectors.assessment import Rate

DIGITS = "零一二三四五六七八九"


def numeral(n: int) -> str:
    """A term or session number as the office writes it: 十六 in Chinese, 16 otherwise."""
    if not (get_language() or "").startswith("zh") or not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    text = ("" if tens == 1 else DIGITS[tens]) + "十" if tens else ""
    return text + (DIGITS[ones] if ones else "")


def percent(rate: Rate) -> str:
    return "—" if rate.percent is None else f"{rate.percent:.1f}%"


def listing(parts: list[str], clauses: bool = False) -> str:
    """Names joined with "、"; ``clauses`` (each with its own commas) with "；"."""
    if clauses:
        return pgettext("clause separator", "; ").join(parts)
    return pgettext("list separator", ", ").join(parts)


@dataclasses.dataclass(frozen=True)
class Paragraph:
    text: str
    item: bool = False  # one of a list under the paragraph before


@dataclasses.dataclass
class Section:
    heading: str
    paragraphs: list[Paragraph]


@dataclasses.dataclass
class Table:
    caption: str
    header: list[str]
    rows: list[list[str]]
    empty: str  # what the table says when it has no row


@dataclasses.dataclass
class ReportDocument:
    title: str
    committee: str
    dateline: str
    sections: list[Section]
    appendix: Table
    note: str
    filename: str


def joined(*sentences: str) -> Paragraph:
    """Sentences into one paragraph: spaced after a Latin full stop, not after "。"."""
    text = ""
    for sentence in filter(None, sentences):
        text += (" " if text and text[-1].isascii() else "") + sentence
    return Paragraph(text)
