"""evaluate_to_file: every row computed in DuckDB, in file order, equal to the row-by-row results."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from indicators.formula import BatchError, evaluate_table, parse_formula
from indicators.formula.batch import evaluate_to_file

FORMULA = "指标值=(甲+乙×0.8)/丙×100%"
ROWS = 60_000  # enough for DuckDB to read the file on several threads


def _write(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["单位", "甲", "乙", "丙"])
        for i in range(count):
            bad = i % 997 == 5
            writer.writerow([f"u{i}", f"{1000 + i:,}", "N/A" if bad else str(i % 300), str(i % 50)])


def _read(path: Path) -> list[tuple[Any, ...]]:
    import duckdb

    return duckdb.connect().execute(f"SELECT * FROM '{path}'").fetchall()


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("batch") / "rows.csv"
    _write(path, ROWS)
    return path


def test_every_row_in_file_order_with_the_exact_value(big: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.parquet"
    summary = evaluate_to_file(FORMULA, big, out, key="单位")
    assert summary.rows == ROWS
    written = _read(out)
    assert len(written) == ROWS
    expected = {r.row: r for r in evaluate_table(FORMULA, big, key="单位")}
    failed = {r.row for r in summary.failed}
    for row, key, value, unit, notes in written:
        assert key == f"u{row - 2}"
        assert unit == "%"
        reference = expected[row]
        assert value == reference.value
        assert (notes is None) == reference.ok
        if notes is not None:
            assert row in failed
            assert notes == "；".join(d.message for d in reference.diagnostics)
    assert failed == {r.row for r in expected.values() if not r.ok}


def test_failed_rows_carry_their_diagnostics(big: Path, tmp_path: Path) -> None:
    summary = evaluate_to_file(FORMULA, big, tmp_path / "out.csv")
    codes = {d.code for r in summary.failed for d in r.diagnostics}
    assert codes == {"IND129", "IND131"}
    bad_cell = next(d for r in summary.failed for d in r.diagnostics if d.code == "IND129")
    assert bad_cell.data == {"column": "乙"}
    assert "N/A" in bad_cell.message


def test_a_reserved_column_name_and_a_bad_output(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("__row,a\n1,2\n", encoding="utf-8")
    with pytest.raises(BatchError, match="__row"):
        evaluate_to_file("a", path, tmp_path / "o.csv")
    path.write_text("a\n1\n", encoding="utf-8")
    with pytest.raises(BatchError, match="格式"):
        evaluate_to_file("a", path, tmp_path / "o.txt")


def test_the_same_formula_object_or_text(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,4\n3,0\n", encoding="utf-8")
    by_text = evaluate_to_file("a/b", path, tmp_path / "1.csv")
    by_formula = evaluate_to_file(parse_formula("a/b"), path, tmp_path / "2.csv")
    first, second = ((tmp_path / name).read_text(encoding="utf-8") for name in ("1.csv", "2.csv"))
    assert first == second
    assert by_text == by_formula
    assert by_text.rows == 2
    assert [r.row for r in by_text.failed] == [3]
    assert _read(tmp_path / "1.csv")[0][2] == Decimal("0.25")
