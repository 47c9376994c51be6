"""The callbacks that build the typed AST while Lark's LALR parser reduces (``grammar/formula.lark``).

Lark calls ``getattr(builder, rule_name)(children)`` for each rule; children are nodes and tokens (Lark's
tokens, or the slotted tokens of :mod:`indicators.formula.lalr`: both have ``type``, ``start_pos``,
``end_pos`` and their text as ``str``). Spans are :class:`~indicators.formula.nodes.TextRange`s into
the prepared text; names are read from the original cell by their offsets. The texts of the parse in
progress are context variables set by :mod:`indicators.formula.parser`, so one builder serves every
thread. An error found here (an unknown function, the wrong number of arguments, …) is raised as
:class:`Semantic` carrying its diagnostic.
"""

from __future__ import annotations

import re
import unicodedata
from contextvars import ContextVar
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from typing import Any

from indicators.codes import diagnostic
from indicators.diagnostics import Diagnostic, Span
from indicators.formula import functions, nodes
from indicators.formula.syntax_errors import check_not_in_number

_CLOSE = ")）"
#: spreadsheet functions the language does not have: ``COUNT(c)`` is an unknown function, not a name
_SPREADSHEET_CALL = re.compile(
    r"((?i:COUNTA|COUNTIFS?|COUNT|SUMIFS?|SUMPRODUCT|AVERAGEIFS?|MEDIAN|PRODUCT|SQRT|POWER|MOD|INT|TRUNC"
    r"|ROUNDUP|ROUNDDOWN|IFERROR|IFS|AND|OR|NOT|LOG|LN|EXP))[(（][^()（）]*[)）]"
)
_ASCII_OPS = {
    "＋": "+", "－": "-", "−": "-",
    "×": "*", "·": "*", "・": "*", "⋅": "*", "∗": "*", "＊": "*",
    "÷": "/", "／": "/",
}
#: comparison operators after NFKC (which maps ＞ to >, ＝ to =, ！ to !)
_COMPARE = {
    ">=": ">=", "≥": ">=", "≧": ">=", "<=": "<=", "≤": "<=", "≦": "<=", ">": ">", "<": "<",
    "=": "=", "==": "=", "!=": "!=", "≠": "!=", "<>": "!=",
}
#: punctuation that starts a note without being part of it (a rewritten mark such as a footnote stays)
_NOTE_MARKS = ",，;；。.．｡—―"
#: scale words of a number: 10万, 1.5亿, 十万, 千万
_SCALE_WORDS = {"万": 10**4, "亿": 10**8}
_LEADING_WORDS = {"一": 1, "十": 10, "百": 100, "千": 1000}

class Semantic(Exception):
    """Raised inside the transformer; carries the diagnostic to report."""

    def __init__(self, diag: Diagnostic) -> None:
        super().__init__(diag.message)
        self.diag = diag


#: the prepared text being parsed (spans) and the original cell (names)
text_var: ContextVar[str] = ContextVar("formula_text", default="")
source_var: ContextVar[str] = ContextVar("formula_source", default="")
#: the variable nodes the builder made, in the order of the text (while ``parse_uncached`` runs)
names_var: ContextVar[list[nodes.Variable] | None] = ContextVar("formula_names", default=None)



def _span(start: int, end: int) -> nodes.TextRange:
    return nodes.TextRange(text_var.get(), start, end)


def _full_span(start: int, end: int) -> Span:
    """The diagnostic span of ``work[start:end]`` (for an error raised while parsing)."""
    return Span.of(text_var.get(), start, end)


def _token_span(token: Any) -> nodes.TextRange:
    return nodes.TextRange(text_var.get(), token.start_pos or 0, token.end_pos or 0)


def _outer(first: Any, last: Any) -> nodes.TextRange:
    """The range from the start of ``first`` to the end of ``last`` (nodes, Lark tokens or fast tokens)."""
    span = getattr(first, "span", None)
    start: int = first.start_pos if span is None else span.start
    span = getattr(last, "span", None)
    end: int = last.end_pos if span is None else span.end
    return nodes.TextRange(text_var.get(), start, end)


#: the sides of a cell: (offset of the = or : before it, or None for the first; its node)
Sides = list[tuple[int | None, nodes.Node]]
#: a note: (offset where it starts, offset where its text starts)
Note = tuple[int, int]


