"""The linter: rules over a declared form (绩效目标申报表), each with a stable code and slug.

``lint_form(form)`` returns the findings; the rules live in :mod:`indicators.lint.rules`, one class per
rule, and ``docs/lint-rules.md`` is generated from their docstrings by :mod:`indicators.lint.docs`. A
configuration (:func:`read_config`, :func:`find_config`) selects rules, overrides severities and suppresses
findings with a reason; a template (:func:`load_template`) says which categories a form must list; the
writers (:mod:`indicators.lint.writers`) give JSON, CSV, SARIF and an annotated XLSX workbook.
"""

from __future__ import annotations

from indicators.lint.base import Rule, Selection, SelectorError, all_rules, get_rule, select_rules
from indicators.lint.config import ConfigError, LintConfig, find_config, read_config
from indicators.lint.prior import read_prior
from indicators.lint.runner import lint_form
from indicators.lint.templates import Template, TemplateError, load_template

__all__ = [
    "ConfigError",
    "LintConfig",
    "Rule",
    "Selection",
    "SelectorError",
    "Template",
    "TemplateError",
    "all_rules",
    "find_config",
    "get_rule",
    "lint_form",
    "load_template",
    "read_config",
    "read_prior",
    "select_rules",
]
