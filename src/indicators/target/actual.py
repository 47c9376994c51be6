"""Parsing of actual values (实际完成值): :func:`parse_actual`.

An actual value is a measurement (``96.5%``, ``1,203人次``, ``2025年10月15日``, ``优秀``), a completion
word (``已完成``, ``部分达成``, ``进行中``: ``catalog/completion.yaml``), a yes/no word (``按时``,
``逾期``), a state in words, or a target written where the result should be (``≥85%``,
``2024年6月底前完成``): such an actual is kept as :attr:`Actual.requirement` for the judge to compare
with the target (a restatement of the target is judged met and noted, IND218; see ``evaluate.py``).
"""

from __future__ import annotations

import re
from decimal import Decimal, localcontext

from lark.exceptions import UnexpectedInput

from indicators import units
from indicators.codes import diagnostic
from indicators.diagnostics import Diagnostic
from indicators.errors import TargetSyntaxError, ValueSyntaxError
from indicators.limits import DEFAULT_LIMITS, Limits, engine_context, in_engine_context
from indicators.target.grammar import Amount, Invalid, run
from indicators.target.model import Actual, ActualKind, Period, Target, TargetKind
from indicators.target.normalize import Normalized, normalize
from indicators.target.parser import note_start, parse_target
from indicators.target.reading import (
    column_unit,
    error_pos,
    repair_residue,
    restore_unit,
    run_lenient,
    unknown_unit_warning,
)
from indicators.target.vocabulary import completion_tier, yes_no
from indicators.target.words import is_words_only, says_nothing

#: words after a date that say the work was done then: 2024年6月完成 is a completion date
_DONE_WORDS = ("完成", "完工", "竣工", "办结", "到位", "验收", "交付")
#: words before such a date: 已于2024年9月完成, 于10月底前完成
_BEFORE_DATE = ("已经于", "已于", "于", "已在", "在", "已")

#: targets in words only that an actual in the same words states (is_words_only: 明显改善, 及时报送)
_WORD_KINDS = frozenset({TargetKind.STATE, TargetKind.VAGUE, TargetKind.BOOLEAN})

#: words that make a number an estimate (约96%, 近百人, 不到90%): not a value to judge
_APPROXIMATE = ("约", "近", "左右", "不到", "不足", "逾", "余", "多", "超", "几", "估", "预计", "计划")

_HINT = "实际值应为数值加单位（如“96.5%”“1,203人次”）、等级（如“优秀”）或“达成/部分达成/未达成”"


@in_engine_context
def parse_actual(text: str, *, unit: str | None = None, limits: Limits = DEFAULT_LIMITS) -> Actual:
    """Parse an actual value (实际完成值): ``96.5%``, ``0.965``, ``优秀``, ``是``, ``按时``, ``1,203人次``,
    ``已完成``/``部分达成``/``未达成``, ``2025年10月15日``, ``≥85%``. Raises ValueSyntaxError.

    ``unit`` is the unit of a number written without one (the 计量单位 column); it is also the unit of a
    target-like actual (``≥85`` in a ``%`` column).
    """
    if len(text) > limits.max_text_length:
        raise ValueSyntaxError(diagnostic("IND001", length=len(text), limit=limits.max_text_length))
    norm = normalize(text)
    if not norm.text:
        raise ValueSyntaxError(diagnostic("IND210", text=text, hint="填写实际完成值，如“96.5%”“达成”"))
    repair_residue(norm)
    t = norm.text
    warnings = tuple(norm.warnings)
    cut = note_start(t)
    for words in (t, t[:cut] if cut else None):  # 已完成（详见附件）: the words before a note
        if not words:
            continue
        tier = completion_tier(words)
        if tier is not None:
            return Actual(text=text, kind=ActualKind.TIER, tier=tier, state=words, warnings=warnings)
        answer = yes_no(words)
        if answer is not None:
            return Actual(text=text, kind=ActualKind.BOOLEAN, boolean=answer, state=words, warnings=warnings)
    if says_nothing(t):
        return Actual(text=text, kind=ActualKind.BOOLEAN, boolean=False, state="无", warnings=warnings)
    share = _fraction(text, norm)
    if share is not None:
        return share
    done = _completion_date(t)
    if done is not None:
        restates = _as_target(text, unit)
        return done.model_copy(update={"text": text, "requirement": restates, "warnings": warnings})
    try:
        data, unknown = run_lenient(t, "start_actual")
    except Invalid as exc:
        raise ValueSyntaxError(
            diagnostic("IND210", span=norm.span(0, len(t)), text=text, hint=exc.detail)
        ) from None
    except UnexpectedInput as exc:
        return _not_a_value(text, norm, unit, exc)
    if isinstance(data, Amount):
        return _amount(text, norm, data, unknown, unit)
    kind = data["kind"]
    if kind == "date":
        return Actual(text=text, kind=ActualKind.DATE, date=data["date"], warnings=warnings)
    if kind == "period":
        period = Period(start=data["start"], end=data["end"])
        return Actual(text=text, kind=ActualKind.PERIOD, period=period, warnings=warnings)
    return Actual(text=text, kind=ActualKind.GRADE, grade=data["word"], warnings=warnings)


