"""Masking a constituent's name and phone for those who may not see them."""

import pytest

from npc_tracker.privacy import mask_name, mask_phone


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三", "张*"),  # a two-character name: its surname and one star
        ("张小明", "张**"),  # one star per hidden character
        ("欧阳娜娜", "欧***"),  # a compound surname shows its first character only
        ("李", "李*"),  # a one-character name still hides something
        ("  王丽 ", "王*"),  # the spaces around it are not characters of the name
        ("", ""),  # no name: nothing to mask
    ],
)
def test_mask_name_keeps_the_first_character(name, masked):
    """The name's first character, then a star for each other one."""
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812341234", "138****1234"),  # a mobile number: first three, last four
        ("+86 138-1234-1234", "+86 138-****-1234"),  # with the country code and dashes
        ("0931-8812345", "093*-***2345"),  # a landline with its area code (11 digits)
        ("8812345", "*****45"),  # a short landline: its last two digits only
        ("", ""),  # no phone: nothing to mask
        ("无", "*"),  # no digits at all: nothing of it shown
    ],
)
def test_mask_phone_hides_the_middle_digits(phone, masked):
    """The middle digits of a phone are stars; its separators stay where they were."""
    assert mask_phone(phone) == masked
