"""The formula language of budget performance indicators (计算公式).

``parse_formula`` turns a formula cell into a :class:`Formula` (typed AST, kind, variables, note);
``evaluate`` computes it exactly with Decimal and pint. Reference: docs/formula-language.md.
"""

from __future__ import annotations

from indicators.formula.evaluator import Evaluation, evaluate
from indicators.formula.kinds import FormulaKind
from indicators.formula.model import Formula
from indicators.formula.parser import FormulaLimitError, parse_formula

__all__ = ["Evaluation", "Formula", "FormulaKind", "FormulaLimitError", "evaluate", "parse_formula"]
