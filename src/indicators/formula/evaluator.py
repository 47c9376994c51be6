"""Exact evaluation of a :class:`~indicators.formula.model.Formula` with Decimal and pint.

Only the node types of :mod:`indicators.formula.nodes` and the functions of
:mod:`indicators.formula.functions` evaluate; there is no other way in. Every number is a pint
quantity with a ``Decimal`` magnitude (``indicators.units``): ``a/b*100%`` is a quantity in per cent,
so 0.9667 and 96.67% are equal quantities. Anything that cannot be computed (a missing value,
division by zero, units that do not add up) gives an :class:`Evaluation` with ``ok=False`` and a
diagnostic naming the cause; ``evaluate`` never raises on bad values.

That is the reference path (:func:`reference`). When every value is a plain number the formula's
generated function (:mod:`indicators.formula.codegen`) gives the same value and unit without pint;
a row it cannot compute goes through the reference path for its diagnostics.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import (
    ROUND_HALF_UP,
    Context,
    Decimal,
    DecimalException,
    Inexact,
    InvalidOperation,
    getcontext,
    localcontext,
)
from typing import TYPE_CHECKING, Any, TypeAlias

from indicators import units
from indicators.codes import diagnostic
from indicators.diagnostics import Diagnostic, Span
from indicators.errors import UnitError
from indicators.formula import codegen, nodes, printer
from indicators.formula.compile_py import CompileError, RowFunction, result_digits, result_unit, unit_of
from indicators.formula.kinds import RATE_BASES, FormulaKind
from indicators.formula.model import Formula
from indicators.limits import DEFAULT_LIMITS, Limits, engine_context, exceeded
from indicators.text import nfkc, normalize_name

if TYPE_CHECKING:
    from indicators.units import Quantity

#: how ``display`` writes a value that could not be computed
NOT_COMPUTABLE = "无法计算"
#: the most decimal places ``display`` writes (the same bound as ROUND's places)
MAX_PLACES = 20
_PERCENT_UNITS = {"percent": "%", "permille": "‰"}
#: quantities inside the evaluator (pint's own types do not cover its Decimal arithmetic)
_Q: TypeAlias = Any
_VALUE_RE = re.compile(r"^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)?(\.\d+)?\s*(.*?)$")


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The result of :func:`evaluate`.

    ``value`` is the exact magnitude in ``unit`` (``"%"`` for a percentage, ``"‰"``, the base of a rate
    such as ``"/10万"``, a unit such as ``"万元"`` when the values carried one, None for a plain number).
    ``display()`` rounds half up.
    """

    ok: bool
    value: Decimal | None = None
    unit: str | None = None
    diagnostics: tuple[Diagnostic, ...] = ()

    def display(self, places: int = 2) -> str:
        """``84.14%``: the value rounded half up to ``places`` decimals, with its unit.

        ``places`` is brought into 0 … ``MAX_PLACES``.
        """
        if not self.ok or self.value is None:
            return NOT_COMPUTABLE
        digits = min(max(0, places), MAX_PLACES)
        exponent = Decimal(1).scaleb(-digits)
        context = Context(prec=max(28, self.value.adjusted() + digits + 2))
        rounded = self.value.quantize(exponent, rounding=ROUND_HALF_UP, context=context)
        if rounded.is_zero():
            rounded = abs(rounded)  # never "-0.00"
        text = f"{rounded:f}"
        return text + (self.unit or "")

    def quantity(self) -> Quantity | None:
        """The value as an exact pint quantity (None when not computable)."""
        if not self.ok or self.value is None:
            return None
        base = RATE_BASES.get(self.unit or "")
        if base is not None and self.unit != "‰":  # 万分率 and 十万分率 have no unit in the registry
            digits = len(str(base)) - 1  # a base is a power of ten: the division is exact
            return units.quantity(self.value.scaleb(-digits, context=engine_context()))
        return units.quantity(self.value, self.unit or "")

    def to_dict(self, places: int = 2) -> dict[str, Any]:
        """The documented JSON shape added by ``indicators formula eval --json``."""
        return {
            "ok": self.ok,
            "value": None if self.value is None else f"{self.value:f}",
            "unit": self.unit,
            "display": self.display(places),
            "diagnostics": [d.model_dump(mode="json", exclude_none=True) for d in self.diagnostics],
        }


