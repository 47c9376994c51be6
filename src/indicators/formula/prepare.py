"""Rules applied to a formula cell before the grammar reads it.

Printed formulas carry brackets of every family, look-alike operators, quotes around names, labels
(``计算公式：``), footnote marks, a full stop, spaces inside names and bracketed units after names.
Each rule rewrites a working copy of the cell character for character, never changing its length or
its line breaks, so every offset the parser finds points into the original cell; names and notes are
taken from the original text. ``村【社区】`` is read as ``村(社区)`` and stays ``村【社区】``.

Every rule is one compiled pattern or one table, applied in one pass. Where the reading was a choice,
the rule records an info diagnostic, or the place it changed (a bracket read as a note, a space read
as part of a name) for the parser to report with the name it ends up in; the parser keeps only what
concerns the part of the cell it reads as the formula. The rules and their order are listed in
docs/formula-language.md ("Reading printed formulas").
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from indicators.codes import diagnostic
from indicators.diagnostics import Diagnostic, Span
from indicators.formula import functions
from indicators.formula.names import (
    BRACKETS,
    FOOTNOTE_BRACKETS,
    LABEL_WORDS,
    LINK_WORDS,
    LOOK_ALIKE_OPERATORS,
    NAME_CHARS,
    TIMES_LETTERS,
    VALUE_WORD,
    is_cjk,
    is_note_qualifier,
)

_OPEN, _CLOSE = "(", ")"
_OPERATORS = "+-*/×÷·・⋅∗＊／＋－−"
_SPACE = " \t\u3000\u00a0"
_H_SPACE = f"[{_SPACE}]"
_END_OF_OPERAND = rf"[{NAME_CHARS})%％‰]"
_START_OF_OPERAND = rf"[{NAME_CHARS}(]"
_CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"


@dataclass(slots=True)
class Prepared:
    """The working copy of a cell and what the rules noted on the way.

    ``source`` is the cell without the stray quotes around it (IND105): names and notes are read from
    it. ``findings`` are diagnostics with a span into the cell; ``qualifiers`` the spans of bracketed notes
    read as part of a name (IND134) and ``joins`` the spaces read as part of a name (IND141), which the
    parser reports with the name they end up in.
    """

    text: str
    source: str
    work: str
    warnings: list[Diagnostic] = field(default_factory=list)
    findings: list[Diagnostic] = field(default_factory=list)
    qualifiers: list[tuple[int, int]] = field(default_factory=list)
    joins: list[int] = field(default_factory=list)

    def put(self, start: int, replacement: str) -> None:
        """Overwrite the working copy from ``start`` (same length, so offsets stay valid)."""
        self.work = self.work[:start] + replacement + self.work[start + len(replacement) :]

    def note(self, code: str, start: int, end: int, **fields: Any) -> None:
        span = Span.of(self.text, start, end)
        self.findings.append(diagnostic(code, span=span, text=self.text, **fields))


def prepare(text: str) -> Prepared:
    """Apply every rule, in order, to ``text``; the result's ``work`` has the same length."""
    work, warnings = strip_wrapping_quotes(text)
    state = Prepared(text, work, work, warnings)
    if not work.strip():
        return state
    for rule in _RULES:
        rule(state)
    assert len(state.work) == len(text)
    return state


# --- 1. a double dash is punctuation: a/b×100%——说明 -------------------------------------------------

_DOUBLE_DASH = re.compile(r"[—―]{2,}")


def _double_dash(state: Prepared) -> None:
    for match in _DOUBLE_DASH.finditer(state.work):
        state.put(match.start(), "；" + " " * (match.end() - match.start() - 1))


# --- 2. bracket families and look-alike operators, by table ------------------------------------------

_TABLE = {
    **{opening: _OPEN for opening in BRACKETS},
    **{closing: _CLOSE for closing in BRACKETS.values()},
    **{ch: op for ch, (op, _) in LOOK_ALIKE_OPERATORS.items()},
}
_TO_REWRITE = re.compile("[" + re.escape("".join(ch for ch in _TABLE if ch not in "()")) + "]")


_ANY_LOOK_ALIKE = re.compile(f"[{re.escape(''.join(LOOK_ALIKE_OPERATORS))}]")


def _look_alikes(state: Prepared) -> None:
    work = state.work
    if _ANY_LOOK_ALIKE.search(work):
        for ch in sorted(set(work) & LOOK_ALIKE_OPERATORS.keys(), key=work.index):
            at = work.index(ch)  # the first one of each: one note per character, not per occurrence
            state.note("IND132", at, at + 1, meaning=LOOK_ALIKE_OPERATORS[ch][1])
    state.work = _TO_REWRITE.sub(lambda m: _TABLE[m[0]], work)  # faster than str.translate here


