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
    OUTPUT_COLUMNS,
    TOTAL_COLUMNS,
    LineResult,
    ScoreBatchError,
    emit_sql,
    read_long_table,
    resolve_columns,
    score_rows,
    score_table,
    totals_path,
)

_FOUR = Decimal("0.0001")


def _policies() -> list[Policy]:
    default = load_policy("default")
    symmetric = default.model_copy(
        update={
            "name": "symmetric",
            "quantitative": default.quantitative.model_copy(
                update={"exact": "symmetric", "negative_actual_as_zero": False}
            ),
        }
    )
    split = default.model_copy(
        update={
            "name": "split",
            "level3_weights": default.level3_weights.model_copy(update={"from_form": False}),
        }
    )
    return [default, load_policy("reverse-ratio"), symmetric, load_policy("department"), split]


POLICIES = _policies()


def _line(line: LineResult) -> tuple[object, ...]:
    weight = None if line.weight is None else line.weight.quantize(_FOUR)
    return (
        line.row,
        line.unit,
        line.period,
        line.indicator,
        line.verdict,
        line.achievement,
        weight,
        line.score,
        line.code,
        line.message,
    )


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
    assert scores == [
        ("partial", Decimal("18.00")),
        ("met", Decimal("30.00")),
        ("partial", Decimal("10.00")),
        ("met", Decimal("30.00")),
    ]
    assert batch.totals[0].total == Decimal("88.00")
    assert batch.totals[0].grade == "良"


def test_half_up_at_the_exact_quotient(tmp_path: Path) -> None:
    """1 ÷ 8 × 20 = 2.5 exactly; 0.125 of 3 is 0.375 → 0.38 (half up, not the DOUBLE's guess)."""
    rows = [
        ["甲", "", "产出指标", "数量指标", "a", "≥8", "", "", "1", "20"],
        ["甲", "", "产出指标", "数量指标", "b", "≥8", "", "", "1", "3"],
        ["甲", "", "产出指标", "数量指标", "c", "≥3", "", "", "1", "0.35"],
    ]
    assert_same(write_csv(tmp_path / "t.csv", rows), POLICIES[0])
    batch = score_table(tmp_path / "t.csv", policy=POLICIES[0])
    assert batch.lines is not None
    assert [x.score for x in batch.lines] == [Decimal("2.50"), Decimal("0.38"), Decimal("0.12")]
    assert batch.sql_rows == 3


# --- files, outputs and every error path ------------------------------------------------------------------

EXAMPLE = Path(__file__).parents[2] / "examples" / "long-table.csv"


def test_example_table(tmp_path: Path) -> None:
    sql_rows, python_rows = assert_same(EXAMPLE, POLICIES[0])
    assert sql_rows > 0
    assert python_rows > 0
    batch = score_table(EXAMPLE, policy=POLICIES[0])
    first = batch.totals[0]
    assert (first.unit, first.period, first.rows, first.total, first.grade) == (
        "番禺区小谷围街道办事处",
        "2024",
        26,
        Decimal("90.36"),
        "优",
    )
    assert batch.lines is not None
    budget = next(x for x in batch.lines if x.indicator == "预算执行率")
    assert (budget.row, budget.score, budget.verdict) == (27, Decimal("9.50"), "partial")


def test_parquet_in_csv_and_parquet_out(tmp_path: Path) -> None:
    import duckdb

    source = tmp_path / "long.parquet"
    duckdb.sql(
        f"COPY (SELECT * FROM read_csv('{EXAMPLE}', all_varchar = true)) TO '{source}' (FORMAT parquet)"
    )
    assert_same(source, POLICIES[0])
    for suffix in (".csv", ".parquet"):
        out = tmp_path / f"scores{suffix}"
        result = score_table(source, policy=POLICIES[0], out=out)
        assert result.lines is None
        assert result.outputs == (out, totals_path(out))
        reader = "read_csv" if suffix == ".csv" else "read_parquet"
        written = duckdb.sql(f"SELECT * FROM {reader}('{out}')")
        assert written is not None
        assert tuple(written.columns) == OUTPUT_COLUMNS
        assert written.shape[0] == result.rows
        totals = duckdb.sql(f"SELECT * FROM {reader}('{totals_path(out)}')")
        assert totals is not None
        assert tuple(totals.columns) == TOTAL_COLUMNS
        assert totals.shape[0] == len(result.totals) == 5


