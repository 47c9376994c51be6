"""The CLI's one helper: usage errors in Chinese naming the option, exit codes, output selection."""

from __future__ import annotations

import pytest

from indicators.cli.app import main
from indicators.cli.output import EXIT_INVALID, EXIT_OK, EXIT_USAGE, usage_message


@pytest.mark.parametrize(("english", "chinese"), [
    ("the following arguments are required: FORM", "缺少参数：FORM"),
    ("argument --format: invalid choice: 'pdf' (choose from 'text', 'json')",
     "--format 的取值“pdf”无效，可用：text、json"),
    ("argument --port: expected one argument", "--port 需要一个取值"),
    ("argument --json: not allowed with argument --format", "--json 与 --format 不能同时使用"),
    ("argument --places: invalid _places value: 'x'", "--places 的取值“x”无效"),
    ("argument DIR: invalid Path value: ''", "DIR 的取值“”无效"),
    ("unrecognized arguments: --frobnicate", "不认识的参数：--frobnicate"),
    ("argument --port: 端口应为 0 至 65535 的整数，而不是“x”",
     "--port：端口应为 0 至 65535 的整数，而不是“x”"),
    ("something argparse has never said", "something argparse has never said"),
], ids=lambda v: v[:40])
def test_parser_messages_in_chinese(english: str, chinese: str) -> None:
    assert usage_message(english) == chinese


def test_no_message_names_an_internal_function() -> None:
    assert "_places" not in usage_message("argument --places: invalid _places value: 'x'")


@pytest.mark.parametrize(("argv", "words"), [
    (["check"], ["缺少参数", "FORM"]),
    (["check", "x.txt", "--format", "pdf"], ["--format", "pdf", "可用"]),
    (["formula", "eval", "a", "--places", "x"], ["--places"]),
    (["target", "check", "95%"], ["缺少参数", "ACTUAL"]),
    (["frobnicate"], ["COMMAND 的取值“frobnicate”无效", "check"]),
    (["catalog", "list", "--nope"], ["不认识的参数：--nope"]),
], ids=lambda v: " ".join(v) if isinstance(v, list) and v and v[0] != "缺少参数" else "")
def test_parser_usage_errors_exit_2_in_chinese(argv: list[str], words: list[str],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == EXIT_USAGE
    err = capsys.readouterr().err
    assert "用法错误" in err
    for word in words:
        assert word in err


@pytest.mark.parametrize(("argv", "command", "option"), [
    (["formula", "eval", "a+b", "--var", "a"], "indicators formula eval", "--var"),
    (["catalog", "list", "--set", " "], "indicators catalog list", "--set"),
    (["catalog", "search", " "], "indicators catalog search", "关键词"),
    (["check", "x.txt", "--format", "xlsx"], "indicators check", "-o"),
    (["check", "x.txt", "--prior", "/nonexistent/prior.csv"], "indicators check", "--prior"),
    (["score", "examples/xiaoguwei-declared.txt"], "indicators score", "--actuals"),
    (["explain", "IND99999"], "indicators explain", "IND99999"),
], ids=lambda v: " ".join(v[:2]) if isinstance(v, list) else "")
def test_command_usage_errors_name_the_command_and_the_option(argv: list[str], command: str, option: str,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == EXIT_USAGE
    err = capsys.readouterr().err
    assert err.startswith(f"{command}: 用法错误 (usage error): ")
    assert option in err


@pytest.mark.parametrize(("argv", "code"), [
    (["target", "check", "95%以上", "96.5%"], EXIT_OK),
    (["target", "check", "95%以上", "90%"], EXIT_INVALID),
    (["target", "check", "4个以上", "85%"], EXIT_INVALID),
    (["target", "check", "较上年提高5个百分点", "96%"], EXIT_INVALID),
    (["target", "check", "95%以上", "不知道"], EXIT_INVALID),
    (["formula", "equiv", "a/b", "a*1/b"], EXIT_OK),
    (["formula", "equiv", "a/b", "b/a"], EXIT_INVALID),
    (["check", "examples/xiaoguwei-declared.txt"], EXIT_INVALID),
], ids=lambda v: " ".join(v) if isinstance(v, list) else "")
def test_exit_codes(argv: list[str], code: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == code
