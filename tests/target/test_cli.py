"""`indicators target parse|check`: output, JSON shape and exit codes."""

from __future__ import annotations

import json

import pytest

from indicators.cli.app import main

ACCEPTANCE = [
    (["95%以上", "96.5%", "--json"], "met"),
    (["良以上", "合格", "--json"], "not_met"),
    (["控制在100万元以内", "98万元", "--json"], "met"),
    (["4个以上", "85%", "--json"], "not_comparable"),
    (["较上年提高5个百分点", "96%", "--json"], "needs_baseline"),
    (["较上年提高5个百分点", "96%", "--baseline", "90%", "--json"], "met"),
    (["95", "96", "--unit", "%", "--json"], "met"),
    (["100", "98", "--unit", "万元", "--level1", "成本指标", "--json"], "met"),
    (["250万", "98万元", "--level1", "产出指标", "--level2", "成本指标", "--json"], "met"),
]


@pytest.mark.parametrize(("argv", "outcome"), ACCEPTANCE, ids=[" ".join(a[:2]) for a, _ in ACCEPTANCE])
def test_check_json(argv: list[str], outcome: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["target", "check", *argv]) == (0 if outcome == "met" else 1)  # 1: not met, not comparable …
    data = json.loads(capsys.readouterr().out)
    assert data["schema_version"] == 1
    assert data["outcome"] == outcome
    assert set(data) >= {"outcome", "achievement", "explanation"}
    assert data["explanation"]
    if data["achievement"] is not None:
        assert "E" not in data["achievement"]


def test_check_met_achievement_is_an_exact_decimal_string(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["target", "check", "控制在100万元以内", "98万元", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["achievement"] == "1.02"


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["良以上", "合格"], ["未达成", "not_met"]),
        (["控制在100万元以内", "98万元"], ["达成", "met", "完成度"]),
        (["4个以上", "85%"], ["无法比较", "not_comparable", "量纲不同"]),
    ],
    ids=["良以上", "控制在100万元以内", "4个以上"],
)
def test_check_text(argv: list[str], words: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["target", "check", *argv]) == (0 if "met" in words else 1)
    out = capsys.readouterr().out
    for word in words:
        assert word in out


def test_parse_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["target", "parse", "辖区企业满意率达95%以上。", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    target = data["target"]
    read = (target["kind"], target["comparator"], target["bound"], target["unit"])
    assert read == ("numeric", "ge", "95", "%")
    assert data["canonical"] == "≥95%"
    assert target["warnings"][0]["code"] == "IND205"
    assert data["schema_version"] == 1


def test_parse_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["target", "parse", "95", "--unit", "%"]) == 0
    captured = capsys.readouterr()
    assert "≥95%" in captured.out
    assert "（默认）" in captured.out


@pytest.mark.parametrize("text", ["良以上", "90%-100%", "有效提升", "2023.07-2024.01"])
def test_parse_text_kinds(text: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["target", "parse", text]) == 0
    assert "类型" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [["parse", "≧ %"], ["parse", "万亩"], ["check", "/", "96%"], ["check", "95%", "xx%%"],
     ["check", "95%", "96%", "--baseline", "??"], ["parse", "95", "--unit", "斤两"]],
    ids=["≧ %", "万亩", "/", "xx%%", "baseline ??", "unit 斤两"],
)
def test_invalid_input_exits_1(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["target", *argv]) == 1
    err = capsys.readouterr().err
    assert "IND" in err
    assert "提示" in err


def test_family_alone_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["target"]) == 2
    assert "check" in capsys.readouterr().err


@pytest.mark.parametrize("argv",
                         [["target", "check", "95%"], ["target", "parse"], ["target", "check", "--bogus"]],
                         ids=["check one argument", "parse nothing", "unknown option"])
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert "用法错误" in capsys.readouterr().err


def test_negative_actual_after_double_dash(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["target", "check", "≤0", "--json", "--", "-5%"]) == 0
    assert json.loads(capsys.readouterr().out)["outcome"] == "met"


def test_unit_option_takes_a_symbol(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["target", "check", "≥5000", "6000平方米", "--unit", "㎡", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["outcome"] == "met"


# the acceptance cases of readings that depend on the actual's words, the row and the unit table
READ_AS_A_REVIEWER = [
    (["≥85%", "≥85%"], "IND218"),
    (["≥85%", "≥ 85 %"], "IND218"),
    (["≥95%", "已完成"], "IND220"),
    (["2024年11月", "2024年9月", "--indicator", "项目完工时限"], "IND227"),
    (["2024年11月", "2024年9月", "--level2", "时效指标"], "IND227"),
    (["300万粒", "320万粒"], None),
    (["≥100%", "100%", "--indicator", "项目(工程)完成及时率"], "IND223"),
]


@pytest.mark.parametrize(("argv", "code"), READ_AS_A_REVIEWER,
                         ids=[" ".join(a) for a, _ in READ_AS_A_REVIEWER])
def test_met_as_a_reviewer_reads_it(
    argv: list[str], code: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["target", "check", *argv]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("达成 (met)")
    if code is not None:
        assert code in captured.err
    assert main(["target", "check", *argv, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["outcome"] == "met"
    codes = [d["code"] for d in data["diagnostics"]]
    if code is not None:
        assert code in codes
    assert "IND201" not in codes


def test_a_month_without_a_row_says_how_a_deadline_row_reads_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["target", "check", "2024年11月", "2024年9月"]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith("未达成 (not_met)")
    assert "2024年11月底前" in captured.out
    assert "IND221" in captured.err


def test_counts_of_different_things_are_not_comparable(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["target", "check", "≥5只", "6头", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["outcome"] == "not_comparable"
    assert "计数的不是同一种事物" in data["explanation"]


def test_parse_shows_how_the_row_reads_a_month(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["target", "parse", "2024年11月", "--indicator", "项目完工时限"]) == 0
    captured = capsys.readouterr()
    assert "deadline" in captured.out
    assert "该月底前" in captured.out
    assert main(["target", "parse", "2024年11月"]) == 0
    assert "时效类指标上按该月底前完成理解" in capsys.readouterr().out


def test_parse_warns_of_a_unit_outside_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["target", "parse", "300万樽", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["target"]["unit"] == "万樽"
    assert [w["code"] for w in data["target"]["warnings"]] == ["IND303"]
