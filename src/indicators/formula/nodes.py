"""The typed, immutable AST of the formula language.

Every node is a frozen, slotted dataclass whose ``span`` (a :class:`TextRange`: 0-based offsets into
the original formula text) says where it was written. A ``TextRange`` is two offsets and the text;
the line and column of a :class:`~indicators.diagnostics.Span` are computed only when a diagnostic
needs them (``TextRange.span()``). Spans do not take part in equality: two trees are equal when they
say the same thing, wherever it was written, so ``parse(print(ast)) == ast`` holds.

Chains of ``+ -`` and of ``* /`` are n-ary (:class:`Sum`, :class:`Product`), so a long chain such as
``a+b+c+…`` is one flat node rather than a deep tree.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeAlias

from indicators.diagnostics import Span


class TextRange:
    """Where a node was written: ``text[start:end]``. Cheap to make; :meth:`span` gives the full
    :class:`~indicators.diagnostics.Span` (lines and columns) when a diagnostic needs it."""

    __slots__ = ("end", "start", "text")

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text = text
        self.start = start
        self.end = end

    def span(self) -> Span:
        """The diagnostic span of this range."""
        return Span.of(self.text, self.start, self.end)

    def __repr__(self) -> str:
        return f"TextRange({self.start}, {self.end})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TextRange):
            return NotImplemented
        return (self.start, self.end, self.text) == (other.start, other.end, other.text)

    def __hash__(self) -> int:
        return hash((self.start, self.end))


def span_of(node: Node | None) -> Span | None:
    """The diagnostic span of ``node`` (None for a node built without one)."""
    if node is None or node.span is None:
        return None
    return node.span.span()


@dataclass(frozen=True, slots=True)
class Number:
    """A literal: ``0.8``, ``1,152.50``, ``100%`` (value 100, unit ``%``), ``３‰`` (value 3, unit ``‰``)."""

    value: Decimal
    unit: str | None = None
    span: TextRange | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Variable:
    """A measured name such as ``已覆盖应急避难场所的村(社区)``, kept exactly as written."""

    name: str
    span: TextRange | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Negate:
    """Unary minus: ``-a``."""

    operand: Node
    span: TextRange | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Sum:
    """``a + b - c``: ``operators[i]`` (``+`` or ``-``) stands between operand ``i`` and ``i + 1``."""

    operands: tuple[Node, ...]
    operators: tuple[str, ...]
    span: TextRange | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Product:
    """``a * b / c``: ``operators[i]`` (``*`` or ``/``) stands between operand ``i`` and ``i + 1``."""

    operands: tuple[Node, ...]
    operators: tuple[str, ...]
    span: TextRange | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Comparison:
    """``a >= b``; only the condition of ``IF`` may be a comparison. ``op`` is one of ``COMPARATORS``."""

    op: str
    left: Node
    right: Node
    span: TextRange | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Call:
    """A function call; ``function`` is the canonical ASCII name (``SUM``), whatever alias was written."""

    function: str
    args: tuple[Node, ...]
    span: TextRange | None = field(default=None, compare=False, repr=False)


Node: TypeAlias = Number | Variable | Negate | Sum | Product | Comparison | Call

#: every node class, for dispatch tables that must cover them all
NODE_TYPES: tuple[type, ...] = (Number, Variable, Negate, Sum, Product, Comparison, Call)

#: canonical comparison operators
COMPARATORS: tuple[str, ...] = (">=", "<=", ">", "<", "=", "!=")


def children(node: Node) -> tuple[Node, ...]:
    """The direct sub-nodes of ``node``, left to right."""
    if isinstance(node, Negate):
        return (node.operand,)
    if isinstance(node, Sum | Product):
        return node.operands
    if isinstance(node, Comparison):
        return (node.left, node.right)
    if isinstance(node, Call):
        return node.args
    return ()


def walk(node: Node) -> Iterator[Node]:
    """Every node of the tree in source order (pre-order), without recursion."""
    stack: list[Node] = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))


def variables(node: Node | None) -> tuple[str, ...]:
    """Variable names in order of first appearance, each once."""
    if node is None:
        return ()
    seen: dict[str, None] = {}
    for n in walk(node):
        if isinstance(n, Variable):
            seen.setdefault(n.name, None)
    return tuple(seen)


def depth(node: Node) -> int:
    """Height of the tree (a leaf has depth 1), computed without recursion."""
    best = 0
    stack: list[tuple[Node, int]] = [(node, 1)]
    while stack:
        current, level = stack.pop()
        best = max(best, level)
        stack.extend((child, level + 1) for child in children(current))
    return best


def to_dict(node: Node) -> dict[str, object]:
    """A JSON-ready description of the tree (the ``ast`` of ``indicators formula parse --json``)."""
    out: dict[str, object] = {"type": type(node).__name__.lower()}
    if isinstance(node, Number):
        out["value"] = str(node.value)
        out["unit"] = node.unit
    elif isinstance(node, Variable):
        out["name"] = node.name
    elif isinstance(node, Negate):
        out["operand"] = to_dict(node.operand)
    elif isinstance(node, Sum | Product):
        out["operators"] = list(node.operators)
        out["operands"] = [to_dict(o) for o in node.operands]
    elif isinstance(node, Comparison):
        out["op"] = node.op
        out["left"] = to_dict(node.left)
        out["right"] = to_dict(node.right)
    else:
        out["function"] = node.function
        out["args"] = [to_dict(a) for a in node.args]
    if node.span is not None:
        out["span"] = [node.span.start, node.span.end]
    return out


def outline(node: Node, *, indent: str = "  ") -> list[str]:
    """The tree as indented lines (``product / *`` then its operands), for terminals; no recursion."""
    lines: list[str] = []
    stack: list[tuple[Node, int]] = [(node, 0)]
    while stack:
        current, level = stack.pop()
        lines.append(indent * level + _label(current))
        stack.extend((child, level + 1) for child in reversed(children(current)))
    return lines


def _label(node: Node) -> str:
    if isinstance(node, Number):
        return f"number {node.value}{node.unit or ''}"
    if isinstance(node, Variable):
        return f"variable {node.name}"
    if isinstance(node, Negate):
        return "negate -"
    if isinstance(node, Sum | Product):
        return f"{type(node).__name__.lower()} {' '.join(node.operators)}"
    if isinstance(node, Comparison):
        return f"comparison {node.op}"
    return f"call {node.function}"
