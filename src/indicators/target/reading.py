"""Steps shared by the readers of targets and of actual values, between normalisation and building.

* :func:`caller_unit`: the unit of a form's 计量单位 column, read leniently;
* :func:`repair_ocr` and :func:`repair_residue`: text-extraction damage and spreadsheet float residue,
  repaired in the normalised text with a warning each;
* :func:`run_lenient`: the grammar, retried with :data:`~indicators.target.grammar.UNKNOWN_UNIT` in
  place of a unit word the unit table lacks (``300万盏``), which is reported (IND303) instead of making
  the whole text unreadable;
* :func:`error_pos`: where the grammar stopped.
"""

from __future__ import annotations

import re
from typing import Any

from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from indicators import units
from indicators.codes import diagnostic
from indicators.diagnostics import Diagnostic, Severity
from indicators.target.grammar import UNKNOWN_UNIT, run, unit_text
from indicators.target.normalize import Normalized, normalize
from indicators.target.residue import NUMBER_TEXT, float_residue
from indicators.units import format_decimal

#: what forms write in the 计量单位 column of a row that has no unit
NO_UNIT_WORDS = frozenset({"/", "-", "无", "—", "定性", "是/否", "是否", "等级", "不适用"})

#: an unknown unit word is at most this long (盏, 台班, kwh); longer runs are words, not units
_MAX_UNKNOWN_UNIT = 4
#: characters that belong to the target language, never to an unknown unit word
_LANGUAGE_CHARS = frozenset("年月日号前底末以内之及含至到每较比或上下")
#: words of the target language that are never part of an unknown unit (2024.09验收, 100%完成)
_LANGUAGE_WORDS = ("完成", "完工", "竣工", "办结", "到位", "覆盖", "验收", "交付", "达到", "实现", "左右")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")


def caller_unit(unit: str | None, norm: Normalized) -> str | None:
    """The unit of the 计量单位 column; an unknown one is ignored with an IND301 warning."""
    if unit is None:
        return None
    text = column_unit(unit)
    if not text:
        return None
    if not units.is_unit(text):
        norm.warnings.append(
            diagnostic("IND301", text=unit, severity=Severity.WARNING,
                       hint="计量单位栏的单位无法识别，已忽略；单位表见 docs/units.md")
        )
        return None
    return text


def column_unit(unit: str) -> str | None:
    """The 计量单位 column as a unit text (``百分比`` → ``%``), or None for a blank or a no-unit word."""
    text = unit_text(normalize(unit).text)
    if not text or text in NO_UNIT_WORDS:
        return None
    return text


def repair_ocr(norm: Normalized) -> None:
    """``W92%`` (≤ read as W) → ``≤92%``; a warning records the repair."""
    if len(norm.text) > 1 and norm.text[0] in "Ww" and norm.text[1].isdigit():
        fixed = "≤" + norm.text[1:]
        norm.warnings.append(diagnostic("IND206", span=norm.span(0, 1), text=norm.original, fixed=fixed))
        norm.text = fixed


def repair_residue(norm: Normalized) -> None:
    """Binary float artefacts (``0.0500000007450581``) → the number they stand for, with IND225."""
    for found in reversed(list(NUMBER_TEXT.finditer(norm.text))):
        value = float_residue(found.group(0))
        if value is None:
            continue
        shown = format_decimal(value)
        start, end = found.span()
        norm.warnings.append(
            diagnostic("IND225", span=norm.span(start, end), text=norm.original, value=shown)
        )
        norm.replace(start, end, shown)


def error_pos(t: str, exc: Exception, *, end: int | None = None) -> int:
    """Where the parser stopped; ``end`` (default: the last character) when it ran out of text."""
    if isinstance(exc, UnexpectedCharacters):
        pos: int | None = exc.pos_in_stream
        return pos or 0
    if isinstance(exc, UnexpectedToken) and exc.token.type != "$END":
        start: int | None = exc.token.start_pos
        return start or 0
    return max(0, len(t) - 1) if end is None else end


