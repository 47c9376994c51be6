"""`indicators batch sql | eval`: output, formats, exit codes, and the missing-dependency message."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from indicators.cli.app import EXIT_INVALID, EXIT_OK, EXIT_USAGE, main

GARBAGE = "指标值=(可回收物回收量+其他垃圾处理量×0.8+厨余垃圾资源化利用量×0.9)/四类垃圾处理总量×100%"
CSV_TEXT = (
    "单位,可回收物回收量,其他垃圾处理量,厨余垃圾资源化利用量,四类垃圾处理总量\n"
    '甲街道,"1,250",3100,2400,7000\n'
    "乙街道,1250,3100,2400,0\n"
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def table(tmp_path: Path) -> Path:
    path = tmp_path / "garbage.csv"
    path.write_text(CSV_TEXT, encoding="utf-8")
    return path


def test_sql_default_dialect(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "batch", "sql", "指标值=办结工单/呈办工单*100%")
    assert code == EXIT_OK
    assert '"办结工单"' in out
    assert "NULLIF" in out
    assert err == ""


@pytest.mark.parametrize(("dialect", "quoted"), [("postgres", '"x"'), ("mysql", "`x`"), ("tsql", "[x]")])
def test_sql_dialect_and_columns(capsys: pytest.CaptureFixture[str], dialect: str, quoted: str) -> None:
    code, out, _ = run(capsys, "batch", "sql", "a/b", "--dialect", dialect, "--column", "a=x")
    assert code == EXIT_OK
    assert quoted in out


def test_sql_errors(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "batch", "sql", "满意度")
    assert code == EXIT_INVALID
    assert "IND127" in err
    code, _, err = run(capsys, "batch", "sql", "a/b", "--dialect", "nosuch")
    assert code == EXIT_INVALID
    assert "IND130" in err
    code, _, err = run(capsys, "batch", "sql", "a/b", "--column", "a")
    assert code == EXIT_INVALID
    assert "名称=列名" in err
    code, _, err = run(capsys, "batch", "sql", "a/")
    assert code == EXIT_INVALID
    assert "IND103" in err


def test_sql_prints_formula_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "batch", "sql", "完成数/计划数×100")
    assert code == EXIT_OK
    assert "IND120" in err


def test_usage(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "batch")
    assert code == EXIT_USAGE
    assert "sql" in err
    code, _, _ = run(capsys, "batch", "eval", "a/b")
    assert code == EXIT_USAGE  # --csv is required


def test_eval_text(capsys: pytest.CaptureFixture[str], table: Path) -> None:
    code, out, err = run(capsys, "batch", "eval", GARBAGE, "--csv", str(table), "--key", "单位")
    assert code == EXIT_INVALID  # one row has a zero divisor
    assert out.splitlines() == ["行\t单位\t指标值", "2\t甲街道\t84.14%", "3\t乙街道\t无法计算"]
    assert "IND131" in err
    assert "第 3 行" in err


def test_eval_json(capsys: pytest.CaptureFixture[str], table: Path) -> None:
    code, out, _ = run(capsys, "batch", "eval", GARBAGE, "--csv", str(table), "--key", "单位",
                       "--format", "json")
    assert code == EXIT_INVALID
    data = json.loads(out)
    assert data["unit"] == "%"
    first, second = data["rows"]
    assert first == {"row": 2, "key": "甲街道", "ok": True, "value": "84.1428571429", "unit": "%",
                     "diagnostics": []}
    assert second["ok"] is False
    assert second["value"] is None
    assert second["diagnostics"][0]["code"] == "IND131"


def test_eval_csv_to_a_file(capsys: pytest.CaptureFixture[str], table: Path, tmp_path: Path) -> None:
    out_path = tmp_path / "out.csv"
    code, out, _ = run(capsys, "batch", "eval", GARBAGE, "--csv", str(table), "--format", "csv",
                       "-o", str(out_path))
    assert code == EXIT_INVALID
    assert out == ""
    rows = list(csv.reader(io.StringIO(out_path.read_text(encoding="utf-8"))))
    assert rows[0] == ["行", "键", "指标值", "单位", "说明"]
    assert rows[1] == ["2", "", "84.1428571429", "%", ""]
    assert rows[2][2] == ""
    assert "除数为零" in rows[2][4]


def test_eval_all_rows_ok_exits_0(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "ok.csv"
    path.write_text("dept,done,total\n一科,2936,\"3,012\"\n", encoding="utf-8")
    code, out, err = run(capsys, "batch", "eval", "指标值=办结工单/呈办工单*100%", "--csv", str(path),
                         "--column", "办结工单=done", "--column", "呈办工单=total", "--key", "dept")
    assert code == EXIT_OK
    assert out == "行\tdept\t指标值\n2\t一科\t97.48%\n"
    assert err == ""


def test_eval_missing_column(capsys: pytest.CaptureFixture[str], table: Path) -> None:
    code, _, err = run(capsys, "batch", "eval", "a/b", "--csv", str(table))
    assert code == EXIT_INVALID
    assert "IND130" in err


def test_missing_dependencies_give_the_install_hint() -> None:
    code = (
        "import sys; sys.modules['sqlglot'] = None; sys.modules['duckdb'] = None\n"
        "from indicators.cli.app import main\n"
        "sys.exit(main(['batch', 'sql', 'a/b']))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == EXIT_INVALID
    assert "pip install 'indicators[batch]'" in done.stderr
    assert "没有安装" in done.stderr


def test_help_imports_neither_duckdb_nor_sqlglot() -> None:
    code = (
        "import sys; import indicators, indicators.formula; from indicators.cli.app import build_parser; "
        "build_parser().format_help(); print(','.join(m for m in ('duckdb', 'sqlglot') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


# --- from file to file in DuckDB ---------------------------------------------------------------------------


def _table_of(path: Path) -> list[dict[str, Any]]:
    import duckdb

    connection = duckdb.connect()
    try:
        relation = connection.execute(f"SELECT * FROM '{path}'")
        names = [d[0] for d in relation.description]
        return [dict(zip(names, row, strict=True)) for row in relation.fetchall()]
    finally:
        connection.close()


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_eval_to_a_file_streams_every_row_with_its_notes(
    capsys: pytest.CaptureFixture[str], table: Path, tmp_path: Path, suffix: str
) -> None:
    out_path = tmp_path / f"out{suffix}"
    code, out, err = run(capsys, "batch", "eval", GARBAGE, "--csv", str(table), "--key", "单位",
                         "-o", str(out_path))
    assert code == EXIT_INVALID
    assert out == ""
    assert "IND131" in err
    assert "已写入 2 行" in err
    first, second = _table_of(out_path)
    # the key column keeps its name apart from the unit column
    assert list(first) == ["行", "单位（键）", "指标值", "单位", "说明"]
    assert (first["行"], first["单位（键）"], first["单位"], first["说明"]) == (2, "甲街道", "%", None)
    assert Decimal(str(first["指标值"])) == Decimal("84.1428571429")
    assert second["指标值"] is None
    assert second["说明"] == "第 3 行无法计算：有除数为零"


def test_parquet_input_gives_the_csv_result(capsys: pytest.CaptureFixture[str], table: Path,
                                            tmp_path: Path) -> None:
    import duckdb

    parquet = tmp_path / "garbage.parquet"
    duckdb.connect().execute(f"COPY (SELECT * FROM read_csv('{table}', all_varchar = true)) TO '{parquet}'")
    code, out, _ = run(capsys, "batch", "eval", GARBAGE, "--input", str(parquet), "--key", "单位")
    assert code == EXIT_INVALID
    assert out.splitlines() == ["行\t单位\t指标值", "2\t甲街道\t84.14%", "3\t乙街道\t无法计算"]


def test_many_failures_are_summarised(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rows = "".join(f"{i},x\n" for i in range(250))
    path = tmp_path / "bad.csv"
    path.write_text("a,b\n" + rows, encoding="utf-8")
    code, _, err = run(capsys, "batch", "eval", "a+b", "--csv", str(path), "-o", str(tmp_path / "o.csv"))
    assert code == EXIT_INVALID
    assert err.count("IND129") == 100
    assert "另有 150 行无法计算" in err
    assert "其中 250 行无法计算" in err


def test_eval_usage_errors(capsys: pytest.CaptureFixture[str], table: Path) -> None:
    assert run(capsys, "batch", "eval", GARBAGE)[0] == EXIT_USAGE
    code, _, err = run(capsys, "batch", "eval", GARBAGE, "--csv", str(table), "--format", "parquet")
    assert code == EXIT_USAGE
    assert "-o" in err
    assert run(capsys, "batch", "eval", GARBAGE, "--csv", str(table), "--input", str(table))[0] == EXIT_USAGE


def test_progress_bar_on_request(capsys: pytest.CaptureFixture[str], table: Path, tmp_path: Path) -> None:
    out_path = tmp_path / "o.parquet"
    code, _, _ = run(capsys, "batch", "eval", GARBAGE, "--csv", str(table), "--progress", "-o", str(out_path))
    assert code == EXIT_INVALID
    assert len(_table_of(out_path)) == 2


QUOTED_KEY = [("postgres", '"单位"'), ("spark", "`单位`"), ("trino", '"单位"'), ("tsql", "[单位]")]


@pytest.mark.parametrize(("dialect", "quoted"), QUOTED_KEY)
def test_emit_sql_is_a_query_over_a_table(
    capsys: pytest.CaptureFixture[str], dialect: str, quoted: str
) -> None:
    code, out, _ = run(capsys, "batch", "eval", GARBAGE, "--emit-sql", dialect, "--key", "单位",
                       "--table", "t")
    assert code == EXIT_OK
    assert out.startswith(f"SELECT {quoted}, ")
    assert "NULLIF(" in out
    assert out.rstrip().endswith(";")


def test_emit_sql_unknown_dialect(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "batch", "eval", GARBAGE, "--emit-sql", "nosuchsql")
    assert code == EXIT_INVALID
    assert "IND130" in err