def test_missing_column_is_ind850(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", [["甲", "培训人次", "≥100"]], header=("单位", "三级指标", "指标值"))
    with pytest.raises(ScoreBatchError) as caught:
        score_table(path, policy=POLICIES[0])
    assert caught.value.diagnostic.code == "IND850"
    assert "实际完成值" in caught.value.diagnostic.message


def test_english_headers_and_synonyms(tmp_path: Path) -> None:
    header = (
        "unit",
        "year",
        "level1",
        "level2",
        "indicator",
        "target",
        "measure",
        "direction",
        "actual",
        "weight",
    )
    rows = [["A", "2024", "产出指标", "数量指标", "培训人次", "100", "人次", "≥", "90", "50"]]
    assert resolve_columns(list(header))["period"] == "year"
    assert (
        resolve_columns(["单位名称", "三级指标（名称）", "年度指标值", "实际完成值"])["indicator"]
        == "三级指标（名称）"
    )
    batch = score_table(write_csv(tmp_path / "t.csv", rows, header=header), policy=POLICIES[0])
    assert batch.sql_rows == 1
    assert batch.lines is not None
    assert batch.lines[0].score == Decimal("45.00")


def test_row_without_indicator_is_ind851(tmp_path: Path) -> None:
    rows = [
        ["甲", "2024", "产出指标", "数量指标", "", "≥100", "", "", "90", "20"],
        ["甲", "2024", "产出指标", "数量指标", "培训人次", "≥100", "", "", "90", "20"],
    ]
    path = write_csv(tmp_path / "t.csv", rows)
    assert_same(path, POLICIES[0])
    batch = score_table(path, policy=POLICIES[0])
    assert batch.lines is not None
    assert (batch.lines[0].code, batch.lines[0].score, batch.lines[0].verdict) == ("IND851", None, None)
    assert batch.lines[0].message == "第 2 行无法评分：没有三级指标名称"
    assert batch.codes == (("IND851", 1),)


def test_too_many_rows_for_python_is_ind853(tmp_path: Path) -> None:
    rows = [["甲", "2024", "产出指标", "数量指标", "效果", "明显", "", "", "达成", "20"]] * 3
    with pytest.raises(ScoreBatchError) as caught:
        score_table(write_csv(tmp_path / "t.csv", rows), policy=POLICIES[0], max_python_rows=2)
    assert caught.value.diagnostic.code == "IND853"
    assert "3" in caught.value.diagnostic.message


def test_too_many_targets_is_ind853(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from indicators.scoring.batch import run

    monkeypatch.setattr(run, "MAX_PLANS", 1)
    rows = [
        ["甲", "2024", "产出指标", "数量指标", "a", "≥1", "", "", "1", "20"],
        ["甲", "2024", "产出指标", "数量指标", "b", "≥2", "", "", "1", "20"],
    ]
    with pytest.raises(ScoreBatchError) as caught:
        score_table(write_csv(tmp_path / "t.csv", rows), policy=POLICIES[0])
    assert caught.value.diagnostic.code == "IND853"


def test_unreadable_file_is_ind130(tmp_path: Path) -> None:
    from indicators.formula.batch_sql import BatchError

    with pytest.raises(BatchError) as caught:
        score_table(tmp_path / "missing.csv", policy=POLICIES[0])
    assert caught.value.diagnostic.code == "IND130"
    with pytest.raises(BatchError):
        score_table(EXAMPLE, policy=POLICIES[0], out=tmp_path / "scores.xlsx")


def test_policies_without_a_sql_form_score_in_python(tmp_path: Path) -> None:
    uncapped = POLICIES[0].model_copy(
        update={"quantitative": POLICIES[0].quantitative.model_copy(update={"cap": False})}
    )
    deducting = POLICIES[0].model_copy(
        update={"overshoot": POLICIES[0].overshoot.model_copy(update={"deduct_rate": Decimal("0.5")})}
    )
    rows = [
        ["甲", "2024", "产出指标", "数量指标", "培训人次", "≥100", "", "", "150", "20"],
        ["甲", "2024", "产出指标", "成本指标", "成本", "≤100", "", "", "150", "20"],
    ]
    split = POLICIES[0].model_copy(update={
        "level3_weights": POLICIES[0].level3_weights.model_copy(update={"from_form": False})})
    path = write_csv(tmp_path / "t.csv", rows)
    assert_same(EXAMPLE, split)  # each unit × period as a whole: the weights are split
    assert assert_same(path, uncapped) == (0, 2)
    assert assert_same(path, deducting) == (1, 1)
    assert assert_same(path, split) == (0, 2)


def test_emitted_sql_in_each_dialect() -> None:
    import sqlglot

    for dialect in ("postgres", "spark", "trino", "duckdb"):
        text = emit_sql(EXAMPLE, dialect, policy=POLICIES[0], table="省级长表")
        assert text.endswith(";")
        assert "省级长表" in text
        sqlglot.parse_one(text.rstrip(";"), dialect=dialect)  # the dialect reads what it was given
    with pytest.raises(ScoreBatchError) as caught:
        emit_sql(EXAMPLE, "no-such-sql", policy=POLICIES[0])
    assert caught.value.diagnostic.code == "IND130"


def test_emitted_sql_runs_in_duckdb(tmp_path: Path) -> None:
    """The warehouse query over a DuckDB table gives DuckDB's own file-to-file result."""
    import duckdb

    connection = duckdb.connect()
    connection.execute(
        f"CREATE TABLE indicators_input AS SELECT * FROM read_csv('{EXAMPLE}', all_varchar = true)"
    )
    found = connection.execute(emit_sql(EXAMPLE, "duckdb", policy=POLICIES[0]).rstrip(";")).fetchall()
    batch = score_table(EXAMPLE, policy=POLICIES[0])
    assert batch.lines is not None
    scored = [r for r in found if r[10] == "sql"]
    assert len(scored) == batch.sql_rows
    by_row = {(x.unit, x.period, x.indicator): x for x in batch.lines}
    for r in scored:
        line = by_row[(r[0], r[1], r[4])]
        assert (r[13], r[14], r[15]) == (line.verdict, line.achievement, line.score)


def test_python_rows_read_in_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Groups that straddle the chunks DuckDB hands to Python, and a memo that fills up, change nothing."""
    from indicators.scoring.batch import run

    monkeypatch.setattr(run, "CHUNK", 7)
    monkeypatch.setattr(run, "MEMO_SIZE", 5)
    assert_same(EXAMPLE, POLICIES[0])
