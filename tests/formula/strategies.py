"""Hypothesis strategies shared by the formula properties: generated names and ASTs.

Imported as ``tests.formula.strategies`` (the repository root is on ``pythonpath``, see pyproject.toml).
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from indicators.formula.nodes import Call, Comparison, Negate, Node, Number, Product, Sum, Variable, walk

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


def evaluation_steps(tree: Node) -> list[Node]:
    """Every node, and every prefix of every chain: the values the evaluator computes one by one."""
    out: list[Node] = []
    for node in walk(tree):
        out.append(node)
        if isinstance(node, Sum | Product):
            cls = type(node)
            out.extend(cls(node.operands[:k], node.operators[: k - 1]) for k in range(2, len(node.operands)))
        if isinstance(node, Call) and node.function in ("SUM", "AVG"):
            out.extend(Sum(node.args[:k], ("+",) * (k - 1)) for k in range(2, len(node.args) + 1))
    return [n for n in out if not isinstance(n, Comparison)]
