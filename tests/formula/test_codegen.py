"""Code generation: generated functions are safe with any name and agree with the reference evaluator."""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from decimal import Context, Decimal, getcontext, localcontext
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.formula.strategies import _extend, asts

from indicators.formula import (
    CompileError,
    FormulaKind,
    codegen,
    compile_py,
    evaluate,
    evaluator,
    parse_formula,
    to_callable,
)
from indicators.formula.model import Formula
from indicators.formula.nodes import Call, Comparison, Negate, Node, Number, Product, Sum, Variable, variables
from indicators.formula.printer import to_text
from indicators.limits import DEFAULT_LIMITS

#: the significant digits the engine computes with
DIGITS = DEFAULT_LIMITS.decimal_precision

_UNIT_DIGITS = {"%": 2, "‰": 3}
_C48 = Context(prec=48)  # Limits.decimal_precision

# --- hostile names ---------------------------------------------------------------------------------------

HOSTILE = [
    "a'b", 'a"b', "a'''b", 'a"""b', "a\\", "\\'", "a\nb", "a\r\nb", "\n", "__import__('os').system('x')",
    "'); import os; ('", "row", "_C", "k0", "v0", "formula", "return None", "#", "\x00", "\u2028",
    "名称（含“引号”）", "𠀀", "\ufeffa", "a\tb", "{}", "%s", "\\N{BULLET}", "'''", '"""',
]
_hostile_names = st.one_of(st.sampled_from(HOSTILE), st.text(min_size=1, max_size=8))
_hostile_leaves = st.one_of(
    st.builds(Number, st.decimals(min_value=0, max_value=10**4, places=2, allow_nan=False,
                                  allow_infinity=False), st.sampled_from([None, None, "%", "‰"])),
    st.builds(Variable, _hostile_names),
)
_hostile_asts = st.recursive(_hostile_leaves, _extend, max_leaves=10)
_values = st.one_of(st.just(Decimal(0)), st.just(Decimal(1)),
                    st.decimals(min_value=-1000, max_value=1000, places=3, allow_nan=False))


def _formula(tree: Node) -> Formula:
    return Formula(text=to_text(tree), lhs=None, expr=tree, kind=FormulaKind.QUANTITY)


def _plain(value: Decimal | None, unit: str | None) -> Decimal | None:
    return None if value is None else value.scaleb(-_UNIT_DIGITS.get(unit or "", 0))


def _lone_comparison(tree: Node) -> bool:
    return evaluator._lone_comparison(tree)


@settings(max_examples=300, deadline=None)
@given(_hostile_asts, st.data())
def test_generated_code_with_hostile_names_agrees_with_the_reference(tree: Node, data: st.DataObject) -> None:
    names = variables(tree)
    values = {name: data.draw(_values, label=repr(name)) for name in names}
    function = to_callable(tree)
    got = function(values)
    source = compile_py.to_source(tree)
    for name in names:
        assert repr(name) in source  # a name is a string constant, never code
    if _lone_comparison(tree):
        return  # the reference evaluator refuses a comparison outside IF (IND109)
    expected = evaluator.reference(_formula(tree), values)
    if not expected.ok:
        assert got is None, (to_text(tree), values)
        return
    assert got is not None, (to_text(tree), values, expected)
    assert _plain(got, compile_py.result_unit(tree)) == _plain(expected.value, expected.unit)


@settings(max_examples=200, deadline=None)
@given(asts, st.data())
def test_evaluate_gives_the_reference_result_exactly(tree: Node, data: st.DataObject) -> None:
    formula = parse_formula(to_text(tree))
    values = {name: data.draw(_values, label=name) for name in formula.variables()}
    fast, slow = evaluate(formula, values), evaluator.reference(formula, values)
    assert fast.ok == slow.ok
    assert (str(fast.value), fast.unit) == (str(slow.value), slow.unit)  # same digits, same exponent
    if not fast.ok:
        assert [d.code for d in fast.diagnostics] == [d.code for d in slow.diagnostics]


