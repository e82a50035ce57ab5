"""The README's demo accounts say the truth of the demo city (demo/city.py)."""

import re
from pathlib import Path

from django.conf import settings

from demo.city import DELEGATIONS, DEMO_DEPUTY, DEPUTIES, LEADERS, UNITS

README = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")


def _rows(first_cell: str) -> dict[str, list[str]]:
    """The README's table rows whose first cell matches, keyed by that cell."""
    rows = {}
    for line in README.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and re.fullmatch(first_cell, cells[0]):
            rows[cells[0]] = cells[1:]
    return rows


def test_readme_names_each_units_clerk_head_and_leader():
    """One row per demo unit: its clerk's and head's accounts and names, and its leader."""
    rows = _rows(r"市\S+|中\S+")
    leaders = {username: name for username, name, _title in LEADERS}
    for n, (_key, name, _short, _kind, leader, clerk, head, _category) in enumerate(UNITS, 1):
        suffix = "" if n == 1 else f"{n:02d}"
        assert rows[name] == [
            f"`clerk{suffix}` {clerk}",
            f"`head{suffix}` {head}",
            f"`{leader}` {leaders[leader]}",
        ]
    assert len([r for r in rows if r in {u[1] for u in UNITS}]) == len(UNITS)


def test_readme_says_who_the_deputy_account_is():
    """The `deputy` row names the demo deputy and her delegation."""
    name, _gender, _ethnicity, _party, delegation, *_rest = DEPUTIES[DEMO_DEPUTY]
    [role, lands_on] = _rows(r"`deputy`")["`deputy`"]
    assert name in role and DELEGATIONS[delegation] in role
    assert lands_on == "/my/"
    assert "市交通运输局" in _rows(r"`clerk`")["`clerk`"][0]


def test_readme_walks_the_loop_in_five_steps_in_the_order_the_services_allow():
    """Five numbered lines: staff assign, the clerk replies, then deputy, head, leader sign,
    and staff close with the revisit."""
    loop = README.split("To see the whole loop")[1].split("\n\n")[0]
    steps = re.findall(r"^(\d)\. (.+)$", loop, flags=re.MULTILINE)
    assert [n for n, _text in steps] == ["1", "2", "3", "4", "5"]
    texts = [text for _n, text in steps]
    assert texts[0].startswith("`staff`") and "交办" in texts[0]
    assert texts[1].startswith("`clerk`") and "reply" in texts[1]
    assert texts[2].startswith("`deputy`") and "sign" in texts[2]
    assert texts[3].startswith("`head`, then `leader`")
    assert texts[4].startswith("`staff`") and "回访" in texts[4]
