"""The run's bookkeeping (``bench/run.py``): what a run does, its steps and their time.

``Mode`` is the full run or the smoke one. ``Run`` records every ``Step``: each has a time
limit (its cap in ``LIMITS``, cut to what is left of the run's budget), and a step that
fails or runs out of time is recorded with its error while the run goes on. ``run_child``
and ``run_json_step`` run commands (``manage.py``, ``bench/steps.py``) with the bench
settings; ``django_setup`` sets Django up in this process.
"""

import json
import logging
import os
import subprocess
import sys
import time
import traceback
import warnings
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = "bench.settings"


@dataclass(frozen=True)
class Mode:
    """What one run does: the full benchmark or the seconds-long smoke version."""

    sizes: tuple[int, ...]
    wrk_seconds: int
    import_rows: int
    export_rows: int
    budget: int  # seconds for the whole run
    # Seconds kept back for measuring a size once it is seeded (pages, import, sweep, export).
    measure_reserve: int
    similar_queries: int = 200  # the finder's top-10 queries timed (issue 14)
    assessment_runs: int = 5  # timed calls of unit_assessment, live and closed (issue 15)
    # Issue 16: the liaison stations, and the opinions over them (None: as many as the
    # size's suggestions); the reminder rule's timed calls.
    stations: int = 10_000
    opinions: int | None = None
    station_runs: int = 2  # a first sweep at a million finds ~90,000: 27-36 s a call at load 6-8
    # Issue 17: the deputies and their duty records (seeded once, at the first size), and
    # the timed calls of the ranking, a deputy's year and the shortfalls.
    duty_deputies: int = 100_000
    duty_records: int = 5_000_000
    duty_runs: int = 5


FULL = Mode(
    sizes=(10_000, 1_000_000),
    wrk_seconds=8,
    import_rows=10_000,
    export_rows=100_000,
    budget=14 * 60,
    measure_reserve=420,  # 300 before the finder's step (its index rebuilt: ~100 s at 1M)
    similar_queries=200,
)
SMOKE = Mode(
    sizes=(600, 1200),  # seed_bench needs 600 suggestions at least
    wrk_seconds=2,
    import_rows=200,
    export_rows=600,
    budget=5 * 60,
    measure_reserve=90,
    similar_queries=40,
    assessment_runs=2,
    stations=60,
    station_runs=2,
    duty_deputies=2_000,
    duty_records=40_000,
    duty_runs=2,
)


# Time limits of single steps, in seconds (always cut to what is left of the budget).
LIMITS = {
    "migrate": 300,
    "vacuum": 300,
    "server": 60,
    "import": 240,
    "sweep": 120,
    "export": 300,
    "similar": 300,  # with the GIN index's rebuild: about a minute at a million
    "assessment": 300,  # 2 × (runs + 2) counts of a year and a close: ~1 minute at 1M
    "seed stations": 400,  # 10,000 stations and a million opinions: about a minute
    "stations": 400,  # 2 + runs calls of the rule and the found ones written (rolled back)
    "seed duty": 480,  # 100,000 deputies and 5,000,000 records: a few minutes
    "duty": 300,
}
# What a run measures at each size (``--only`` picks some).
PARTS = ("pages", "import", "sweep", "export", "similar", "assessment", "stations", "duty")


class OutOfTime(Exception):
    pass


class StepFailed(Exception):
    pass


@dataclass
class Step:
    name: str
    size: int | None
    ok: bool
    seconds: float
    error: str = ""


@dataclass
class Run:
    mode: Mode
    database_url: str
    started: float = field(default_factory=time.monotonic)
    steps: list[Step] = field(default_factory=list)
    figures: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def left(self) -> float:
        return self.mode.budget - (time.monotonic() - self.started)

    def limit(self, cap: float) -> float:
        """A step's time limit: its cap, cut to what is left of the run's budget."""
        left = self.left()
        if left < 5:
            raise OutOfTime(f"out of time ({self.mode.budget} s budget spent)")
        return min(cap, left)

    def step(self, name: str, size: int | None, action, *args, **kwargs):
        """Run one step; on an error or timeout record it as failed and return None."""
        started = time.monotonic()
        label = f"{name} @ {size:,}" if size else name
        print(f"  {label} ...", end="", flush=True)
        try:
            result = action(*args, **kwargs)
        except Exception as e:  # every failure is recorded, and the run goes on
            seconds = time.monotonic() - started
            error = _describe(e)
            self.steps.append(Step(name, size, False, seconds, error))
            print(f" FAILED after {seconds:.1f} s: {error.splitlines()[0] if error else ''}")
            return None
        seconds = time.monotonic() - started
        self.steps.append(Step(name, size, True, seconds))
        print(f" {seconds:.1f} s")
        return result

    def env(self) -> dict:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "DATABASE_URL": self.database_url,
            "PYTHONUNBUFFERED": "1",
            # wrk is one user from one address: the API's throttles would measure themselves.
            "DJANGO_API_RATE_USER": "100000000/min",
            "DJANGO_API_RATE_ADDRESS": "100000000/min",
        }


def _describe(e: Exception) -> str:
    if isinstance(e, subprocess.TimeoutExpired):
        return f"timed out after {e.timeout:.0f} s: {' '.join(map(str, e.cmd))[:200]}"
    if isinstance(e, (StepFailed, OutOfTime)):
        return str(e)
    return "".join(traceback.format_exception_only(e)).strip() + "\n" + traceback.format_exc()


def _python() -> str:
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def run_child(run: Run, args: list[str], cap: float) -> str:
    """Run a command with the bench settings; its stdout, or StepFailed with its stderr."""
    done = subprocess.run(
        args,
        cwd=ROOT,
        env=run.env(),
        capture_output=True,
        text=True,
        timeout=run.limit(cap),
    )
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-15:] or [""]
        # The last line (the exception) first, then the lines before it.
        raise StepFailed(f"exit status {done.returncode}: {tail[-1]}\n" + "\n".join(tail))
    return done.stdout


def run_json_step(run: Run, args: list[str], cap: float) -> dict:
    out = run_child(run, [_python(), str(ROOT / "bench" / "steps.py"), *args], cap)
    return json.loads(out.strip().splitlines()[-1])


def django_setup(url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    os.environ["DATABASE_URL"] = url
    import django

    # WhiteNoise warns that collectstatic never ran: the benchmark fetches no static file.
    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    # A page's error in this process is the failed step's error: not printed twice.
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
