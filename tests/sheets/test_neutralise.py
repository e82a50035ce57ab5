"""Export cells that a spreadsheet would run as formulas are neutralised, the rest untouched."""

import datetime
import decimal

import pytest
from django.utils.translation import gettext_lazy

from sheets.writers import neutralise


@pytest.mark.parametrize(
    "value",
    [
        "=1+1",  # a formula
        '=HYPERLINK("http://example.com","点此")',  # a link that leaks data
        "+86 138 0000 0000",  # plus: read as a formula
        "-2+3",  # minus: read as a formula
        "@SUM(A1:A2)",  # at: Lotus-style function call
        "\tindented=1",  # tab: some programs strip it and read what follows
        "\r=1",  # carriage return: likewise
        "＝1+1",  # full-width equals sign, folded to = by Excel
        "＋1",  # full-width plus sign
        "－1",  # full-width minus sign
        "＠SUM(A1)",  # full-width commercial at
        "=",  # the prefix alone
    ],
)
def test_neutralise_prefixes_quote_when_value_starts_with_a_dangerous_character(value):
    """A string starting with = + - @ tab, carriage return or a full-width form gets a '."""
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize(
    "value",
    [
        "关于增设学校周边交通信号灯的建议",  # ordinary Chinese text
        "No. 15",  # Latin text
        "a=b",  # a dangerous character later in the string
        " =1",  # a leading space: not a formula in Excel or LibreOffice
        "'=1",  # already quoted
        "",  # empty
        "第15号",  # a suggestion number
    ],
)
def test_neutralise_keeps_string_when_it_is_safe(value):
    """Strings that do not start with a dangerous character are returned unchanged."""
    assert neutralise(value) == value


@pytest.mark.parametrize(
    "value",
    [
        -5,  # days overdue: a number, not a formula
        0,
        16,
        -1.5,
        decimal.Decimal("-2.50"),
        datetime.date(2026, 3, 5),
        datetime.datetime(2026, 3, 5, 10, 0),
        None,
        True,
    ],
)
def test_neutralise_keeps_value_when_it_is_not_a_string(value):
    """Numbers, dates, booleans and None pass through as they are, keeping their type."""
    result = neutralise(value)
    assert result == value
    assert type(result) is type(value)


def test_neutralise_prefixes_quote_when_lazy_translation_is_dangerous():
    """A lazily translated string is neutralised like any other string."""
    assert neutralise(gettext_lazy("=1+1")) == "'=1+1"
