"""Compile an arithmetic formula to a Python closure for fast row-by-row work.

``to_callable(formula)`` builds a tree of closures from the AST once (no ``eval``, ``exec`` or
``compile``); calling it with one row's values (name → ``Decimal`` or ``int``) gives the indicator value
as an exact ``Decimal``, or None when the row cannot be computed. The semantics are those of
:func:`indicators.formula.evaluate` without pint: every value is a magnitude with a per-cent/per-mille
unit exponent, exactly as the evaluator's quantities are, so additions convert to the first operand's
unit, ``ROUND`` rounds half up in the unit the evaluator rounds in, and the arithmetic runs in a Decimal
context of ``Limits.decimal_precision`` (34) significant digits. The closure and ``evaluate`` give the
same number.

The value is in :func:`result_unit` of the formula: ``"%"`` for a per-cent formula (``84.14…`` for
84.14…%), ``"‰"`` likewise, otherwise ``"%"``/``"‰"`` when the expression's unit is statically
per cent or per mille, else None (a plain number). Reference: docs/batch.md.

None is returned when a divisor is zero, a value is missing or None (a SQL NULL), or the arithmetic
fails (an overflow, a rounding too long for the precision): the cases where ``evaluate`` reports
IND110, IND111 or IND115. A value that is neither a ``Decimal`` nor an ``int`` (a float, a text, a
bool, NaN) raises :class:`CompileError` (IND112): the closure is for numbers already read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_UP, Context, Decimal, DecimalException, localcontext
from typing import TypeAlias

from indicators.codes import diagnostic
from indicators.errors import IndicatorsError
from indicators.formula import nodes
from indicators.formula.evaluator import MAX_PLACES
from indicators.formula.functions import FUNCTIONS
from indicators.formula.kinds import FormulaKind
from indicators.formula.model import Formula
from indicators.limits import DEFAULT_LIMITS, Limits
from indicators.text import normalize_name

#: a unit as exponents of per cent and per mille: ``(1, 0)`` is %, ``(0, 0)`` a plain number
Unit: TypeAlias = tuple[int, int]
PLAIN: Unit = (0, 0)
PERCENT: Unit = (1, 0)
PERMILLE: Unit = (0, 1)
_UNIT_OF_LITERAL: dict[str | None, Unit] = {None: PLAIN, "%": PERCENT, "‰": PERMILLE}
_UNIT_NAMES: dict[Unit, str] = {PERCENT: "%", PERMILLE: "‰"}

#: a value inside the closure: (magnitude, unit), like one of the evaluator's pint quantities
_Value: TypeAlias = tuple[Decimal, Unit]
_Row: TypeAlias = Mapping[str, Decimal | int | None]
_Closure: TypeAlias = Callable[[_Row], _Value]
RowFunction: TypeAlias = Callable[[Mapping[str, Decimal | int | None]], Decimal | None]

#: how each comparison of the language decides (shared with the SQL compiler's table of operators)
COMPARE: dict[str, Callable[[Decimal, Decimal], bool]] = {
    ">=": lambda a, b: a >= b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    "<": lambda a, b: a < b,
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}


class CompileError(IndicatorsError, ValueError):
    """A formula that cannot be compiled (not arithmetic, no SQL form) or a value the closure cannot use."""


class _NotComputable(Exception):
    """A row whose value cannot be computed (the closure returns None)."""


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
    (IND127) for a formula that is not arithmetic.
    """
    expr = arithmetic_expression(formula, "Python 函数")
    body = _build(expr)
    shift = result_digits(formula)
    context = Context(prec=limits.decimal_precision)

    def run(row: Mapping[str, Decimal | int | None]) -> Decimal | None:
        with localcontext(context):
            try:
                magnitude, unit = body(row)
                return magnitude.scaleb(shift - digits(unit))
            except (_NotComputable, DecimalException):
                return None

    return run


# --- the dispatch table: one builder per node class ------------------------------------------------------


def _build(node: nodes.Node) -> _Closure:
    return _BUILDERS[type(node)](node)


def _number(node: nodes.Node) -> _Closure:
    assert isinstance(node, nodes.Number)
    value: _Value = (node.value, _UNIT_OF_LITERAL.get(node.unit, PLAIN))
    return lambda row: value


def _variable(node: nodes.Node) -> _Closure:
    assert isinstance(node, nodes.Variable)
    name = node.name
    key = normalize_name(name, drop_suffix=False)

    def read(row: _Row) -> _Value:
        if name in row:
            raw = row[name]
        else:
            raw = next((v for k, v in row.items() if normalize_name(str(k), drop_suffix=False) == key), None)
        if raw is None:
            raise _NotComputable
        if isinstance(raw, Decimal) and raw.is_finite():
            return raw, PLAIN
        if isinstance(raw, int) and not isinstance(raw, bool):
            return Decimal(raw), PLAIN
        raise CompileError(diagnostic("IND112", name=name, text=str(raw), hint="取值应为 Decimal 或整数"))

    return read


