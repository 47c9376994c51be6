"""Code generation: an arithmetic formula's AST → the source of one Python function → that function.

This is the one module of the package that calls ``compile`` and ``exec``, and only on text it wrote
itself from the typed AST, never on text a user wrote:

- a variable's name appears in the source only as a string constant written by ``repr`` (a Python
  string literal that reads back as exactly that name, whatever quotes, backslashes, line breaks or
  other characters it holds); numbers only as ``Decimal('…')`` of a Decimal's own ``str``; every
  identifier of the source is one this module made (``v0``, ``t3``, ``k1``, …);
- before it is compiled, the source is parsed again and checked node by node against an allow-list
  (statements, operators, names, attributes and constants): anything else is a bug and raises;
- the function runs with no builtins except ``min``, ``max``, ``abs``, ``KeyError`` and ``RuntimeError``.

The function computes what :func:`indicators.formula.evaluate` computes, without pint: units (per
cent, per mille), their conversions and the final scaling are worked out at generation time as
powers of ten (``unit_of``); only an ``IF`` whose branches have different units carries its unit at
run time. Every operation runs in one fixed Decimal context of ``Limits.decimal_precision`` digits
(Python's operators on ``Decimal`` are much faster than ``Context`` methods), so the caller's decimal
context does not matter: the function runs its body inside a :class:`contextvars.Context` of its
own, whose decimal context is that one (entering it costs about a third of making the decimal context
current and giving the caller's back); when that context is already entered (the same function
running in another thread at the same moment) it makes its decimal context current for the call and
gives the caller's back when it returns. A value that is missing or None, a zero divisor or an
arithmetic failure gives None; a value that is not a finite ``Decimal`` or an ``int`` raises
:class:`CompileError` (IND112). The same body also comes as a function of many rows
(``formula_rows``), which switches the context once for all of them. ``indicators formula compile
--show`` prints the source.
"""

from __future__ import annotations

import ast
import contextvars
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import (
    ROUND_HALF_UP,
    Context,
    Decimal,
    DecimalException,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    getcontext,
    setcontext,
)
from typing import Any, TypeAlias

from indicators.codes import diagnostic
from indicators.errors import IndicatorsError
from indicators.formula import nodes
from indicators.formula.functions import FUNCTIONS
from indicators.text import normalize_name

#: a unit as the power of ten between a plain number and the magnitude: 2 for %, 3 for ‰; or the
#: name of the local that holds it when an IF decides it at run time
Unit: TypeAlias = int | str
RowFunction: TypeAlias = Callable[[Mapping[str, Any]], Decimal | None]

_UNIT_OF_LITERAL = {None: 0, "%": 2, "‰": 3}
#: how a comparison of the language is written in Python
_COMPARE = {">=": ">=", "<=": "<=", ">": ">", "<": "<", "=": "==", "!=": "!="}
_INDENT = "    "


class NotComputable(Exception):
    """Raised inside a generated function for a row that cannot be computed (it then returns None)."""


class CompileError(IndicatorsError, ValueError):
    """A formula that cannot be compiled (not arithmetic, no SQL form) or a value a compiled function
    cannot use (IND112). Public as ``indicators.formula.CompileError``."""


_MISSING = object()
#: the largest int a function converts (about 300 digits): a million-digit int takes seconds to convert
_MAX_INT_BITS = 1_000


def find(row: Mapping[str, Any], key: str) -> Any:
    """The value of the row's column whose normalised name is ``key`` (None when there is none)."""
    for name, value in row.items():
        if normalize_name(str(name), drop_suffix=False) == key:
            return value
    return None


def number(raw: Any, name: str) -> Decimal:
    """A value that is not already a finite ``Decimal``: an ``int`` becomes one; None stops the row."""
    if raw is None:
        raise NotComputable
    if isinstance(raw, Decimal) and raw.is_finite():
        return raw
    if isinstance(raw, int) and not isinstance(raw, bool) and raw.bit_length() <= _MAX_INT_BITS:
        return Decimal(raw)
    text = "超过 300 位的整数" if isinstance(raw, int) and not isinstance(raw, bool) else str(raw)[:200]
    raise CompileError(diagnostic("IND112", name=name, text=text, hint="取值应为 Decimal 或整数"))


