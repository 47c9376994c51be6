"""Lark's parse errors as diagnostics in plain Chinese (IND101–IND104, IND107, IND118).

``work`` is the prepared text the parser saw (:mod:`indicators.formula.prepare`); ``text`` the cell as
written. Both have the same length, so positions found in one point into the other.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any

from indicators.codes import diagnostic
from indicators.diagnostics import Diagnostic, Span
from indicators.formula.prepare import balance

if TYPE_CHECKING:
    from lark import Token

_OPERAND = ("NAME", "NUMBER", "SCALED", "FUNC", "LPAR")
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


def syntax_diagnostic(exc: Any, text: str, work: str) -> Diagnostic:
    """The diagnostic for a Lark ``UnexpectedInput`` raised on ``work``."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

    if isinstance(exc, UnexpectedToken) and exc.token.type != "$END":
        return _unexpected_token(exc, text, work)
    if isinstance(exc, UnexpectedToken | UnexpectedEOF):
        unclosed = first_unclosed(work)
        if unclosed is not None:
            return diagnostic("IND104", span=Span.of(text, unclosed, unclosed + 1), text=text,
                              detail=f"第 {Span.of(text, unclosed).column} 列的左括号没有对应的右括号")
        expected = expected_words(getattr(exc, "expected", set()))
        end = len(work.rstrip())
        return diagnostic("IND103", span=Span.of(text, end, end), text=text, expected=expected)
    assert isinstance(exc, UnexpectedCharacters)
    pos = exc.pos_in_stream or 0
    allowed = _feasible(set(exc.allowed or ()), balance(work, pos))
    return diagnostic("IND101", span=Span.of(text, pos, pos + 1), text=text,
                      hint=_stray_hint(work, pos, expected_words(allowed)))


def _unexpected_token(exc: Any, text: str, work: str) -> Diagnostic:
    tok = exc.token
    start, end = tok.start_pos or 0, tok.end_pos or 0
    expected = expected_words(_feasible(exc.expected, balance(work, start)))
    if tok.type == "NOTE_REST":  # nothing but the catch-all matched: a stray character
        return diagnostic("IND101", span=Span.of(text, start, start + 1), text=text,
                          hint=_stray_hint(work, start, expected))
    if tok.type == "RPAR" and balance(work, start) <= 0:
        return diagnostic("IND104", span=Span.of(text, start, end), text=text,
                          detail=f"第 {Span.of(text, start).column} 列的右括号没有对应的左括号")
    prev = previous_token(exc)
    touching = prev is not None and prev.type == "NAME" and prev.end_pos == start
    if tok.type in ("LPAR", "FUNC") and prev is not None and touching:
        return diagnostic("IND107", span=Span.of(text, prev.start_pos or 0, prev.end_pos or 0), text=text)
    if tok.type == "NOTE":  # white space then more text inside a function call
        start += len(str(tok)) - len(str(tok).lstrip())
        end = start + 1
    return diagnostic("IND102", span=Span.of(text, start, end), text=text, expected=expected,
                      hint=_hint_for(work, tok, balance(work, start)))


def previous_token(exc: Any) -> Token | None:
    """The token before the one Lark stopped at, if Lark kept it."""
    history = getattr(exc, "token_history", None) or []
    last: Token | None = history[-1] if history else None
    return last


def _stray_hint(work: str, pos: int, expected: str) -> str:
    """What should stand at ``pos``, or, for a character one cannot see, which one it is."""
    if unicodedata.category(work[pos]) in ("Cf", "Cc", "Co", "Cn"):
        return f"这是一个看不见的字符（U+{ord(work[pos]):04X}），多为复制粘贴带入，请删除"
    return f"此处应为{expected}"


def _feasible(expected: set[str] | frozenset[str], level: int) -> set[str]:
    """Drop what LALR state merging adds but cannot help here: ``)``, ``,`` and comparisons at the top,
    the end of the formula inside parentheses; and ``=``, which is only ever a second chance."""
    if level > 0:
        return set(expected) - set(_END) - {"COLON"}
    return set(expected) - {"RPAR", "COMMA", "COMPARE", "EQUAL", "COLON"}


def _hint_for(work: str, tok: Token, level: int) -> str | None:
    pos = tok.start_pos or 0
    ch = work[pos : pos + 1]
    before = work[:pos].rstrip()[-1:]
    if ch in "*×·/÷＊／" and before and before in "*×·/÷＊／+-＋－":
        return "两个运算符之间缺少数值或名称"
    if tok.type == "COMPARE" and level <= 0:
        return ("比较符号只能用在 IF 的条件中，或在公式中用一次（如“实际完成值≥计划值”）；"
                "“≥95%”这类目标值应写在“年度指标值”栏，计算公式只写计算方法")
    if tok.type == "NAME" and str(tok).startswith(_TARGET_WORDS):
        return f"“{tok}”是年度指标值的写法；计算公式只写计算方法，目标值写在“年度指标值”栏"
    if tok.type == "PERCENT" and before and not before.isdigit():
        return f"百分号只能写在数字后；表示百分比请写成“{work[:pos].strip()}×100%”"
    if tok.type == "LPAR" and level <= 0:
        return "若括号内是说明文字，请在括号前加空格或逗号；若是相乘，请写出乘号“*”"
    return None


def first_unclosed(work: str) -> int | None:
    """The offset of the first parenthesis that is never closed, if any."""
    stack: list[int] = []
    for i, ch in enumerate(work):
        if ch in "(（":
            stack.append(i)
        elif ch in ")）" and stack:
            stack.pop()
    return stack[0] if stack else None


def check_not_in_number(comma: int, text: str) -> Diagnostic | None:
    """A comma between two digits at the top level is a malformed number, not the start of a note (IND118).

    ``a*1,0000`` or ``１，０００`` would otherwise read as ``a*1`` or ``1`` with a note.
    """
    if not (0 < comma < len(text) - 1 and text[comma - 1].isdigit() and text[comma + 1].isdigit()):
        return None
    start, end = comma, comma + 1
    while start > 0 and (text[start - 1].isdigit() or text[start - 1] in ",，.．"):
        start -= 1
    while end < len(text) and (text[end].isdigit() or text[end] in ",，.．"):
        end += 1
    detail = "千位分隔符“,”后应恰好是三位数字" if text[comma] == "," else "全角逗号“，”不能用作千位分隔符"
    return diagnostic("IND118", span=Span.of(text, start, end), text=text, detail=detail)