# --- 3. labels: 计算公式：a/b, 计算公式为a/b, 资金到位率计算公式为a/b, 指标值为a/b ---------------------

_LABEL = re.compile(
    rf"^\s*(?P<name>[^\s=＝:：+\-*/×÷()]*?)(?P<label>{'|'.join(LABEL_WORDS)}|{VALUE_WORD})"
    rf"(?:(?P<link>{'|'.join(LINK_WORDS)})(?!否){_H_SPACE}*(?P<colon>[=＝:：])?|{_H_SPACE}*[=＝:：])"
)


def _label(state: Prepared) -> None:
    match = _LABEL.match(state.work)
    if match is None:
        return
    if match["label"] == VALUE_WORD or match["name"]:  # the label names the indicator: a left side stays
        if match["label"] != VALUE_WORD:
            state.put(match.start("label"), " " * len(match["label"]))
        if match["link"] is not None:
            state.put(match.start("link"), " " if match["colon"] is not None else "=")
        return
    state.put(match.start("label"), " " * (match.end() - match.start("label")))


# --- 4. a footnote mark at the end: …×100%[2], …×100%①, …×100%¹ ------------------------------------

_FOOTNOTE = re.compile(
    r"(?:\(\s*(?:[0-9０-９]{1,2}|注\s*[0-9０-９]{0,2}|[*＊※])\s*\)|[¹²³⁴⁵⁶⁷⁸⁹⁰]+|[\u2460-\u2473])+"
    r"(?=[\s。.．;；]*$)"
)


_FOOTNOTE_END = frozenset(")¹²³⁴⁵⁶⁷⁸⁹⁰" + "".join(map(chr, range(0x2460, 0x2474))))


def _footnote(state: Prepared) -> None:
    if state.work.rstrip(" \t\n\u3000。.．;；")[-1:] not in _FOOTNOTE_END:
        return
    match = _FOOTNOTE.search(state.work)
    if match is None or match.start() == 0:
        return
    if state.work[match.start()] == _OPEN and state.text[match.start()] not in FOOTNOTE_BRACKETS:
        return  # (1) after a name is a qualifier, after a per-cent sign a note
    state.note("IND139", match.start(), match.end())
    state.put(match.start(), "；" + " " * (match.end() - match.start() - 1))


# --- 5. a full stop that ends a sentence: a/b*100%. -------------------------------------------------

_FULL_STOP = re.compile(r"[.．｡](?=$|\s|[^\x00-\x7f0-9０-９])")


def _full_stop(state: Prepared) -> None:
    for match in _FULL_STOP.finditer(state.work):
        state.put(match.start(), "。")


# --- 5b. the target after the formula: 完成数/计划数×100%≥95%, a/b≥90% -------------------------------------

_TRAILING_TARGET = re.compile(
    rf"(?<=[{NAME_CHARS})%％‰])({_H_SPACE}*)([<>＜＞][=＝]|[≥≤≧≦>＞<＜])"
    rf"{_H_SPACE}*-?[0-9０-９][0-9０-９.,．]*{_H_SPACE}*[^\s=＝<>＜＞≥≤≧≦+*/×÷，,；;。]{{0,8}}"
    r"(?=$|[\s，,；;。])"  # the end, or a note after it
)


def _trailing_target(state: Prepared) -> None:
    match = _TRAILING_TARGET.search(state.work)
    if match is None or balance(state.work, match.start()) != 0:
        return
    sign = match.start(2)
    state.put(sign, "；" + " " * (match.end(2) - sign - 1))
    state.note("IND142", sign, match.end(), target=state.text[sign : match.end()].strip())


# --- 6. per cent written as words, per ten thousand as a sign: a/b×100百分比, a/b×百分之百, a/b×10000‱ ---

_PERCENT_WORD = re.compile(rf"(?<=[0-9０-９])百分比(?![{NAME_CHARS}])|百分之一?百(?![{NAME_CHARS}])")
#: ``‱`` after the factor 10000 only repeats it: the formula is a rate per ten thousand (万分率)
_PER_TEN_THOUSAND = re.compile(r"(?<![0-9０-９.．,])(?:10000|１００００|10,000|1万)[ \t]*‱")


def _percent_word(state: Prepared) -> None:
    if "百分" in state.work:
        for match in _PERCENT_WORD.finditer(state.work):
            replacement = "%" if match[0] == "百分比" else "100%"
            state.put(match.start(), replacement.ljust(match.end() - match.start()))
    if "‱" in state.work:
        for match in _PER_TEN_THOUSAND.finditer(state.work):
            state.put(match.end() - 1, " ")


