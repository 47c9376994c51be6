"""Start-up: the everyday commands load no heavy library they do not need (``python -X importtime``).

Speed itself is measured by ``make bench`` (docs/performance.md), never asserted here; what is
asserted is which modules a command imports.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORM = ROOT / "examples" / "xiaoguwei-declared.txt"
ACTUALS = ROOT / "examples" / "xiaoguwei-actuals.csv"
#: libraries that only analysis and batch commands need
HEAVY = ("sympy", "duckdb", "sqlglot", "polars", "pyarrow", "pyspark", "psycopg")


def _imported(*argv: str, tmp_path: Path) -> set[str]:
    env = {**os.environ, "INDICATORS_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "indicators", *argv],
        capture_output=True, text=True, encoding="utf-8", env=env, cwd=tmp_path, check=False, timeout=120,
    )
    assert done.returncode in (0, 1), done.stderr[-2000:]
    modules = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            modules.add(line.rsplit("|", 1)[1].strip())
    assert "indicators.cli.app" in modules  # the log was read
    return modules


@pytest.mark.slow
@pytest.mark.parametrize(
    "argv",
    [("check", str(FORM)), ("score", str(FORM), "--actuals", str(ACTUALS)), ("--help",)],
    ids=["check", "score", "help"],
)
def test_everyday_commands_load_no_heavy_library(argv: tuple[str, ...], tmp_path: Path) -> None:
    modules = _imported(*argv, tmp_path=tmp_path)
    loaded = sorted(m for m in modules if m.split(".")[0] in HEAVY)
    assert not loaded, f"{argv[0]} imported {loaded[:5]}"


@pytest.mark.slow
def test_check_loads_no_pint(tmp_path: Path) -> None:
    """Unit words and dimensions come from the table of units.txt; pint only converts values."""
    modules = _imported("check", str(FORM), tmp_path=tmp_path)
    assert "pint" not in modules


@pytest.mark.slow
def test_batch_eval_loads_no_linter(tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text("单位,a,b\n甲,1,2\n", encoding="utf-8")
    modules = _imported("batch", "eval", "a/b", "--csv", str(rows), "--key", "单位", tmp_path=tmp_path)
    assert not {m for m in modules if m.startswith("indicators.lint")}


@pytest.mark.slow
def test_help_loads_no_parser_or_unit_registry(tmp_path: Path) -> None:
    modules = _imported("--help", tmp_path=tmp_path)
    assert not {"lark", "pint", "indicators.formula.parser", "indicators.target.grammar"} & modules


@pytest.mark.slow
def test_a_formula_analysis_does_load_sympy(tmp_path: Path) -> None:
    """The negative case: the detector does see sympy when a command needs it."""
    modules = _imported("formula", "equiv", "ROUND(a,1)", "ROUND(a,2)", tmp_path=tmp_path)
    assert "sympy" in modules
