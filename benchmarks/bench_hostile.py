"""Hostile inputs on the command line: the time and peak memory of each, against the goals of
docs/limits.md.

Every hostile file of the test corpus (``tests/fuzz/test_hostile_files.py``), a million-digit actual
value in JSON, hostile numbers given to ``formula eval``, and a form whose formula nests ROUND four
deep checked against the catalog's formula: each runs as ``indicators …`` in a fresh process; its wall
time, peak resident memory and exit code are printed with the goal (exit 1 within 5 s and 500 MB; the
ROUND×4 check within 2 s, exit 0 or 1). Run with ``make bench`` (``python -m benchmarks``) or
``python -m benchmarks.bench_hostile``; the figures are printed, never asserted.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from benchmarks.harness import machine

ROOT = Path(__file__).resolve().parents[1]
MEMORY_GOAL = 500 * 1024 * 1024
HOSTILE_SECONDS, ROUND_SECONDS = 5.0, 2.0
ROUND4 = "指标值=ROUND(ROUND(ROUND(ROUND(办结工单/呈办工单,2),2),2),2)*100%"
ROUND3 = "指标值=ROUND(ROUND(ROUND(办结工单/呈办工单,2),2),2)*100%"

_PROBE = (
    "import resource, subprocess, sys, time;"
    "start = time.perf_counter();"
    "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL);"
    "wall = time.perf_counter() - start;"
    "print(wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.returncode)"
)


def measure(argv: Sequence[str]) -> tuple[float, int, int]:
    """(wall seconds, peak resident bytes, exit code) of one command run from a fresh Python."""
    done = subprocess.run([sys.executable, "-c", _PROBE, *argv], capture_output=True, text=True, check=True)
    wall, peak, code = done.stdout.split()
    return float(wall), int(peak) * 1024, int(code)


def _indicators(*args: str) -> list[str]:
    return [sys.executable, "-m", "indicators", *args]


def _line(label: str, argv: Sequence[str], seconds: float, codes: tuple[int, ...] = (1,)) -> bool:
    wall, peak, code = measure(argv)
    met = wall <= seconds and peak <= MEMORY_GOAL and code in codes
    mark = "ok" if met else "MISSED"
    print(f"  {label:<34} {wall:6.2f} s {peak / 2**20:7.0f} MB  exit {code}  "
          f"(goal ≤{seconds:g} s, ≤500 MB)  {mark}")
    return met


def _files(folder: Path) -> list[tuple[str, list[str]]]:
    sys.path.insert(0, str(ROOT))
    from tests.fuzz.test_hostile_files import CASES  # the corpus the tests read

    runs = []
    for case in CASES:
        path = folder / case.name
        path.write_bytes(case.build())
        runs.append((case.id, _indicators("check", str(path))))
    digits = folder / "digits.json"
    record = '[{"name": "党员参与志愿服务人次", "actual": ' + "9" * 1_000_000 + "}]"
    digits.write_text(record, encoding="utf-8")
    form = ROOT / "examples" / "xiaoguwei-declared.txt"
    runs.append(("million-digit-json-actual", _indicators("score", str(form), "--actuals", str(digits))))
    for value in ("1e999999", "NaN", "10²", "9" * 1999):
        shown = value if len(value) < 12 else f"{len(value)}-digit"
        argv = _indicators("formula", "eval", "a/b*100%", "--var", f"a={value}", "--var", "b=3")
        runs.append((f"formula-eval-{shown}", argv))
    return runs


def run() -> None:
    print(f"hostile inputs: one fresh process each ({machine()})")
    missed = 0
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for label, argv in _files(folder):
            missed += not _line(label, argv, HOSTILE_SECONDS)
        round4 = folder / "round4.tsv"
        round4.write_text("一级指标\t二级指标\t三级指标\t计算公式\t年度指标值\n"
                          f"产出指标\t质量指标\t“12345”热线工单办结率\t{ROUND4}\t95%以上\n", encoding="utf-8")
        missed += not _line("check ROUND×4 vs catalog formula", _indicators("check", str(round4)),
                            ROUND_SECONDS, (0, 1))
        equiv = _indicators("formula", "equiv", ROUND4, ROUND3)
        missed += not _line("formula equiv ROUND×4 vs ROUND×3", equiv, ROUND_SECONDS, (0, 1))
        solve = _indicators("formula", "solve", ROUND4, "--for", "办结工单", "--target", "95",
                            "--compare", "ge", "--var", "呈办工单=200")
        missed += not _line("formula solve ROUND×4", solve, ROUND_SECONDS, (0, 1))
    print(json.dumps({"missed": missed}))


if __name__ == "__main__":
    run()
