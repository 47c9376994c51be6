"""Symbolic analysis of arithmetic formulas with sympy: equivalence, solving, requirements, LaTeX.

sympy is imported on first use only, so ``import indicators`` and the command line stay fast. The
sympy expression is built node by node from the typed AST (never from text): a number becomes the
exact ``Rational`` of its Decimal, ``%`` is 1/100 and ``‰`` 1/1000, a name becomes a real ``Symbol``
named after it. The expression is the formula's value as a plain number, so ``a/b*100%`` is ``a/b``;
functions map to faithful sympy equivalents (``ROUND`` rounds half up in the unit the evaluator
rounds in). Reference: docs/formula-analysis.md.

Every sympy object stays inside this module: the public functions take and return formulas, names,
``Decimal`` values and plain data.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from typing import Any, Literal, TypeAlias

from indicators.codes import diagnostic
from indicators.diagnostics import Diagnostic, Span
from indicators.errors import IndicatorsError
from indicators.formula import nodes, printer, structure
from indicators.formula.kinds import RATE_BASES, FormulaKind
from indicators.formula.model import Formula
from indicators.limits import DEFAULT_LIMITS, Limits, engine_context, in_engine_context
from indicators.text import nfkc, normalize_name

#: a sympy expression (sympy is untyped; this alias marks the boundary)
_Expr: TypeAlias = Any
Comparator = Literal["eq", "ge", "gt", "le", "lt"]
Side = Literal["eq", "min", "max"]

#: comparator words and signs accepted by :func:`required`
COMPARATORS: dict[str, Comparator] = {
    "eq": "eq", "=": "eq", "==": "eq",
    "ge": "ge", ">=": "ge", "≥": "ge",
    "gt": "gt", ">": "gt",
    "le": "le", "<=": "le", "≤": "le",
    "lt": "lt", "<": "lt",
}
_SIGNS: dict[Comparator, str] = {"eq": "=", "ge": "≥", "gt": ">", "le": "≤", "lt": "<"}
_UNIT_SCALE = {None: 1, "%": 100, "‰": 1000}
_PLAIN_NUMBER = re.compile(r"^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)?(\.\d+)?\s*(%|‰)?$")
#: how many points are tried when looking for a counterexample
_SAMPLE_POINTS = 12
_SAMPLES = (
    "3", "7", "2", "11", "5", "13", "2.5", "17", "0.8", "23", "1.25", "4", "-2", "6", "0.5", "9", "-0.75",
    "12.5", "1.6", "0.25",
)


class AnalysisError(IndicatorsError, ValueError):
    """A formula, variable or target that symbolic analysis cannot handle (IND121-IND126, IND111, IND112)."""


def _sympy() -> Any:
    """The sympy module, imported on first use; IND126 when it is not installed."""
    try:
        import sympy
    except ImportError:
        raise AnalysisError(diagnostic("IND126")) from None
    return sympy


# --- the AST → sympy conversion --------------------------------------------------------------------


def to_sympy(formula: Formula | nodes.Node) -> Any:
    """The exact sympy expression of an arithmetic formula (or of one AST node).

    The expression is the value as a plain number: ``100%`` is 1, so ``a/b*100%`` gives ``a/b``.
    Names become real symbols named exactly as written. Raises :class:`AnalysisError` for a formula
    that is not arithmetic (IND121) or a node sympy cannot express faithfully (IND122).
    """
    return _Converter(_source_text(formula), _as_is).value(_expression(formula))


def latex(formula: Formula | nodes.Node) -> str:
    """The formula as LaTeX, in the order written.

    ``办结工单/呈办工单*100%`` gives ``\\frac{\\text{办结工单}}{\\text{呈办工单}} \\times 100\\%``.
    Printed from the AST, not from sympy, so nothing is reordered or cancelled; names are set as
    ``\\text{…}`` (a Chinese name needs XeLaTeX or a CJK package to typeset).
    """
    return _latex(_expression(formula))


@dataclass(frozen=True, slots=True)
class Equivalence:
    """The result of :func:`compare`.

    ``same_value`` is True when the two formulas give the same value for every value of their
    variables (proved), False when they do not (proved, usually with a ``counterexample``), None when
    neither could be shown. ``same_unit`` compares the units of the indicator values (``%``, ``‰``
    or none). ``left_value`` and ``right_value`` are the values at the counterexample, each in its
    formula's own unit.
    """

    same_value: bool | None
    same_unit: bool
    left_unit: str | None = None
    right_unit: str | None = None
    counterexample: dict[str, Decimal] = field(default_factory=dict)
    left_value: Decimal | None = None
    right_value: Decimal | None = None
    #: how the values were compared when not symbolically (IND031: too large for the symbolic budget)
    notes: tuple[Diagnostic, ...] = ()

    @property
    def equivalent(self) -> bool:
        """Same value and same unit."""
        return self.same_value is True and self.same_unit


@in_engine_context
def compare(a: Formula, b: Formula) -> Equivalence:
    """Whether ``a`` and ``b`` compute the same value, with the evidence (see :class:`Equivalence`).

    Variables are matched by :func:`indicators.text.normalize_name`, so ``村(社区)`` and ``村（社区）``
    are the same variable. Points where a divisor is zero are left out (sympy cancels ``x/x`` to 1).
    An identity of rational functions is proved without sympy (:mod:`indicators.formula.structure`).
    """
    if structure.same_value(_expression(a), _expression(b), key=_key) is True:
        return Equivalence(True, a.unit == b.unit, a.unit, b.unit)
    sympy = _sympy()

    ea = _Converter(a.text, _key).value(_expression(a))
    eb = _Converter(b.text, _key).value(_expression(b))
    same_unit = a.unit == b.unit
    difference = ea - eb
    proved: bool | None
    if difference == 0:
        proved = True
    elif not difference.has(sympy.Piecewise, sympy.Min, sympy.Max, sympy.Abs, sympy.floor, sympy.sign):
        proved = sympy.cancel(sympy.together(difference)) == 0  # an identity of rational functions
    elif (over := over_budget(difference)) is not None:
        return _numerically(ea, eb, a, b, over)
    else:
        simpler = sympy.simplify(difference)
        if simpler != 0:
            simpler = sympy.simplify(sympy.piecewise_fold(difference.rewrite(sympy.Piecewise)))
        proved = True if simpler == 0 else None
    result = Equivalence(proved, same_unit, a.unit, b.unit)
    if proved is True:
        return result
    witness = _counterexample(ea, eb, a, b)
    if witness is None:
        return result
    point, left, right = witness
    return Equivalence(False, same_unit, a.unit, b.unit, point, left, right)


#: the symbolic budget: most nodes, and most pieces (ROUND, IF, MIN, MAX, ABS), of an expression that
#: ``sympy.simplify`` is given; beyond either, values are compared at sample points (IND031). Each
#: ROUND is a floor inside a piecewise function: simplify takes ~0.2 s on one, seconds on two, minutes
#: on four nested.
SYMBOLIC_MAX_NODES = 80
SYMBOLIC_MAX_PIECES = 3


def over_budget(expr: _Expr) -> str | None:
    """Why ``expr`` is beyond the symbolic budget (a Chinese phrase), or None when it is within.

    Counted before any simplification, in time proportional to the expression's size."""
    sympy = _sympy()
    pieces = len(expr.atoms(sympy.Piecewise, sympy.Min, sympy.Max, sympy.Abs, sympy.floor, sympy.sign))
    if pieces > SYMBOLIC_MAX_PIECES:
        return f"含 {pieces} 处分段或取整运算，上限为 {SYMBOLIC_MAX_PIECES}"
    for size, _ in enumerate(sympy.preorder_traversal(expr), start=1):
        if size > SYMBOLIC_MAX_NODES:
            return f"符号表达式超过 {SYMBOLIC_MAX_NODES} 个节点"
    return None


