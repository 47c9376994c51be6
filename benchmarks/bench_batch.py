"""Batch throughput: the Decimal closure and DuckDB over a generated 100,000-row CSV.

Run with ``python -m benchmarks``.
"""

from __future__ import annotations

import csv
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from indicators.formula import evaluate_table, parse_formula, to_callable

FORMULA = "指标值=(可回收物回收量+其他垃圾处理量×0.8+厨余垃圾资源化利用量×0.9)/四类垃圾处理总量×100%"
COLUMNS = ("可回收物回收量", "其他垃圾处理量", "厨余垃圾资源化利用量", "四类垃圾处理总量")
ROWS = 100_000


def _rows(count: int) -> list[dict[str, Decimal]]:
    """Deterministic rows (no random numbers, so every run computes the same values)."""
    out = []
    for i in range(count):
        a, b, c = Decimal(1000 + i % 500), Decimal(3000 + i % 700), Decimal(2000 + i % 900)
        out.append({"单位": Decimal(i), COLUMNS[0]: a, COLUMNS[1]: b, COLUMNS[2]: c,
                    COLUMNS[3]: a + b + c + Decimal(i % 300)})
    return out


def _write_csv(path: Path, rows: list[dict[str, Decimal]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["单位", *COLUMNS])
        for row in rows:
            writer.writerow([f"单位{row['单位']}", *(f"{row[c]:,}" for c in COLUMNS)])  # with separators


def run() -> None:
    formula = parse_formula(FORMULA)
    rows = _rows(ROWS)
    closure = to_callable(formula)
    start = time.perf_counter()
    for row in rows:
        closure(row)
    elapsed = time.perf_counter() - start
    print(f"batch closure   {ROWS / elapsed:10.0f} rows/s")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rows.csv"
        _write_csv(path, rows)
        evaluate_table(formula, path, key="单位")  # warm up: imports duckdb and sqlglot
        start = time.perf_counter()
        results = evaluate_table(formula, path, key="单位")
        elapsed = time.perf_counter() - start
    assert len(results) == ROWS
    print(f"batch duckdb    {ROWS / elapsed:10.0f} rows/s  (CSV read, cells checked, results as Decimal)")


if __name__ == "__main__":
    run()
