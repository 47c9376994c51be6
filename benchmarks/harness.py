"""Measuring against a floor on a shared, noisy machine: interleaved repeats, medians and spreads.

Every figure is a ratio to a floor measured in the same run: each round times the floor and the work
back to back (alternating which goes first), so a neighbour's load slows both alike; the figure is the
median of the per-round ratios, with their spread (the lowest and highest round). Absolute times are
printed for orientation only: on this machine they move by a factor of two between runs.
"""

from __future__ import annotations

import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    """One row of the table: the work, its floor, the ratio and the goal."""

    name: str
    work: float  # seconds per item (median)
    floor: float | None  # seconds per item (median), None where there is no floor
    ratio: float | None  # median of the per-round ratios
    low: float | None  # lowest and highest per-round ratio
    high: float | None
    goal: str
    met: bool
    unit: str = "µs"
    note: str = ""

    def shown(self, value: float | None) -> str:
        if value is None:
            return "—"
        scale = {"µs": 1e6, "ms": 1e3, "s": 1.0}[self.unit]
        return f"{value * scale:.3g} {self.unit}"


def loops_for(action: Callable[[], object], seconds: float = 0.02) -> int:
    """How many calls take about ``seconds`` (at least 1)."""
    count = 1
    while True:
        start = time.perf_counter()
        for _ in range(count):
            action()
        if time.perf_counter() - start >= seconds or count >= 1 << 22:
            return count
        count *= 2


def _timed(action: Callable[[], object], loops: int) -> float:
    start = time.perf_counter()
    for _ in range(loops):
        action()
    return (time.perf_counter() - start) / loops


def interleaved(
    work: Callable[[], object], floor: Callable[[], object], *, rounds: int = 15, seconds: float = 0.02
) -> tuple[float, float, float, float, float]:
    """(work median, floor median, ratio median, lowest ratio, highest ratio), times per call."""
    work(), floor()  # warm both up
    work_loops, floor_loops = loops_for(work, seconds), loops_for(floor, seconds)
    works, floors, ratios = [], [], []
    for i in range(rounds):
        if i % 2:
            w = _timed(work, work_loops)
            f = _timed(floor, floor_loops)
        else:
            f = _timed(floor, floor_loops)
            w = _timed(work, work_loops)
        works.append(w)
        floors.append(f)
        ratios.append(w / f)
    middle = statistics.median
    return middle(works), middle(floors), middle(ratios), min(ratios), max(ratios)


def run_process(argv: Sequence[str], *, env: dict[str, str] | None = None) -> tuple[float, int]:
    """(wall seconds, peak resident memory in bytes) of one command, measured from a fresh Python."""
    probe = (
        "import resource, subprocess, sys, time;"
        "start = time.perf_counter();"
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL);"
        "wall = time.perf_counter() - start;"
        "print(wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    done = subprocess.run([sys.executable, "-c", probe, *argv], capture_output=True, text=True, check=True,
                          env=env)
    wall, peak = done.stdout.split()
    return float(wall), int(peak) * 1024


def interleaved_processes(
    work: Sequence[str], floor: Sequence[str], *, rounds: int = 5, env: dict[str, str] | None = None
) -> tuple[float, float, float, float, float, int, int]:
    """Like :func:`interleaved` for commands: also the median peak memory of each (bytes)."""
    run_process(work, env=env)
    run_process(floor, env=env)
    works, floors, ratios, work_mem, floor_mem = [], [], [], [], []
    for i in range(rounds):
        order = (work, floor) if i % 2 else (floor, work)
        results = {}
        for argv in order:
            results[tuple(argv)] = run_process(argv, env=env)
        w, wm = results[tuple(work)]
        f, fm = results[tuple(floor)]
        works.append(w)
        floors.append(f)
        ratios.append(w / f)
        work_mem.append(wm)
        floor_mem.append(fm)
    return (statistics.median(works), statistics.median(floors), statistics.median(ratios), min(ratios),
            max(ratios), int(statistics.median(work_mem)), int(statistics.median(floor_mem)))


def machine() -> str:
    """The machine the figures were measured on."""
    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            names = (line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
            model = next(names, "")
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30 if hasattr(os, "sysconf") else 0
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return (f"{model or platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
            f"{memory:.0f} GiB; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}; "
            f"load average at the start {load}")


def peak_memory_self() -> int:
    """This process's peak resident memory in bytes."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
