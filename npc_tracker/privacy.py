"""Masking of personal data (a constituent's name and phone, a deputy's phone) for those
who may not see it: 张** for a name, 138****1234 for a phone. Pages, exports and the API
all mask with these two functions."""

import re

_DIGITS = re.compile(r"\d")


def mask_name(name: str) -> str:
    """The first character, then one * per other character: 张三丰 → 张**; "" stays ""."""
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)


def mask_phone(phone: str) -> str:
    """The first three and the last four digits of a mobile number, the rest as *:
    13812341234 → 138****1234, +86 138-1234-1234 → +86 138-****-1234. A shorter number
    keeps only its last two digits."""
    phone = (phone or "").strip()
    digits = _DIGITS.findall(phone)
    if not digits:
        return "*" * len(phone)
    if len(digits) == 13 and digits[:3] == ["8", "6", "1"]:
        keep_start, keep_end = 5, 4  # +86 and a mobile number: its own first three shown
    elif len(digits) >= 11:
        keep_start, keep_end = 3, 4
    else:
        keep_start, keep_end = 0, 2
    total = len(digits)
    seen = 0
    out = []
    for char in phone:
        if char.isdigit():
            shown = seen < keep_start or seen >= total - keep_end
            out.append(char if shown else "*")
            seen += 1
        else:
            out.append(char)
    return "".join(out)
