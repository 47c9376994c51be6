"""Formula text → :class:`~indicators.formula.model.Formula` (typed AST with spans).

The grammar is ``grammar/formula.lark`` (read through :mod:`indicators.resources`), compiled once per
process into a Lark LALR(1) parser with the contextual lexer in strict mode. The AST is built by an
embedded transformer while the LALR parser reduces, so no step recurses over the input: together with
the length and depth checks made *before* the text reaches Lark, a hostile input fails fast with
IND001/IND002 instead of a ``RecursionError``.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from contextvars import ContextVar
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from indicators import resources
from indicators.codes import diagnostic
from indicators.diagnostics import Diagnostic, Span
from indicators.errors import FormulaSyntaxError, LimitExceededError
from indicators.formula import functions, nodes
from indicators.formula.classify import classify
from indicators.formula.kinds import FormulaKind
from indicators.formula.model import Formula
from indicators.limits import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    from lark import Lark, Token

#: the deepest nesting of the text accepted whatever ``Limits.max_depth`` says
HARD_MAX_DEPTH = 100
#: the highest AST accepted: it keeps every recursive walk of the tree (printer, evaluator,
#: equality, JSON) far below Python's recursion limit
HARD_MAX_AST_DEPTH = 150

_OPEN, _CLOSE = "(（", ")）"
#: spreadsheet functions the language does not have: ``COUNT(c)`` is an unknown function, not a name
_SPREADSHEET_CALL = re.compile(
    r"((?i:COUNTA|COUNTIFS?|COUNT|SUMIFS?|SUMPRODUCT|AVERAGEIFS?|MEDIAN|PRODUCT|SQRT|POWER|MOD|INT|TRUNC"
    r"|ROUNDUP|ROUNDDOWN|IFERROR|IFS|AND|OR|NOT|LOG|LN|EXP))[(（][^()（）]*[)）]"
)
#: a note whose first word holds an operator was probably meant as formula (IND117)
_OPERATOR_IN_WORD = re.compile(r"^[^\s，。；,;]*[+\-*/×÷＋－＊／=＝]")
_SIGNS = "+-＋－−"
_OPENING_QUOTES = {"“": "”", "‘": "’", "「": "」", "『": "』"}
_SYMMETRIC_QUOTES = "\"'"
_ASCII_OPS = {
    "＋": "+", "－": "-", "−": "-",
    "×": "*", "·": "*", "・": "*", "⋅": "*", "∗": "*", "＊": "*",
    "÷": "/", "／": "/",
}
#: comparison operators after NFKC (which maps ＞ to >, ＝ to =, ！ to !)
_COMPARE = {
    ">=": ">=", "≥": ">=", "<=": "<=", "≤": "<=", ">": ">", "<": "<",
    "=": "=", "==": "=", "!=": "!=", "≠": "!=", "<>": "!=",
}


class FormulaLimitError(FormulaSyntaxError, LimitExceededError):
    """A formula longer, deeper or larger than the limits allow (IND001, IND002, IND003)."""


class _Semantic(Exception):
    """Raised inside the transformer; carries the diagnostic to report."""

    def __init__(self, diag: Diagnostic) -> None:
        super().__init__(diag.message)
        self.diag = diag


# --- the parser, built once --------------------------------------------------------------------------

_lock = threading.Lock()
_parser: Lark | None = None
_text: ContextVar[str] = ContextVar("formula_text", default="")


def get_parser() -> Lark:
    """The process-wide Lark parser for ``grammar/formula.lark``."""
    global _parser
    if _parser is None:
        with _lock:
            if _parser is None:
                _parser = _build()
    return _parser


def _build() -> Lark:
    from lark import Lark

    return Lark(
        resources.grammar_text("formula.lark"),
        parser="lalr",
        lexer="contextual",
        strict=_can_be_strict(),
        propagate_positions=True,
        maybe_placeholders=True,
        transformer=_Builder(),
    )


def _can_be_strict() -> bool:
    """Lark's strict mode (no LALR conflicts, no colliding terminals) needs ``interegular``.

    The test suite checks that the shipped grammar builds in strict mode; an installation without
    ``interegular`` still parses, it only skips that build-time check.
    """
    import importlib.util

    return importlib.util.find_spec("interegular") is not None


def _span(start: int, end: int) -> Span:
    return Span.of(_text.get(), start, end)


def _token_span(token: Token) -> Span:
    return _span(token.start_pos or 0, token.end_pos or 0)


def _outer(first: Any, last: Any) -> Span:
    """The span from the start of ``first`` to the end of ``last`` (nodes or tokens)."""
    start: int = first.span.start if hasattr(first, "span") else first.start_pos
    end: int = last.span.end if hasattr(last, "span") else last.end_pos
    return _span(start, end)


class _Builder:
    """Callbacks for the grammar's rules (Lark calls ``getattr(builder, rule_name)(children)``)."""

    def start(self, children: list[Any]) -> tuple[Any, nodes.Node, Any]:
        lhs, expr, note = children
        return lhs, expr, note

    def lhs(self, children: list[Any]) -> Token:
        name: Token = children[0]
        return name

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

    def variable(self, children: list[Any]) -> nodes.Variable:
        token: Token = children[0]
        call = _SPREADSHEET_CALL.fullmatch(str(token))
        if call is not None:  # COUNT(c) reads as a name with a qualifier, but it is meant as a call
            start = token.start_pos or 0
            raise _Semantic(diagnostic("IND107", span=_span(start, start + call.end(1)), text=_text.get(),
                                       hint=f"可用的函数：{'、'.join(functions.FUNCTIONS)}"))
        return nodes.Variable(str(token), _token_span(token))

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

    def call(self, children: list[Any]) -> nodes.Call:
        func, args, rpar = children
        word = str(func).rstrip(" \t(（")
        name = functions.resolve(word)
        span = _outer(func, rpar)
        if name is None:  # pragma: no cover - the grammar only lexes known words
            raise _Semantic(diagnostic("IND107", span=_token_span(func), text=_text.get()))
        arguments: tuple[nodes.Node, ...] = tuple(args or ())
        spec = functions.FUNCTIONS[name]
        if len(arguments) < spec.min_args or (spec.max_args is not None and len(arguments) > spec.max_args):
            raise _Semantic(
                diagnostic(
                    "IND108", span=span, text=_text.get(),
                    name=f"{name}（{word}）" if word.upper() != name else name,
                    expected=spec.arity_text(), actual=len(arguments),
                )
            )
        for i, arg in enumerate(arguments):
            if isinstance(arg, nodes.Comparison) and not (name == "IF" and i == 0):
                raise _Semantic(diagnostic("IND109", span=arg.span, text=_text.get()))
        if name == "ROUND" and len(arguments) == 2:
            places = arguments[1]
            if not (isinstance(places, nodes.Number) and places.unit is None
                    and places.value == places.value.to_integral_value() and places.value <= 20):
                raise _Semantic(
                    diagnostic("IND116", span=places.span, text=_text.get(), name="ROUND",
                               detail="小数位数应为 0 至 20 的整数")
                )
        return nodes.Call(name, arguments, span)

    def note(self, children: list[Any]) -> tuple[str | None, int]:
        first = children[0]
        if first.type == "COMMA":
            _check_not_in_number(first.start_pos or 0)
        if first.type == "NOTE":
            rest = str(first)
        else:
            rest = str(children[1]) if len(children) > 1 and children[1] is not None else ""
        stripped = rest.strip()
        return (stripped or None), first.start_pos or 0


