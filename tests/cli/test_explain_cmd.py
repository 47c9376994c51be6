"""``indicators explain CODE``: a rule's documentation, its examples and its source."""

from __future__ import annotations

import pytest

from indicators.cli.app import main
from indicators.lint import all_rules


def _explain(code: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(["explain", code])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_every_rule_is_explained(rule: type, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = _explain(rule.code, capsys)  # type: ignore[attr-defined]
    assert (status, err) == (0, "")
    doc = rule.doc()  # type: ignore[attr-defined]
    assert out.startswith(f"{rule.code}  {rule.slug()}")  # type: ignore[attr-defined]
    assert doc.summary in out
    assert "Never fires on:" in out
    assert all(item in out for item in doc.never)
    assert f"Source: {doc.source}" in out
    assert "Bad:" in out
    assert "Good:" in out
    assert "| 一级指标 |" in out or "| 预算整体情况 |" in out


@pytest.mark.parametrize("token", ["ind620", "lint.bad-rate-raised", " IND620 "], ids=repr)
def test_code_slug_and_case(token: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _explain(token, capsys)
    assert status == 0
    assert out.startswith("IND620  lint.bad-rate-raised  (error, 错误)")


def test_code_emitted_by_a_rule(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _explain("IND704", capsys)
    assert status == 0
    assert "Emitted by rule IND701" in out


def test_code_of_another_area(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _explain("IND201", capsys)
    assert status == 0
    assert out.startswith("IND201  target.unparseable")
    assert "docs/diagnostics.md" in out


@pytest.mark.parametrize("token", ["IND999", "lint.nothing", "603"], ids=repr)
def test_unknown_code_is_a_usage_error(token: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = _explain(token, capsys)
    assert (status, out) == (2, "")
    assert "未知的诊断代码" in err
