"""The formula language of budget performance indicators (计算公式).

``parse_formula`` turns a formula cell into a :class:`Formula` (typed AST, kind, variables, note);
``evaluate`` computes it exactly with Decimal and pint. Symbolic analysis (equivalence, solving for a
variable, LaTeX) is in :mod:`indicators.formula.analysis`, which loads sympy on first use. Batch work:
``to_sql`` (sqlglot), ``to_callable`` (a Decimal closure) and ``evaluate_table`` (DuckDB), which load
sqlglot and duckdb on first use (docs/batch.md).
Reference: docs/formula-language.md and docs/formula-analysis.md.
"""

from __future__ import annotations

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
