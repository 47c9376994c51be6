"""The canonical printer: one text for every AST, such that ``parse(print(ast)) == ast``.

Canonical text uses ASCII operators (``+ - * /``), canonical ASCII function names, ``, `` between
arguments and parentheses only where the tree needs them. Names are printed exactly as written.
A nested chain keeps its parentheses (``(a+b)+c`` stays a sum inside a sum), so the round trip
is exact, not merely equivalent. The canonical text never nests deeper than the text it came from,
so it passes the same depth limit.
"""

from __future__ import annotations

from decimal import Decimal

from indicators.formula.nodes import Call, Comparison, Negate, Node, Number, Product, Sum, Variable


def to_text(node: Node) -> str:
    """The canonical text of ``node``."""
    if isinstance(node, Number):
        return _number(node.value) + (node.unit or "")
    if isinstance(node, Variable):
        return node.name
    if isinstance(node, Negate):
        inner = to_text(node.operand)
        if isinstance(node.operand, Number | Variable | Call):
            return f"-{inner}"
        return f"-({inner})"
    if isinstance(node, Sum):
        return _chain(node.operands, node.operators, Sum)
    if isinstance(node, Product):
        return _chain(node.operands, node.operators, Product)
    if isinstance(node, Comparison):
        return f"{to_text(node.left)}{node.op}{to_text(node.right)}"
    return f"{node.function}({', '.join(to_text(a) for a in node.args)})"


def _chain(operands: tuple[Node, ...], operators: tuple[str, ...], own: type[Sum] | type[Product]) -> str:
    parts: list[str] = []
    for i, operand in enumerate(operands):
        text = to_text(operand)
        if _needs_parens(operand, own, first=i == 0):
            text = f"({text})"
        if i:
            parts.append(operators[i - 1])
        parts.append(text)
    return "".join(parts)


def _needs_parens(operand: Node, own: type[Sum] | type[Product], *, first: bool) -> bool:
    if isinstance(operand, Sum | Comparison):
        return True
    if isinstance(operand, Product):
        return own is Product
    if isinstance(operand, Negate):
        # a-(-b) reads better than a--b; a*-b needs no parentheses (and adds no nesting)
        return not first and own is Sum
    return False


def _number(value: Decimal) -> str:
    """``Decimal`` in plain notation (never ``1E+3``)."""
    return format(value, "f")
