"""`indicators formula parse | eval | table`: output, JSON shape and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indicators.cli.app import EXIT_INVALID, EXIT_OK, EXIT_USAGE, main
from indicators.cli.formula_cmd import parse_samples

ROOT = Path(__file__).resolve().parents[2]
GARBAGE = "(可回收物回收量+其他垃圾处理量×0.8+厨余垃圾资源化利用量×0.9)/四类垃圾处理总量×100%"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_parse_json_lists_exactly_the_two_variables(capsys: pytest.CaptureFixture[str]) -> None:
    text = "指标值=已覆盖应急避难场所的村(社区)/辖区村(社区)总数*100%"
    code, out, _ = run(capsys, "formula", "parse", text, "--json")
    assert code == EXIT_OK
    data = json.loads(out)
    assert data["variables"] == ["已覆盖应急避难场所的村(社区)", "辖区村(社区)总数"]
    assert data["kind"] == "percentage"
    assert data["canonical"] == "已覆盖应急避难场所的村(社区)/辖区村(社区)总数*100%"
    assert data["note"] is None
    assert data["lhs"] == "指标值"
    assert data["unit"] == "%"
    assert data["ast"]["type"] == "product"
    first = {"type": "variable", "name": "已覆盖应急避难场所的村(社区)", "span": [4, 19]}
    assert data["ast"]["operands"][0] == first
    assert data["warnings"] == []
    assert {"kind", "variables", "canonical", "note", "ast", "warnings"} <= set(data)


def test_parse_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "formula", "parse", "指标值=报送及时 按时完成即为及时")
    assert code == EXIT_OK
    assert "类型: 状态 (state)" in out
    assert "说明: 按时完成即为及时" in out
    code, out, _ = run(capsys, "formula", "parse", "指标值=是/否符合")
    assert "可选值: 是 / 否" in out
    code, out, _ = run(capsys, "formula", "parse", "a/b*100%")
    assert "单位: %" in out
    tree = ["语法树:", "  product / *", "    variable a", "    variable b", "    number 100%"]
    assert out.splitlines()[-5:] == tree


def test_parse_warnings_go_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "formula", "parse", "“指标值=保持/提升”", "--json")
    assert code == EXIT_OK
    assert json.loads(out)["warnings"][0]["code"] == "IND105"
    assert "IND105" in err


def test_parse_error_points_at_the_star(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "formula", "parse", "办结工单/*100%")
    assert code == EXIT_INVALID
    assert out == ""
    lines = err.splitlines()
    assert lines[0].startswith("1:6: IND102")
    assert lines[2] == "  " + " " * 9 + "^"


def test_eval_prints_the_acceptance_value(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "formula", "eval", GARBAGE, "--var", "可回收物回收量=1250", "--var", "其他垃圾处理量=3100",
        "--var", "厨余垃圾资源化利用量=2400", "--var", "四类垃圾处理总量=7000",
    )
    assert (code, out, err) == (EXIT_OK, "84.14%\n", "")


def test_eval_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "formula", "eval", "a/b*100%", "--var", "a=29", "--var", "b＝30", "--json")
    assert code == EXIT_OK
    data = json.loads(out)
    assert data["value"].startswith("96.666666")
    assert data["unit"] == "%"
    assert data["display"] == "96.67%"
    assert data["ok"] is True
    assert data["kind"] == "percentage"
    argv = ["formula", "eval", "a/b*100%", "--var", "a=29", "--var", "b=30", "--places", "3"]
    code, out, _ = run(capsys, *argv)
    assert out == "96.667%\n"


@pytest.mark.parametrize(
    ("argv", "code", "needle"),
    [
        (["a/b", "--var", "a=1", "--var", "b=0"], EXIT_INVALID, "IND110"),
        (["a/b", "--var", "a=1"], EXIT_INVALID, "IND111"),
        (["a/b", "--var", "a=x", "--var", "b=1"], EXIT_INVALID, "IND112"),
        (["指标值=按规定公开"], EXIT_INVALID, "IND114"),
        (["a/", "--var", "a=1"], EXIT_INVALID, "IND103"),
        (["a/b", "--var", "a"], EXIT_USAGE, "--var"),
        (["a/b", "--var", "=1"], EXIT_USAGE, "--var"),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else str(v),
)
def test_eval_errors(capsys: pytest.CaptureFixture[str], argv: list[str], code: int, needle: str) -> None:
    got, _, err = run(capsys, "formula", "eval", *argv)
    assert got == code
    assert needle in err


@pytest.mark.parametrize("places", ["-1", "21", "1000000000", "x", "1.5"])
def test_eval_places_out_of_range_is_a_usage_error(capsys: pytest.CaptureFixture[str], places: str) -> None:
    argv = ["formula", "eval", "a/b*100%", "--var", "a=1", "--var", "b=3", "--places", places]
    code, out, err = run(capsys, *argv)
    assert code == EXIT_USAGE
    assert out == ""
    assert f"小数位数应为 0 至 20 的整数，而不是“{places}”" in err


def test_eval_places_bound_matches_the_evaluator() -> None:
    from indicators.cli.formula_cmd import MAX_PLACES
    from indicators.formula.evaluator import MAX_PLACES as EVALUATOR_MAX

    assert MAX_PLACES == EVALUATOR_MAX


def test_eval_json_reports_failure(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "formula", "eval", "a/b", "--var", "a=1", "--var", "b=0", "--json")
    assert code == EXIT_INVALID
    data = json.loads(out)
    assert data["ok"] is False
    assert data["value"] is None
    assert data["diagnostics"][0]["code"] == "IND110"


def test_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "formula")[0] == EXIT_USAGE
    assert run(capsys, "formula", "parse")[0] == EXIT_USAGE
    assert run(capsys, "formula", "frobnicate")[0] == EXIT_USAGE


def test_table_on_the_bundled_example(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "formula", "table", str(ROOT / "examples" / "xiaoguwei-formulas.tsv"))
    assert code == EXIT_OK
    lines = out.splitlines()
    assert lines[0].split() == ["三级指标", "类型", "示例值", "变量"]
    assert len(lines) == 2 + 25
    assert any("生活垃圾资源化利用率" in li and "84.14%" in li and "百分比" in li for li in lines)
    assert any("工程支出符合定额标准情况" in li and "是否" in li for li in lines)
    assert "IND105" in err  # the 社工站 cell's stray quotes


def test_table_json(capsys: pytest.CaptureFixture[str]) -> None:
    example = str(ROOT / "examples" / "xiaoguwei-formulas.tsv")
    code, out, _ = run(capsys, "formula", "table", example, "--json")
    assert code == EXIT_OK
    rows = json.loads(out)["rows"]
    assert len(rows) == 25
    garbage = next(r for r in rows if r["name"] == "生活垃圾资源化利用率")
    assert garbage["display"] == "84.14%"
    assert garbage["kind"] == "percentage"


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("三级指标\t计算公式\t示例取值\n坏公式\ta/*b\t\n", "IND102"),
        ("三级指标\t计算公式\t示例取值\n缺值\ta/b\ta=1\n", "IND111"),
        ("名称\t公式\n", "IND004"),
        ("", "IND004"),
    ],
    ids=["bad formula", "missing value", "bad header", "empty"],
)
def test_table_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str, needle: str) -> None:
    path = tmp_path / "t.tsv"
    path.write_text(content, encoding="utf-8")
    code, _, err = run(capsys, "formula", "table", str(path))
    assert code == EXIT_INVALID
    assert needle in err


def test_table_unreadable_files(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    binary = tmp_path / "b.tsv"
    binary.write_bytes(b"\xff\xfe\x00garbage\x81")
    assert run(capsys, "formula", "table", str(binary))[0] == EXIT_INVALID
    code, _, err = run(capsys, "formula", "table", str(tmp_path / "missing.tsv"))
    assert code == EXIT_INVALID
    assert "IND004" in err


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-8-sig"])
def test_table_reads_the_encodings_excel_writes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, encoding: str
) -> None:
    path = tmp_path / "t.tsv"
    path.write_text("三级指标\t计算公式\t示例取值\n办结率\t办结工单/呈办工单*100%\t办结工单=1;呈办工单=3\n",
                    encoding=encoding)
    code, out, err = run(capsys, "formula", "table", str(path))
    assert (code, err) == (EXIT_OK, "")
    assert "33.33%" in out.splitlines()[2]


def test_table_without_sample_values_lists_kinds_and_variables(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "t.tsv"
    path.write_text("三级指标\t计算公式\n办结率\t办结工单/呈办工单*100%\n", encoding="utf-8")
    code, out, err = run(capsys, "formula", "table", str(path), "--json")
    assert (code, err) == (EXIT_OK, "")
    [row] = json.loads(out)["rows"]
    assert (row["kind"], row["variables"], row["value"], row["display"]) == (
        "percentage", ["办结工单", "呈办工单"], None, "—")


def test_table_unreadable_reasons_are_chinese(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "formula", "table", str(tmp_path / "missing.tsv"))
    assert code == EXIT_INVALID
    assert err.startswith("IND004 错误 无法读取：")
    assert err.rstrip().endswith("missing.tsv：文件不存在")
    code, _, err = run(capsys, "formula", "table", str(tmp_path))
    assert code == EXIT_INVALID
    assert "这是一个目录，不是文件" in err
    binary = tmp_path / "b.tsv"
    binary.write_bytes(b"\x00\x01\x02garbage")
    code, _, err = run(capsys, "formula", "table", str(binary))
    assert code == EXIT_INVALID
    assert "不是文本文件" in err


def test_parse_samples() -> None:
    assert parse_samples("a=1;b＝2；c = 3;;junk") == {"a": "1", "b": "2", "c": "3"}


# --- formula compile ---------------------------------------------------------------------------------


def test_compile_show_prints_the_generated_source(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "formula", "compile", "指标值=办结工单/呈办工单*100%", "--show")
    assert code == EXIT_OK
    assert "def formula(row" in out
    assert "row['办结工单']" in out
    assert "row['呈办工单']" in out
    assert "t1 = v0 / v1" in out
    compile(out, "<shown>", "exec")  # the shown text is the whole source


def test_compile_summary_names_variables_and_unit(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "formula", "compile", GARBAGE)
    assert code == EXIT_OK
    assert "结果单位：%" in out
    assert "四类垃圾处理总量" in out
    assert "def formula" not in out


@pytest.mark.parametrize("text", ["是/否", "满意度调查问卷"], ids=str)
def test_compile_refuses_a_formula_that_is_not_arithmetic(
    capsys: pytest.CaptureFixture[str], text: str
) -> None:
    code, out, err = run(capsys, "formula", "compile", text, "--show")
    assert code == EXIT_INVALID
    assert "IND127" in err
    assert out == ""