RowsFunction: TypeAlias = Callable[[Iterable[Mapping[str, Any]]], list[Decimal | None]]


@dataclass(frozen=True, slots=True)
class Generated:
    """The source of a formula's functions and the functions: of one row, and of many rows."""

    source: str
    function: RowFunction = field(repr=False, compare=False)
    rows: RowsFunction = field(repr=False, compare=False)


def generate(expr: nodes.Node, *, shift: int, precision: int, emax: int | None = None) -> Generated:
    """The functions computing ``expr`` from rows, the value scaled by ``10**shift`` (see module).

    ``emax`` bounds the power of ten of every intermediate value: a larger one stops the row (None),
    as an overflow does (``evaluate`` uses it to leave values whose rounding could show to its
    reference path).

    A tree nested too deeply for Python's own limits (about a hundred IFs inside each other, only in
    hand-built trees: the parser's depth limit stops texts first) is :class:`CompileError` (IND127).
    """
    try:
        return _generate(expr, shift, precision, emax)
    except (RecursionError, SyntaxError):  # SyntaxError: too many levels of indentation
        raise CompileError(diagnostic(
            "IND127", text=_shown(expr), detail="嵌套过深，无法生成 Python 函数",
            hint="减少 IF 的嵌套层数",
        )) from None


def _shown(expr: nodes.Node) -> str:
    from indicators.formula.printer import to_text

    try:
        return to_text(expr)[:200]
    except RecursionError:
        return ""


def _generate(expr: nodes.Node, shift: int, precision: int, emax: int | None) -> Generated:
    writer = _Writer()
    value, unit = writer.value(expr)
    scale = _minus(shift, unit)
    if scale == "0" and value in writer.rounded:
        writer.result = value  # already rounded to the context: no rescale needed
    else:
        writer.emit(f"value = {value}.scaleb({scale}, _C)")
    source = writer.source(precision)
    _verify(source, writer)
    own = contextvars.Context()  # its decimal context is ours: entering it switches to ours
    own.run(setcontext, _context(precision, emax))
    namespace: dict[str, Any] = {
        "__builtins__": {
            "min": min, "max": max, "abs": abs, "KeyError": KeyError, "RuntimeError": RuntimeError,
        },
        "_run": own.run,
        "_D": Decimal, "_C": own.run(getcontext), "_HALF_UP": ROUND_HALF_UP,
        "_STOP": (NotComputable, DecimalException), "_find": find, "_number": number,
        "_get": getcontext, "_set": setcontext,
    }
    code = compile(source, "<formula>", "exec")
    exec(code, namespace)  # noqa: S102 - source written above from the AST and checked by _verify
    return Generated(source, namespace["formula"], namespace["formula_rows"])


def _context(precision: int, emax: int | None) -> Context:
    context = Context(prec=precision, traps=[InvalidOperation, DivisionByZero, Overflow])
    if emax is not None:
        context.Emax = emax
    return context


def _minus(shift: int, unit: Unit) -> str:
    if isinstance(unit, int):
        return str(shift - unit)
    return f"{shift} - {unit}"


