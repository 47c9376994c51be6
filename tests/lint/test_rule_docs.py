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
    # a good example may only be reported as holding (IND705, info)
    assert [d for d in found if d.code != "IND705"] == []


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
    lint_codes = {c for c in CODES if c[:4] in ("IND6", "IND7")}
    # about the run rather than the form: suppressions, the configuration, explain, selection
    framework = {"IND639", "IND640", "IND641", "IND642", "IND690"}
    assert lint_codes - framework <= ruled
    assert not framework & ruled


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_findings_are_located_explained_and_hinted(rule: type[Rule], lint_example: LintExample) -> None:
    for d in lint_example(rule.doc().bad, select=list(rule.emitted_codes())):
        assert d.hint, d
        assert d.message
        if d.code == "IND611" and d.location is None:
            continue  # a missing level-1 category has no cell to point at
        assert d.location is not None
        assert d.location.row is not None
        assert d.location.column is not None
        if d.code in FORM_WIDE or d.code.startswith("IND7"):
            continue
        assert d.indicator, d
        if d.code not in NO_TEXT:
            assert d.span is not None
            assert d.text is not None


#: findings about categories, key tasks or goals: located, but about no single indicator
FORM_WIDE = frozenset({"IND608", "IND610", "IND611", "IND616", "IND635"})
#: findings about a missing cell: located on the row, with no text to point into
NO_TEXT = frozenset({"IND602", "IND618", "IND619"})