class _Fail(Exception):
    def __init__(self, diag: Diagnostic) -> None:
        super().__init__(diag.message)
        self.diag = diag


def evaluate(
    formula: Formula,
    values: Mapping[str, Decimal | int | str],
    *,
    limits: Limits = DEFAULT_LIMITS,
) -> Evaluation:
    """Compute ``formula`` from ``values``: name → number, or text (``"1,250"``, ``"96.5%"``, ``"3万元"``).

    Names are matched exactly, then by :func:`indicators.text.normalize_name` (full-width and half-width
    parentheses, quotes and spaces do not matter).

    With plain numbers (``Decimal``, ``int``) the formula's generated function computes the value
    (:func:`indicators.formula.to_callable`); texts, quantities and rows that cannot be computed take
    the reference path (:func:`reference`), which reads every value and names every problem.
    """
    if not formula.is_arithmetic or formula.expr is None:
        diag = diagnostic("IND114", text=formula.text, kind=formula.kind.label)
        return Evaluation(False, diagnostics=(diag,))
    fast = _compiled(formula, limits.decimal_precision)
    if fast is not None and fast.function is not None:
        try:
            value = fast.function(values)
        except CompileError:  # a text, a float, a quantity: the values are read below
            value = None
        if value is not None and not value.is_zero():
            return Evaluation(True, value, fast.unit)
        # a zero's exponent is clamped by the function's bounded context (0E+27 for 0E+46): the
        # reference path gives the exact one, as it does for every row the function cannot compute
    return reference(formula, values, limits=limits)


def reference(
    formula: Formula,
    values: Mapping[str, Decimal | int | str],
    *,
    limits: Limits = DEFAULT_LIMITS,
) -> Evaluation:
    """:func:`evaluate` on the reference path: pint quantities at every node, every value read first."""
    if not formula.is_arithmetic or formula.expr is None:
        diag = diagnostic("IND114", text=formula.text, kind=formula.kind.label)
        return Evaluation(False, diagnostics=(diag,))
    import pint

    run = _Run(formula, values, limits)
    try:
        with localcontext(engine_context(limits)) as ctx:
            problems = run.read_all()
            if problems:  # every missing or unreadable value at once, in order of appearance
                return Evaluation(False, diagnostics=tuple(problems))
            ctx.clear_flags()
            result = run.value_of(formula.expr)
            done = _finish(formula, result)
            return done if run.rounded is None else run.rounding_warning(done)
    except _Fail as fail:
        return Evaluation(False, diagnostics=(fail.diag,))
    except pint.errors.DimensionalityError as exc:
        left, right = _unit_text(exc.units1), _unit_text(exc.units2)
        diag = diagnostic("IND113", text=formula.text, left=left, right=right)
        return Evaluation(False, diagnostics=(diag,))
    except (DecimalException, pint.errors.PintError) as exc:
        diag = diagnostic("IND115", text=formula.text, detail=f"数值运算出错（{type(exc).__name__}）")
        return Evaluation(False, diagnostics=(diag,))


@dataclass(frozen=True, slots=True)
class _Fast:
    formula: Formula  # held so that its id stays its own while it is in the table
    function: RowFunction | None
    unit: str | None


#: compiled functions of the formulas ``evaluate`` saw last, by (id, precision); a plain dict whose
#: reads need no lock, written under ``_FAST_LOCK``
_FAST: dict[tuple[int, int], _Fast] = {}
_FAST_SIZE = 512
_FAST_LOCK = threading.Lock()


def _compiled(formula: Formula, precision: int) -> _Fast | None:
    """The generated function of ``formula`` when plain numbers can take the fast path, else None.

    Only formulas whose result unit is known before computing qualify (an ``IF`` whose branches have
    different units does not): the function then gives exactly the value and unit of the reference
    path below. A row it cannot compute (None) goes through the reference path for its diagnostics.
    """
    key = (id(formula), precision)
    found = _FAST.get(key)
    if found is None or found.formula is not formula:
        found = _build_fast(formula, precision)
        with _FAST_LOCK:
            if len(_FAST) >= _FAST_SIZE:
                _FAST.clear()
            _FAST[key] = found
    return found if found.function is not None else None


