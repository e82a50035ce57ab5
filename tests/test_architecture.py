"""The layout holds: the import contracts are kept, a broken one is caught, modules stay small."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
PACKAGES = [
    "npc_tracker",
    "sheets",
    "deputies",
    "suggestions",
    "stations",
    "reports",
    "api",
    "bench",
    "demo",
]
# Modules allowed past the size limit: data tables, not code.
DATA_TABLES = {"demo/city.py", "bench/data/tables.py"}
MAX_LINES = 500


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(cwd), "LANG": "C.UTF-8"},
    )


def test_the_import_contracts_are_kept():
    """lint-imports finds every contract of pyproject.toml kept in the code as it is."""
    result = lint_imports(BASE)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " 0 broken." in result.stdout.split("Contracts:")[-1], result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        # A model that reaches for a service.
        ("suggestions/models/records.py", "from suggestions import services", "Models import"),
        # A lower app importing a higher one.
        ("deputies/models/deputy.py", "import stations.models", "Apps depend downwards"),
        # Two sibling modules importing each other.
        ("suggestions/deadlines.py", "from suggestions import documents", None),
    ],
)
def test_a_broken_contract_fails_the_check(tmp_path, module, line, contract):
    """The same check on a copy of the code with one forbidden import added fails, naming
    the contract."""
    for package in PACKAGES:
        shutil.copytree(BASE / package, tmp_path / package, ignore=shutil.ignore_patterns("*.pyc"))
    shutil.copy(BASE / "pyproject.toml", tmp_path / "pyproject.toml")
    if contract is None:  # a cycle needs both directions
        (tmp_path / "suggestions/documents.py").write_text(
            "from suggestions import deadlines  # noqa\n"
            + (tmp_path / "suggestions/documents.py").read_text(encoding="utf-8"),
            encoding="utf-8",
        )
        contract = "No import cycle"
    target = tmp_path / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", "utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    broken = result.stdout.split("Broken contracts")[-1]
    assert contract in broken, result.stdout


def test_no_module_of_an_app_is_over_the_size_limit():
    """Every app module is under about 500 lines (migrations and data tables aside)."""
    over = []
    for package in PACKAGES:
        for path in (BASE / package).rglob("*.py"):
            relative = path.relative_to(BASE).as_posix()
            if "migrations" in path.parts or relative in DATA_TABLES:
                continue
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > MAX_LINES:
                over.append((relative, lines))
    assert over == []
