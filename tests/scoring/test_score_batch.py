"""``score-batch``: a long table scored in DuckDB gives exactly what the Python scorer gives, row by row
and total by total; every error path has its diagnostic."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.scoring.long_tables import long_rows, write_csv

from indicators.scoring import Policy, load_policy
from indicators.scoring.batch import (
    LineResult,
    ScoreBatchError,
    read_long_table,
    score_rows,
    score_table,
)

_FOUR = Decimal("0.0001")


def _policies() -> list[Policy]:
    default = load_policy("default")
    symmetric = default.model_copy(update={
        "name": "symmetric",
        "quantitative": default.quantitative.model_copy(update={"exact": "symmetric",
                                                                 "negative_actual_as_zero": False}),
    })
    return [default, load_policy("reverse-ratio"), symmetric, load_policy("department")]


POLICIES = _policies()


def _line(line: LineResult) -> tuple[object, ...]:
    weight = None if line.weight is None else line.weight.quantize(_FOUR)
    return (line.row, line.unit, line.period, line.indicator, line.verdict, line.achievement, weight,
            line.score, line.code, line.message)


def assert_same(path: Path, policy: Policy) -> tuple[int, int]:
    """score-batch (DuckDB) and the Python scorer agree exactly; (rows scored in SQL, in Python)."""
    batch = score_table(path, policy=policy)
    lines, totals = score_rows(read_long_table(path), policy)
    assert batch.lines is not None
    assert [_line(x) for x in batch.lines] == [_line(x) for x in lines]
    assert list(batch.totals) == totals
    return batch.sql_rows, batch.python_rows


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=long_rows(), policy=st.sampled_from(POLICIES))
def test_same_as_python_scorer(tmp_path: Path, rows: list[list[str]], policy: Policy) -> None:
    assert_same(write_csv(tmp_path / "long.csv", rows), policy)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=long_rows(numeric=True), policy=st.sampled_from(POLICIES))
def test_numeric_tables_same_as_python_scorer(tmp_path: Path, rows: list[list[str]], policy: Policy) -> None:
    assert_same(write_csv(tmp_path / "long.csv", rows), policy)


def test_numeric_rows_run_in_sql(tmp_path: Path) -> None:
    rows = [
        ["甲", "2024", "产出指标", "数量指标", "培训人次", "≥100人次", "", "", "90", "20"],
        ["甲", "2024", "产出指标", "质量指标", "合格率", "95%以上", "", "", "96.5%", "30"],
        ["甲", "2024", "产出指标", "成本指标", "单位成本", "≤100万元", "", "", "150", "20"],
        ["甲", "2024", "效益指标", "社会效益指标", "效果", "明显", "", "", "达成", "30"],
    ]
    sql_rows, python_rows = assert_same(write_csv(tmp_path / "t.csv", rows), POLICIES[0])
    assert (sql_rows, python_rows) == (3, 1)
    batch = score_table(tmp_path / "t.csv", policy=POLICIES[0])
    assert batch.lines is not None
    scores = [(x.verdict, x.score) for x in batch.lines]
    assert scores == [("partial", Decimal("18.00")), ("met", Decimal("30.00")),
                      ("partial", Decimal("10.00")), ("met", Decimal("30.00"))]
    assert batch.totals[0].total == Decimal("88.00")
    assert batch.totals[0].grade == "良"


def test_half_up_at_the_exact_quotient(tmp_path: Path) -> None:
    """1 ÷ 8 × 20 = 2.5 exactly; 0.125 of 3 is 0.375 → 0.38 (half up, not the DOUBLE's guess)."""
    rows = [["甲", "", "产出指标", "数量指标", "a", "≥8", "", "", "1", "20"],
            ["甲", "", "产出指标", "数量指标", "b", "≥8", "", "", "1", "3"],
            ["甲", "", "产出指标", "数量指标", "c", "≥3", "", "", "1", "0.35"]]
    assert_same(write_csv(tmp_path / "t.csv", rows), POLICIES[0])
    batch = score_table(tmp_path / "t.csv", policy=POLICIES[0])
    assert batch.lines is not None
    assert [x.score for x in batch.lines] == [Decimal("2.50"), Decimal("0.38"), Decimal("0.12")]
    assert batch.sql_rows == 3
