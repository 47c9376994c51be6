"""Actual values written as targets: a restatement of the target, or another requirement.

Forms often fill the 实际完成值 column with the target itself (``≥85%`` for a ``≥85%`` target, ``明显改善``
for ``明显改善``, ``2024年6月完成`` for the same text): the unit reports the target as met without a
figure. :func:`restates` recognises that — the same target however it is spaced, written in full width
or in words (``大于等于85%``, ``85%以上``) — and the judge records it as met with the note IND218, so an
audit can count such rows.

An actual that is a *different* requirement (``≥80%`` for a ``≥85%`` target) guarantees only its bound:
:func:`bound_reading` reads it as that bound when the bound is on the side the target is judged from
(≥80% guarantees at least 80%: judged as 80%, so it does not show ≥85%; ≥90% shows it), with IND219;
a bound on the other side (``≤90%`` for ``≥85%``) proves nothing and is not comparable.
"""

from __future__ import annotations

from decimal import Decimal

from indicators.target.model import Actual, ActualKind, Direction, Target, TargetKind
from indicators.target.vocabulary import word_key
from indicators.units import format_quantity

_LOWER_BOUNDS = ("ge", "gt")
_UPPER_BOUNDS = ("le", "lt")


def restates(target: Target, actual: Actual) -> bool:
    """True when ``actual`` repeats ``target`` instead of reporting a result."""
    if actual.requirement is not None:
        return same_target(target, actual.requirement)
    if actual.kind == ActualKind.STATE and actual.state:
        # words: the same words as the target (明显改善 for 明显改善, 有效 for 有效)
        return word_key(actual.text) in {word_key(target.text), word_key(target.canonical())}
    return False


def same_target(a: Target, b: Target) -> bool:
    """Two readings of one target: the same kind and the same canonical text (``≥85%`` = ``85%以上``)."""
    return a.kind == b.kind and word_key(a.canonical()) == word_key(b.canonical())


def bound_reading(target: Target, requirement: Target, text: str) -> tuple[Actual, str] | str:
    """The plain actual a different requirement guarantees, with how it is shown (``80%``), or the
    reason it cannot be judged against ``target``."""
    kind = requirement.kind
    if kind in (TargetKind.NUMERIC, TargetKind.RANGE):
        if target.kind not in (TargetKind.NUMERIC, TargetKind.RANGE, TargetKind.RELATIVE):
            return "它是数值要求，而指标值不是"
        value = _guaranteed(target, requirement)
        if value is None:
            return "它只给出了另一侧的界限，不能说明是否达到指标值"
        actual = Actual(text=text, kind=ActualKind.NUMERIC, value=value, unit=requirement.unit)
        return actual, format_quantity(value, requirement.unit)
    if kind == TargetKind.DEADLINE and requirement.deadline is not None:
        if target.kind not in (TargetKind.DEADLINE, TargetKind.PERIOD):
            return "它是时间要求，而指标值不是"
        date = requirement.deadline.date
        return Actual(text=text, kind=ActualKind.DATE, date=date), f"完成时间{date.text()}"
    if kind == TargetKind.PERIOD and requirement.period is not None:
        if target.kind not in (TargetKind.DEADLINE, TargetKind.PERIOD):
            return "它是时间要求，而指标值不是"
        period = requirement.period
        shown = f"期间{period.start.text()}-{period.end.text()}"
        return Actual(text=text, kind=ActualKind.PERIOD, period=period), shown
    if kind == TargetKind.GRADE and requirement.grade is not None:
        if target.kind != TargetKind.GRADE:
            return "它是等级要求，而指标值不是"
        level = requirement.grade.level
        return Actual(text=text, kind=ActualKind.GRADE, grade=level), f"等级“{level}”"
    return "它是一项要求的写法，不是完成结果"


def _guaranteed(target: Target, requirement: Target) -> Decimal | None:
    """The value a numeric requirement guarantees on the side ``target`` is judged from, or None."""
    cmp = requirement.comparator
    if cmp == "eq":
        return requirement.bound
    if target.direction == Direction.HIGHER:
        if cmp in _LOWER_BOUNDS:
            return requirement.bound
        if requirement.kind == TargetKind.RANGE:
            return requirement.lower
    if target.direction == Direction.LOWER:
        if cmp in _UPPER_BOUNDS:
            return requirement.bound
        if requirement.kind == TargetKind.RANGE:
            return requirement.upper
    return None