def _numerically(ea: _Expr, eb: _Expr, a: Formula, b: Formula, why: str) -> Equivalence:
    """The comparison of two formulas too large for the symbolic budget: a counterexample among the
    sample points proves them different; otherwise their values agreed wherever they were tried, which
    proves nothing (``same_value`` None) and is said in an IND031 note."""
    same_unit = a.unit == b.unit
    witness = _counterexample(ea, eb, a, b)
    if witness is not None:
        point, left, right = witness
        return Equivalence(False, same_unit, a.unit, b.unit, point, left, right)
    note = diagnostic("IND031", text=b.text, detail=why, points=_SAMPLE_POINTS)
    return Equivalence(None, same_unit, a.unit, b.unit, notes=(note,))


@in_engine_context
def equivalent(a: Formula, b: Formula, *, units: bool = True) -> bool:
    """True when ``a`` and ``b`` are proved to give the same value for all values of their variables.

    ``a/b*100%``, ``100%*a/b`` and ``a*100%/b`` are equivalent; so are ``(a+b)/c`` and ``a/c+b/c``.
    With ``units`` (the default) the indicator values must also have the same unit: ``a/b`` (0.95)
    and ``a/b*100%`` (95%) are equal numbers but different indicator definitions. A formula that is
    not arithmetic raises :class:`AnalysisError` (IND121).
    """
    decided = structure.same_value(_expression(a), _expression(b), key=_key)
    if decided is not None:  # decided exactly without sympy
        return decided and (a.unit == b.unit or not units)
    result = compare(a, b)
    return result.equivalent if units else result.same_value is True


