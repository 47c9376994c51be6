"""Hypothesis properties: the printer round trip, total parsing, and total evaluation."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from tests.formula.strategies import asts

from indicators.errors import FormulaSyntaxError
from indicators.formula import Evaluation, evaluate, parse_formula
from indicators.formula.nodes import (
    NODE_TYPES,
    Call,
    Comparison,
    Negate,
    Node,
    Number,
    Product,
    Sum,
    Variable,
)
from indicators.formula.printer import to_text


@settings(max_examples=400, deadline=None)
@given(asts)
def test_print_then_parse_is_identity(tree: Node) -> None:
    text = to_text(tree)
    formula = parse_formula(text)
    assume(formula.expr is not None)  # a/b of two fixed words (保持/提升) is alternatives, not a tree
    assert formula.expr == tree, text


@settings(max_examples=200, deadline=None)
@given(asts, st.sampled_from(["", "指标值=", "完成率＝"]), st.sampled_from(["", " 说明", "，说明", "。"]))
def test_left_side_and_note_do_not_change_the_tree(tree: Node, lhs: str, note: str) -> None:
    formula = parse_formula(lhs + to_text(tree) + note)
    assume(formula.expr is not None)
    assert formula.expr == tree


# --- any text --------------------------------------------------------------------------------------

_FORMULA_ALPHABET = "()（）+-*/×÷·%‰,，;；。=：<>≥≠! 　\n村社区ab12.“”\"'SUMIF求和平均最大如果指标值"


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(max_size=80), st.text(alphabet=_FORMULA_ALPHABET, max_size=60)))
def test_any_text_parses_or_raises_a_syntax_error(text: str) -> None:
    error: FormulaSyntaxError | None
    try:
        formula = parse_formula(text)
    except FormulaSyntaxError as exc:
        error = exc
    else:
        error = None
    if error is not None:
        assert error.diagnostics
        assert error.diagnostic.code.startswith("IND")
        assert error.render()
        return
    assert formula.text == text
    if formula.expr is not None:
        # what parses, prints to canonical text that parses to the same tree
        # (unless a name ends in a lone quote, which the stray-quote rule then drops: IND105)
        again = parse_formula(formula.canonical())
        if not any(w.code == "IND105" for w in again.warnings):
            assert again.expr == formula.expr


# --- evaluation is total -------------------------------------------------------------------------

_values = st.one_of(
    st.integers(-(10**6), 10**6),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from(["", "abc", "1,250", "96.5%", "3万元", "5人", "0", "-0"]),
)


@settings(max_examples=300, deadline=None)
@given(asts, st.data())
def test_evaluate_returns_an_evaluation_and_never_raises(tree: Node, data: st.DataObject) -> None:
    formula = parse_formula(to_text(tree))
    names_ = formula.variables()
    values = {n: data.draw(_values) for n in names_ if data.draw(st.integers(0, 9))}
    result = evaluate(formula, values)
    assert isinstance(result, Evaluation)
    assert result.ok is (result.value is not None)
    assert result.ok or result.diagnostics


def test_node_types_are_all_generated_and_printed() -> None:
    printed: dict[type, Node] = {
        Number: Number(Decimal(1)),
        Variable: Variable("a"),
        Negate: Negate(Variable("a")),
        Sum: Sum((Variable("a"), Variable("b")), ("+",)),
        Product: Product((Variable("a"), Variable("b")), ("/",)),
        Comparison: Comparison(">=", Variable("a"), Variable("b")),
        Call: Call("SUM", (Variable("a"),)),
    }
    assert set(printed) == set(NODE_TYPES)
    assert [to_text(n) for n in printed.values()] == ["1", "a", "-a", "a+b", "a/b", "a>=b", "SUM(a)"]