def _build_fast(formula: Formula, precision: int) -> _Fast:
    """The generated function of ``formula`` whose every intermediate value stays below
    ``10**(precision - MAX_PLACES)``: a rounding to ``precision`` digits then never reaches the
    ``MAX_PLACES`` decimals a value is shown with, and a row beyond goes to the reference path, which
    reports such a rounding (IND030)."""
    expr = formula.expr
    static = formula.kind in (FormulaKind.PERCENTAGE, FormulaKind.RATE) and formula.unit is not None
    if expr is None or _lone_comparison(expr) or not (static or unit_of(expr) is not None):
        return _Fast(formula, None, None)
    emax = max(0, precision - MAX_PLACES - 1)
    with contextlib.suppress(CompileError):  # nested too deeply: the reference path computes it
        generated = codegen.generate(expr, shift=result_digits(formula), precision=precision, emax=emax)
        return _Fast(formula, generated.function, result_unit(formula))
    return _Fast(formula, None, None)


def _lone_comparison(expr: nodes.Node) -> bool:
    """Whether a comparison stands anywhere but as the condition of an IF (IND109 on the reference path)."""
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, nodes.Comparison):
            return True
        kids = list(nodes.children(node))
        if isinstance(node, nodes.Call) and node.function == "IF":
            condition = kids.pop(0)
            compared = isinstance(condition, nodes.Comparison)
            stack.extend(nodes.children(condition) if compared else (condition,))
        stack.extend(kids)
    return False


def _finish(formula: Formula, result: _Q) -> Evaluation:
    if formula.kind is FormulaKind.PERCENTAGE:
        unit = formula.unit or "%"
        if not result.dimensionless:
            left_over = _unit_text((result / units.quantity(1, unit)).units)
            diag = diagnostic("IND119", span=formula.body_span, text=formula.text, unit=left_over)
            return Evaluation(False, diagnostics=(diag,))
        converted = result.to("percent" if unit == "%" else "permille")
        return Evaluation(True, _exact(converted.magnitude), unit)
    if formula.kind is FormulaKind.RATE and formula.unit is not None:
        if not result.dimensionless:  # the numerator's and denominator's units must cancel, as for a per cent
            left_over = _unit_text(result.units)
            diag = diagnostic("IND119", span=formula.body_span, text=formula.text, unit=left_over)
            return Evaluation(False, diagnostics=(diag,))
        return Evaluation(True, _exact(result.to("dimensionless").magnitude), formula.unit)
    name = str(result.units)
    if name in _PERCENT_UNITS:
        return Evaluation(True, _exact(result.magnitude), _PERCENT_UNITS[name])
    if result.dimensionless:
        return Evaluation(True, _exact(result.to("dimensionless").magnitude), None)
    return Evaluation(True, _exact(result.magnitude), _unit_text(result.units))


def _exact(magnitude: Any) -> Decimal:
    if isinstance(magnitude, Decimal):
        return magnitude
    return Decimal(str(magnitude))  # pint keeps Decimal; an int may appear for exact integers


def _unit_text(unit: Any) -> str:
    text = str(unit)
    if text in ("", "dimensionless"):
        return "无单位"
    return _PERCENT_UNITS.get(text, text)