#: a part of a whole written as a fraction: 28/30, 12/12个, 28 / 30 户
_FRACTION = re.compile(r"([0-9]+(?:\.[0-9]+)?)([^0-9/.]{0,3})/([0-9]+(?:\.[0-9]+)?)([^0-9/.]{0,3})")


def _fraction(text: str, norm: Normalized) -> Actual | None:
    """``28/30`` (28 of 30, the same count unit or none on both sides, the part at most the whole): the
    share in per cent, with IND230 saying so; anything else is not a fraction."""
    match = _FRACTION.fullmatch(norm.text)
    if match is None:
        return None
    part, unit1, whole, unit2 = match.groups()
    if (unit1 and unit2 and unit1 != unit2) or (unit1 and not unit2):
        return None
    if unit2 and not (units.is_unit(unit2) and units.dimension_of(unit2) == "[count]"):
        return None  # a count of things (户, 个, 人次), not 12/31日
    numerator, denominator = Decimal(part), Decimal(whole)
    if denominator == 0 or numerator > denominator:
        return None
    with localcontext(engine_context()):
        value = numerator / denominator * 100
    shown = units.format_short(value)
    note = diagnostic("IND230", span=norm.span(0, len(norm.text)), text=text, value=f"{shown}%")
    return Actual(text=text, kind=ActualKind.NUMERIC, value=value, unit="%", warnings=(*norm.warnings, note))


def _amount(text: str, norm: Normalized, data: Amount, unknown: str | None, unit: str | None) -> Actual:
    warnings: list[Diagnostic] = list(norm.warnings)
    value_unit = restore_unit(data.unit, unknown)
    if unknown is not None and value_unit is not None:
        warnings.append(unknown_unit_warning(norm, unknown, units.split_multiplier(unknown)[1]))
    if value_unit is None and unit:
        # the unit column applies when it names a unit; parse_target reports one that does not
        column = column_unit(unit)
        value_unit = column if column is not None and units.is_unit(column) else None
    return Actual(text=text, kind=ActualKind.NUMERIC, value=data.value, unit=value_unit,
                  warnings=tuple(warnings))


def _not_a_value(text: str, norm: Normalized, unit: str | None, exc: UnexpectedInput) -> Actual:
    """Words (a state), a target written as the actual (a requirement), or an error."""
    t = norm.text
    warnings = tuple(norm.warnings)
    requirement = _as_target(text, unit)
    if is_words_only(t) and (requirement is None or requirement.kind in _WORD_KINDS):
        return Actual(text=text, kind=ActualKind.STATE, state=t, warnings=warnings)
    if requirement is not None and _is_value(requirement):
        # 100%完成, 完成率98%, 实际完成1,203人次: a number with words around it and no comparator
        return Actual(text=text, kind=ActualKind.NUMERIC, value=requirement.bound, unit=requirement.unit,
                      warnings=(*warnings, *_own(requirement.warnings, warnings)))
    if requirement is not None and requirement.subject is None:
        return Actual(text=text, kind=ActualKind.REQUIREMENT, requirement=requirement, warnings=warnings)
    pos = error_pos(t, exc)
    raise ValueSyntaxError(
        diagnostic("IND210", span=norm.span(pos, len(t)), text=text, hint=_HINT)
    ) from None


def _is_value(requirement: Target) -> bool:
    """A bare number read as a target (no comparator), its words saying nothing about its size."""
    if requirement.kind != TargetKind.NUMERIC or not requirement.default_comparator:
        return False
    subject = requirement.subject or ""
    return not any(word in subject for word in _APPROXIMATE)


def _as_target(text: str, unit: str | None) -> Target | None:
    """The text read as a target, if it is one; an approximate figure (约96%) is an estimate, neither a
    value nor a requirement."""
    try:
        target = parse_target(text, unit=unit)
    except TargetSyntaxError:
        return None
    return None if target.tolerance is not None else target


def _own(found: tuple[Diagnostic, ...], known: tuple[Diagnostic, ...]) -> tuple[Diagnostic, ...]:
    """The warnings of a second reading that the first did not already give."""
    return tuple(d for d in found if d not in known)


def _completion_date(t: str) -> Actual | None:
    """``2024年6月完成`` → the date 2024年6月: a date followed by a word saying the work was done, with
    the words around a date (``已于2024年9月完成``, ``于10月底前完成``)."""
    for word in _DONE_WORDS:
        if t.endswith(word) and len(t) > len(word):
            when = t[: -len(word)]
            said = next((p for p in _BEFORE_DATE if when.startswith(p)), "")
            when = when.removeprefix(said)
            if said:  # 已于10月底前完成 says it was done; 10月底前完成 alone restates a requirement
                for suffix in ("之前", "以前", "前"):
                    when = when.removesuffix(suffix)
            when = when.removesuffix("底").removesuffix("末")  # 2024年9月底竣工
            if not when:
                return None
            try:
                data = run(when, "start_actual")
            except (UnexpectedInput, Invalid):
                return None
            if isinstance(data, dict) and data.get("kind") == "date":
                return Actual(text=t, kind=ActualKind.DATE, date=data["date"])
            return None
    return None

