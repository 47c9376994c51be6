"""Compile an arithmetic formula to a SQL expression with sqlglot, for DuckDB and warehouse engines.

``to_sql(formula, dialect="duckdb", columns=None)`` builds a sqlglot expression tree node by node from
the AST (never by pasting user text into SQL): names become quoted identifiers (the variable name
itself, or the column given in ``columns``), numbers become DECIMAL literals. sqlglot writes the tree
in the dialect asked for. sqlglot is imported on first use; when it is missing the error is IND128.

Semantics (reference: docs/batch.md):

- every value is ``DECIMAL(38, 10)``: 28 digits before the point, 10 after. Columns, literals and
  ``ROUND`` results are cast to it, except that a literal factor of a product is cast to the smallest
  ``DECIMAL(p, s)`` that holds it (``0.8`` is ``DECIMAL(2, 1)``) to leave the product room; ``%`` and
  ``‰`` literals are divided out exactly in Python (``100%`` is 1, ``3‰`` is 0.003);
- sums are exact; each product and quotient is cast back to ``DECIMAL(38, 10)``, which rounds half
  away from zero at the 10th decimal. In DuckDB, where DECIMAL division gives a DOUBLE, a quotient is
  computed exactly with 128-bit integers and rounded half away from zero (so dividends must stay
  below 10^17), and a DOUBLE estimate of each product and quotient is taken where exact products prove
  it is that rounded value (:mod:`indicators.formula.duckdb_sql`); other engines divide DECIMALs by their
  own rules before the cast;
- a zero divisor gives NULL (``NULLIF``), never an error; NULL propagates through every function and
  condition, so a row with a zero divisor is NULL wherever :func:`~indicators.formula.evaluate`
  reports IND110 (``MIN``/``MAX`` and ``IF`` conditions test their arguments for NULL explicitly,
  because ``LEAST``/``GREATEST`` ignore NULLs and ``CASE`` would take the ELSE branch);
- ``SUM``/``AVG`` are row-wise over their arguments (``a + b``, ``(a + b) / 2``), not aggregates;
  ``MIN``/``MAX`` are ``LEAST``/``GREATEST``; ``IF`` is ``CASE``; ``ROUND(x, n)`` rounds half away
  from zero in the unit the evaluator rounds in (``ROUND(a/b*100%, 1)`` is ``ROUND(a/b, 3)``): DuckDB's
  and PostgreSQL's ``ROUND`` on DECIMAL round half away from zero, which is the evaluator's half up;
- the result is cast to ``DECIMAL(38, 10)`` and is in :func:`~indicators.formula.compile_py.result_unit`:
  a per-cent formula returns the per-cent number (``84.1428571429`` for 84.14…%), a rate the number per
  its base (``a/b*10万`` is computed as ``100000*a/b``, so the quotient is rounded once).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeAlias

from indicators.codes import diagnostic
from indicators.diagnostics import Span
from indicators.formula import nodes, printer
from indicators.formula.compile_py import (
    PLAIN,
    CompileError,
    Unit,
    arithmetic_expression,
    digits,
    result_digits,
    unit_of,
)
from indicators.formula.functions import FUNCTIONS
from indicators.formula.kinds import RATE_UNITS, FormulaKind
from indicators.formula.model import Formula
from indicators.limits import in_engine_context
from indicators.text import normalize_name

#: the type of every value: 38 digits, 10 of them after the point
PRECISION, SCALE = 38, 10
#: the largest number of sqlglot nodes a formula may expand to (MIN, MAX and IF repeat their arguments
#: to test them for NULL, so deeply nested calls grow quickly)
MAX_SQL_NODES = 20_000
#: a sqlglot expression (sqlglot is untyped; this alias marks the boundary)
_Sql: TypeAlias = Any
_COMPARISONS = {">=": "GTE", "<=": "LTE", ">": "GT", "<": "LT", "=": "EQ", "!=": "NEQ"}


def _sqlglot() -> Any:
    try:
        import sqlglot
    except ImportError:
        raise CompileError(diagnostic("IND128", module="sqlglot")) from None
    return sqlglot


@in_engine_context
def to_sql(
    formula: Formula | nodes.Node, *, dialect: str = "duckdb", columns: Mapping[str, str] | None = None
) -> str:
    """The SQL expression computing ``formula`` for one row, in ``dialect`` (any dialect sqlglot knows).

    ``columns`` maps variable names to column names (by default a variable's column is its own name);
    names are matched exactly, then by :func:`indicators.text.normalize_name`. The expression's value is
    ``DECIMAL(38, 10)`` in the formula's result unit (the per-cent number for ``a/b*100%``), NULL when a
    divisor is zero or a column is NULL. Raises :class:`CompileError`: IND127 for a formula that is not
    arithmetic, an unknown dialect or a node without a SQL form, IND130 for a ``columns`` entry that
    names no variable, IND128 when sqlglot is missing.
    """
    return str(to_expression(formula, dialect=dialect, columns=columns).sql(dialect=_dialect(dialect)))


@in_engine_context
def to_expression(
    formula: Formula | nodes.Node, *, dialect: str = "duckdb", columns: Mapping[str, str] | None = None
) -> _Sql:
    """The sqlglot expression behind :func:`to_sql` (to embed in a larger query built with sqlglot)."""
    expr = arithmetic_expression(formula, " SQL")
    text = formula.text if isinstance(formula, Formula) else printer.to_text(formula)
    compiler = _Compiler(text, _dialect(dialect), _column_map(expr, columns))
    if _weight(expr) > MAX_SQL_NODES:
        raise compiler.fail(expr, f"展开后超过 {MAX_SQL_NODES} 个 SQL 节点",
                            "减少 MIN、MAX、IF 的嵌套，或拆成几个公式")
    power = result_digits(formula)
    if isinstance(formula, Formula) and formula.kind is FormulaKind.RATE:
        expr = _base_first(expr)
    if power and isinstance(expr, nodes.Product):
        # 100*a/b rather than (a/b)*100: the quotient is rounded once, at the 10th decimal of the per cent
        factor = nodes.Number(Decimal(1).scaleb(power))
        expr = nodes.Product((factor, *expr.operands), ("*", *expr.operators), expr.span)
        power = 0
    value, _ = compiler.compile(expr)
    value = compiler.scale(value, power)
    return compiler.cast(value)


def _base_first(expr: nodes.Node) -> nodes.Node:
    """``a/b*100000`` as ``100000*a/b``: a rate's quotient is rounded once, at the rate's 10th decimal."""
    if not isinstance(expr, nodes.Product):
        return expr
    operators = ("*", *expr.operators)
    for i, (op, operand) in enumerate(zip(operators, expr.operands, strict=True)):
        if i and op == "*" and isinstance(operand, nodes.Number) and operand.unit is None \
                and operand.value in RATE_UNITS:
            operands = (operand, *expr.operands[:i], *expr.operands[i + 1 :])
            return nodes.Product(operands, ("*", *expr.operators[: i - 1], *expr.operators[i:]), expr.span)
    return expr


def _dialect(dialect: str) -> str:
    sqlglot = _sqlglot()
    name = dialect.strip().lower()
    try:
        sqlglot.Dialect.get_or_raise(name)
    except ValueError:
        raise CompileError(diagnostic(
            "IND130", detail=f"未知的 SQL 方言“{dialect}”",
            hint="可用的方言如 duckdb、postgres、mysql、tsql、oracle、hive、spark、bigquery、snowflake",
        )) from None
    return name


def _column_map(expr: nodes.Node, columns: Mapping[str, str] | None) -> dict[str, str]:
    """Variable name → column name, for every variable of ``expr``."""
    names = nodes.variables(expr)
    given = dict(columns or {})
    by_key = {normalize_name(k, drop_suffix=False): k for k in given}
    out: dict[str, str] = {}
    used: set[str] = set()
    for name in names:
        key = name if name in given else by_key.get(normalize_name(name, drop_suffix=False))
        if key is not None:
            used.add(key)
            out[name] = given[key]
        else:
            out[name] = name
    unknown = [k for k in given if k not in used]
    if unknown:
        raise CompileError(diagnostic(
            "IND130", detail=f"列的对应关系中的“{'、'.join(unknown)}”不是公式中的变量",
            hint=f"公式中的变量：{'、'.join(names) or '无'}",
        ))
    return out


@dataclass
class _Compiler:
    text: str
    dialect: str
    columns: dict[str, str]

    def __post_init__(self) -> None:
        self.exp: Any = _sqlglot().exp
        self.decimal = self.exp.DataType.build(f"DECIMAL({PRECISION}, {SCALE})")

    def fail(self, node: nodes.Node, detail: str, hint: str | None = None) -> CompileError:
        span: Span | None = nodes.span_of(node)
        if span is None or span.end > len(self.text):
            return CompileError(diagnostic("IND127", text=printer.to_text(node), hint=hint,
                                           detail=f"无法转为 SQL，{detail}"))
        return CompileError(diagnostic("IND127", span=span, text=self.text, hint=hint,
                                       detail=f"无法转为 SQL，{detail}"))

    def compile(self, node: nodes.Node) -> tuple[_Sql, Unit | None]:
        return _HANDLERS[type(node)](self, node)

    # --- building blocks ---------------------------------------------------------------------------

    def cast(self, value: _Sql) -> _Sql:
        if isinstance(value, self.exp.Cast) and value.to == self.decimal:
            return value
        return self.exp.Cast(this=value, to=self.decimal.copy())

    def literal(self, value: Decimal, node: nodes.Node, *, small: bool = False) -> _Sql:
        """``CAST(0.8 AS DECIMAL(38, 10))`` (rounded to 10 places); with ``small``, a factor of a product,
        the smallest DECIMAL holding it (``CAST(0.8 AS DECIMAL(2, 1))``), so that the product keeps room
        before the point (DuckDB types ``DECIMAL(38, 10) * DECIMAL(2, 1)`` as ``DECIMAL(38, 11)``)."""
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -SCALE:
            value = value.quantize(Decimal(1).scaleb(-SCALE), rounding=ROUND_HALF_UP)
        value = value.normalize() if value != 0 else Decimal(0)
        sign, digit_tuple, exponent = value.as_tuple()
        if not isinstance(exponent, int):
            raise self.fail(node, "数值不是有限数")
        scale = max(0, -exponent)
        whole = max(len(digit_tuple) + exponent, 1) if exponent < 0 else len(digit_tuple) + exponent
        if whole > PRECISION - SCALE:
            raise self.fail(node, f"数值超出 DECIMAL({PRECISION}, {SCALE}) 的范围（整数部分至多 "
                                  f"{PRECISION - SCALE} 位）")
        text = f"{abs(value):f}"
        number = self.exp.Literal.number(text)
        kind = self.exp.DataType.build(f"DECIMAL({whole + scale}, {scale})") if small else self.decimal.copy()
        typed = self.exp.Cast(this=number, to=kind)
        return self.exp.Neg(this=typed) if sign else typed

    def scale(self, value: _Sql, power: int) -> _Sql:
        """``value`` times 10^power (exact: a DECIMAL literal, or an exact division)."""
        if power == 0:
            return value
        factor = self.literal(Decimal(1).scaleb(abs(power)), nodes.Number(Decimal(1)), small=True)
        if power > 0:
            return self.cast(self.exp.Mul(this=self.paren(factor), expression=self.paren(value)))
        return self.divide(value, factor, guard=False)

    def paren(self, value: _Sql) -> _Sql:
        if isinstance(value, self.exp.Column | self.exp.Cast | self.exp.Literal | self.exp.Paren):
            return value
        if isinstance(value, self.exp.Func) and not isinstance(value, self.exp.Binary):
            return value
        return self.exp.Paren(this=value)

    def divide(self, left: _Sql, right: _Sql, *, guard: bool = True) -> _Sql:
        """``left / right`` as DECIMAL(38, 10), NULL when ``right`` is zero (``guard``)."""
        exp = self.exp
        divisor = exp.Nullif(this=right, expression=exp.Literal.number(0)) if guard else right
        if self.dialect != "duckdb":
            return self.cast(exp.Div(this=self.paren(left), expression=self.paren(divisor)))
        # DuckDB divides DECIMALs as DOUBLE: the exact quotient of the unscaled integers, reached
        # through a DOUBLE estimate that exact products prove (formula/duckdb_sql.py)
        from indicators.formula import duckdb_sql

        left, divisor = self.cast(left), self.cast(divisor)
        exact = duckdb_sql.exact_quotient(exp, left, divisor)
        if not duckdb_sql.small(exp, left, divisor):
            return exact
        return duckdb_sql.checked_quotient(exp, left, divisor, exact)

    def multiply(self, left: _Sql, right: _Sql) -> _Sql:
        """``left × right`` as DECIMAL(38, 10) (rounded half away from zero at the 10th decimal)."""
        product = self.exp.Mul(this=self.paren(left), expression=self.paren(right))
        exact = self.cast(product)
        if self.dialect != "duckdb" or exact is product or _whole_literal(self.exp, left, right):
            return exact
        from indicators.formula import duckdb_sql

        if not duckdb_sql.small(self.exp, left, right):
            return exact
        return duckdb_sql.checked_product(self.exp, product, left, right, exact)

    def all_present(self, values: list[_Sql]) -> _Sql:
        """``a IS NOT NULL AND b IS NOT NULL …``."""
        exp = self.exp
        tests = [exp.Not(this=exp.Is(this=self.paren(v.copy()), expression=exp.Null())) for v in values]
        condition = tests[0]
        for test in tests[1:]:
            condition = exp.And(this=condition, expression=test)
        return condition


def _whole_literal(exp: Any, *values: _Sql) -> bool:
    """Whether one of ``values`` is a literal of a whole type (``CAST(100 AS DECIMAL(3, 0))``): a product
    with it keeps 10 decimals, so its cast to DECIMAL(38, 10) rounds nothing."""
    for value in values:
        inner = value.this if isinstance(value, exp.Neg) else value
        if isinstance(inner, exp.Cast) and isinstance(inner.this, exp.Literal):
            scale = inner.to.expressions[1:2]
            if scale and str(scale[0].this) == "0":
                return True
    return False


def _weight(node: nodes.Node) -> int:
    """How many AST nodes the SQL writes out: MIN and MAX write their arguments twice (to test them for
    NULL), IF its condition twice; bounded by ``MAX_SQL_NODES`` before anything is built."""
    kids = nodes.children(node)
    own = 1 + sum(_weight(k) for k in kids)
    if isinstance(node, nodes.Call) and node.function in ("MIN", "MAX") and len(kids) > 1:
        return min(2 * own, MAX_SQL_NODES + 1)
    if isinstance(node, nodes.Call) and node.function == "IF":
        return min(own + _weight(kids[0]), MAX_SQL_NODES + 1)
    return min(own, MAX_SQL_NODES + 1)


# --- the dispatch table: one handler per node class --------------------------------------------------

_Handler: TypeAlias = Callable[[_Compiler, nodes.Node], tuple[_Sql, Unit | None]]


def _number(c: _Compiler, node: nodes.Node) -> tuple[_Sql, Unit | None]:
    assert isinstance(node, nodes.Number)
    unit = unit_of(node)
    assert unit is not None
    return c.literal(node.value.scaleb(-digits(unit)), node), unit


def _variable(c: _Compiler, node: nodes.Node) -> tuple[_Sql, Unit | None]:
    assert isinstance(node, nodes.Variable)
    column = c.exp.Column(this=c.exp.Identifier(this=c.columns[node.name], quoted=True))
    return c.cast(column), PLAIN


def _negate(c: _Compiler, node: nodes.Node) -> tuple[_Sql, Unit | None]:
    assert isinstance(node, nodes.Negate)
    value, unit = c.compile(node.operand)
    return c.exp.Neg(this=c.paren(value)), unit


def _sum(c: _Compiler, node: nodes.Node) -> tuple[_Sql, Unit | None]:
    assert isinstance(node, nodes.Sum)
    total, unit = c.compile(node.operands[0])
    for op, operand in zip(node.operators, node.operands[1:], strict=True):
        right = c.paren(c.compile(operand)[0])
        cls = c.exp.Add if op == "+" else c.exp.Sub
        total = cls(this=total, expression=right)
    return total, unit


def _product(c: _Compiler, node: nodes.Node) -> tuple[_Sql, Unit | None]:
    assert isinstance(node, nodes.Product)
    first = node.operands[0]
    acc, unit = c.compile(first)
    if isinstance(first, nodes.Number):
        acc = c.literal(first.value.scaleb(-digits(unit or PLAIN)), first, small=True)
    for op, operand in zip(node.operators, node.operands[1:], strict=True):
        right, right_unit = c.compile(operand)
        if isinstance(operand, nodes.Number) and op == "*":
            right = c.literal(operand.value.scaleb(-digits(right_unit or PLAIN)), operand, small=True)
        sign = 1 if op == "*" else -1
        one = isinstance(operand, nodes.Number) and operand.value.scaleb(-digits(right_unit or PLAIN)) == 1
        if unit is not None and right_unit is not None:
            unit = (unit[0] + sign * right_unit[0], unit[1] + sign * right_unit[1])
        else:
            unit = None
        if op == "*" and one:
            continue  # ×100% is ×1: the unit is all it changes
        acc = c.multiply(acc, right) if op == "*" else c.divide(acc, right)
    return acc, unit


def _comparison(c: _Compiler, node: nodes.Node) -> tuple[_Sql, Unit | None]:
    """A comparison on its own (only hand-built trees): 1 when it holds, 0 when not, like a condition."""
    exp = c.exp
    condition = _condition(c, node)
    one, zero = c.literal(Decimal(1), node), c.literal(Decimal(0), node)
    negated = exp.Not(this=exp.Paren(this=condition.copy()))
    return exp.Case(ifs=[exp.If(this=condition, true=one), exp.If(this=negated, true=zero)]), PLAIN


def _condition(c: _Compiler, node: nodes.Node) -> _Sql:
    exp = c.exp
    if not isinstance(node, nodes.Comparison):
        value, _ = c.compile(node)
        return exp.NEQ(this=c.paren(value), expression=exp.Literal.number(0))
    left, _ = c.compile(node.left)
    right, _ = c.compile(node.right)
    cls = getattr(exp, _COMPARISONS[node.op])
    return cls(this=c.paren(left), expression=c.paren(right))


def _call(c: _Compiler, node: nodes.Node) -> tuple[_Sql, Unit | None]:
    assert isinstance(node, nodes.Call)
    return _FUNCTIONS[node.function](c, node)


def _if(c: _Compiler, node: nodes.Call) -> tuple[_Sql, Unit | None]:
    exp = c.exp
    condition = _condition(c, node.args[0])
    then, then_unit = c.compile(node.args[1])
    otherwise, else_unit = c.compile(node.args[2])
    negated = exp.Not(this=exp.Paren(this=condition.copy()))
    case = exp.Case(ifs=[exp.If(this=condition, true=then), exp.If(this=negated, true=otherwise)])
    return case, then_unit if then_unit == else_unit else None


def _round(c: _Compiler, node: nodes.Call) -> tuple[_Sql, Unit | None]:
    value, unit = c.compile(node.args[0])
    if unit is None:
        raise c.fail(node, "ROUND 的单位（百分比或普通数值）取决于 IF 的条件",
                     "把 ROUND 分别写进 IF 的两个分支，如 IF(条件, ROUND(a, 1), ROUND(b, 1))")
    places_node = node.args[1] if len(node.args) == 2 else None
    places = int(places_node.value) if isinstance(places_node, nodes.Number) else 0
    places = min(max(places, 0), 20) + digits(unit)
    # DuckDB types ROUND(DECIMAL(38, 10), n) as DECIMAL(38, n): back to the one type of every value, or
    # LEAST, CASE and comparisons would coerce their other operands to n places
    return c.cast(c.exp.Round(this=value, decimals=c.exp.Literal.number(places))), unit


def _abs(c: _Compiler, node: nodes.Call) -> tuple[_Sql, Unit | None]:
    value, unit = c.compile(node.args[0])
    return c.exp.Abs(this=value), unit


def _sum_call(c: _Compiler, node: nodes.Call) -> tuple[_Sql, Unit | None]:
    args = [c.compile(a) for a in node.args]
    total = args[0][0]
    for value, _ in args[1:]:
        total = c.exp.Add(this=total, expression=c.paren(value))
    return total, args[0][1]


def _avg(c: _Compiler, node: nodes.Call) -> tuple[_Sql, Unit | None]:
    total, unit = _sum_call(c, node)
    count = c.literal(Decimal(len(node.args)), node)
    return c.divide(total, count, guard=False), unit


def _extreme(name: str) -> Callable[[_Compiler, nodes.Call], tuple[_Sql, Unit | None]]:
    def handler(c: _Compiler, node: nodes.Call) -> tuple[_Sql, Unit | None]:
        exp = c.exp
        args = [c.compile(a) for a in node.args]
        values = [v for v, _ in args]
        if len(values) == 1:
            return values[0], args[0][1]
        cls = exp.Least if name == "MIN" else exp.Greatest
        # ignore_nulls: the arguments are tested for NULL here, in every dialect alike
        picked = cls(this=values[0], expressions=[v.copy() for v in values[1:]], ignore_nulls=True)
        present = c.all_present(values)
        return exp.Case(ifs=[exp.If(this=present, true=picked)]), args[0][1]

    return handler


_HANDLERS: dict[type, _Handler] = {
    nodes.Number: _number,
    nodes.Variable: _variable,
    nodes.Negate: _negate,
    nodes.Sum: _sum,
    nodes.Product: _product,
    nodes.Comparison: _comparison,
    nodes.Call: _call,
}

_FUNCTIONS: dict[str, Callable[[_Compiler, nodes.Call], tuple[_Sql, Unit | None]]] = {
    "SUM": _sum_call,
    "AVG": _avg,
    "MIN": _extreme("MIN"),
    "MAX": _extreme("MAX"),
    "ABS": _abs,
    "ROUND": _round,
    "IF": _if,
}

assert set(_FUNCTIONS) == set(FUNCTIONS), "every function of the language needs a SQL form"
