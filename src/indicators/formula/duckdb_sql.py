"""DuckDB's exact products and quotients, quick for ordinary values (used by :mod:`.compile_sql`).

DuckDB keeps ``DECIMAL(38, 10)`` values in 128-bit integers and divides those in software, one bit at a
time: rounding a product back to 10 decimals (a division by 10^k) and the exact quotient of two values
(:func:`exact_quotient`) cost far more than the sums and products themselves. So each product and
quotient is first **estimated** in DOUBLE, cast to ``DECIMAL(38, 10)`` as ``r``, and ``r`` is taken only
when exact DECIMAL products prove that it is the value rounded half away from zero at the 10th decimal:

- a product ``p = a × b`` (exact, ``DECIMAL(38, s)``): ``2 × |p − r| < 10^-10``;
- a quotient ``n ÷ d``: ``2 × |n − r × d| < |d| × 10^-10`` (``r × d`` is exact in ``DECIMAL(38, 20)``).

The inequality is strict: a value exactly half-way between two steps, and every row where the DOUBLE
estimate is not close enough (values beyond about 10^5 at full precision), take the exact computation
(the ELSE of a ``CASE``: DuckDB computes it only for the rows that take it). The results are the same as
the exact computation's in every row; only the time changes. The estimate is used only below 10^15, so
that the checking products cannot overflow (an overflow the exact computation would not meet), and only
around operands of a bounded size (:data:`MAX_CHECKED_NODES`), since the operands are written out again
in the check. Other dialects never see this SQL.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from indicators.formula.compile_sql import PRECISION, SCALE

#: operands larger than this (sqlglot nodes) are divided or multiplied exactly only, so that nesting
#: does not multiply the size of the SQL
MAX_CHECKED_NODES = 300
#: the estimate is used below 10^15 (the checking products stay within DECIMAL(38, 20))
_LIMIT_DIGITS = 15


def _decimal(exp: Any) -> Any:
    return exp.DataType.build(f"DECIMAL({PRECISION}, {SCALE})")


def _step(exp: Any) -> Any:
    """10^-10 as ``DECIMAL(10, 10)``."""
    return exp.Cast(this=exp.Literal.number(f"{Decimal(1).scaleb(-SCALE):f}"),
                    to=exp.DataType.build(f"DECIMAL({SCALE}, {SCALE})"))


def _double(exp: Any, value: Any) -> Any:
    return exp.Cast(this=_paren(exp, value.copy()), to=exp.DataType.build("DOUBLE"))


def _paren(exp: Any, value: Any) -> Any:
    if isinstance(value, exp.Column | exp.Cast | exp.Literal | exp.Paren | exp.TryCast):
        return value
    return exp.Paren(this=value)


def small(exp: Any, *values: Any) -> bool:
    """Whether every value is small enough to be written out again in a check."""
    return sum(sum(1 for _ in v.walk()) for v in values) <= MAX_CHECKED_NODES


def _abs(exp: Any, value: Any) -> Any:
    return exp.Abs(this=_paren(exp, value))


def _estimate(exp: Any, guess: Any) -> Any:
    """The DOUBLE ``guess`` as ``DECIMAL(25, 10)``: NULL from 10^15 on, where the checking products could
    overflow."""
    return exp.TryCast(this=guess, to=exp.DataType.build(f"DECIMAL({_LIMIT_DIGITS + SCALE}, {SCALE})"))


def _either(exp: Any, proven: Any, estimate: Any, exact: Any) -> Any:
    # a CASE, not COALESCE: DuckDB computes the ELSE branch only for the rows that take it
    return exp.Case(ifs=[exp.If(this=proven, true=estimate)], default=exact)


def checked_product(exp: Any, product: Any, left: Any, right: Any, exact: Any) -> Any:
    """``product`` (``left × right``, exact) rounded to ``DECIMAL(38, 10)``: the DOUBLE estimate where it is
    proven right, else ``exact`` (the product cast to ``DECIMAL(38, 10)``)."""
    estimate = _estimate(exp, exp.Mul(this=_double(exp, left), expression=_double(exp, right)))
    error = exp.Mul(this=_abs(exp, exp.Sub(this=_paren(exp, product.copy()), expression=estimate.copy())),
                    expression=exp.Literal.number(2))
    return _either(exp, exp.LT(this=error, expression=_step(exp)), estimate, exact)


def checked_quotient(exp: Any, left: Any, divisor: Any, exact: Any) -> Any:
    """``left ÷ divisor`` (both ``DECIMAL(38, 10)``; the divisor NULL rather than zero) rounded half away
    from zero to ``DECIMAL(38, 10)``: the DOUBLE estimate where it is proven right, else ``exact``."""
    estimate = _estimate(exp, exp.Div(this=_double(exp, left), expression=_double(exp, divisor)))
    back = exp.Mul(this=estimate.copy(), expression=_paren(exp, divisor.copy()))
    error = exp.Mul(this=_abs(exp, exp.Sub(this=_paren(exp, left.copy()), expression=back)),
                    expression=exp.Literal.number(2))
    allowed = exp.Mul(this=_abs(exp, divisor.copy()), expression=_step(exp))
    return _either(exp, exp.LT(this=error, expression=allowed), estimate, exact)


def exact_quotient(exp: Any, left: Any, divisor: Any) -> Any:
    """``left ÷ divisor`` exactly: the unscaled 128-bit integers divided with one guard digit, truncating;
    then the guard digit rounded away, half away from zero, still in integers (a cast from
    DECIMAL(38, 11) to DECIMAL(38, 10) would do the same, twice as slowly)."""
    hugeint = exp.DataType.build("HUGEINT", dialect="duckdb")
    ten = Decimal(10) ** SCALE

    def integer(value: int | str) -> Any:
        return exp.Cast(this=exp.Literal.number(str(value)), to=hugeint.copy())

    def unscaled(value: Any) -> Any:
        shifted = exp.Mul(this=_paren(exp, value.copy()), expression=exp.Literal.number(f"{ten:f}"))
        return exp.Cast(this=shifted, to=hugeint.copy())

    numerator = exp.Mul(this=unscaled(left), expression=integer(f"{ten * 10:f}"))
    quotient = exp.Paren(this=exp.IntDiv(this=exp.Paren(this=numerator),
                                         expression=_paren(exp, unscaled(divisor))))
    sign = exp.Cast(this=exp.Sign(this=quotient.copy()), to=hugeint.copy())
    half = exp.Mul(this=sign, expression=integer(5))
    rounded = exp.IntDiv(this=exp.Paren(this=exp.Add(this=quotient, expression=half)),
                         expression=integer(10))
    whole = exp.Cast(this=rounded, to=exp.DataType.build(f"DECIMAL({PRECISION}, 0)"))
    return exp.Paren(this=exp.Mul(this=whole, expression=_step(exp)))  # DECIMAL(38, 0) × DECIMAL(10, 10)