@pytest.mark.parametrize("name", HOSTILE, ids=repr)
def test_a_hostile_name_is_only_ever_a_key(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    tree = Product((Variable(name), Number(Decimal(2))), ("*",))
    function = to_callable(tree)
    assert function({name: Decimal("1.5")}) == Decimal("3.0")
    assert function({}) is None
    assert not list(tmp_path.iterdir())  # nothing ran: no file appeared
    source = compile_py.to_source(tree)
    strings = {n.value for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Constant)}
    assert name in strings


def test_the_generated_function_has_no_builtins_but_min_max_abs_and_two_errors() -> None:
    function = to_callable(parse_formula("MAX(a, b) - MIN(a, b)"))
    assert set(function.__globals__["__builtins__"]) == {"min", "max", "abs", "KeyError", "RuntimeError"}


class _Reentrant(dict[str, Decimal]):
    """A row whose reading runs the same function again: its own context is then entered already."""

    function: Callable[[Mapping[str, Decimal]], Decimal | None] | None = None

    def __getitem__(self, key: str) -> Decimal:
        if key == "a" and self.function is not None:
            inner, self.function = self.function, None
            assert inner({"a": Decimal(1), "b": Decimal(3)}) == Decimal("0." + "3" * DIGITS)
            assert getcontext().prec == DIGITS  # the inner call switched to ours and gave this one back
        return super().__getitem__(key)


def test_a_call_inside_a_call_switches_the_decimal_context_and_gives_it_back() -> None:
    function = to_callable(parse_formula("a/b"))
    row = _Reentrant(a=Decimal(2), b=Decimal(3))
    row.function = function
    two_thirds = Decimal("0." + "6" * (DIGITS - 1) + "7")
    with localcontext() as caller:
        caller.prec = 5
        assert function(row) == two_thirds  # the engine's digits, whatever the caller's
        assert getcontext().prec == 5
    assert row.function is None  # the inner call ran


def test_threads_share_one_function() -> None:
    function = to_callable(parse_formula("a/b*100%"))
    rows = [{"a": Decimal(i), "b": Decimal(7)} for i in range(1, 400)]
    expected = [function(row) for row in rows]
    with ThreadPoolExecutor(max_workers=4) as pool:
        for _ in range(5):
            assert list(pool.map(function, rows)) == expected


@pytest.mark.parametrize(
    "source",
    [
        "import os\n",
        "def formula(row):\n    return __import__('os')\n",
        "def formula(row):\n    return row.__class__.__mro__\n",
        "def formula(row):\n    return 'not written here'\n",
        "def formula(row):\n    return [x for x in row]\n",
        "def formula(row):\n    return lambda: 1\n",
        "def formula(row):\n    global g\n",
    ],
    ids=["import", "__import__", "dunder attribute", "foreign string", "comprehension", "lambda", "global"],
)
def test_the_check_refuses_code_the_generator_does_not_write(source: str) -> None:
    with pytest.raises(AssertionError):
        codegen._verify(source, codegen._Writer())


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        ("a/b*100%", {"a": Decimal(4), "b": Decimal(5)}, Decimal(80)),
        ("a/b*100%", {"a": Decimal(4), "b": Decimal(0)}, None),
        ("a/b*100%", {"a": Decimal(0), "b": Decimal(0)}, None),
        ("IF(b>0, a/b, 0)", {"a": Decimal(4), "b": Decimal(0)}, Decimal(0)),
        ("IF(b>0, a/b, 缺失)", {"a": Decimal(4), "b": Decimal(2)}, Decimal(2)),
        ("ROUND(a/b*100%, 1)", {"a": Decimal(2), "b": Decimal(3)}, Decimal("66.7")),
        ("SUM(a, 50%)", {"a": Decimal(1)}, Decimal("150")),  # a per-cent formula: 150%
        ("AVG(a, b, 1)", {"a": 1, "b": 2}, _C48.divide(4, 3)),
        ("-ABS(a)*1‰", {"a": Decimal(-3)}, Decimal(-3)),  # a per-mille formula: -3‰
    ],
    ids=lambda v: str(v) if isinstance(v, str) else None,
)
def test_generated_values(text: str, values: dict[str, Decimal | int], expected: Decimal | None) -> None:
    assert to_callable(parse_formula(text))(values) == expected