@in_engine_context
def solve_for(
    formula: Formula,
    name: str,
    target_value: Decimal | int | str,
    values: Mapping[str, Decimal | int | str],
    *,
    limits: Limits = DEFAULT_LIMITS,
) -> Decimal | None:
    """The value of variable ``name`` that makes ``formula`` equal ``target_value``, given the others.

    ``target_value`` is in the formula's own unit: for a percentage formula (``Formula.unit == "%"``)
    95 means 95%; for ``‰`` 3 means 3‰; otherwise it is the plain value (``a/b*100`` without ``%``
    has the value 95, not 95%). A text such as ``"95%"`` is read with its sign: 95 for a percentage
    formula, 0.95 for a plain one. ``values`` holds the other variables (numbers, or texts like
    ``"2,970"``; a value given for ``name`` itself is ignored).

    The solution is exact when it is a terminating decimal; otherwise it is rounded to
    ``limits.decimal_precision`` significant digits, as :func:`evaluate` does. Returns None when no
    value gives the target; raises :class:`AnalysisError` (IND123) when more than one does.
    """
    problem = _Problem(formula, name, values, limits)
    target = problem.target(target_value)
    solutions = problem.solve_equal(target)
    if solutions is None:
        return None
    return problem.decimal(solutions)


@dataclass(frozen=True, slots=True)
class Requirement:
    """What a variable must be for the formula to meet a target (the result of :func:`required`).

    ``side`` is ``"min"`` (the variable must be at least ``value``), ``"max"`` (at most ``value``)
    or ``"eq"`` (exactly ``value``). ``exact`` is the boundary where the formula equals the target;
    ``inclusive`` says whether ``value`` itself meets the target (False for ``>`` and ``<`` on a
    variable that is not a count: the variable must then be strictly beyond ``value``). ``whole`` is
    True when the variable is a count and ``value`` was rounded to a whole number.
    """

    name: str
    value: Decimal
    side: Side
    exact: Decimal
    inclusive: bool
    whole: bool

    def describe(self) -> str:
        """``办结工单至少为 2822（恰好达到目标时为 2821.5，按整数向上取整）``."""
        if self.side == "eq":
            words = "应为"
        elif self.side == "min":
            words = "至少为" if self.inclusive else "应大于"
        else:
            words = "至多为" if self.inclusive else "应小于"
        text = f"{self.name}{words} {_plain(self.value)}"
        if self.whole and self.value != self.exact:
            way = "向上取整" if self.side == "min" else "向下取整"
            text += f"（恰好达到目标时为 {_plain(self.exact)}，按整数{way}）"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "variable": self.name,
            "value": _plain(self.value),
            "side": self.side,
            "exact": _plain(self.exact),
            "inclusive": self.inclusive,
            "whole": self.whole,
            "text": self.describe(),
        }