# --- 7. quotes around a whole name: "办结工单"/"呈办工单"×100% -----------------------------------------

_QUOTED = re.compile(r"([\"“'‘「『])([^\"“”'‘’「」『』\n]+?)([\"”'’」』])")
_QUOTE_PAIRS = {'"': '"', "“": "”", "'": "'", "‘": "’", "「": "」", "『": "』"}
_NAME_INSIDE = re.compile(rf"[{NAME_CHARS}()%％‰]*[^\W\d][{NAME_CHARS}()%％‰]*")
_BEFORE_NAME = frozenset(_OPERATORS + "(,，")
_AFTER_NAME = frozenset(_OPERATORS + ")=＝:：,，;；。" + _SPACE + "\n")


def _quoted_names(state: Prepared) -> None:
    work = state.work
    for match in _QUOTED.finditer(work):
        opening, inner, closing = match.groups()
        if _QUOTE_PAIRS[opening] != closing or not _NAME_INSIDE.fullmatch(inner):
            continue
        before = work[: match.start()].rstrip()
        end = match.end()
        if end < len(work) and work[end] not in _AFTER_NAME:
            continue  # “十四五”规划项目数: the quotes belong to the name
        top = before.count(_OPEN) <= before.count(_CLOSE)
        if before and before[-1] not in _BEFORE_NAME and not (top and before[-1] in "=＝:："):
            continue  # 新增“四上”企业数量; IF(a=“b”, …) compares with the name “b”
        state.note("IND140", match.start(), end, name=inner)
        state.put(match.start(), " ")
        state.put(end - 1, " ")


# --- 8. x, X and 一 between operands: 数量 X 2, 单价x2, 2x数量, 完成数 一 计划数 ---------------------------

_LETTERS = re.escape(TIMES_LETTERS)
_SPACED_SIGN = re.compile(
    rf"(?<={_END_OF_OPERAND}){_H_SPACE}+([{_LETTERS}一]){_H_SPACE}+(?={_START_OF_OPERAND})"
)
_NAME_TIMES_NUMBER = re.compile(
    rf"(?<=[{_CJK_CLASS})”’」』]){_H_SPACE}*([{_LETTERS}])(?={_H_SPACE}*[0-9０-９])"
)
_NUMBER_TIMES_NAME = re.compile(
    rf"(?<![\w.．])[0-9０-９]+(?:[.．][0-9０-９]+)?[%％]?{_H_SPACE}*([{_LETTERS}])(?={_H_SPACE}*[{_CJK_CLASS}(“‘「『])"
)


_ANY_SIGN_LETTER = re.compile(f"[{_LETTERS}一]")


def _times_letters(state: Prepared) -> None:
    work = state.work
    if not _ANY_SIGN_LETTER.search(work):
        return
    for match in _SPACED_SIGN.finditer(work):
        at = match.start(1)
        minus = work[at] == "一"
        state.note("IND132", at, at + 1, meaning="减号" if minus else "乘号")
        state.put(at, "-" if minus else "×")
    for pattern in (_NAME_TIMES_NUMBER, _NUMBER_TIMES_NAME):
        for match in pattern.finditer(work):
            at = match.start(1)
            if state.work[at] not in TIMES_LETTERS:
                continue  # already read by the rule for spaced letters
            state.note("IND132", at, at + 1, meaning="乘号")
            state.put(at, "×")


# --- 9. a bracketed unit or note after a name: 地区生产总值(万元,可比价), 收入（元/人） ----------------

_AFTER_NAME_BRACKET = re.compile(rf"(?<=[{NAME_CHARS}])\(([^()\n]*[,，;；/／·{_SPACE}][^()\n]*)\)")
_INNER_SEPARATORS = re.compile(rf"[,，;；/／·{_SPACE}]")
_FUNCTION_WORDS = "|".join(sorted(map(re.escape, functions.all_words()), key=len, reverse=True))
_FUNCTION_BEFORE = re.compile(rf"(?<![{NAME_CHARS}])(?i:{_FUNCTION_WORDS}){_H_SPACE}*$")


def _unit_brackets(state: Prepared) -> None:
    work = state.work
    for match in _AFTER_NAME_BRACKET.finditer(work):
        if _FUNCTION_BEFORE.search(work, 0, match.start()) or not is_note_qualifier(match.group(1)):
            continue
        inner = _INNER_SEPARATORS.sub("_", match.group(1))
        state.put(match.start(1), inner)
        state.qualifiers.append((match.start(1), match.end(1)))


# --- 10. spaces inside a name: 办公经费 支出数/预算数×100% ---------------------------------------------