def _negate(node: nodes.Node) -> _Closure:
    assert isinstance(node, nodes.Negate)
    operand = _build(node.operand)

    def negate(row: _Row) -> _Value:
        magnitude, unit = operand(row)
        return -magnitude, unit

    return negate


def _convert(value: _Value, unit: Unit) -> Decimal:
    """``value``'s magnitude expressed in ``unit`` (an exact power-of-ten shift)."""
    magnitude, own = value
    if own == unit:
        return magnitude
    return magnitude.scaleb(digits(unit) - digits(own))


def _sum(node: nodes.Node) -> _Closure:
    assert isinstance(node, nodes.Sum)
    first = _build(node.operands[0])
    pairs = zip(node.operators, node.operands[1:], strict=True)
    rest = [(op == "+", _build(operand)) for op, operand in pairs]

    def total(row: _Row) -> _Value:
        magnitude, unit = first(row)
        for plus, operand in rest:
            right = _convert(operand(row), unit)
            magnitude = magnitude + right if plus else magnitude - right
        return magnitude, unit

    return total


def _product(node: nodes.Node) -> _Closure:
    assert isinstance(node, nodes.Product)
    first = _build(node.operands[0])
    pairs = zip(node.operators, node.operands[1:], strict=True)
    rest = [(op == "*", _build(operand)) for op, operand in pairs]

    def product(row: _Row) -> _Value:
        magnitude, unit = first(row)
        for times, operand in rest:
            right, right_unit = operand(row)
            if times:
                magnitude, unit = magnitude * right, (unit[0] + right_unit[0], unit[1] + right_unit[1])
            else:
                if right == 0:
                    raise _NotComputable
                magnitude, unit = magnitude / right, (unit[0] - right_unit[0], unit[1] - right_unit[1])
        return magnitude, unit

    return product


def _comparison(node: nodes.Node) -> _Closure:
    """A comparison on its own (only hand-built trees): 1 when it holds, else 0, like a condition."""
    assert isinstance(node, nodes.Comparison)
    test = _condition(node)
    one, zero = (Decimal(1), PLAIN), (Decimal(0), PLAIN)
    return lambda row: one if test(row) else zero


def _condition(node: nodes.Node) -> Callable[[_Row], bool]:
    if not isinstance(node, nodes.Comparison):
        value = _build(node)
        return lambda row: value(row)[0] != 0
    left, right, decide = _build(node.left), _build(node.right), COMPARE[node.op]

    def compare(row: _Row) -> bool:
        a = left(row)
        return decide(a[0], _convert(right(row), a[1]))

    return compare


def _call(node: nodes.Node) -> _Closure:
    assert isinstance(node, nodes.Call)
    return _FUNCTION_BUILDERS[node.function](node)


def _if(node: nodes.Call) -> _Closure:
    condition, then, otherwise = _condition(node.args[0]), _build(node.args[1]), _build(node.args[2])
    return lambda row: then(row) if condition(row) else otherwise(row)


def _round(node: nodes.Call) -> _Closure:
    value = _build(node.args[0])
    places_node = node.args[1] if len(node.args) == 2 else None
    places = int(places_node.value) if isinstance(places_node, nodes.Number) else 0
    exponent = Decimal(1).scaleb(-min(max(places, 0), MAX_PLACES))

    def rounded(row: _Row) -> _Value:
        magnitude, unit = value(row)
        return magnitude.quantize(exponent, rounding=ROUND_HALF_UP), unit

    return rounded


def _abs(node: nodes.Call) -> _Closure:
    value = _build(node.args[0])

    def absolute(row: _Row) -> _Value:
        magnitude, unit = value(row)
        return abs(magnitude), unit

    return absolute


def _aggregate(pick: Callable[[list[Decimal]], Decimal]) -> Callable[[nodes.Call], _Closure]:
    """SUM, AVG, MIN, MAX: the arguments converted to the first one's unit, then combined."""

    def builder(node: nodes.Call) -> _Closure:
        args = [_build(a) for a in node.args]

        def combine(row: _Row) -> _Value:
            first = args[0](row)
            unit = first[1]
            values = [first[0], *(_convert(a(row), unit) for a in args[1:])]
            return pick(values), unit

        return combine

    return builder


def _total(values: list[Decimal]) -> Decimal:
    total = values[0]
    for v in values[1:]:
        total = total + v
    return total


_BUILDERS: dict[type, Callable[[nodes.Node], _Closure]] = {
    nodes.Number: _number,
    nodes.Variable: _variable,
    nodes.Negate: _negate,
    nodes.Sum: _sum,
    nodes.Product: _product,
    nodes.Comparison: _comparison,
    nodes.Call: _call,
}

_FUNCTION_BUILDERS: dict[str, Callable[[nodes.Call], _Closure]] = {
    "SUM": _aggregate(_total),
    "AVG": _aggregate(lambda values: _total(values) / Decimal(len(values))),
    "MIN": _aggregate(min),
    "MAX": _aggregate(max),
    "ABS": _abs,
    "ROUND": _round,
    "IF": _if,
}

assert set(_FUNCTION_BUILDERS) == set(FUNCTIONS), "every function of the language needs a closure"