@in_engine_context
def required(
    formula: Formula,
    name: str,
    *,
    bound: Decimal | int | str,
    comparator: str,
    values: Mapping[str, Decimal | int | str],
    whole: bool | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Requirement | None:
    """The least (or most) value of ``name`` for which ``formula`` meets ``comparator bound``.

    ``bound`` is in the formula's own unit, as for :func:`solve_for` (95 for ``≥95%`` on a
    percentage formula); ``comparator`` is ``ge``, ``gt``, ``le``, ``lt`` or ``eq`` (or ``≥ > ≤ < =``).
    Whether the answer is a least or a most value follows from the formula: for
    ``办结工单/呈办工单*100%`` ≥ 95%, 办结工单 has a least value and 呈办工单 a most value.

    A count (``whole``; by default decided from the name by :func:`is_count_name`) is rounded to the
    whole number that still meets the target: up for a least value, down for a most value, and never
    below 0. Returns None when no value (or no whole number) meets the target; raises
    :class:`AnalysisError` when the values that meet it are not bounded on one side by a single point
    (IND123), or for a bad comparator (IND125).
    """
    sympy = _sympy()

    op = COMPARATORS.get(comparator.strip().lower())
    if op is None:
        raise _error("IND125", what="比较方向", text=comparator,
                     detail="应为 ge、gt、le、lt、eq 或 ≥、>、≤、<、=", hint="如“95%以上”对应 ge（≥）")
    problem = _Problem(formula, name, values, limits)
    target = problem.target(bound)
    is_whole = is_count_name(problem.name) if whole is None else whole
    if op == "eq":
        point = problem.solve_equal(target)
        if point is None:
            return None
        if is_whole and not (point.is_integer and point >= 0):
            return None
        exact = problem.decimal(point)
        return Requirement(problem.name, exact, "eq", exact, True, is_whole)

    relation = {"ge": sympy.Ge, "gt": sympy.Gt, "le": sympy.Le, "lt": sympy.Lt}[op]
    x = problem.symbol
    expr = problem.expr
    if x not in expr.free_symbols:
        if relation(expr, target) == sympy.true:
            raise problem.not_unique("任何取值都满足目标")
        return None
    meeting = problem.solveset(relation(expr, target))
    if meeting == sympy.S.EmptySet:
        return None
    if meeting == sympy.S.Reals:
        raise problem.not_unique("任何取值都满足目标")
    one_sided = _one_sided(meeting, problem)
    if one_sided is not None:
        piece, point, side, inclusive = one_sided
    else:
        point = problem.solve_equal(target)
        if point is None:
            raise problem.not_unique("目标值不在公式能取到的范围的边界上，无法确定最少或最多的取值")
        piece, side, inclusive = _piece_bounded_by(meeting, point, problem)
    exact = problem.decimal(point)
    if not is_whole:
        return Requirement(problem.name, exact, side, exact, inclusive, False)
    count = _whole_in(piece, point, side, inclusive)
    if count is None:
        return None
    return Requirement(problem.name, Decimal(count), side, exact, True, True)


# --- counts ------------------------------------------------------------------------------------------

#: endings of a name that counts things (``办结工单``, ``辖区村(社区)总数``, ``党员参与志愿服务人次``)
COUNT_ENDINGS: tuple[str, ...] = (
    "数", "数量", "人次", "次", "工单", "人", "名", "户", "家", "个", "件", "项", "起", "宗", "场",
    "所", "台", "辆", "份", "篇", "批", "处", "村", "社区", "患者", "党员", "企业",
)
#: endings with 数 that are not counts
NOT_COUNT_ENDINGS: tuple[str, ...] = (
    "指数", "系数", "分数", "倍数", "参数", "均数", "小数", "读数", "度数", "平均数",
)
#: trailing qualifiers that name a unit of measure, not a count
MEASURE_QUALIFIERS: tuple[str, ...] = (
    "元", "万元", "亿元", "千元", "%", "‰", "米", "公里", "千米", "平方米", "平方公里", "亩", "公顷",
    "吨", "千克", "公斤", "小时", "天", "日", "月", "年", "分钟",
)
_QUALIFIER = re.compile(r"\(([^()]*)\)$")


def is_count_name(name: str) -> bool:
    """Whether a variable counts things, from its name (docs/formula-analysis.md, "Counts").

    After NFKC and without quotes and spaces, a word counts when it ends with one of
    :data:`COUNT_ENDINGS` but not with one of :data:`NOT_COUNT_ENDINGS`. A trailing qualifier that
    counts (``村(社区)``, ``(人)``) makes the name a count; one of :data:`MEASURE_QUALIFIERS`
    (``(万元)``, ``(%)``) makes it a measure; any other (``中心(站)``) is set aside and the rest decides.
    """
    key = normalize_name(name, drop_suffix=False)
    while (qualifier := _QUALIFIER.search(key)) is not None:
        inner = qualifier.group(1)
        if _counts(inner):
            return True
        if inner in MEASURE_QUALIFIERS:
            return False
        key = key[: qualifier.start()]
    return _counts(key)


def _counts(word: str) -> bool:
    return word.endswith(COUNT_ENDINGS) and not word.endswith(NOT_COUNT_ENDINGS)


# --- internals ---------------------------------------------------------------------------------------


def _as_is(name: str) -> str:
    return name


def _key(name: str) -> str:
    return normalize_name(name, drop_suffix=False)


def _source_text(formula: Formula | nodes.Node) -> str | None:
    return formula.text if isinstance(formula, Formula) else None


def _expression(formula: Formula | nodes.Node) -> nodes.Node:
    if not isinstance(formula, Formula):
        return formula
    if not formula.is_arithmetic or formula.expr is None:
        raise AnalysisError(diagnostic("IND121", text=formula.text, kind=formula.kind.label))
    return formula.expr


def _error(code: str, *, text: str | None = None, span: Span | None = None, hint: str | None = None,
           **fields: Any) -> AnalysisError:
    return AnalysisError(diagnostic(code, text=text, span=span, hint=hint, **fields))


class _Converter:
    """AST → (value, scale). ``scale`` is what one unit of the evaluator's magnitude is worth
    (1/100 for a quantity in per cent), needed only to round where the evaluator rounds."""

    def __init__(self, text: str | None, key: Callable[[str], str]) -> None:
        sympy = _sympy()

        self.sp = sympy
        self.text = text
        self.key = key

    def value(self, node: nodes.Node) -> _Expr:
        return self.convert(node)[0]

    def fail(self, node: nodes.Node, detail: str, hint: str) -> AnalysisError:
        if self.text is not None and node.span is not None:
            return _error("IND122", text=self.text, span=node.span.span(), hint=hint, detail=detail)
        return AnalysisError(diagnostic("IND122", hint=hint, detail=detail, text=printer.to_text(node)))

    def convert(self, node: nodes.Node) -> tuple[_Expr, _Expr]:
        sp = self.sp
        if isinstance(node, nodes.Number):
            numerator, denominator = node.value.as_integer_ratio()
            scale = sp.Rational(1, _UNIT_SCALE.get(node.unit, 1))
            return sp.Rational(numerator, denominator) * scale, scale
        if isinstance(node, nodes.Variable):
            return sp.Symbol(self.key(node.name), real=True), sp.Integer(1)
        if isinstance(node, nodes.Negate):
            value, scale = self.convert(node.operand)
            return -value, scale
        if isinstance(node, nodes.Sum):
            total, scale = self.convert(node.operands[0])
            for op, operand in zip(node.operators, node.operands[1:], strict=True):
                right = self.convert(operand)[0]
                total = total + right if op == "+" else total - right
            return total, scale
        if isinstance(node, nodes.Product):
            acc, scale = self.convert(node.operands[0])
            for op, operand in zip(node.operators, node.operands[1:], strict=True):
                right, right_scale = self.convert(operand)
                if op == "*":
                    acc, scale = acc * right, scale * right_scale
                else:
                    acc, scale = acc / right, scale / right_scale
            return acc, scale
        if isinstance(node, nodes.Call):
            return self.call(node)
        raise self.fail(node, "比较只能作为 IF 的条件", "比较式写在 IF(条件, 是时取值, 否时取值) 的条件位置")

    def call(self, node: nodes.Call) -> tuple[_Expr, _Expr]:
        sp = self.sp
        name = node.function
        if name == "IF" and len(node.args) == 3:
            condition = self.condition(node.args[0])
            then, then_scale = self.convert(node.args[1])
            otherwise, else_scale = self.convert(node.args[2])
            value = sp.Piecewise((then, condition), (otherwise, True))
            if then_scale == else_scale:
                return value, then_scale
            return value, sp.Piecewise((then_scale, condition), (else_scale, True))
        if name == "ROUND" and len(node.args) in (1, 2):
            value, scale = self.convert(node.args[0])
            places = self.places(node) if len(node.args) == 2 else 0
            magnitude = value / scale
            step = sp.Integer(10) ** places
            rounded = sp.sign(magnitude) * sp.floor(sp.Abs(magnitude) * step + sp.Rational(1, 2)) / step
            return rounded * scale, scale
        if (node.args and name in ("SUM", "AVG", "MIN", "MAX")) or (name == "ABS" and len(node.args) == 1):
            converted = [self.convert(a) for a in node.args]
            args = [v for v, _ in converted]
            scale = converted[0][1]
            if name == "SUM":
                return sp.Add(*args), scale
            if name == "AVG":
                return sp.Add(*args) / len(args), scale
            if name == "MIN":
                return sp.Min(*args), scale
            if name == "MAX":
                return sp.Max(*args), scale
            return sp.Abs(args[0]), scale
        raise self.fail(node, f"函数 {name}（{len(node.args)} 个参数）没有对应的符号形式",
                        "可用函数见 docs/formula-language.md 第 4 节")

    def places(self, call: nodes.Call) -> int:
        node = call.args[1]
        whole = isinstance(node, nodes.Number) and node.value == node.value.to_integral_value()
        if isinstance(node, nodes.Number) and node.unit is None and whole:
            places = int(node.value)
            if 0 <= places <= 20:
                return places
        raise self.fail(call, "ROUND 的小数位数应为 0 至 20 的整数", "如 ROUND(a/b*100%, 2)")

    def condition(self, node: nodes.Node) -> _Expr:
        sp = self.sp
        if not isinstance(node, nodes.Comparison):
            return sp.Ne(self.value(node), 0)
        left, right = self.value(node.left), self.value(node.right)
        relations = {">=": sp.Ge, "<=": sp.Le, ">": sp.Gt, "<": sp.Lt, "=": sp.Eq, "!=": sp.Ne}
        if node.op not in relations:
            raise self.fail(node, f"未知的比较符号“{node.op}”", "比较符号为 >= <= > < = !=")
        return relations[node.op](left, right)


def _counterexample(
    ea: _Expr, eb: _Expr, a: Formula, b: Formula
) -> tuple[dict[str, Decimal], Decimal, Decimal] | None:
    """A point where the two values differ (both defined), from a fixed list of sample values."""
    sympy = _sympy()

    symbols = sorted(ea.free_symbols | eb.free_symbols, key=lambda s: str(s.name))
    written = {_key(n): n for n in (*b.variables(), *a.variables())}
    for point in range(_SAMPLE_POINTS):
        chosen = {
            s: Decimal(_SAMPLES[(point * 7 + i * (point + 1)) % len(_SAMPLES)]) for i, s in enumerate(symbols)
        }
        exact = {s: sympy.Rational(*v.as_integer_ratio()) for s, v in chosen.items()}
        left, right = ea.xreplace(exact), eb.xreplace(exact)
        if not (left.is_Rational and right.is_Rational) or left == right:
            continue
        shown = {written.get(str(s.name), str(s.name)): v for s, v in chosen.items()}
        return shown, _in_unit(left, _literal_unit(a)), _in_unit(right, _literal_unit(b))
    return None


def _literal_unit(formula: Formula) -> str | None:
    """The unit the formula's value is scaled into: a per-cent formula's (a rate computes its own number)."""
    return formula.unit if formula.kind is FormulaKind.PERCENTAGE else None


def _in_unit(value: _Expr, unit: str | None) -> Decimal:
    return _rational_to_decimal(value * _UNIT_SCALE.get(unit, 1), DEFAULT_LIMITS.decimal_precision)


def _rational_to_decimal(value: _Expr, precision: int) -> Decimal:
    """An exact Decimal for a terminating fraction; otherwise rounded to ``precision`` digits."""
    p, q = int(value.p), int(value.q)
    rest = q
    twos = fives = 0
    while rest % 2 == 0:
        rest //= 2
        twos += 1
    while rest % 5 == 0:
        rest //= 5
        fives += 1
    with localcontext(engine_context()) as ctx:
        ctx.prec = precision if rest != 1 else max(precision, len(str(abs(p))) + max(twos, fives) + 1)
        return Decimal(p) / Decimal(q)


def _plain(value: Decimal) -> str:
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


class _Problem:
    """One variable of a formula to solve for, the others given."""

    def __init__(
        self, formula: Formula, name: str, values: Mapping[str, Decimal | int | str], limits: Limits
    ) -> None:
        sympy = _sympy()

        self.sp = sympy
        self.formula = formula
        self.limits = limits
        expr = _Converter(formula.text, _key).value(_expression(formula))
        wanted = _key(name)
        by_key = {_key(n): n for n in formula.variables()}
        if wanted not in by_key:
            listed = "、".join(formula.variables()) or "（无）"
            raise _error("IND124", name=name, text=formula.text, hint=f"公式中的变量：{listed}")
        self.name = by_key[wanted]
        self.symbol = sympy.Symbol(wanted, real=True)
        given = {_key(str(k)): (str(k), v) for k, v in values.items()}
        substitutions: dict[Any, Any] = {}
        problems = []
        for key, written in by_key.items():
            if key == wanted:
                continue
            if key not in given:
                problems.append(diagnostic("IND111", text=formula.text, name=written,
                                           hint=f"用 --var {written}=数值 给出其他变量的取值"))
                continue
            number = _read_number(given[key][1], limits)
            if number is None:
                problems.append(diagnostic("IND112", name=written, text=str(given[key][1]),
                                           hint="取值应为数值，如 2970、2,970 或 95%"))
                continue
            substitutions[sympy.Symbol(key, real=True)] = number
        if problems:
            raise AnalysisError(problems)
        self.expr = expr.xreplace(substitutions)
        if self.expr.has(sympy.zoo, sympy.nan, sympy.oo):
            raise self.not_unique("其他变量的取值使某个除数为零")
        if (over := over_budget(self.expr)) is not None:  # solveset would take seconds to minutes
            raise self.not_unique(f"公式超出符号求解的规模（{over}）")

    def target(self, raw: Decimal | int | str) -> _Expr:
        """The target as a plain number (95 for a percentage formula is 95/100)."""
        number = _read_number(raw, self.limits)
        signed = isinstance(raw, str) and nfkc(raw).strip().endswith(("%", "‰"))
        if number is not None and not signed:
            number = number / _UNIT_SCALE.get(_literal_unit(self.formula), 1)
        elif number is not None and self.formula.kind is FormulaKind.RATE and self.formula.unit is not None:
            number = number * RATE_BASES[self.formula.unit]  # 5‰ on a/b*1000 is the number 5
        if number is None:
            raise _error("IND125", what="目标值", text=str(raw), detail="不是数值",
                         hint="目标值按公式的单位填写，如百分比公式的 95%以上 写作 95")
        return number

    def solveset(self, condition: _Expr) -> _Expr:
        try:
            return self.sp.solveset(condition, self.symbol, domain=self.sp.S.Reals)
        except (NotImplementedError, TypeError, ValueError):
            raise self.not_unique("无法用符号方法求解") from None

    def not_unique(self, detail: str) -> AnalysisError:
        return _error("IND123", name=self.name, text=self.formula.text, detail=detail)

    def solve_equal(self, target: _Expr) -> _Expr | None:
        """The one point where the formula equals ``target``; None when there is none; IND123 when
        there are several."""
        sp = self.sp
        if self.symbol not in self.expr.free_symbols:
            if sp.simplify(self.expr - target) == 0:
                raise self.not_unique("公式的值与该变量无关，任何取值都得到目标值")
            return None
        found = self.solveset(sp.Eq(self.expr, target))
        if found == sp.S.EmptySet:
            return None
        if isinstance(found, sp.FiniteSet) and len(found) == 1:
            (point,) = tuple(found)
            if point.is_real:
                return point
        if isinstance(found, sp.FiniteSet):
            shown = "、".join(_plain(self.decimal(p)) for p in sorted(found, key=sp.default_sort_key)
                             if p.is_real)
            raise self.not_unique(f"有多个取值都得到目标值（{shown}）")
        if isinstance(found, sp.ConditionSet):
            raise self.not_unique("无法用符号方法求解")
        raise self.not_unique("有无穷多个取值都得到目标值")

    def decimal(self, point: _Expr) -> Decimal:
        if point.is_Rational:
            return _rational_to_decimal(point, self.limits.decimal_precision)
        digits = self.limits.decimal_precision
        return Decimal(str(self.sp.N(point, digits)))


def _one_sided(meeting: _Expr, problem: _Problem) -> tuple[_Expr, _Expr, Side, bool] | None:
    """``[x0, ∞)`` or ``(-∞, x0]`` (open or closed): the interval, ``x0``, the side and inclusiveness."""
    sp = problem.sp
    if not isinstance(meeting, sp.Interval):
        return None
    if meeting.end == sp.oo and meeting.start.is_finite:
        return meeting, meeting.start, "min", not meeting.left_open
    if meeting.start == -sp.oo and meeting.end.is_finite:
        return meeting, meeting.end, "max", not meeting.right_open
    return None


def _piece_bounded_by(meeting: _Expr, point: _Expr, problem: _Problem) -> tuple[_Expr, Side, bool]:
    """The interval of ``meeting`` that ends at ``point``, with the side the variable lies on."""
    sp = problem.sp
    pieces = meeting.args if isinstance(meeting, sp.Union) else (meeting,)
    found: list[tuple[_Expr, Side, bool]] = []
    for piece in pieces:
        if not isinstance(piece, sp.Interval):
            raise problem.not_unique("满足目标的取值不是区间，无法确定最少或最多的取值")
        if piece.start == point and piece.end != point:
            found.append((piece, "min", not piece.left_open))
        elif piece.end == point and piece.start != point:
            found.append((piece, "max", not piece.right_open))
    if len(found) != 1:
        raise problem.not_unique("满足目标的取值在边界两侧都有，无法确定最少或最多的取值")
    return found[0]


def _whole_in(piece: _Expr, point: _Expr, side: Side, inclusive: bool) -> int | None:
    """The whole number nearest ``point`` inside ``piece`` (a count: never below 0), or None."""
    sympy = _sympy()

    floor = int(sympy.floor(point))
    integer = bool(point.is_integer)
    if side == "min":
        count = floor + 1 if integer and not inclusive else (floor if integer else floor + 1)
        count = max(count, 0)
    else:
        count = floor - 1 if integer and not inclusive else floor
    if count < 0 or not bool(piece.contains(count)):
        return None
    return count


def _read_number(raw: object, limits: Limits) -> Any:
    """A plain number as an exact sympy Rational: Decimal, int or text (``2,970``, ``95%``); else None."""
    sympy = _sympy()

    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return sympy.Integer(raw)
    if isinstance(raw, Decimal):
        if not raw.is_finite():
            return None
        return sympy.Rational(*raw.as_integer_ratio())
    if not isinstance(raw, str) or len(raw) > limits.max_text_length:
        return None
    match = _PLAIN_NUMBER.match(nfkc(raw).strip())
    if match is None or (match.group(2) is None and match.group(3) is None):
        return None
    sign, whole, fraction, unit = match.groups()
    number = Decimal(sign + (whole or "0").replace(",", "") + (fraction or ""))
    return sympy.Rational(*number.as_integer_ratio()) / _UNIT_SCALE.get(unit, 1)


# --- LaTeX -------------------------------------------------------------------------------------------

_LATEX_ESCAPES = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "$": r"\$", "&": r"\&", "#": r"\#",
    "_": r"\_", "^": r"\^{}", "~": r"\~{}",
}
_LATEX_COMPARE = {">=": r"\geq", "<=": r"\leq", ">": ">", "<": "<", "=": "=", "!=": r"\neq"}


