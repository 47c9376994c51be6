"""The linter: rules over a declared form (绩效目标申报表), each with a stable code and slug.

``lint_form(form)`` returns the findings; the rules live in :mod:`indicators.lint.rules`, one class per
rule, and ``docs/lint-rules.md`` is generated from their docstrings by :mod:`indicators.lint.docs`.
"""

from __future__ import annotations

from indicators.lint.base import Rule, Selection, SelectorError, all_rules, get_rule, select_rules
from indicators.lint.prior import read_prior
from indicators.lint.runner import lint_form

__all__ = [
    "Rule",
    "Selection",
    "SelectorError",
    "all_rules",
    "get_rule",
    "lint_form",
    "read_prior",
    "select_rules",
]
