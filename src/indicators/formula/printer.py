"""The canonical printer: one text for every AST, such that ``parse(print(ast)) == ast``.

Canonical text uses ASCII operators (``+ - * /``), canonical ASCII function names, ``, `` between
arguments and parentheses only where the tree needs them. Names are printed exactly as written.
A nested chain keeps its parentheses (``(a+b)+c`` stays a sum inside a sum), so the round trip
is exact, not merely equivalent. The canonical text never nests deeper than the text it came from,
so it passes the same depth limit.
"""

from __future__ import annotations

from decimal import Decimal

from indicators.formula.names import BRACKETS
from indicators.formula.nodes import Call, Comparison, Negate, Node, Number, Product, Sum, Variable

#: superscript and circled numbers: at the very end of a text they read as a footnote mark (IND139)
_FOOTNOTE_MARKS = frozenset("¹²³⁴⁵⁶⁷⁸⁹⁰" + "".join(map(chr, range(0x2460, 0x2474))))


def to_text(node: Node) -> str:
    """The canonical text of ``node``.

    A name with a space in it that ends the text is put in parentheses, ``a+(办公经费 支出数)``: at the
    end, the text after the space would read as a note. So is a name ending in a superscript or circled
    number, ``a+(面积m²)``: at the end, the mark would read as a footnote.
    """
    return _text(node, tail=True)


def _text(node: Node, *, tail: bool = False) -> str:
    """``tail``: nothing follows ``node`` in the printed text."""
    if isinstance(node, Number):
        return _number(node.value) + (node.unit or "")
    if isinstance(node, Variable):
        guarded = tail and (_space_outside_brackets(node.name) or node.name[-1:] in _FOOTNOTE_MARKS)
        return f"({node.name})" if guarded else node.name
    if isinstance(node, Negate):
        inner = _text(node.operand, tail=tail)
        if isinstance(node.operand, Number | Variable | Call):
            return f"-{inner}"
        return f"-({inner})"
    if isinstance(node, Sum):
        return _chain(node.operands, node.operators, Sum, tail=tail)
    if isinstance(node, Product):
        return _chain(node.operands, node.operators, Product, tail=tail)
    if isinstance(node, Comparison):
        return f"{_text(node.left)}{node.op}{_text(node.right)}"
    return f"{node.function}({', '.join(_text(a) for a in node.args)})"


def _chain(
    operands: tuple[Node, ...], operators: tuple[str, ...], own: type[Sum] | type[Product], *, tail: bool
) -> str:
    parts: list[str] = []
    last = len(operands) - 1
    for i, operand in enumerate(operands):
        if _needs_parens(operand, own, first=i == 0):
            text = f"({_text(operand)})"
        else:
            text = _text(operand, tail=tail and i == last)
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


def _space_outside_brackets(name: str) -> bool:
    """``办公经费 支出数`` has one; ``常住人口(按户籍人口, 年末数)`` has none (its space is in a note)."""
    level = 0
    for ch in name:
        if ch in BRACKETS:
            level += 1
        elif ch in _CLOSING:
            level = max(0, level - 1)
        elif ch.isspace() and level == 0:
            return True
    return False


_CLOSING = frozenset(BRACKETS.values())


def _number(value: Decimal) -> str:
    """``Decimal`` in plain notation (never ``1E+3``)."""
    return format(value, "f")