_NAME_WORD = re.compile(rf"(?:[{NAME_CHARS}]|\([{NAME_CHARS}%％‰]+\))++")
_NEXT_IS_OPERATOR = re.compile(rf"{_H_SPACE}*([{re.escape(_OPERATORS)}=＝:：<>＜＞≤≥≦≧≠!！),，])")


_SPACE_IN_NAME = re.compile(rf"[{_CJK_CLASS})”’」』》〉]{_H_SPACE}+[{_CJK_CLASS}(“‘「『《〈]")


def _spaces_in_names(state: Prepared) -> None:
    """Words separated only by spaces and followed by an operator form one name (one pass, linear)."""
    work = state.work
    if not _SPACE_IN_NAME.search(work):
        return
    run: list[re.Match[str]] = []
    for word in [*_NAME_WORD.finditer(work), None]:
        if word is not None and run and _only_spaces(work[run[-1].end() : word.start()]):
            run.append(word)
            continue
        if len(run) > 1 and _continues(work, run[-1].end()):
            for left, right in itertools.pairwise(run):
                if _joins_left(work[left.end() - 1]) and _joins_right(work[right.start()]):
                    state.put(left.end(), "_" * (right.start() - left.end()))
                    state.joins.append(left.end())
        run = [word] if word is not None else []


def _continues(work: str, end: int) -> bool:
    """An operator follows (or a comma between the arguments of a function)."""
    found = _NEXT_IS_OPERATOR.match(work, end)
    if found is None:
        return False
    return found[1] not in ",，" or work.count(_OPEN, 0, end) > work.count(_CLOSE, 0, end)


def _only_spaces(gap: str) -> bool:
    return bool(gap) and not gap.strip(_SPACE)


def _joins_left(ch: str) -> bool:
    return is_cjk(ch) or ch in ")”’」』》〉"


def _joins_right(ch: str) -> bool:
    return is_cjk(ch) or ch in "(“‘「『《〈"


# --- 11. the Greek capital sigma as the summation sign: Σ每期培训人数, Σ(a+b) ---------------------------

_GREEK_SIGMA = re.compile(rf"(?<![\w{_CJK_CLASS}])Σ(?=[{_CJK_CLASS}(（])")


def _greek_sigma(state: Prepared) -> None:
    for match in _GREEK_SIGMA.finditer(state.work):
        state.put(match.start(), "∑")


_RULES = (
    _double_dash,
    _greek_sigma,
    _look_alikes,
    _label,
    _footnote,
    _full_stop,
    _trailing_target,
    _percent_word,
    _quoted_names,
    _times_letters,
    _unit_brackets,
    _spaces_in_names,
)


# --- quotes around the whole cell or the whole definition (IND105) -----------------------------------

_OPENING_QUOTES = {"“": "”", "‘": "’", "「": "」", "『": "』"}
_SYMMETRIC_QUOTES = "\"'"
#: a left side such as ``指标值=`` or ``完成率(%)：`` (no operator before the assignment)
_LEFT_SIDE = re.compile(r"\s*[^\s=＝:：+\-*/×÷＋－＊／“”‘’\"'「」『』]+\s*[=＝:：]\s*")
#: what may follow the closing quote of a quoted definition, or a note in parentheses: the end, or a note
ENDS_DEFINITION = re.compile(r"\s|[,，;；。]|$")


def strip_wrapping_quotes(text: str) -> tuple[str, list[Diagnostic]]:
    """Replace stray quotes around the formula by spaces (offsets stay valid), with IND105.

    ``“指标值=保持/提升 …”`` loses both quotes; a lone opening quote at the start or closing quote at
    the end without a partner is dropped too. So are quotes around the definition after a left side:
    ``指标值=“保持/提升”``, ``指标值=“a/b*100%” 说明``. Quotes that belong to a name (``“12345”热线``,
    ``指标值=“十四五”规划项目数``) stay.
    """
    stripped = text.strip()
    if not stripped or not _ANY_QUOTE.search(text):
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
    if lhs is not None and quoted and balance(lhs[0], len(lhs[0])) == 0:
        opening = lhs.end()
        partner = partners.get(opening)
        if partner is None or ENDS_DEFINITION.match(view, partner + 1):
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


_ANY_QUOTE = re.compile("[" + re.escape("".join(_OPENING_QUOTES) + "".join(_OPENING_QUOTES.values())
                                          + _SYMMETRIC_QUOTES) + "]")


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


def balance(work: str, upto: int) -> int:
    """Open parentheses minus closed ones in ``work[:upto]`` (every bracket family counts)."""
    level = 0
    for ch in work[:upto]:
        if ch in BRACKETS:
            level += 1
        elif ch in _CLOSING:
            level -= 1
    return level


_CLOSING = frozenset(BRACKETS.values())
