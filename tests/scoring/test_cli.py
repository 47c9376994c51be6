"""`indicators score` on the command line: formats, options, exit codes and error paths."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from indicators.cli.app import EXIT_INVALID, EXIT_OK, EXIT_USAGE, main

ROOT = Path(__file__).resolve().parents[2]
FORM = str(ROOT / "examples" / "xiaoguwei-declared.txt")
ACTUALS = str(ROOT / "examples" / "xiaoguwei-actuals.csv")


def test_json_total_is_the_sum_of_its_lines(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", FORM, "--actuals", ACTUALS, "--format", "json"]) == EXIT_OK
    data = json.loads(capsys.readouterr().out)
    assert Decimal(data["total"]) == sum(Decimal(line["score"]) for line in data["lines"])
    assert data["grade"] == "优"


def test_text_with_explain(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", FORM, "--actuals", ACTUALS, "--explain"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "总分：90.52 / 100　等级：优" in out
    assert "[quantitative.higher]" in out
    assert "办结工单=1180" in out


def test_markdown_to_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "sheet.md"
    assert main(["score", FORM, "--actuals", ACTUALS, "--format", "markdown", "-o", str(out)]) == EXIT_OK
    assert out.read_text(encoding="utf-8").startswith("# 部门整体支出绩效自评表")
    assert capsys.readouterr().out == ""


def test_xlsx_needs_an_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", FORM, "--actuals", ACTUALS, "--format", "xlsx"]) == EXIT_USAGE
    assert "-o" in capsys.readouterr().err
    out = tmp_path / "sheet.xlsx"
    assert main(["score", FORM, "--actuals", ACTUALS, "--format", "xlsx", "-o", str(out)]) == EXIT_OK
    assert "90.52" in capsys.readouterr().out
    ws = load_workbook(out).active
    assert ws is not None
    assert ws.title == "绩效自评表"


def test_budget_options_override_the_file(capsys: pytest.CaptureFixture[str]) -> None:
    args = [
        "score",
        FORM,
        "--actuals",
        ACTUALS,
        "--format",
        "json",
        "--budget-total",
        "200万元",
        "--budget-executed",
        "1,000,000元",
    ]
    assert main(args) == EXIT_OK
    data = json.loads(capsys.readouterr().out)
    assert data["budget"]["total"] == "200"
    assert data["budget"]["executed"] == "100"
    assert data["lines"][-1]["score"] == "5.00"


def test_bad_budget_amount_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["score", FORM, "--actuals", ACTUALS, "--budget-total", "很多"])
    assert info.value.code == EXIT_USAGE
    assert "很多" in capsys.readouterr().err


def test_policy_by_name_and_unknown_policy(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["score", FORM, "--actuals", ACTUALS, "--format", "json", "--policy", "reverse-ratio"])
        == EXIT_OK
    )
    assert json.loads(capsys.readouterr().out)["policy"] == "reverse-ratio"
    assert main(["score", FORM, "--actuals", ACTUALS, "--policy", "nope"]) == EXIT_INVALID
    assert "IND409" in capsys.readouterr().err


def test_prior_file_feeds_relative_targets(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    form = tmp_path / "form.csv"
    form.write_text(
        "一级指标,二级指标,三级指标,指标解释,年度指标值\n"
        "效益指标,社会效益指标,服务人次,指标值=服务人次,较上年提高\n",
        encoding="utf-8",
    )
    actuals = tmp_path / "a.csv"
    actuals.write_text("三级指标,实际完成值\n服务人次,120\n", encoding="utf-8")
    prior = tmp_path / "prior.csv"
    prior.write_text("三级指标,实际完成值\n服务人次,100\n", encoding="utf-8")
    assert main(["score", str(form), "--actuals", str(actuals), "--format", "json"]) == EXIT_OK
    without = json.loads(capsys.readouterr().out)
    assert without["lines"][0]["status"] == "needs_baseline"
    assert (
        main(["score", str(form), "--actuals", str(actuals), "--prior", str(prior), "--format", "json"])
        == EXIT_OK
    )
    with_prior = json.loads(capsys.readouterr().out)
    assert with_prior["lines"][0]["status"] == "met"


def test_error_on_a_line_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    actuals = tmp_path / "a.csv"
    actuals.write_text(
        "三级指标,实际完成值,得分\n居家养老服务补贴发放目标实现情况,达成,1\n", encoding="utf-8"
    )
    assert main(["score", FORM, "--actuals", str(actuals)]) == EXIT_INVALID
    assert "IND804" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["score", FORM, "--actuals", "/nonexistent/a.csv"], "IND811"),
        (["score", "/nonexistent/form.txt", "--actuals", ACTUALS], "IND5"),
    ],
    ids=["missing-actuals", "missing-form"],
)
def test_unreadable_inputs_exit_1(args: list[str], code: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == EXIT_INVALID
    assert code in capsys.readouterr().err


def test_actuals_are_required_for_a_declared_form(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", FORM]) == EXIT_USAGE
    assert "--actuals" in capsys.readouterr().err


def test_a_self_evaluation_table_scores_from_its_own_actuals(capsys: pytest.CaptureFixture[str]) -> None:
    table = str(ROOT / "examples" / "selfeval-S45.tsv")
    assert main(["score", table, "--format", "json"]) == EXIT_OK
    data = json.loads(capsys.readouterr().out)
    assert data["lines"][0]["actual"] == "100%"
    assert data["total"] == str(sum(Decimal(line["score"]) for line in data["lines"]))


def test_gbk_actuals_from_another_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The example actuals saved as Chinese Excel saves a CSV (GBK) score exactly as the UTF-8 file."""
    gbk = tmp_path / "实际值.csv"
    gbk.write_bytes(Path(ACTUALS).read_text(encoding="utf-8").encode("gbk"))
    monkeypatch.chdir(tmp_path)
    assert main(["score", FORM, "--actuals", gbk.name, "--format", "xlsx", "-o", "out.xlsx"]) == EXIT_OK
    captured = capsys.readouterr()
    assert "总分 90.52，等级 优" in captured.out
    assert "IND801 警告 窗口服务满意度：未填报实际完成值" in captured.err


@pytest.mark.parametrize("fmt", ["xlsx", "json"])
def test_unwritable_output_is_an_error_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    out = str(tmp_path / "no-such-folder" / f"sheet.{fmt}")
    assert main(["score", FORM, "--actuals", ACTUALS, "--format", fmt, "-o", out]) == EXIT_INVALID
    assert f"无法写入 {out}" in capsys.readouterr().err


def test_a_score_sheet_sent_back_as_actuals_scores_the_same(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The XLSX 绩效自评表 written by `score`, returned as the actuals file, gives the same total: its
    budget figures are read from the block under the table and its 预算执行率 row is no indicator."""
    out = tmp_path / "自评表.xlsx"
    assert main(["score", FORM, "--actuals", ACTUALS, "--format", "xlsx", "-o", str(out)]) == EXIT_OK
    capsys.readouterr()
    assert main(["score", FORM, "--actuals", str(out), "--format", "json"]) == EXIT_OK
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert data["total"] == "90.52"
    codes = {d["code"] for line in data["lines"] for d in line["diagnostics"]} | {
        d["code"] for d in data["diagnostics"]
    }
    # as on the first run: nothing unmatched, no budget missing; two actuals restate their target (IND218)
    assert codes == {"IND218", "IND801", "IND805"}
    assert [line["status"] for line in data["lines"] if line["level3"] == "窗口服务满意度"] == ["missing"]
