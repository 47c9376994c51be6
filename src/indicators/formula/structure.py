"""Exact comparison of two arithmetic formulas without sympy: rational functions over ``Fraction``.

A formula built from numbers, names, ``+ - * /``, ``SUM`` and ``AVG`` is a rational function of its
variables. :func:`same_value` expands both formulas into ``numerator / denominator`` with polynomials
whose coefficients are exact fractions (``100%`` is 1, ``3‰`` is 3/1000) and compares
``n1·d2`` with ``n2·d1``: equal polynomials mean the same value wherever both are defined, which is
what the symbolic check (:func:`indicators.formula.analysis.compare`, ``sympy.cancel``) decides for
such formulas. It answers None where it cannot decide (``IF``, ``ROUND``, ``MIN``, ``MAX``, ``ABS``, a
divisor that is the zero polynomial, an expansion beyond :data:`MAX_TERMS` terms); the caller then
asks sympy. So ``indicators check`` compares the catalog's formulas with the form's without loading
sympy in the common cases.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import TypeAlias

from indicators.formula import nodes

#: a monomial: sorted (variable, power) pairs; a polynomial: monomial → coefficient
Monomial: TypeAlias = tuple[tuple[str, int], ...]
Polynomial: TypeAlias = dict[Monomial, Fraction]
#: numerator, denominator
Rational: TypeAlias = tuple[Polynomial, Polynomial]

#: the largest polynomial expanded before giving up (the symbolic check takes over)
MAX_TERMS = 256
_SCALE = {None: Fraction(1), "%": Fraction(1, 100), "‰": Fraction(1, 1000)}
_ONE: Polynomial = {(): Fraction(1)}


class _Undecided(Exception):
    """Raised inside the expansion where this module cannot decide."""


def same_value(a: nodes.Node, b: nodes.Node, *, key: Callable[[str], str] = str) -> bool | None:
    """True or False when decided exactly, None otherwise. Names are compared through ``key``."""
    try:
        na, da = _rational(a, key)
        nb, db = _rational(b, key)
        return _multiply(na, db) == _multiply(nb, da)
    except _Undecided:
        return None


def _rational(node: nodes.Node, key: Callable[[str], str]) -> Rational:
    match node:
        case nodes.Number(value=value, unit=unit):
            coefficient = Fraction(value) * _SCALE.get(unit, Fraction(1))
            return ({(): coefficient} if coefficient else {}), _ONE
        case nodes.Variable(name=name):
            return {((key(name), 1),): Fraction(1)}, _ONE
        case nodes.Negate(operand=operand):
            num, den = _rational(operand, key)
            return {m: -c for m, c in num.items()}, den
        case nodes.Sum(operands=operands, operators=operators):
            total = _rational(operands[0], key)
            for op, operand in zip(operators, operands[1:], strict=True):
                total = _add(total, _rational(operand, key), 1 if op == "+" else -1)
            return total
        case nodes.Product(operands=operands, operators=operators):
            acc = _rational(operands[0], key)
            for op, operand in zip(operators, operands[1:], strict=True):
                num, den = _rational(operand, key)
                if op == "*":
                    acc = _multiply(acc[0], num), _multiply(acc[1], den)
                elif not num:
                    raise _Undecided  # a divisor that is always zero
                else:
                    acc = _multiply(acc[0], den), _multiply(acc[1], num)
            return acc
        case nodes.Call(function="SUM" | "AVG", args=args):
            total = _rational(args[0], key)
            for arg in args[1:]:
                total = _add(total, _rational(arg, key), 1)
            if node.function == "AVG":
                total = total[0], _scale(total[1], Fraction(len(args)))
            return total
        case _:
            raise _Undecided


def _add(left: Rational, right: Rational, sign: int) -> Rational:
    (n1, d1), (n2, d2) = left, right
    if d1 == d2:
        return _plus(n1, n2, sign), d1
    return _plus(_multiply(n1, d2), _multiply(n2, d1), sign), _multiply(d1, d2)


def _plus(a: Polynomial, b: Polynomial, sign: int) -> Polynomial:
    out = dict(a)
    for monomial, coefficient in b.items():
        value = out.get(monomial, Fraction(0)) + sign * coefficient
        if value:
            out[monomial] = value
        else:
            out.pop(monomial, None)
    return out


def _multiply(a: Polynomial, b: Polynomial) -> Polynomial:
    if len(a) * len(b) > MAX_TERMS * MAX_TERMS:
        raise _Undecided
    out: Polynomial = {}
    for m1, c1 in a.items():
        for m2, c2 in b.items():
            monomial = _times(m1, m2)
            value = out.get(monomial, Fraction(0)) + c1 * c2
            if value:
                out[monomial] = value
            else:
                out.pop(monomial, None)
    if len(out) > MAX_TERMS:
        raise _Undecided
    return out


def _times(a: Monomial, b: Monomial) -> Monomial:
    if not a:
        return b
    if not b:
        return a
    powers = dict(a)
    for name, power in b:
        powers[name] = powers.get(name, 0) + power
    return tuple(sorted(powers.items()))


def _scale(polynomial: Polynomial, factor: Fraction) -> Polynomial:
    return {m: c * factor for m, c in polynomial.items()}