# --- the writer: one statement per operation, locals for every intermediate value ----------------------


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.depth = 2
        self.count = 0
        self.constants: dict[str, str] = {}
        self.names: dict[str, int] = {}  # variable name → its number (v0, v1, …)
        self.read: set[str] = set()  # variables already read on every path to this point
        self.strings: set[str] = set()
        self.rounded: set[str] = set()  # locals that hold the result of an operation in the context
        self.result = "value"

    def emit(self, line: str) -> None:
        self.lines.append(_INDENT * self.depth + line)

    def temp(self, prefix: str = "t") -> str:
        self.count += 1
        return f"{prefix}{self.count}"

    def constant(self, value: Decimal) -> str:
        text = str(value)
        if text not in self.constants:
            self.constants[text] = f"k{len(self.constants)}"
        return self.constants[text]

    def string(self, text: str) -> str:
        self.strings.add(text)
        return repr(text)

    def assign(self, expression: str, *, rounded: bool = False) -> str:
        name = self.temp()
        self.emit(f"{name} = {expression}")
        if rounded:
            self.rounded.add(name)
        return name

    def value(self, node: nodes.Node) -> tuple[str, Unit]:
        """A local (or constant) holding ``node``'s magnitude, and its unit."""
        return _HANDLERS[type(node)](self, node)

    def convert(self, value: str, own: Unit, unit: Unit) -> str:
        """``value`` (in ``own``) expressed in ``unit``: an exact power-of-ten shift."""
        if isinstance(own, int) and isinstance(unit, int):
            return value if own == unit else self.assign(f"{value}.scaleb({unit - own}, _C)")
        return self.assign(f"{value} if {own} == {unit} else {value}.scaleb({unit} - {own}, _C)")

    def source(self, precision: int) -> str:
        header = [f"# generated from the formula's AST; Decimal context: {precision} significant digits"]
        header += [f"{name} = _D({text!r})" for text, name in self.constants.items()]
        constants = "".join(f", {name}={name}" for name in self.constants.values())
        arguments = (f"_C=_C, _D=_D, _HALF_UP=_HALF_UP, _STOP=_STOP, _find=_find, _number=_number, "
                     f"_get=_get, _set=_set{constants}")
        one = [
            "",
            f"def formula_body(row, {arguments}):",
            f"{_INDENT}try:",
            *self.lines,
            f"{_INDENT * 2}return {self.result}",
            f"{_INDENT}except _STOP:",
            f"{_INDENT * 2}return None",
            "",
            "def formula(row, _run=_run, formula_body=formula_body, _C=_C, _get=_get, _set=_set):",
            f"{_INDENT}try:",
            f"{_INDENT * 2}return _run(formula_body, row)",
            f"{_INDENT}except RuntimeError:  # entered already: switch the decimal context instead",
            f"{_INDENT * 2}saved = _get()",
            f"{_INDENT}_set(_C)",
            f"{_INDENT}try:",
            f"{_INDENT * 2}return formula_body(row)",
            f"{_INDENT}finally:",
            f"{_INDENT * 2}_set(saved)",
        ]
        many = [
            "",
            f"def formula_rows(rows, {arguments}):",
            f"{_INDENT}out = []",
            f"{_INDENT}append = out.append",
            f"{_INDENT}saved = _get()",
            f"{_INDENT}_set(_C)",
            f"{_INDENT}try:",
            f"{_INDENT * 2}for row in rows:",
            f"{_INDENT * 3}try:",
            *(_INDENT * 2 + line for line in self.lines),
            f"{_INDENT * 4}append({self.result})",
            f"{_INDENT * 3}except _STOP:",
            f"{_INDENT * 4}append(None)",
            f"{_INDENT}finally:",
            f"{_INDENT * 2}_set(saved)",
            f"{_INDENT}return out",
        ]
        return "\n".join([*header, *one, *many]) + "\n"


def _number(w: _Writer, node: nodes.Node) -> tuple[str, Unit]:
    assert isinstance(node, nodes.Number)
    return w.constant(node.value), _UNIT_OF_LITERAL.get(node.unit, 0)


def _variable(w: _Writer, node: nodes.Node) -> tuple[str, Unit]:
    assert isinstance(node, nodes.Variable)
    name = node.name
    local = f"v{w.names.setdefault(name, len(w.names))}"
    if name in w.read:
        return local, 0
    key = normalize_name(name, drop_suffix=False)
    w.emit("try:")
    w.emit(f"{_INDENT}{local} = row[{w.string(name)}]")
    w.emit("except KeyError:")
    w.emit(f"{_INDENT}{local} = _find(row, {w.string(key)})")
    w.emit(f"if {local}.__class__ is not _D or not {local}.is_finite():")
    w.emit(f"{_INDENT}{local} = _number({local}, {w.string(name)})")
    w.read.add(name)
    return local, 0


def _negate(w: _Writer, node: nodes.Node) -> tuple[str, Unit]:
    assert isinstance(node, nodes.Negate)
    value, unit = w.value(node.operand)
    return w.assign(f"-{value}", rounded=True), unit