def _latex(node: nodes.Node) -> str:
    if isinstance(node, nodes.Number):
        number = printer.to_text(nodes.Number(node.value))
        return number + {None: "", "%": r"\%", "‰": r"\text{‰}"}.get(node.unit, "")
    if isinstance(node, nodes.Variable):
        return r"\text{" + "".join(_LATEX_ESCAPES.get(ch, ch) for ch in node.name) + "}"
    if isinstance(node, nodes.Negate):
        inner = _latex(node.operand)
        return f"-{inner}" if isinstance(node.operand, nodes.Number | nodes.Variable | nodes.Call) else (
            rf"-\left({inner}\right)")
    if isinstance(node, nodes.Sum):
        parts = [_latex_operand(node.operands[0], sum_parens=False)]
        for op, operand in zip(node.operators, node.operands[1:], strict=True):
            parts.append(f" {op} {_latex_operand(operand, sum_parens=True)}")
        return "".join(parts)
    if isinstance(node, nodes.Product):
        acc = _latex_operand(node.operands[0], sum_parens=True)
        for i, (op, operand) in enumerate(zip(node.operators, node.operands[1:], strict=True)):
            if op == "*":
                acc = rf"{acc} \times {_latex_operand(operand, sum_parens=True)}"
            else:  # a numerator needs no parentheses: \frac{a+b}{c}
                numerator = _latex(node.operands[0]) if i == 0 else acc
                acc = rf"\frac{{{numerator}}}{{{_latex(operand)}}}"
        return acc
    if isinstance(node, nodes.Comparison):
        return f"{_latex(node.left)} {_LATEX_COMPARE.get(node.op, node.op)} {_latex(node.right)}"
    args = [_latex(a) for a in node.args]
    if node.function == "ABS" and len(args) == 1:
        return rf"\left|{args[0]}\right|"
    if node.function == "IF" and len(args) == 3:
        return (rf"\begin{{cases}} {args[1]} & \text{{若 }} {args[0]} \\ {args[2]} & \text{{否则}}"
                r" \end{cases}")
    if node.function in ("MIN", "MAX"):
        return rf"\{node.function.lower()}\left({', '.join(args)}\right)"
    return rf"\operatorname{{{node.function}}}\left({', '.join(args)}\right)"


def _latex_operand(node: nodes.Node, *, sum_parens: bool) -> str:
    text = _latex(node)
    if isinstance(node, nodes.Sum | nodes.Comparison) and sum_parens:
        return rf"\left({text}\right)"
    return text
