"""The Chinese catalog: complete, compiled, and covering every string in the code."""

import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"


def parse_po(path: Path) -> list[dict]:
    """Entries of a .po file as {'msgid', 'msgid_plural', 'msgstr': [...], 'fuzzy'}."""
    entries, entry, field = [], None, None

    def unquote(text: str) -> str:
        return text.encode("latin-1", "backslashreplace").decode("unicode_escape")

    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry is not None:
                entries.append(entry)
            entry, field = None, None
            continue
        if entry is None:
            entry = {"msgid": "", "msgid_plural": None, "msgstr": {}, "fuzzy": False, "ctx": None}
        if line.startswith("#,") and "fuzzy" in line:
            entry["fuzzy"] = True
        elif line.startswith("#"):
            continue
        elif match := re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?) "(.*)"$', line):
            keyword, index, text = match.groups()
            if keyword.startswith("msgstr"):
                field = ("msgstr", int(index or 0))
                entry["msgstr"][field[1]] = unquote(text)
            else:
                field = ({"msgctxt": "ctx"}.get(keyword, keyword), None)
                entry[field[0]] = unquote(text)
        elif line.startswith('"') and field is not None:
            text = unquote(line[1:-1])
            if field[0] == "msgstr":
                entry["msgstr"][field[1]] += text
            else:
                entry[field[0]] += text
    return [e for e in entries if e["msgid"]]


def test_catalog_has_no_untranslated_or_fuzzy_entries():
    """Every entry of the zh_Hans catalog has a translation, none of them fuzzy."""
    entries = parse_po(LOCALE / "django.po")
    assert len(entries) > 100
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in entries if e["fuzzy"]]
    assert untranslated == []
    assert fuzzy == []


def test_compiled_catalog_matches_the_po_file():
    """django.mo holds exactly the translations of django.po (it was compiled after editing)."""
    with open(LOCALE / "django.mo", "rb") as f:
        compiled = gettext.GNUTranslations(f)
    stale = []
    for e in parse_po(LOCALE / "django.po"):
        key = f"{e['ctx']}\x04{e['msgid']}" if e["ctx"] else e["msgid"]
        if e["msgid_plural"] is None:
            if compiled._catalog.get(key) != e["msgstr"][0]:
                stale.append(e["msgid"])
        elif compiled._catalog.get((key, 0)) != e["msgstr"][0]:
            stale.append(e["msgid"])
    assert stale == []


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_catalog_covers_every_string_in_the_code(tmp_path):
    """makemessages on the current code finds no string the committed catalog lacks."""
    root = Path(settings.BASE_DIR)
    copy = tmp_path / "src"
    shutil.copytree(
        root,
        copy,
        ignore=shutil.ignore_patterns(
            ".*", "__pycache__", "media", "staticfiles", "artifacts", "db.sqlite3*", "node_modules"
        ),
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-location",
            "--ignore=tests",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    fresh = {e["msgid"] for e in parse_po(copy / "locale/zh_Hans/LC_MESSAGES/django.po")}
    committed = {e["msgid"] for e in parse_po(LOCALE / "django.po")}
    assert sorted(fresh - committed) == []


def test_catalog_calls_the_follow_up_visit_by_one_name():
    """回访 and 回头看 are one thing: the catalog says 回访 and never 回头看."""
    translations = " ".join(
        text for e in parse_po(LOCALE / "django.po") for text in e["msgstr"].values()
    )
    assert "回访" in translations
    assert "回头看" not in translations