def test_an_if_whose_branches_have_different_units_carries_its_unit() -> None:
    tree = Sum((Call("IF", (Comparison(">", Variable("a"), Number(Decimal(0))), Number(Decimal(50), "%"),
                            Number(Decimal("0.3")))), Variable("b")), ("+",))
    function = to_callable(tree)
    assert "u" in compile_py.to_source(tree)
    assert compile_py.result_unit(tree) is None  # a plain number: the unit is known only per row
    assert function({"a": Decimal(1), "b": Decimal(1)}) == Decimal("1.5")  # 50% + 1
    assert function({"a": Decimal(-1), "b": Decimal(1)}) == Decimal("1.3")


def test_the_context_of_the_caller_does_not_matter() -> None:
    function = to_callable(parse_formula("a/b"))
    with localcontext() as ctx:
        ctx.prec = 3
        assert function({"a": Decimal(1), "b": Decimal(3)}) == _C48.divide(1, 3)
    assert function({"a": Decimal(1), "b": Decimal(3)}) == _C48.divide(1, 3)


@pytest.mark.parametrize("bad", [1.5, "3", True, Decimal("NaN"), Decimal("Infinity"), [1]], ids=repr)
def test_a_value_that_is_not_a_finite_number_is_a_typed_error(bad: object) -> None:
    with pytest.raises(CompileError) as caught:
        to_callable(parse_formula("a+1"))({"a": bad})
    assert caught.value.diagnostic.code == "IND112"


def test_equal_trees_share_one_generated_function() -> None:
    assert to_callable(parse_formula("a/b")) is to_callable(parse_formula(" a / b "))


def test_evaluate_with_texts_or_failures_takes_the_reference_path() -> None:
    formula = parse_formula("a/b*100%")
    assert evaluate(formula, {"a": "3万元", "b": "6万元"}).display() == "50.00%"
    failed = evaluate(formula, {"a": Decimal(1), "b": Decimal(0)})
    assert not failed.ok
    assert failed.diagnostics[0].code == "IND110"


def test_negate_node_compiles() -> None:
    assert to_callable(Negate(Variable("a")))({"a": Decimal(2)}) == Decimal(-2)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(_hostile_asts, st.data()), min_size=1, max_size=3))
def test_the_function_of_many_rows_gives_each_row_s_value(drawn: list[tuple[Node, st.DataObject]]) -> None:
    for tree, data in drawn:
        names = variables(tree)
        rows = [{n: data.draw(_values, label=repr(n)) for n in names} for _ in range(4)]
        assert compile_py.to_batch(tree)(rows) == [to_callable(tree)(row) for row in rows]


def test_the_callers_context_is_given_back_even_after_an_error() -> None:
    from decimal import getcontext

    function, many = to_callable(parse_formula("a/b")), compile_py.to_batch(parse_formula("a/b"))
    with localcontext() as ctx:
        ctx.prec = 5
        mine = getcontext()
        function({"a": Decimal(1), "b": Decimal(0)})
        assert getcontext() is mine
        with pytest.raises(CompileError):
            many([{"a": Decimal(1), "b": Decimal(3)}, {"a": 1.5, "b": Decimal(1)}])
        assert getcontext() is mine
        assert getcontext().prec == 5


def test_a_tree_nested_beyond_python_s_limits_is_a_typed_error() -> None:
    tree: Node = Number(Decimal(1))
    for _ in range(140):
        tree = Call("IF", (Comparison(">", Variable("a"), Number(Decimal(0))), tree, Number(Decimal(2))))
    with pytest.raises(CompileError) as caught:
        to_callable(tree)
    assert caught.value.diagnostic.code == "IND127"
    formula = Formula(text="…", lhs=None, expr=tree, kind=FormulaKind.QUANTITY)
    assert evaluate(formula, {"a": Decimal(1)}).value == Decimal(1)  # the reference path computes it