class _Run:
    def __init__(self, formula: Formula, values: Mapping[str, Decimal | int | str], limits: Limits) -> None:
        self.formula = formula
        self.limits = limits
        self.values = values
        self.by_key = {normalize_name(str(k), drop_suffix=False): v for k, v in values.items()}
        self.cache: dict[str, _Q] = {}
        #: the first operation whose result was rounded within the decimals a value is shown with
        self.rounded: nodes.Node | None = None

    def step(self, node: nodes.Node, result: _Q) -> _Q:
        """``result`` of one operation of ``node``; notes a rounding that reaches the shown decimals.

        The engine's context keeps ``Limits.decimal_precision`` digits: a quotient such as 1/3 is
        rounded far below the ``MAX_PLACES`` decimals ``display`` can write, which is not reported; a
        rounding whose last kept digit is 10**-MAX_PLACES or coarser (10**40 + 1) is.
        """
        context = getcontext()
        if context.flags[Inexact]:
            context.clear_flags()
            magnitude = result.magnitude
            if (self.rounded is None and isinstance(magnitude, Decimal) and magnitude.is_finite()
                    and int(magnitude.as_tuple().exponent) > -MAX_PLACES):
                self.rounded = node
        return result

    def rounding_warning(self, done: Evaluation) -> Evaluation:
        """``done`` with the IND030 warning of the rounding noted by :meth:`step`."""
        assert self.rounded is not None
        where = printer.to_text(self.rounded)
        warning = diagnostic(
            "IND030", span=nodes.span_of(self.rounded), text=self.formula.text,
            precision=self.limits.decimal_precision, detail=f"在“{where[:80]}”处",
        )
        return Evaluation(done.ok, done.value, done.unit, (*done.diagnostics, warning))

    def fail(self, code: str, node: nodes.Node | None = None, **fields: Any) -> _Fail:
        span: Span | None = nodes.span_of(node)
        return _Fail(diagnostic(code, span=span, text=self.formula.text, **fields))

    def value_of(self, node: nodes.Node) -> _Q:
        """The value of ``node``; a unit or arithmetic failure is reported at the innermost node."""
        import pint

        try:
            return self._eval(node)
        except pint.errors.DimensionalityError as exc:
            left, right = _unit_text(exc.units1), _unit_text(exc.units2)
            raise self.fail("IND113", node, left=left, right=right) from None
        except DecimalException as exc:
            raise self.fail("IND115", node, detail=f"数值运算出错（{type(exc).__name__}）") from None

    def _eval(self, node: nodes.Node) -> _Q:
        if isinstance(node, nodes.Number):
            return units.quantity(node.value, node.unit or "")
        if isinstance(node, nodes.Variable):
            return self.variable(node)
        if isinstance(node, nodes.Negate):
            return self.step(node, -self.value_of(node.operand))
        if isinstance(node, nodes.Sum):
            total = self.value_of(node.operands[0])
            for op, operand in zip(node.operators, node.operands[1:], strict=True):
                right = self.value_of(operand)
                total = self.step(node, total + right if op == "+" else total - right)
            return total
        if isinstance(node, nodes.Product):
            acc = self.value_of(node.operands[0])
            for op, operand in zip(node.operators, node.operands[1:], strict=True):
                right = self.value_of(operand)
                if op == "*":
                    acc = self.step(node, acc * right)
                else:
                    if right.magnitude == 0:
                        raise self.fail("IND110", operand, name=f"“{printer.to_text(operand)}”")
                    acc = self.step(node, acc / right)
            return acc
        if isinstance(node, nodes.Call):
            return self.call(node)
        raise self.fail("IND109", node)  # a comparison outside IF never comes out of the parser

    def read_all(self) -> list[Diagnostic]:
        """Read the value of every variable first; the diagnostics of those that fail."""
        problems: list[Diagnostic] = []
        seen: set[str] = set()
        assert self.formula.expr is not None
        for node in nodes.walk(self.formula.expr):
            if isinstance(node, nodes.Variable) and node.name not in seen:
                seen.add(node.name)
                try:
                    self.variable(node)
                except _Fail as fail:
                    problems.append(fail.diag)
        unused = self.unused(seen)
        if unused:  # a value given under another name is the likely cause of a missing one
            hint = f"已提供但公式中没有的名称：{'、'.join(unused)}；请核对名称是否与公式一致"
            problems = [d.model_copy(update={"hint": hint}) if d.code == "IND111" else d for d in problems]
        return problems

    def unused(self, used: set[str]) -> list[str]:
        """Names of the given values that match no variable of the formula."""
        keys = {normalize_name(n, drop_suffix=False) for n in used}
        return [str(k) for k in self.values
                if k not in used and normalize_name(str(k), drop_suffix=False) not in keys]

    def variable(self, node: nodes.Variable) -> _Q:
        name = node.name
        if name in self.cache:
            return self.cache[name]
        if name in self.values:
            raw: Any = self.values[name]
        else:
            key = normalize_name(name, drop_suffix=False)
            if key not in self.by_key:
                raise self.fail("IND111", node, name=name)
            raw = self.by_key[key]
        value = self.read_value(node, raw)
        self.cache[name] = value
        return value

    def read_value(self, node: nodes.Variable, raw: Any) -> _Q:
        if units.is_quantity(raw):
            quantity: _Q = raw
            return quantity
        bad = _Fail(
            diagnostic("IND112", name=node.name, text=_shown(raw)).model_copy(
                update={"text": self.formula.text, "span": nodes.span_of(node)}
            )
        )
        if isinstance(raw, bool):
            raise bad
        if isinstance(raw, int):
            if raw.bit_length() > 4 * self.limits.max_number_digits:  # never build a million digits
                raise self.too_large(node, "max_number_digits", "位数", int(raw.bit_length() * 0.30103) + 1)
            return units.quantity(self.sized(node, Decimal(raw)))
        if isinstance(raw, float):
            raw = Decimal(repr(raw))
        if isinstance(raw, Decimal):
            if not raw.is_finite():
                raise bad
            return units.quantity(self.sized(node, raw))
        if not isinstance(raw, str):
            raise bad
        if len(raw) > self.limits.max_text_length:
            raise self.fail("IND001", node, length=len(raw), limit=self.limits.max_text_length,
                            hint=f"变量“{node.name}”的取值过长，请检查是否填错")
        text = nfkc(raw).strip()
        match = _VALUE_RE.match(text)
        if match is None or (match.group(2) is None and match.group(3) is None):
            raise bad
        sign, whole, fraction, unit = match.groups()
        try:
            number = Decimal(sign + (whole or "0").replace(",", "") + (fraction or ""))
        except InvalidOperation:  # pragma: no cover - the pattern only admits digits
            raise bad from None
        try:
            return units.quantity(self.sized(node, number), unit.strip())
        except UnitError:
            raise bad from None

    def sized(self, node: nodes.Variable, value: Decimal) -> Decimal:
        """``value`` when its digits and power of ten are within the limits (any zero is)."""
        if value.is_zero():
            return value
        digits = len(value.as_tuple().digits)
        if digits > self.limits.max_number_digits:
            raise self.too_large(node, "max_number_digits", "位数", digits)
        power = abs(value.adjusted())
        if power > self.limits.max_number_exponent:
            raise self.too_large(node, "max_number_exponent", "数量级（10 的幂次）", power)
        return value

    def too_large(self, node: nodes.Variable, name: str, what: str, size: int) -> _Fail:
        limit = getattr(self.limits, name)
        diag = exceeded(name, f"变量“{node.name}”的取值的{what}", size, limit)
        return _Fail(diag.model_copy(update={"text": self.formula.text, "span": nodes.span_of(node)}))

    def call(self, node: nodes.Call) -> _Q:
        name = node.function
        if name == "IF":
            condition, then, otherwise = node.args
            return self.value_of(then) if self.truth(condition) else self.value_of(otherwise)
        if name == "ROUND":
            value = self.value_of(node.args[0])
            digits = node.args[1] if len(node.args) == 2 else None
            places = int(digits.value) if isinstance(digits, nodes.Number) else 0
            magnitude = _exact(value.magnitude).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
            getcontext().clear_flags()  # the rounding asked for is not reported
            return units.quantity(magnitude, value.units)
        args = [self.value_of(a) for a in node.args]
        if name == "ABS":
            return abs(args[0])
        first_units = args[0].units
        same = [a.to(first_units) for a in args]
        if name == "SUM":
            return self.step(node, _total(same))
        if name == "AVG":
            return self.step(node, _total(same) / Decimal(len(same)))
        if name == "MIN":
            return min(same, key=lambda q: _exact(q.magnitude))
        return max(same, key=lambda q: _exact(q.magnitude))

    def truth(self, condition: nodes.Node) -> bool:
        if not isinstance(condition, nodes.Comparison):
            return bool(self.value_of(condition).magnitude != 0)
        import pint

        left = self.value_of(condition.left)
        try:
            right = self.value_of(condition.right).to(left.units)
        except pint.errors.DimensionalityError as exc:
            units = _unit_text(exc.units1), _unit_text(exc.units2)
            raise self.fail("IND113", condition, left=units[0], right=units[1]) from None
        a, b = _exact(left.magnitude), _exact(right.magnitude)
        return {
            ">=": a >= b, "<=": a <= b, ">": a > b, "<": a < b, "=": a == b, "!=": a != b,
        }[condition.op]


def _shown(raw: Any) -> str:
    """A value as a diagnostic quotes it: never a million digits."""
    if isinstance(raw, int) and not isinstance(raw, bool) and raw.bit_length() > 1_000:
        return "超过 300 位的整数"
    text = str(raw)
    return text if len(text) <= 60 else f"{text[:60]}…"


def _total(quantities: list[_Q]) -> _Q:
    total = quantities[0]
    for q in quantities[1:]:
        total = total + q
    return total