def _check_not_in_number(comma: int) -> None:
    """A comma between two digits at the top level is a malformed number, not the start of a note (IND118).

    ``a*1,0000`` or ``１，０００`` would otherwise read as ``a*1`` or ``1`` with a note.
    """
    text = _text.get()
    if not (0 < comma < len(text) - 1 and text[comma - 1].isdigit() and text[comma + 1].isdigit()):
        return
    start, end = comma, comma + 1
    while start > 0 and (text[start - 1].isdigit() or text[start - 1] in ",，.．"):
        start -= 1
    while end < len(text) and (text[end].isdigit() or text[end] in ",，.．"):
        end += 1
    detail = "千位分隔符“,”后应恰好是三位数字" if text[comma] == "," else "全角逗号“，”不能用作千位分隔符"
    raise _Semantic(diagnostic("IND118", span=_span(start, end), text=text, detail=detail))


def _decimal(token: str) -> Decimal:
    digits = "".join(str(unicodedata.digit(ch)) if ch.isdigit() else ch for ch in token)
    digits = digits.replace(",", "").replace("．", ".")
    try:
        return Decimal(digits)
    except InvalidOperation as exc:  # pragma: no cover - the grammar only lexes digits
        raise AssertionError(f"unreadable number {token!r}") from exc


# --- the public verb ---------------------------------------------------------------------------------


