"""`indicators score-batch`: text, JSON, files, SQL for a warehouse, and its exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indicators.cli.app import main
from indicators.cli.output import EXIT_INVALID, EXIT_OK, EXIT_USAGE

EXAMPLE = str(Path(__file__).parents[2] / "examples" / "long-table.csv")


def test_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score-batch", EXAMPLE]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith("行\t单位\t年度\t三级指标\t结果\t完成度\t分值\t得分\t代码\n")
    assert "27\t番禺区小谷围街道办事处\t2024\t预算执行率\tpartial\t0.9495\t10\t9.50\t\n" in out
    assert "番禺区小谷围街道办事处\t2024\t26\t100\t90.36\t\t优\n" in out


def test_json_and_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "scores.parquet"
    assert main(["score-batch", EXAMPLE, "--out", str(out), "--json", "--no-progress"]) == EXIT_OK
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert data["rows"] == 126
    assert data["sql_rows"] + data["python_rows"] == 126
    assert data["outputs"] == [str(out), str(tmp_path / "scores.totals.parquet")]
    assert data["lines"] is None
    assert data["totals"][0]["total"] == "90.36"
    assert out.is_file()
    assert (tmp_path / "scores.totals.parquet").is_file()
    assert "已评分 126 行" in captured.err


def test_progress_bar_when_asked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "scores.csv"
    assert main(["score-batch", EXAMPLE, "--out", str(out), "--progress"]) == EXIT_OK
    assert out.read_text(encoding="utf-8").startswith(
        "row,unit,period,level1,level2,indicator,target,actual,"
    )


def test_emit_sql(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score-batch", EXAMPLE, "--emit-sql", "spark", "--table", "prov.scores_input"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "`prov.scores_input`" in out
    assert "RLIKE" in out
    assert out.rstrip().endswith(";")


def test_line_with_an_error_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = tmp_path / "t.csv"
    table.write_text("单位,三级指标,指标值,实际完成值,分值\n甲,培训人次,≥100人次,1..2,20\n", encoding="utf-8")
    assert main(["score-batch", str(table)]) == EXIT_INVALID
    assert "IND802" in capsys.readouterr().out


def test_unknown_policy_is_ind852(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score-batch", EXAMPLE, "--policy", "no-such-policy"]) == EXIT_INVALID
    err = capsys.readouterr().err
    assert "IND852" in err
    assert "project-2020" in err


def test_policy_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    policy = tmp_path / "mine.yaml"
    policy.write_text(
        "extends: project-2020\nname: mine\nquantitative:\n  lower_is_better: target_over_actual\n",
        encoding="utf-8",
    )
    assert main(["score-batch", EXAMPLE, "--policy", str(policy), "--json"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out)["policy"] == "mine"


def test_missing_column_and_usage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = tmp_path / "t.csv"
    table.write_text("单位,三级指标\n甲,培训人次\n", encoding="utf-8")
    assert main(["score-batch", str(table)]) == EXIT_INVALID
    assert "IND850" in capsys.readouterr().err
    with pytest.raises(SystemExit) as caught:
        main(["score-batch"])
    assert caught.value.code == EXIT_USAGE


def test_same_as_indicators_score_on_each_units_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each unit × period of the example, written as its own 绩效自评表 and scored by `indicators score`,
    gets the lines, total and grade that `score-batch` gives it."""
    import csv

    assert main(["score-batch", EXAMPLE, "--json"]) == EXIT_OK
    batch = json.loads(capsys.readouterr().out)
    with open(EXAMPLE, encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    for total in batch["totals"]:
        form = tmp_path / f"{total['unit']}-{total['period']}.csv"
        members = [r for r in rows if (r[0], r[1]) == (total["unit"], total["period"])]
        with form.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([header[2:], *(r[2:] for r in members)])
        assert main(["score", str(form), "--json"]) == EXIT_OK
        sheet = json.loads(capsys.readouterr().out)
        lines = [x for x in batch["lines"] if (x["unit"], x["period"]) == (total["unit"], total["period"])]
        assert [(x["score"], x["verdict"]) for x in lines] == [
            (x["score"], x["status"]) for x in sheet["lines"]
        ]
        assert (total["total"], total["scaled_total"], total["grade"]) == (
            sheet["total"],
            sheet["scaled_total"],
            sheet["grade"],
        )


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16"])
def test_a_table_saved_in_another_encoding_scores_the_same(
    encoding: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["score-batch", EXAMPLE]) == EXIT_OK
    expected = capsys.readouterr().out
    table = tmp_path / "长表.csv"
    table.write_text(Path(EXAMPLE).read_text(encoding="utf-8"), encoding=encoding)
    assert main(["score-batch", str(table)]) == EXIT_OK
    assert capsys.readouterr().out == expected


def test_binary_data_is_ind130(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = tmp_path / "t.csv"
    table.write_bytes(b"\x00\x01PK\x03\x04" * 50)
    assert main(["score-batch", str(table)]) == EXIT_INVALID
    captured = capsys.readouterr()
    assert "IND130" in captured.err + captured.out
    assert "不是文本文件" in captured.err + captured.out
