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
    assert main(["target", "check", *argv]) == 0
    data = json.loads(capsys.readouterr().out)
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
    assert main(["target", "check", *argv]) == 0
    out = capsys.readouterr().out
    for word in words:
        assert word in out


def test_parse_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["target", "parse", "辖区企业满意率达95%以上。", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["kind"], data["comparator"], data["bound"], data["unit"]) == ("numeric", "ge", "95", "%")
    assert data["canonical"] == "≥95%"
    assert data["warnings"][0]["code"] == "IND205"


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
