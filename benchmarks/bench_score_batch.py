"""``indicators score-batch`` over generated 10⁶-row long tables: rows per second and peak memory.

The table repeats the bundled example (``examples/long-table.csv``: the xiaoguwei self-evaluation) for
as many units as it takes, each unit's numeric actuals shifted a little (deterministically), so that it
has the example's mix: 11 of 26 rows plainly numeric (scored in SQL), the rest qualitative,
judged or written with units (scored in Python). A second table has only the numeric rows. Each run is
a fresh ``indicators score-batch TABLE --out OUT.parquet`` process (start-up included).

Run with ``python -m benchmarks`` (or ``python -m benchmarks.bench_score_batch [ROWS]``).
"""

from __future__ import annotations

import csv
import re
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

from benchmarks.harness import run_process

ROWS = 1_000_000
EXAMPLE = Path(__file__).parents[1] / "examples" / "long-table.csv"
_NUMBER = re.compile(r"^([0-9]+(?:\.[0-9]+)?)(%?)$")


def _template(numeric_only: bool) -> tuple[list[str], list[list[str]]]:
    with EXAMPLE.open(encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    first = [r for r in rows if r[0] == rows[0][0]]
    if numeric_only:
        first = [r for r in first if _NUMBER.match(r[6]) and "预算" not in r[4]]
    return header, first


def write_table(path: Path, rows: int, *, numeric_only: bool = False) -> int:
    """A long table of about ``rows`` rows (whole units); the number of rows written."""
    header, template = _template(numeric_only)
    units = max(1, rows // len(template))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for unit in range(units):
            shift = Decimal(unit % 41 - 20) / 10  # −2.0 … +2.0
            for row in template:
                found = _NUMBER.match(row[6])
                actual = row[6]
                if found:
                    value = max(Decimal(found[1]) + shift, Decimal(0))
                    actual = f"{value:f}{found[2]}"
                writer.writerow([f"单位{unit:06d}", row[1], row[2], row[3], row[4], row[5], actual, row[7]])
    return units * len(template)


def run(rows: int = ROWS) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for label, numeric_only in (("example mix", False), ("numeric rows", True)):
            table = Path(folder) / f"long-{numeric_only}.csv"
            written = write_table(table, rows, numeric_only=numeric_only)
            out = Path(folder) / "scores.parquet"
            argv = [sys.executable, "-m", "indicators", "score-batch", str(table), "--out", str(out),
                    "--no-progress"]
            wall, peak = run_process(argv)
            print(f"score-batch {label:13s} {written:9d} rows  {written / wall:10.0f} rows/s  "
                  f"{wall:6.1f} s  peak {peak / 2**20:6.0f} MB")


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else ROWS)
