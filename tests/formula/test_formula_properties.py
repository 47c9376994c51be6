"""Hypothesis properties: the printer round trip, total parsing, and total evaluation."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

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

# --- generated ASTs ------------------------------------------------------------------------------

_CJK = "村社区数量总面积完成计划人员服务覆盖垃圾处理已应党工单办结呈街道站"
_core = st.text(alphabet=_CJK + "ab", min_size=1, max_size=6)
_qualifier = st.text(alphabet=_CJK + "12%", min_size=1, max_size=3).map(lambda s: f"({s})")
_full_width_qualifier = st.text(alphabet=_CJK, min_size=1, max_size=3).map(lambda s: f"（{s}）")


@st.composite
def names(draw: st.DrawFn) -> str:
    """Names as the forms write them: CJK, Latin, digits, 、, quotes inside, qualifiers."""
    name = draw(_core)
    if draw(st.booleans()):
        name = draw(st.sampled_from(["", "12", "2024"])) + name
    if draw(st.booleans()):
        name += draw(st.one_of(_qualifier, _full_width_qualifier))
        if draw(st.booleans()):
            name += draw(_core)
    if draw(st.booleans()):
        name = draw(_qualifier) + name
    if draw(st.integers(0, 4)) == 0:
        name += "“" + draw(_core) + "”" + draw(_core)
    if draw(st.integers(0, 4)) == 0:
        name += "、" + draw(_core)
    return name


_numbers = st.builds(
    Number,
    st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from([None, None, None, "%", "‰"]),
)
_leaves = st.one_of(_numbers, st.builds(Variable, names()))


def _extend(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    chain_args = st.lists(children, min_size=2, max_size=4)

    @st.composite
    def chain(draw: st.DrawFn, cls: type[Sum] | type[Product], ops: str) -> Node:
        operands = tuple(draw(chain_args))
        operators = tuple(draw(st.sampled_from(list(ops))) for _ in operands[1:])
        return cls(operands, operators)

    @st.composite
    def call(draw: st.DrawFn) -> Node:
        function = draw(st.sampled_from(["SUM", "AVG", "MIN", "MAX", "ABS", "ROUND", "IF"]))
        if function == "ABS":
            return Call(function, (draw(children),))
        if function == "ROUND":
            if draw(st.booleans()):
                return Call(function, (draw(children),))
            return Call(function, (draw(children), Number(Decimal(draw(st.integers(0, 6))))))
        if function == "IF":
            condition = Comparison(draw(st.sampled_from([">=", "<=", ">", "<", "=", "!="])), draw(children),
                                   draw(children))
            return Call(function, (condition, draw(children), draw(children)))
        return Call(function, tuple(draw(st.lists(children, min_size=1, max_size=3))))

    return st.one_of(
        st.builds(Negate, children),
        chain(Sum, "+-"),
        chain(Product, "*/"),
        call(),
    )


asts = st.recursive(_leaves, _extend, max_leaves=12)


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