def parse_formula(text: str, *, limits: Limits = DEFAULT_LIMITS) -> Formula:
    """Parse a formula cell (计算公式) into a :class:`Formula`; raises :class:`FormulaSyntaxError`.

    ``指标值=已覆盖应急避难场所的村(社区)/辖区村(社区)总数*100%`` has the variables
    ``已覆盖应急避难场所的村(社区)`` and ``辖区村(社区)总数`` and is a percentage.
    """
    if len(text) > limits.max_text_length:
        raise FormulaLimitError(
            diagnostic("IND001", span=Span.of(text, limits.max_text_length, len(text)),
                       length=len(text), limit=limits.max_text_length)
        )
    work, warnings = _strip_wrapping_quotes(text)
    if not work.strip():
        raise FormulaSyntaxError(diagnostic("IND106", span=Span.of(text, 0, len(text)), text=text))
    _check_depth(text, work, min(limits.max_depth, HARD_MAX_DEPTH))

    token = _text.set(work)
    try:
        result: Any = _run_parser(work, len(work), text)
    finally:
        _text.reset(token)
    lhs: Token | None = result[0]
    expr: nodes.Node = result[1]
    note: tuple[str | None, int] | None = result[2]

    count = sum(1 for _ in nodes.walk(expr))
    if count > limits.max_nodes:
        raise FormulaLimitError(diagnostic("IND003", what="公式的节点数", size=count, limit=limits.max_nodes))

    assert expr.span is not None
    if nodes.depth(expr) > HARD_MAX_AST_DEPTH:
        span = Span.of(text, expr.span.start, expr.span.end)
        raise FormulaLimitError(diagnostic("IND002", span=span, text=text, limit=HARD_MAX_AST_DEPTH))
    body = text[expr.span.start : expr.span.end]
    found = classify(expr)
    note_text, note_start = note if note is not None else (None, 0)
    if note_text is not None and _OPERATOR_IN_WORD.match(note_text) and text[note_start].isspace():
        start = note_start + len(text[note_start:]) - len(text[note_start:].lstrip())
        span = Span.of(text, start, start + len(note_text.split()[0]))
        warnings.append(diagnostic("IND117", span=span, text=text))
    if found.kind is FormulaKind.RATIO:
        hundred = _bare_hundred(expr)
        if hundred is not None and hundred.span is not None:
            warnings.append(diagnostic("IND120", span=hundred.span, text=text))
    return Formula(
        text=text,
        lhs=str(lhs) if lhs is not None else None,
        expr=None if found.drops_expression else expr,
        kind=found.kind,
        note=note_text,
        warnings=tuple(warnings),
        alternatives=found.alternatives,
        unit=found.unit if found.kind is FormulaKind.PERCENTAGE else None,
        body=body,
        body_span=Span.of(text, expr.span.start, expr.span.end),
    )


