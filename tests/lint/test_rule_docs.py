"""Every rule is documented, and its documented bad and good examples behave as documented."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from indicators.codes import lookup
from indicators.diagnostics import Diagnostic
from indicators.lint import Rule, all_rules

LintExample = Callable[..., list[Diagnostic]]

RULES = all_rules()


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_bad_example_triggers_the_rule(rule: type[Rule], lint_example: LintExample) -> None:
    found = lint_example(rule.doc().bad, select=[rule.code])
    assert [d.code for d in found if d.code == rule.code], found


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_good_example_passes(rule: type[Rule], lint_example: LintExample) -> None:
    found = lint_example(rule.doc().good, select=list(rule.emitted_codes()))
    assert found == []


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_has_code_slug_and_documentation(rule: type[Rule]) -> None:
    row = lookup(rule.code)
    assert rule.slug() == row.slug
    assert rule.slug().startswith(("lint.", "budget."))
    doc = rule.doc()
    assert doc.summary
    assert doc.bad
    assert doc.good


def test_every_lint_code_has_a_rule() -> None:
    from indicators.codes import CODES

    ruled = {c for r in RULES for c in r.emitted_codes()}
    lint_codes = {c for c in CODES if c[:4] in ("IND6", "IND7") and c != "IND690"}
    assert lint_codes <= ruled
