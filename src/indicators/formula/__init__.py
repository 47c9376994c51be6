"""The formula language of budget performance indicators (计算公式).

``parse_formula`` turns a formula cell into a :class:`Formula` (typed AST, kind, variables, note);
``evaluate`` computes it exactly with Decimal and pint. Symbolic analysis (equivalence, solving for a
variable, LaTeX) is in :mod:`indicators.formula.analysis`, which loads sympy on first use. Batch work:
``to_sql`` (sqlglot), ``to_callable`` (a generated Decimal function) and ``evaluate_table`` (DuckDB),
which load sqlglot and duckdb on first use (docs/batch.md).
Reference: docs/formula-language.md and docs/formula-analysis.md.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the lazy names below, for type checkers and editors
    from indicators.formula.analysis import (
        AnalysisError,
        Equivalence,
        Requirement,
        compare,
        equivalent,
        is_count_name,
        latex,
        required,
        solve_for,
        to_sympy,
    )
    from indicators.formula.batch import BatchError, BatchRow, evaluate_table
    from indicators.formula.compile_py import CompileError, result_unit, to_callable
    from indicators.formula.compile_sql import to_sql
    from indicators.formula.evaluator import Evaluation, evaluate
    from indicators.formula.kinds import FormulaKind
    from indicators.formula.model import Formula
    from indicators.formula.parser import FormulaLimitError, parse_formula

#: public name → module that defines it; imported on first use, so that importing one module of the
#: package (``indicators.formula.kinds``) does not load the others (analysis, batch, SQL)
_LAZY = {
    **dict.fromkeys(("AnalysisError", "Equivalence", "Requirement", "compare", "equivalent", "is_count_name",
                     "latex", "required", "solve_for", "to_sympy"), "indicators.formula.analysis"),
    **dict.fromkeys(("BatchError", "BatchRow", "evaluate_table"), "indicators.formula.batch"),
    **dict.fromkeys(("CompileError", "result_unit", "to_callable"), "indicators.formula.compile_py"),
    "to_sql": "indicators.formula.compile_sql",
    **dict.fromkeys(("Evaluation", "evaluate"), "indicators.formula.evaluator"),
    "FormulaKind": "indicators.formula.kinds",
    "Formula": "indicators.formula.model",
    **dict.fromkeys(("FormulaLimitError", "parse_formula"), "indicators.formula.parser"),
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'indicators.formula' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "AnalysisError",
    "BatchError",
    "BatchRow",
    "CompileError",
    "Equivalence",
    "Evaluation",
    "Formula",
    "FormulaKind",
    "FormulaLimitError",
    "Requirement",
    "compare",
    "equivalent",
    "evaluate",
    "evaluate_table",
    "is_count_name",
    "latex",
    "parse_formula",
    "required",
    "result_unit",
    "solve_for",
    "to_callable",
    "to_sql",
    "to_sympy",
]