class Builder:
    """Callbacks for the grammar's rules (Lark calls ``getattr(builder, rule_name)(children)``)."""

    def start(self, children: list[Any]) -> tuple[Sides, Note | None]:
        _lead, sides, note = children
        return sides, note

    def lead(self, children: list[Any]) -> Any:
        token: Any = children[0]
        return token

    def sides(self, children: list[Any]) -> Sides:
        found: Sides = [(None, children[0])]
        for separator, node in zip(children[1::2], children[2::2], strict=True):
            found.append((separator.start_pos or 0, node))
        return found

    def sum(self, children: list[Any]) -> nodes.Sum:
        operands = tuple(children[0::2])
        operators = tuple(_ASCII_OPS.get(str(t), str(t)) for t in children[1::2])
        return nodes.Sum(operands, operators, _outer(children[0], children[-1]))

    def product(self, children: list[Any]) -> nodes.Product:
        operands = tuple(children[0::2])
        operators = tuple(_ASCII_OPS.get(str(t), str(t)) for t in children[1::2])
        return nodes.Product(operands, operators, _outer(children[0], children[-1]))

    def signed(self, children: list[Any]) -> nodes.Node:
        sign, operand = children
        if _ASCII_OPS.get(str(sign), str(sign)) == "+":
            kept: nodes.Node = operand  # a unary plus changes nothing
            return kept
        return nodes.Negate(operand, _outer(sign, operand))

    def number(self, children: list[Any]) -> nodes.Number:
        token, percent = children
        value = _decimal(str(token))
        unit = None
        last = token
        if percent is not None:
            unit = "‰" if str(percent) == "‰" else "%"
            last = percent
        return nodes.Number(value, unit, _outer(token, last))

    def scaled(self, children: list[Any]) -> nodes.Number:
        token: Any = children[0]
        return nodes.Number(_scaled(str(token)), None, _token_span(token))

    def variable(self, children: list[Any]) -> nodes.Variable:
        token: Any = children[0]
        start, end = token.start_pos or 0, token.end_pos or 0
        call = _SPREADSHEET_CALL.fullmatch(str(token)) if token.value[-1] in _CLOSE else None
        if call is not None:  # COUNT(c) reads as a name with a qualifier, but it is meant as a call
            hint = f"可用的函数：{'、'.join(functions.FUNCTIONS)}"
            raise Semantic(diagnostic("IND107", span=_full_span(start, start + call.end(1)),
                                       text=source_var.get(), hint=hint))
        node = nodes.Variable(source_var.get()[start:end], _token_span(token))
        made = names_var.get()
        if made is not None:
            made.append(node)
        return node

    def group(self, children: list[Any]) -> nodes.Node:
        lpar, inner, rpar = children
        grouped: nodes.Node = replace(inner, span=_outer(lpar, rpar))
        return grouped

    def args(self, children: list[Any]) -> list[nodes.Node]:
        return list(children[0::2])

    def comparison(self, children: list[Any]) -> nodes.Comparison:
        left, op, right = children
        symbol = _COMPARE[unicodedata.normalize("NFKC", str(op))]
        return nodes.Comparison(symbol, left, right, _outer(left, right))

    def sigma(self, children: list[Any]) -> nodes.Call:
        """``∑每期培训人数``: the sum of the values of a name, written as ``SUM(每期培训人数)``."""
        mark, operand = children
        return nodes.Call("SUM", (operand,), _outer(mark, operand))

    def call(self, children: list[Any]) -> nodes.Call:
        func, args, rpar = children
        word = str(func).rstrip(" \t(（")
        name = functions.resolve(word)
        span = _outer(func, rpar)
        if name is None:  # pragma: no cover - the grammar only lexes known words
            span_of_word = _full_span(func.start_pos, func.end_pos)
            raise Semantic(diagnostic("IND107", span=span_of_word, text=source_var.get()))
        arguments: tuple[nodes.Node, ...] = tuple(args or ())
        spec = functions.FUNCTIONS[name]
        if len(arguments) < spec.min_args or (spec.max_args is not None and len(arguments) > spec.max_args):
            raise Semantic(
                diagnostic(
                    "IND108", span=span.span(), text=source_var.get(),
                    name=f"{name}（{word}）" if word.upper() != name else name,
                    expected=spec.arity_text(), actual=len(arguments),
                )
            )
        for i, arg in enumerate(arguments):
            if isinstance(arg, nodes.Comparison) and not (name == "IF" and i == 0):
                raise Semantic(diagnostic("IND109", span=nodes.span_of(arg), text=source_var.get()))
        if name == "ROUND" and len(arguments) == 2:
            places = arguments[1]
            if not (isinstance(places, nodes.Number) and places.unit is None
                    and places.value == places.value.to_integral_value() and places.value <= 20):
                raise Semantic(
                    diagnostic("IND116", span=nodes.span_of(places), text=source_var.get(), name="ROUND",
                               detail="小数位数应为 0 至 20 的整数")
                )
        return nodes.Call(name, arguments, span)

    def note(self, children: list[Any]) -> Note:
        first = children[0]
        mark: int = first.start_pos or 0
        if first.type == "COMMA":
            found = check_not_in_number(mark, source_var.get())
            if found is not None:
                raise Semantic(found)
        if first.type == "NOTE":
            return mark, mark
        return mark, mark + 1 if source_var.get()[mark] in _NOTE_MARKS else mark


_HALF_WIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.", ",")


def _decimal(token: str) -> Decimal:
    digits = token.translate(_HALF_WIDTH)
    try:
        return Decimal(digits)
    except InvalidOperation as exc:  # pragma: no cover - the grammar only lexes digits
        raise AssertionError(f"unreadable number {token!r}") from exc


def _scaled(token: str) -> Decimal:
    """``10万`` → 100000, ``1.5亿`` → 150000000, ``十万`` → 100000 (exact)."""
    head, scale = token[:-1].strip(), _SCALE_WORDS[token[-1]]
    number = Decimal(_LEADING_WORDS[head]) if head in _LEADING_WORDS else _decimal(head)
    value = number * scale
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value