def _run_parser(work: str, end: int, text: str) -> Any:
    """Parse ``work[:end]``: (left side, expression, note); raises :class:`FormulaSyntaxError`.

    A parenthesised explanation glued to a final per-cent sign, as in ``a/b*100%（保留两位小数）``,
    is a note: the expression before it is parsed on its own.
    """
    from lark.exceptions import UnexpectedInput, UnexpectedToken, VisitError

    try:
        return get_parser().parse(work[:end])
    except _Semantic as exc:
        raise FormulaSyntaxError(_retarget(exc.diag, text)) from None
    except VisitError as exc:  # pragma: no cover - lark wraps callback errors in some versions
        if isinstance(exc.orig_exc, _Semantic):
            raise FormulaSyntaxError(_retarget(exc.orig_exc.diag, text)) from None
        raise
    except UnexpectedToken as exc:
        start = _note_after_percent(exc, work)
        if start is None:
            raise FormulaSyntaxError(_syntax_diagnostic(exc, text, work)) from None
        lhs, expr, _ = _run_parser(work, start, text)
        return lhs, expr, (work[start:].strip(), start)
    except UnexpectedInput as exc:
        raise FormulaSyntaxError(_syntax_diagnostic(exc, text, work)) from None


def _note_after_percent(exc: Any, work: str) -> int | None:
    """Where a parenthesised note glued to a final ``%`` or ``‰`` starts, or None.

    The parentheses must close, and only the end or more note (after white space or punctuation) may
    follow them: ``a/b*100%（说明）+1`` stays an error.
    """
    tok = exc.token
    history = getattr(exc, "token_history", None) or []
    prev = history[-1] if history else None
    if tok.type != "LPAR" or prev is None or prev.type != "PERCENT":
        return None
    start: int = tok.start_pos or 0
    if prev.end_pos != start or _balance(work, start) != 0:
        return None
    level = 0
    for i in range(start, len(work)):
        level += (work[i] in _OPEN) - (work[i] in _CLOSE)
        if level == 0:
            return start if _ENDS_DEFINITION.match(work, i + 1) else None
    return None


def _bare_hundred(expr: nodes.Node) -> nodes.Number | None:
    """The factor ``100`` without ``%`` of a ratio ``a/b*100``, if there is one (IND120)."""
    if not isinstance(expr, nodes.Product) or "/" not in expr.operators:
        return None
    for op, operand in zip(("*", *expr.operators), expr.operands, strict=True):
        if op == "*" and isinstance(operand, nodes.Number) and operand.unit is None and operand.value == 100:
            return operand
    return None


def _retarget(diag: Diagnostic, text: str) -> Diagnostic:
    """The same diagnostic pointing into the original text (quotes included)."""
    if diag.span is None:
        return diag
    return diag.model_copy(update={"text": text, "span": Span.of(text, diag.span.start, diag.span.end)})


# --- checks made before Lark sees the text -----------------------------------------------------------


def _strip_wrapping_quotes(text: str) -> tuple[str, list[Diagnostic]]:
    """Replace stray quotes around the formula by spaces (offsets stay valid), with IND105.

    ``“指标值=保持/提升 …”`` loses both quotes; a lone opening quote at the start or closing quote at
    the end without a partner is dropped too. So are quotes around the definition after a left side:
    ``指标值=“保持/提升”``, ``指标值=“a/b*100%” 说明``. Quotes that belong to a name (``“12345”热线``,
    ``指标值=“十四五”规划项目数``) stay.
    """
    stripped = text.strip()
    if not stripped:
        return text, []
    first = len(text) - len(text.lstrip())
    last = len(text.rstrip()) - 1
    partners = _quote_partners(text)
    drop: list[int] = []
    if _is_quote(text[first]):
        partner = partners.get(first)
        if partner == last or partner is None:
            drop.append(first)
            if partner == last and last != first:
                drop.append(last)
    closing = text[last] in _OPENING_QUOTES.values() or text[last] in _SYMMETRIC_QUOTES
    if closing and last not in drop and last != first and last not in partners.values():
        drop.append(last)
    view = "".join(" " if i in drop else ch for i, ch in enumerate(text))
    lhs = _LEFT_SIDE.match(view)
    quoted = lhs is not None and lhs.end() < len(view) and _is_quote(view[lhs.end()])
    if lhs is not None and quoted and _balance(lhs[0], len(lhs[0])) == 0:
        opening = lhs.end()
        partner = partners.get(opening)
        if partner is None or _ENDS_DEFINITION.match(view, partner + 1):
            drop.append(opening)
            if partner is not None and partner not in drop:
                drop.append(partner)
    if not drop:
        return text, []
    chars = list(text)
    for i in drop:
        chars[i] = " "
    work = "".join(chars)
    at = min(drop)
    warning = diagnostic("IND105", span=Span.of(text, at, at + 1), text=text, fix=work.strip())
    return work, [warning]


