"""indicators: exact, automatic checking and scoring of budget performance indicators (预算绩效指标).

The public API is what ``__all__`` lists; everything else is internal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from indicators.diagnostics import Diagnostic, Location, Severity, Span
from indicators.errors import (
    CatalogError,
    FormReadError,
    FormulaSyntaxError,
    IndicatorsError,
    LimitExceededError,
    PolicyError,
    TargetSyntaxError,
    UnitError,
    ValueSyntaxError,
)
from indicators.limits import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:  # the lazy names below, for type checkers and editors
    from indicators.catalog import Catalog, load_catalog
    from indicators.forms import Form, read_form
    from indicators.formula import Evaluation, Formula, FormulaKind, evaluate, parse_formula
    from indicators.lint import lint_form
    from indicators.scoring import ScoreSheet, load_policy, read_actuals, score_form
    from indicators.target import Outcome, Target, parse_actual, parse_target

__version__ = "0.1.0"

#: public name → module that defines it; imported on first use so ``import indicators`` stays light
_LAZY = {
    "parse_formula": "indicators.formula",
    "evaluate": "indicators.formula",
    "Formula": "indicators.formula",
    "Evaluation": "indicators.formula",
    "FormulaKind": "indicators.formula",
    "parse_target": "indicators.target",
    "parse_actual": "indicators.target",
    "Target": "indicators.target",
    "Outcome": "indicators.target",
    "load_catalog": "indicators.catalog",
    "Catalog": "indicators.catalog",
    "read_form": "indicators.forms",
    "Form": "indicators.forms",
    "lint_form": "indicators.lint",
    "load_policy": "indicators.scoring",
    "read_actuals": "indicators.scoring",
    "score_form": "indicators.scoring",
    "ScoreSheet": "indicators.scoring",
}


def __getattr__(name: str) -> object:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'indicators' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value

__all__ = [  # noqa: RUF022 - grouped: verbs first, then types
    "parse_formula",
    "evaluate",
    "parse_target",
    "parse_actual",
    "load_catalog",
    "read_form",
    "lint_form",
    "load_policy",
    "read_actuals",
    "score_form",
    "Catalog",
    "Evaluation",
    "Form",
    "Formula",
    "FormulaKind",
    "Outcome",
    "ScoreSheet",
    "Target",
    "DEFAULT_LIMITS",
    "CatalogError",
    "Diagnostic",
    "FormReadError",
    "FormulaSyntaxError",
    "IndicatorsError",
    "LimitExceededError",
    "Limits",
    "Location",
    "PolicyError",
    "Severity",
    "Span",
    "TargetSyntaxError",
    "UnitError",
    "ValueSyntaxError",
    "__version__",
]
