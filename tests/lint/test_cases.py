"""Per-rule pass/fail cases from tests/lint/cases/<CODE>.yaml.

Each file is a list of cases: ``id`` (the input text under test), ``form`` (an example form, see
indicators.lint.examples), ``expect`` (the codes the rule reports, in order; ``[]`` for a passing
case) and optionally ``message`` / ``hint`` (substrings of the first finding's text), ``row`` and
``column`` (its cell) and ``data`` (items of its ``data``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from indicators.diagnostics import Diagnostic
from indicators.lint import get_rule
from indicators.lint.examples import load_example

LintExample = Callable[..., list[Diagnostic]]
CASES = Path(__file__).parent / "cases"


def _load() -> list[Any]:
    params = []
    for path in sorted(CASES.glob("*.yaml")):
        code = path.stem
        for case in load_example("cases:\n" + _indent(path.read_text(encoding="utf-8")))["cases"]:
            params.append(pytest.param(code, case, id=f"{code}:{case['id']}"))
    return params


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


@pytest.mark.parametrize(("code", "case"), _load())
def test_case(code: str, case: dict[str, Any], lint_example: LintExample) -> None:
    rule = get_rule(code)
    # IND705 reports an identity that holds; the cases list only what is wrong
    found = lint_example(case["form"], select=[c for c in rule.emitted_codes() if c != "IND705"])
    assert [d.code for d in found] == case["expect"], [d.message for d in found]
    if not found:
        return
    first = found[0]
    if "message" in case:
        assert case["message"] in first.message
    if "hint" in case:
        assert first.hint is not None
        assert case["hint"] in first.hint
    if "row" in case:
        assert first.location is not None
        assert first.location.row == case["row"]
    if "column" in case:
        assert first.location is not None
        assert first.location.column == case["column"]
    if "indicator" in case:
        assert first.indicator == case["indicator"]
    for key, value in case.get("data", {}).items():
        assert str(first.data[key]) == str(value)


def test_every_rule_has_cases() -> None:
    from indicators.lint import all_rules

    have = {p.stem for p in CASES.glob("*.yaml")}
    assert {r.code for r in all_rules()} <= have


#: the fewest passing cases (rows that must not raise the rule) each error-level rule is tested on
MIN_NEGATIVES = 3


def test_every_error_rule_has_real_negatives() -> None:
    from indicators.diagnostics import Severity
    from indicators.lint import all_rules

    for rule in all_rules():
        if rule.severity() is not Severity.ERROR:
            continue
        cases = load_example("cases:\n" + _indent((CASES / f"{rule.code}.yaml").read_text(encoding="utf-8")))
        negatives = [c for c in cases["cases"] if c["expect"] == []]
        positives = [c for c in cases["cases"] if rule.code in c["expect"]]
        assert len(negatives) >= MIN_NEGATIVES, rule.code
        assert positives, rule.code