#: a left side such as ``指标值=`` or ``完成率(%)：`` (no operator before the assignment)
_LEFT_SIDE = re.compile(r"\s*[^\s=＝:：+\-*/×÷＋－＊／“”‘’\"'「」『』]+\s*[=＝:：]\s*")
#: what may follow the closing quote of a quoted definition: the end, or a note
_ENDS_DEFINITION = re.compile(r"\s|[,，;；。]|$")


def _is_quote(ch: str) -> bool:
    return ch in _OPENING_QUOTES or ch in _SYMMETRIC_QUOTES


def _quote_partners(text: str) -> dict[int, int]:
    """Opening quote offset → closing quote offset, for quotes that pair up."""
    partners: dict[int, int] = {}
    stack: list[tuple[str, int]] = []
    open_symmetric: dict[str, int] = {}
    for i, ch in enumerate(text):
        if ch in _OPENING_QUOTES:
            stack.append((_OPENING_QUOTES[ch], i))
        elif stack and ch == stack[-1][0]:
            partners[stack.pop()[1]] = i
        elif ch in _SYMMETRIC_QUOTES:
            if ch in open_symmetric:
                partners[open_symmetric.pop(ch)] = i
            else:
                open_symmetric[ch] = i
    return partners


def _check_depth(text: str, work: str, limit: int) -> None:
    """Nesting of parentheses plus runs of signs must stay within ``limit`` (IND002)."""
    level = 0
    run = 0
    for i, ch in enumerate(work):
        if ch in _OPEN:
            level += 1
        elif ch in _CLOSE:
            level = max(0, level - 1)
        if ch in _SIGNS:
            run += 1
        elif not ch.isspace():
            run = 0
        if level + run > limit:
            diag = diagnostic("IND002", span=Span.of(text, i, i + 1), text=text, limit=limit)
            raise FormulaLimitError(diag)


# --- Lark errors → diagnostics -----------------------------------------------------------------------

_OPERAND = ("NAME", "NUMBER", "FUNC", "LPAR")
#: the formula may end here (a note may follow too)
_END = ("$END", "NOTE", "NOTE_MARK")
#: words of a target (年度指标值) that do not belong in a formula
_TARGET_WORDS = (
    "以上", "以下", "以内", "及以上", "及以下", "左右", "不低于", "不高于", "不少于", "不超过", "达到",
)
_WORDS = {
    "RPAR": "右括号“)”",
    "COMMA": "逗号“,”",
    "COMPARE": "比较符号（如 >=）",
    "ASSIGN": "等号“=”",
    "PERCENT": "百分号“%”",
}


def expected_words(expected: set[str] | frozenset[str]) -> str:
    """What the parser wanted, in plain Chinese words."""
    parts: list[str] = []
    if any(t in expected for t in _OPERAND):
        parts.append("数值、名称、函数或左括号")
    if "ADD_OP" in expected and "MUL_OP" in expected:
        parts.append("运算符（+ - × ÷）")
    parts.extend(word for t, word in _WORDS.items() if t in expected)
    if any(t in expected for t in _END):
        parts.append("公式结束")
    if not parts:
        parts.append("公式的下一部分")
    if len(parts) == 1:
        return parts[0]
    return "、".join(parts[:-1]) + "或" + parts[-1]