def run_lenient(t: str, start: str) -> tuple[Any, str | None]:
    """:func:`~indicators.target.grammar.run`, and the unknown unit word it had to stand in for.

    When the grammar stops inside a word that follows a number, a scale word (万) or a ``/``
    (``300万樽``, ``≥5台班``, ``3000元/吨公里``), the word is replaced by the stand-in unit and the text
    read again; the shortest such word that makes the text readable wins. A known count word followed by
    a noun that is no unit (``2期培训``, ``20眼井``, ``10辆车``) is that count word: the noun only says what
    is counted. A known unit written twice (``元元``), a word holding a character or word of the target
    language (年, 月, 以, 内, 完成 …), a grade letter (``6A``) or a word longer than four characters is
    never taken for a unit. Raises what ``run`` raises otherwise."""
    try:
        return run(t, start), None
    except UnexpectedInput as exc:
        found = _unknown_unit_run(t, start, error_pos(t, exc, end=len(t)))
        if found is None:
            raise
        return found


def _unknown_unit_run(t: str, start: str, pos: int) -> tuple[Any, str | None] | None:
    if pos >= len(t) or not _is_letter(t[pos]):
        return None
    same = _HAN if _HAN.match(t[pos]) else _LATIN
    begin = pos
    while begin > 0 and same.match(t[begin - 1]):
        begin -= 1
    if not _after_number(t, begin):
        return None
    tail = pos
    while tail < len(t) and same.match(t[tail]):
        tail += 1
    noun = t[pos:tail]
    if _counts_a_noun(t[begin:pos], noun):
        # 2期培训, 20眼井, 10辆车: a known count word, then the noun it counts (dropped)
        try:
            return run(t[:pos] + t[tail:], start), None
        except UnexpectedInput:
            pass
    end = pos + 1
    while end < len(t) and same.match(t[end]) and end - begin < _MAX_UNKNOWN_UNIT:
        end += 1
    for stop in range(pos + 1, end + 1):
        word = t[begin:stop]
        if _LANGUAGE_CHARS & set(word) or any(w in word for w in _LANGUAGE_WORDS):
            continue
        if _all_known_units(word) or _grade_like(word):
            continue
        try:
            return run(t[:begin] + UNKNOWN_UNIT + t[stop:], start), word
        except UnexpectedInput:
            continue
    return None


def _counts_a_noun(counted: str, noun: str) -> bool:
    """``counted`` is a known unit (not a scale word alone) and ``noun`` a word that is no unit."""
    if not counted or counted in units.multipliers() or not units.is_unit(counted):
        return False
    if _starts_with_unit(noun) or _LANGUAGE_CHARS & set(noun):
        return False
    return not any(w in noun for w in _LANGUAGE_WORDS)


def _starts_with_unit(word: str) -> bool:
    return any(word.startswith(name) for name in units.unit_names() if name)


def _is_letter(ch: str) -> bool:
    return bool(_HAN.match(ch) or _LATIN.match(ch))


def _after_number(t: str, begin: int) -> bool:
    """A unit may start at ``begin``: after a digit, a scale word after a digit, or a ``/``."""
    if begin == 0:
        return False
    before = t[begin - 1]
    if before.isdigit() or before == "/":
        return True
    return before in units.multipliers() and begin > 1 and t[begin - 2].isdigit()


def _all_known_units(word: str) -> bool:
    """True when ``word`` is one known unit written twice or more (``元元``): a typing slip, not a unit.

    Two different known units run together (``台班``, ``吨公里``) are a unit the table lacks."""
    return any(len(word) > len(name) and word == name * (len(word) // len(name))
               for name in units.unit_names() if name and word.startswith(name))


def _grade_like(word: str) -> bool:
    """Letters of grade words (``6A`` is a wrong letter grade, not six of a unit ``A``)."""
    from indicators.target.grades import grade_words

    letters = {ch for w in grade_words() for ch in w if ch.isascii()}
    return word in grade_words() or (word.isascii() and set(word) <= letters)


def restore_unit(value: Any, word: str | None) -> Any:
    """``value`` (a unit text, or the grammar's data holding unit texts) with the stand-in replaced by
    the unknown unit word."""
    if word is None:
        return value
    if isinstance(value, str):
        return value.replace(UNKNOWN_UNIT, word)
    if isinstance(value, dict):
        return {k: restore_unit(v, word) for k, v in value.items()}
    if isinstance(value, list):
        return [restore_unit(v, word) for v in value]
    return value


def unknown_unit_warning(norm: Normalized, word: str, unit: str) -> Diagnostic:
    """IND303: the unit word the table lacks, with its span in the original text."""
    at = norm.text.find(word)
    span = norm.span(at, at + len(word)) if at >= 0 else None
    return diagnostic("IND303", span=span, text=norm.original, unit=unit)
