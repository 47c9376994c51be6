"""The configuration (``indicators.toml``, ``[tool.indicators]``) and suppressions with a reason."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from indicators.cli.app import main
from indicators.diagnostics import Severity
from indicators.lint import lint_form
from indicators.lint.config import ConfigError, LintConfig, find_config, parse_config, read_config
from indicators.lint.examples import form_from_example, load_example

#: one error (IND604 on row 2), one warning (IND638 on row 3)
FORM = """
rows:
  - [产出指标, 质量指标, 整改完成率, 指标值=整改件数/应整改总数*100%, 4个以上]
  - [满意度指标, 服务对象满意度指标, 市民满意度, 满意度, ≥90%]
  - [效益指标, 社会效益指标, 受益人数, 指标值=受益人数, ≥500人]
  - [成本指标, 经济成本指标, 项目成本, 指标值=项目支出, ≤30万元]
"""


def _form(extra: str = "") -> Any:
    return form_from_example(load_example(FORM + extra))


def _codes(config: LintConfig, form: Any = None) -> list[tuple[str, str]]:
    return [(d.code, d.severity.value) for d in lint_form(form or _form(), config=config)]


def test_no_configuration() -> None:
    assert _codes(LintConfig()) == [("IND604", "error"), ("IND638", "warning")]


def test_select_ignore_and_severity() -> None:
    config = parse_config(
        {"ignore": ["IND638"], "severity": {"IND604": "warning", "lint.survey-method-missing": "info"}},
        source="t",
    )
    assert _codes(config) == [("IND604", "warning")]
    only = parse_config({"select": ["lint.survey-*"], "severity": {"lint.survey-method-missing": "info"}},
                        source="t")
    assert _codes(only) == [("IND638", "info")]


def test_command_line_select_replaces_and_ignore_adds() -> None:
    config = parse_config({"select": ["IND638"], "ignore": ["IND604"]}, source="t")
    found = lint_form(_form(), config=config, select=["IND6"], ignore=["IND638"])
    assert found == []
    found = lint_form(_form(), config=config, select=["IND604"])
    assert found == []  # the configuration's ignore still holds


@pytest.mark.parametrize(
    ("entry", "kept"),
    [
        ({"codes": ["IND604"], "reason": "原表如此"}, ["IND638"]),
        ({"codes": ["IND6"], "row": 3, "reason": "已核实"}, ["IND604"]),
        (
            {"codes": ["lint.survey-method-missing"], "indicator": "市民满意度", "reason": "另有说明"},
            ["IND604"],
        ),
        ({"codes": ["IND604"], "file": "forms/*.json", "reason": "试点表"}, ["IND638"]),
        ({"codes": ["IND604"], "file": "other/*.json", "reason": "别的表"}, ["IND640", "IND604", "IND638"]),
    ],
    ids=["code", "row", "slug and indicator", "file glob", "file glob that does not match"],
)
def test_suppress_entries(entry: dict[str, Any], kept: list[str]) -> None:
    config = parse_config({"suppress": [entry]}, source="t")
    found = lint_form(_form(), config=config, path="forms/a.json")
    assert [d.code for d in found] == kept


def test_unused_suppression_is_noted() -> None:
    entry = {"codes": ["IND701"], "reason": "无预算块"}
    config = parse_config({"suppress": [entry]}, source="indicators.toml")
    found = lint_form(_form(), config=config)
    note = found[0]
    assert note.code == "IND640"
    assert note.severity is Severity.INFO
    assert note.location is None
    assert "IND701" in note.message
    assert "indicators.toml" in (note.hint or "")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"colour": "red"}, "未知的配置项 colour"),
        ({"select": "IND999"}, "未知的规则选择“IND999”"),
        ({"ignore": [1]}, "“ignore”应为文字列表"),
        ({"severity": {"IND604": "fatal"}}, "严重程度应为 error、warning 或 info"),
        ({"severity": {"IND999": "info"}}, "不是已知的代码或标识"),
        ({"severity": ["IND604"]}, "“severity”应为表"),
        ({"suppress": [{"codes": ["IND604"]}]}, "没有写明理由"),
        ({"suppress": [{"codes": ["IND604"], "reason": "  "}]}, "没有写明理由"),
        ({"suppress": [{"codes": ["IND604"], "reason": "x", "row": 0}]}, "row 应为正整数"),
        ({"suppress": [{"codes": ["IND604"], "reason": "x", "line": 3}]}, "多余的键：line"),
        ({"suppress": {"codes": ["IND604"]}}, "[[suppress]]"),
        ({"overshoot": 1}, "大于 1 的数"),
        ({"overshoot": "abc"}, "大于 1 的数"),
        ({"template": ""}, "模板名称"),
    ],
    ids=lambda v: str(v)[:40],
)
def test_invalid_configuration(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(data, source="indicators.toml")
    found = caught.value.diagnostics[0]
    assert found.code == "IND641"
    assert message in found.message
    assert found.message.startswith("审核配置有误：indicators.toml")


def test_read_indicators_toml_and_pyproject(tmp_path: Path) -> None:
    own = tmp_path / "indicators.toml"
    own.write_text('ignore = ["IND638"]\n[severity]\nIND604 = "info"\n', encoding="utf-8")
    config = read_config(own)
    assert config.ignore == ("IND638",)
    assert config.severity == {"IND604": Severity.INFO}
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[project]\nname = "x"\n[tool.indicators]\ntemplate = "department"\n'
        '[[tool.indicators.suppress]]\ncodes = ["IND611"]\nreason = "模板不同"\n',
        encoding="utf-8",
    )
    config = read_config(pyproject)
    assert config.template == "department"
    assert config.suppress[0].reason == "模板不同"


@pytest.mark.parametrize(
    ("text", "message"),
    [("ignore = [", "TOML 格式错误"), ("[tool]\nindicators = 3\n", "应为表")],
    ids=["bad toml", "tool.indicators not a table"],
)
def test_unreadable_configuration(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / ("pyproject.toml" if "tool" in text else "indicators.toml")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        read_config(path)


def test_find_config_walks_up(tmp_path: Path) -> None:
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    assert find_config(nested) is None
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert find_config(nested) is None  # a pyproject.toml without [tool.indicators] is not a configuration
    (tmp_path / "pyproject.toml").write_text("[tool.indicators]\nignore = []\n", encoding="utf-8")
    assert find_config(nested) == tmp_path / "pyproject.toml"
    (tmp_path / "a" / "indicators.toml").write_text("", encoding="utf-8")
    assert find_config(nested) == tmp_path / "a" / "indicators.toml"


# -- the command line ----------------------------------------------------------------------------------


@pytest.fixture
def form_file(tmp_path: Path) -> Path:
    path = tmp_path / "form.json"
    path.write_text(_form().model_dump_json(), encoding="utf-8")
    return path


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any], str]:
    code = main(["check", *argv, "--format", "json"])
    out, err = capsys.readouterr()
    return code, json.loads(out) if out else {}, err


def test_cli_finds_the_configuration(
    form_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "indicators.toml").write_text('[severity]\nIND604 = "warning"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, report, _ = _run([str(form_file)], capsys)
    assert code == 0  # the only error was made a warning
    assert [d["severity"] for d in report["diagnostics"]] == ["warning", "warning"]
    code, report, _ = _run([str(form_file), "--isolated"], capsys)
    assert code == 1


def test_cli_config_option(form_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "review.toml"
    config.write_text('ignore = ["IND604", "IND638"]\n', encoding="utf-8")
    code, report, _ = _run([str(form_file), "--config", str(config)], capsys)
    assert (code, report["diagnostics"]) == (0, [])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('colour = "red"\n', "未知的配置项"),
        ('[[suppress]]\ncodes = ["IND604"]\n', "没有写明理由"),
        ('template = "nowhere"\n', "未知模板“nowhere”"),
    ],
    ids=["unknown key", "suppression without reason", "unknown template"],
)
def test_cli_bad_configuration_is_a_usage_error(
    form_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    config = tmp_path / "indicators.toml"
    config.write_text(text, encoding="utf-8")
    code, _, err = _run([str(form_file), "--config", str(config)], capsys)
    assert code == 2
    assert message in err


def test_cli_missing_configuration_file(form_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run([str(form_file), "--config", "nowhere.toml"], capsys)
    assert code == 2
    assert "nowhere.toml" in err
