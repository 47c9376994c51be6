"""A name printed before its formula in brackets: ``资金到位率(C/D)``, ``资金到位率 （C/D）×100%``.

Budget offices write the indicator's name and put its formula in brackets after it. The parser reads
such a name as the left side of the formula (IND135) when the reading keeps the arithmetic:

- the name starts the cell (or follows its left side, ``指标值=``) and ends like an indicator's name
  (率, 数, 成本, 值, 额 …), so ``村(a+b)`` and ``FOO(a+b)`` stay calls of unknown functions;
- the bracket holds an operator and closes;
- after it comes the end of the definition (a note, punctuation, the end of the cell), or an operator
  when the bracket holds no sum or difference of its own: ``(C/D)×100%`` is ``C/D×100%``, while
  ``完成数(a+b)×2`` stays an error, since ``a+b×2`` is not what was printed.

The repair overwrites the opening bracket with ``=`` and the closing one with a space, so every offset
still points into the cell.
"""

from __future__ import annotations

import re
from typing import Any

from indicators.codes import diagnostic
from indicators.diagnostics import Diagnostic, Span
from indicators.formula.classify import AMOUNT_SUFFIXES, QUANTITY_SUFFIXES, RATE_SUFFIXES
from indicators.formula.names import NAME_CHARS, QUALIFIER_WORDS, is_note_qualifier
from indicators.formula.prepare import ENDS_DEFINITION
from indicators.formula.syntax_errors import previous_token

_OPEN, _CLOSE = "(（", ")）"
_SUM_SIGNS = "+-＋－−"
#: endings that make a name an indicator's, so a bracket after it can hold its formula
LABEL_ENDINGS = (*RATE_SUFFIXES, *QUANTITY_SUFFIXES, *AMOUNT_SUFFIXES, "值", "额")
OPERATORS = frozenset("+-*/×÷·＊／＋－−")
#: a name separated from its bracket by spaces (the grammar reads `` (C/D)`` as a note), after an
#: optional left side
_SPACED = re.compile(
    rf"\s*(?:[{NAME_CHARS}]+\s*[=＝:：]\s*)?(?P<name>[{NAME_CHARS}]+)[ \t\u3000]+[(（]"
)


def label_after_error(exc: Any, work: str, text: str) -> tuple[str, Diagnostic] | None:
    """The repair for a parse that failed at a bracket touching a name (``资金到位率(C/D)``), or None."""
    tok, prev = exc.token, previous_token(exc)
    if tok.type != "LPAR" or prev is None or prev.type != "NAME" or prev.end_pos != tok.start_pos:
        return None
    return _repair(work, text, prev.start_pos or 0, tok.start_pos or 0, tok.start_pos or 0)


def spaced_label(work: str, text: str) -> tuple[str, Diagnostic] | None:
    """The repair for a name and its bracketed formula separated by spaces, or None."""
    match = _SPACED.match(work)
    if match is None:
        return None
    close = closing(work, match.end() - 1)
    inner = work[match.end() : close] if close is not None else ""
    if is_note_qualifier(inner) or inner.strip().startswith(QUALIFIER_WORDS):
        return None  # 在校生人数 (含借读生/休学生): a note on the name
    return _repair(work, text, match.start("name"), match.end("name"), match.end() - 1)


def _repair(
    work: str, text: str, name_start: int, name_end: int, opening: int
) -> tuple[str, Diagnostic] | None:
    before = work[:name_start].strip()
    name = text[name_start:name_end]
    if (before and before[-1] not in "=＝:：") or not name.endswith(LABEL_ENDINGS):
        return None
    close = closing(work, opening)
    if close is None:
        return None
    inner = work[opening + 1 : close]
    if not OPERATORS.intersection(inner) or not _ends_or_continues(work, close + 1, inner):
        return None
    repaired = work[:opening] + "=" + inner + " " + work[close + 1 :]
    written = text[opening + 1 : close].strip()
    finding = diagnostic("IND135", span=Span.of(text, opening + 1, close), text=text, name=name,
                         hint=f"写作“{name}={written}”更清楚")
    return repaired, finding


def _ends_or_continues(work: str, after: int, inner: str) -> bool:
    """The definition ends after the bracket, or an operator follows one that holds no sum."""
    if ENDS_DEFINITION.match(work, after):
        return True
    rest = work[after:].lstrip(" \t\u3000")
    return rest[:1] in OPERATORS and not _top_level_sum(inner)


def _top_level_sum(inner: str) -> bool:
    """Whether ``inner`` adds or subtracts outside its own brackets (a leading sign does not count)."""
    level = 0
    for at, ch in enumerate(inner):
        level += (ch in _OPEN) - (ch in _CLOSE)
        if level == 0 and ch in _SUM_SIGNS and inner[:at].strip():
            return True
    return False


def closing(work: str, opening: int) -> int | None:
    """The offset of the bracket that closes the one at ``opening``, or None."""
    level = 0
    for i in range(opening, len(work)):
        level += (work[i] in _OPEN) - (work[i] in _CLOSE)
        if level == 0:
            return i
    return None