def _sum(w: _Writer, node: nodes.Node) -> tuple[str, Unit]:
    assert isinstance(node, nodes.Sum)
    total, unit = w.value(node.operands[0])
    for op, operand in zip(node.operators, node.operands[1:], strict=True):
        right, right_unit = w.value(operand)
        right = w.convert(right, right_unit, unit)
        total = w.assign(f"{total} {'+' if op == '+' else '-'} {right}", rounded=True)
    return total, unit


def _product(w: _Writer, node: nodes.Node) -> tuple[str, Unit]:
    assert isinstance(node, nodes.Product)
    acc, unit = w.value(node.operands[0])
    for op, operand in zip(node.operators, node.operands[1:], strict=True):
        right, right_unit = w.value(operand)
        times = op == "*"
        acc = w.assign(f"{acc} {'*' if times else '/'} {right}", rounded=True)
        unit = _combine(w, unit, right_unit, 1 if times else -1)
    return acc, unit


def _combine(w: _Writer, unit: Unit, other: Unit, sign: int) -> Unit:
    if isinstance(unit, int) and isinstance(other, int):
        return unit + sign * other
    name = w.temp("u")
    w.emit(f"{name} = {unit} {'+' if sign > 0 else '-'} {other}")
    return name


def _comparison(w: _Writer, node: nodes.Node) -> tuple[str, Unit]:
    """A comparison on its own (only hand-built trees): 1 when it holds, else 0, like a condition."""
    test = _condition(w, node)
    one, zero = w.constant(Decimal(1)), w.constant(Decimal(0))
    return w.assign(f"{one} if {test} else {zero}"), 0


def _condition(w: _Writer, node: nodes.Node) -> str:
    if not isinstance(node, nodes.Comparison):
        value, _ = w.value(node)
        return f"{value} != 0"
    left, left_unit = w.value(node.left)
    right, right_unit = w.value(node.right)
    right = w.convert(right, right_unit, left_unit)
    return f"{left} {_COMPARE[node.op]} {right}"


def _call(w: _Writer, node: nodes.Node) -> tuple[str, Unit]:
    assert isinstance(node, nodes.Call)
    return _FUNCTIONS[node.function](w, node)


def _if(w: _Writer, node: nodes.Call) -> tuple[str, Unit]:
    test = _condition(w, node.args[0])
    result, unit_name = w.temp(), w.temp("u")
    before = set(w.read)
    w.emit(f"if {test}:")
    w.depth += 1
    then, then_unit = w.value(node.args[1])
    w.emit(f"{result} = {then}")
    then_read, then_end = w.read, len(w.lines)
    w.depth -= 1
    w.read = set(before)
    w.emit("else:")
    w.depth += 1
    otherwise, else_unit = w.value(node.args[2])
    w.emit(f"{result} = {otherwise}")
    w.depth -= 1
    w.read = then_read & w.read
    if then_unit == else_unit:
        return result, then_unit
    # the unit depends on the condition: each branch says it
    w.lines.insert(then_end, _INDENT * (w.depth + 1) + f"{unit_name} = {then_unit}")
    w.emit(f"{_INDENT}{unit_name} = {else_unit}")
    return result, unit_name


def _round(w: _Writer, node: nodes.Call) -> tuple[str, Unit]:
    value, unit = w.value(node.args[0])
    places_node = node.args[1] if len(node.args) == 2 else None
    places = int(places_node.value) if isinstance(places_node, nodes.Number) else 0
    exponent = w.constant(Decimal(1).scaleb(-min(max(places, 0), 20)))
    return w.assign(f"{value}.quantize({exponent}, _HALF_UP, _C)"), unit


def _abs(w: _Writer, node: nodes.Call) -> tuple[str, Unit]:
    value, unit = w.value(node.args[0])
    return w.assign(f"abs({value})", rounded=True), unit


def _arguments(w: _Writer, node: nodes.Call) -> tuple[list[str], Unit]:
    """Every argument evaluated in order, each converted to the first one's unit."""
    first, unit = w.value(node.args[0])
    values = [first]
    for arg in node.args[1:]:
        value, own = w.value(arg)
        values.append(w.convert(value, own, unit))
    return values, unit