def _syntax_diagnostic(exc: Any, text: str, work: str) -> Diagnostic:
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

    if isinstance(exc, UnexpectedToken) and exc.token.type != "$END":
        tok = exc.token
        start, end = tok.start_pos or 0, tok.end_pos or 0
        expected = expected_words(_feasible(exc.expected, _balance(work, start)))
        if tok.type == "NOTE_REST":  # nothing but the catch-all matched: a stray character
            return diagnostic("IND101", span=Span.of(text, start, start + 1), text=text,
                              hint=_stray_hint(work, start, expected))
        if tok.type == "RPAR" and _balance(work, start) <= 0:
            return diagnostic("IND104", span=Span.of(text, start, end), text=text,
                              detail=f"第 {Span.of(text, start).column} 列的右括号没有对应的左括号")
        history = getattr(exc, "token_history", None) or []
        prev = history[-1] if history else None
        touching = prev is not None and prev.type == "NAME" and prev.end_pos == start
        if tok.type in ("LPAR", "FUNC") and prev is not None and touching:
            return diagnostic("IND107", span=Span.of(text, prev.start_pos or 0, prev.end_pos or 0), text=text)
        if tok.type == "NOTE":  # white space then more text inside a function call
            start += len(str(tok)) - len(str(tok).lstrip())
            end = start + 1
        return diagnostic("IND102", span=Span.of(text, start, end), text=text, expected=expected,
                          hint=_hint_for(work, tok, _balance(work, start)))
    if isinstance(exc, UnexpectedToken | UnexpectedEOF):
        unclosed = _first_unclosed(work)
        if unclosed is not None:
            return diagnostic("IND104", span=Span.of(text, unclosed, unclosed + 1), text=text,
                              detail=f"第 {Span.of(text, unclosed).column} 列的左括号没有对应的右括号")
        expected = expected_words(getattr(exc, "expected", set()))
        end = len(work.rstrip())
        return diagnostic("IND103", span=Span.of(text, end, end), text=text, expected=expected)
    assert isinstance(exc, UnexpectedCharacters)
    pos = exc.pos_in_stream or 0
    allowed = _feasible(set(exc.allowed or ()), _balance(work, pos))
    return diagnostic("IND101", span=Span.of(text, pos, pos + 1), text=text,
                      hint=_stray_hint(work, pos, expected_words(allowed)))


def _stray_hint(work: str, pos: int, expected: str) -> str:
    """What should stand at ``pos``, or, for a character one cannot see, which one it is."""
    if unicodedata.category(work[pos]) in ("Cf", "Cc", "Co", "Cn"):
        return f"这是一个看不见的字符（U+{ord(work[pos]):04X}），多为复制粘贴带入，请删除"
    return f"此处应为{expected}"


def _feasible(expected: set[str] | frozenset[str], level: int) -> set[str]:
    """Drop what LALR state merging adds but cannot help here: ``)``, ``,`` and comparisons at the top,
    the end of the formula inside parentheses."""
    if level > 0:
        return set(expected) - set(_END)
    return set(expected) - {"RPAR", "COMMA", "COMPARE"}


def _hint_for(work: str, tok: Token, level: int) -> str | None:
    pos = tok.start_pos or 0
    ch = work[pos : pos + 1]
    before = work[:pos].rstrip()[-1:]
    if ch in "*×·/÷＊／" and before and before in "*×·/÷＊／+-＋－":
        return "两个运算符之间缺少数值或名称"
    if tok.type == "COMPARE" and level <= 0 and str(tok) not in ("=", "＝"):
        return "比较符号只能用在 IF 的条件中；“≥95%”这类目标值应写在“年度指标值”栏，计算公式只写计算方法"
    if tok.type == "NAME" and str(tok).startswith(_TARGET_WORDS):
        return f"“{tok}”是年度指标值的写法；计算公式只写计算方法，目标值写在“年度指标值”栏"
    if tok.type == "LPAR" and level <= 0:
        return "若括号内是说明文字，请在括号前加空格或逗号；若是相乘，请写出乘号“*”"
    return None


def _balance(work: str, upto: int) -> int:
    level = 0
    for ch in work[:upto]:
        if ch in _OPEN:
            level += 1
        elif ch in _CLOSE:
            level -= 1
    return level


def _first_unclosed(work: str) -> int | None:
    stack: list[int] = []
    for i, ch in enumerate(work):
        if ch in _OPEN:
            stack.append(i)
        elif ch in _CLOSE and stack:
            stack.pop()
    return stack[0] if stack else None
