"""Lint speed: the bundled seed form, and a synthetic form of 1,000 indicator rows."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from indicators.diagnostics import Location
from indicators.forms import read_form
from indicators.forms.model import Cell, Form, IndicatorRow
from indicators.lint import lint_form

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "xiaoguwei-declared.txt"

_ROW = (
    "产出指标",
    "质量指标",
    "安全隐患整改完成率{i}",
    "指标值=安全隐患整改件数/安全隐患应整改总数*100%",
    "{t}%以上",
)


def synthetic(rows: int) -> Form:
    """A form of ``rows`` distinct, well-formed percentage indicators."""
    out = []
    for i in range(rows):
        texts = [part.format(i=i, t=80 + i % 20) for part in _ROW]
        cells = {
            field: Cell(text=text, location=Location(row=i + 2, column=column))
            for column, (field, text) in enumerate(
                zip(("level1", "level2", "level3", "formula", "target"), texts, strict=True), start=1
            )
        }
        out.append(IndicatorRow(index=i, **cells))
    return Form(indicators=tuple(out))


def _time(label: str, repeat: int, job: Callable[[], object]) -> None:
    start = time.perf_counter()
    for _ in range(repeat):
        job()
    per = (time.perf_counter() - start) / repeat
    print(f"lint  {label:<34} {per * 1000:9.1f} ms")


def run() -> None:
    seed = read_form(SEED)
    lint_form(seed)  # build the parsers and read the catalog once
    _time("seed form (29 rows)", 20, lambda: lint_form(seed))
    big = synthetic(1000)
    _time("synthetic form (1,000 rows)", 3, lambda: lint_form(big))
    _time("seed form, budget rules only", 200, lambda: lint_form(seed, select=["budget"]))


if __name__ == "__main__":
    run()
