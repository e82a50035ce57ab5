"""The memory figures of the benchmark's child processes (``bench/steps.py``)."""

import contextlib
import resource
import sys
from pathlib import Path


def peak_mb() -> float:
    """The process's peak resident memory so far, in MB.

    Linux's VmHWM, the high-water mark of this program's own memory. Not ``ru_maxrss``:
    Linux carries it over exec(), so a child started by the harness would report the
    harness's peak as its own. ``ru_maxrss`` is the fallback where /proc is missing.
    """
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)


def resident_mb() -> float | None:
    """The process's resident memory now, in MB (Linux's VmRSS; None without /proc)."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return None
