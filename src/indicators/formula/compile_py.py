"""Compile an arithmetic formula to a Python function for fast row-by-row work.

``to_callable(formula)`` generates the source of one Python function from the AST
(:mod:`indicators.formula.codegen`, the one module that compiles text, and only text it wrote) and
returns that function; calling it with one row's values (name → ``Decimal`` or ``int``) gives the
indicator value as an exact ``Decimal``, or None when the row cannot be computed. The semantics are
those of :func:`indicators.formula.evaluate` without pint: every value is a magnitude with a
per-cent/per-mille unit exponent, exactly as the evaluator's quantities are, so additions convert to
the first operand's unit, ``ROUND`` rounds half up in the unit the evaluator rounds in, and the
arithmetic runs in a Decimal context of ``Limits.decimal_precision`` (48) significant digits. The
function and ``evaluate`` give the same number. ``to_source(formula)`` is the generated source.

The value is in :func:`result_unit` of the formula: ``"%"`` for a per-cent formula (``84.14…`` for
84.14…%), ``"‰"`` likewise, otherwise ``"%"``/``"‰"`` when the expression's unit is statically
per cent or per mille, else None (a plain number). Reference: docs/batch.md.

None is returned when a divisor is zero, a value is missing or None (a SQL NULL), or the arithmetic
fails (an overflow, a rounding too long for the precision): the cases where ``evaluate`` reports
IND110, IND111 or IND115. A value that is neither a ``Decimal`` nor an ``int`` (a float, a text, a
bool, NaN) raises :class:`CompileError` (IND112): the function is for numbers already read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from functools import lru_cache
from typing import Any, TypeAlias

from indicators.codes import diagnostic
from indicators.formula import codegen, nodes
from indicators.formula.codegen import CompileError
from indicators.formula.kinds import FormulaKind
from indicators.formula.model import Formula
from indicators.limits import DEFAULT_LIMITS, Limits

#: a unit as exponents of per cent and per mille: ``(1, 0)`` is %, ``(0, 0)`` a plain number
Unit: TypeAlias = tuple[int, int]
PLAIN: Unit = (0, 0)
PERCENT: Unit = (1, 0)
PERMILLE: Unit = (0, 1)
_UNIT_OF_LITERAL: dict[str | None, Unit] = {None: PLAIN, "%": PERCENT, "‰": PERMILLE}
_UNIT_NAMES: dict[Unit, str] = {PERCENT: "%", PERMILLE: "‰"}

__all__ = ["PERCENT", "PERMILLE", "PLAIN", "CompileError", "RowFunction", "Unit", "arithmetic_expression",
           "digits", "result_digits", "result_unit", "to_batch", "to_callable", "to_source", "unit_of"]

RowFunction: TypeAlias = Callable[[Mapping[str, Any]], Decimal | None]



def digits(unit: Unit) -> int:
    """Powers of ten between a plain number and a magnitude in ``unit``: 2 for %, 3 for ‰, 5 for %·‰."""
    return 2 * unit[0] + 3 * unit[1]


def unit_of(node: nodes.Node) -> Unit | None:
    """The unit of ``node``'s value as the evaluator would carry it, or None when it depends on a condition.

    A literal ``100%`` is in per cent; products add the exponents, quotients subtract them; a sum, ``SUM``,
    ``AVG``, ``MIN``, ``MAX`` and ``ABS`` take the unit of their first operand (the evaluator converts the
    others to it); ``IF`` has a unit only when both branches have the same one.
    """
    if isinstance(node, nodes.Number):
        return _UNIT_OF_LITERAL.get(node.unit, PLAIN)
    if isinstance(node, nodes.Variable | nodes.Comparison):
        return PLAIN
    if isinstance(node, nodes.Negate):
        return unit_of(node.operand)
    if isinstance(node, nodes.Sum):
        return unit_of(node.operands[0])
    if isinstance(node, nodes.Product):
        unit = unit_of(node.operands[0])
        for op, operand in zip(node.operators, node.operands[1:], strict=True):
            right = unit_of(operand)
            if unit is None or right is None:
                return None
            sign = 1 if op == "*" else -1
            unit = (unit[0] + sign * right[0], unit[1] + sign * right[1])
        return unit
    if node.function == "IF":
        then, otherwise = unit_of(node.args[1]), unit_of(node.args[2])
        return then if then == otherwise else None
    return unit_of(node.args[0])


def result_unit(formula: Formula | nodes.Node) -> str | None:
    """The unit of the numbers :func:`to_callable` and ``to_sql`` return: ``"%"``, ``"‰"`` or None.

    A per-cent formula (``a/b*100%``) gives the per-cent number (84.14… for 84.14…%); a rate its base
    (``"/10万"`` for ``a/b*10万``, whose number the formula computes itself); otherwise the
    static unit of the expression when it is exactly per cent or per mille, else a plain number.
    """
    if isinstance(formula, Formula):
        if formula.kind is FormulaKind.PERCENTAGE:
            return formula.unit or "%"
        if formula.kind is FormulaKind.RATE:
            return formula.unit
        if formula.expr is None:
            return None
        formula = formula.expr
    unit = unit_of(formula)
    return _UNIT_NAMES.get(unit) if unit is not None else None


def result_digits(formula: Formula | nodes.Node) -> int:
    """Powers of ten between the plain value and the returned number (2 for a per-cent result).

    A rate (``a/b*10万``) computes the number of its unit itself: 0.
    """
    if isinstance(formula, Formula) and formula.kind is FormulaKind.RATE:
        return 0
    return {"%": 2, "‰": 3}.get(result_unit(formula) or "", 0)


def arithmetic_expression(formula: Formula | nodes.Node, target: str) -> nodes.Node:
    """The AST of an arithmetic formula; :class:`CompileError` (IND127) for a state, grade, survey, ….

    ``target`` names what the formula was to become (``SQL``, ``Python``) in the message.
    """
    if isinstance(formula, Formula):
        if not formula.is_arithmetic or formula.expr is None:
            raise CompileError(diagnostic(
                "IND127", text=formula.text,
                detail=f"该公式不是算式（{formula.kind.label}），不能转为{target}",
                hint="只有百分比、比值、数量、金额类的算式可以批量计算",
            ))
        return formula.expr
    return formula


def to_callable(
    formula: Formula | nodes.Node, *, limits: Limits = DEFAULT_LIMITS
) -> RowFunction:
    """A function computing ``formula`` from one row: name → ``Decimal`` or ``int`` (or None for a blank).

    The result is an exact ``Decimal`` in :func:`result_unit` of the formula, or None when the row
    cannot be computed (a zero divisor, a missing or None value, an arithmetic failure). Names are
    matched exactly, then by :func:`indicators.text.normalize_name`. Raises :class:`CompileError`
    (IND127) for a formula that is not arithmetic, and when called with a value that is not a finite
    ``Decimal`` or an ``int`` (IND112).
    """
    return _generated(formula, limits).function


def to_batch(
    formula: Formula | nodes.Node, *, limits: Limits = DEFAULT_LIMITS
) -> Callable[[Iterable[Mapping[str, Any]]], list[Decimal | None]]:
    """A function computing ``formula`` for many rows at once: ``f(rows) -> [value or None, …]``.

    Each value is what :func:`to_callable`'s function gives for that row; the decimal context is
    switched once for all the rows, which makes a long loop faster.
    """
    return _generated(formula, limits).rows


def to_source(formula: Formula | nodes.Node, *, limits: Limits = DEFAULT_LIMITS) -> str:
    """The Python source :func:`to_callable` compiles for ``formula`` (``formula compile --show``)."""
    return _generated(formula, limits).source


def _generated(formula: Formula | nodes.Node, limits: Limits) -> codegen.Generated:
    expr = arithmetic_expression(formula, "Python 函数")
    return _generate(expr, result_digits(formula), limits.decimal_precision)


@lru_cache(maxsize=1024)
def _generate(expr: nodes.Node, shift: int, precision: int) -> codegen.Generated:
    """One generated function per tree (equal trees share it: spans do not count), shift and precision."""
    return codegen.generate(expr, shift=shift, precision=precision)