def _total(w: _Writer, values: list[str]) -> str:
    total = values[0]
    for value in values[1:]:
        total = w.assign(f"{total} + {value}", rounded=True)
    return total


def _sum_call(w: _Writer, node: nodes.Call) -> tuple[str, Unit]:
    values, unit = _arguments(w, node)
    return _total(w, values), unit


def _avg(w: _Writer, node: nodes.Call) -> tuple[str, Unit]:
    values, unit = _arguments(w, node)
    count = w.constant(Decimal(len(values)))
    return w.assign(f"{_total(w, values)} / {count}", rounded=True), unit


def _extreme(name: str) -> Callable[[_Writer, nodes.Call], tuple[str, Unit]]:
    def handler(w: _Writer, node: nodes.Call) -> tuple[str, Unit]:
        values, unit = _arguments(w, node)
        if len(values) == 1:
            return values[0], unit
        return w.assign(f"{name}({', '.join(values)})"), unit

    return handler


_HANDLERS: dict[type, Callable[[_Writer, nodes.Node], tuple[str, Unit]]] = {
    nodes.Number: _number,
    nodes.Variable: _variable,
    nodes.Negate: _negate,
    nodes.Sum: _sum,
    nodes.Product: _product,
    nodes.Comparison: _comparison,
    nodes.Call: _call,
}

_FUNCTIONS: dict[str, Callable[[_Writer, nodes.Call], tuple[str, Unit]]] = {
    "SUM": _sum_call,
    "AVG": _avg,
    "MIN": _extreme("min"),
    "MAX": _extreme("max"),
    "ABS": _abs,
    "ROUND": _round,
    "IF": _if,
}

assert set(_FUNCTIONS) == set(FUNCTIONS), "every function of the language needs generated code"


# --- the check of the generated source: deny by default --------------------------------------------------

_ALLOWED_NODES = (
    ast.Module, ast.FunctionDef, ast.arguments, ast.arg, ast.Assign, ast.Return, ast.Try, ast.For,
    ast.ExceptHandler, ast.If, ast.IfExp, ast.Compare, ast.BinOp, ast.Call, ast.Attribute, ast.Subscript,
    ast.Name, ast.Constant, ast.Load, ast.Store, ast.BoolOp, ast.UnaryOp, ast.Not, ast.Or, ast.Add, ast.Sub,
    ast.Mult, ast.Div, ast.List, ast.Expr,
    ast.USub, ast.Is, ast.IsNot, ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE,
)
_ALLOWED_ATTRIBUTES = frozenset({"scaleb", "quantize", "is_finite", "__class__", "append"})
_GLOBALS = frozenset({"_C", "_D", "_HALF_UP", "_STOP", "_find", "_number", "_get", "_set", "_run", "min",
                      "max", "abs", "KeyError", "RuntimeError", "row", "rows", "out", "append", "saved",
                      "value", "formula", "formula_body", "formula_rows"})


def _verify(source: str, writer: _Writer) -> None:
    """Every node, name, attribute and constant of ``source`` is one this module writes."""
    tree = ast.parse(source)
    constants = set(writer.constants.values())
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            raise AssertionError(f"generated code holds a {type(node).__name__}")
        if isinstance(node, ast.Name) and not (node.id in _GLOBALS or node.id in constants
                                               or _is_local(node.id)):
            raise AssertionError(f"generated code names {node.id!r}")
        if isinstance(node, ast.arg) and not (node.arg in _GLOBALS or node.arg in constants):
            raise AssertionError(f"generated code takes {node.arg!r}")
        if isinstance(node, ast.Attribute) and node.attr not in _ALLOWED_ATTRIBUTES:
            raise AssertionError(f"generated code reads .{node.attr}")
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and not (
            node.value in writer.strings or node.value in writer.constants
        ):
            raise AssertionError("generated code holds a string it did not write")


def _is_local(name: str) -> bool:
    return name[:1] in "vtu" and name[1:].isdigit()
