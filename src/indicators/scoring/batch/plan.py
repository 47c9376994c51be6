"""Target plans: each distinct target of a long table parsed once, as a row SQL can join.

A plan is keyed by the cells that decide how a target is read — the target text, 计量单位, 指标性质
and the level-1, level-2 and level-3 names (they choose the comparator of a bare number, the reading of
a month, see ``parse_target``) — and says how SQL scores a plainly numeric actual against it:

- ``rule``: ``higher`` (≥, >), ``lower`` (≤, <), ``exact`` (=) or ``range``, with the bounds as exact
  decimals; None when SQL does not score the target (a grade, a yes/no, a state, a relative target,
  an unreadable one …): its rows go to the Python scorer;
- ``plain_ok`` / ``percent_ok``: whether a bare number (``96.5``) / a per cent (``96.5%``) is read in
  the target's own unit, unchanged. Both are found by judging a probe value with the target
  language, so SQL never reads an actual differently from ``Target.evaluate``;
- ``fraction_guard``: a per-cent target, against which a bare number in (0, 1] is not comparable
  (IND214/IND215): such rows go to Python.

A plan is only for SQL when the policy's arithmetic has a SQL form: ``cap`` on, rounding half up, the
table's weights used (``level3_weights.from_form``), no overshoot deduction on ≥ and = rows
(docs/batch.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from indicators.errors import IndicatorsError
from indicators.forms.model import Cell, IndicatorRow
from indicators.scoring.policy import Policy

#: the key columns of a plan, in the order of the long table's roles
KEY = ("target", "measure", "direction", "level1", "level2", "indicator")
#: bounds SQL scores: at most 12 digits before the point and 6 after (DECIMAL(18, 6))
BOUND_DIGITS, BOUND_PLACES = 12, 6
_PROBE = Decimal("12.5")
_PERCENT_UNITS = frozenset({"%", "‰", "百分点"})


@dataclass(frozen=True, slots=True)
class TargetPlan:
    key: tuple[str, ...]
    rule: str | None = None
    bound: Decimal | None = None
    lower: Decimal | None = None
    upper: Decimal | None = None
    plain_ok: bool = False
    percent_ok: bool = False
    fraction_guard: bool = False


def sql_policy(policy: Policy) -> bool:
    """Whether SQL can score under ``policy`` at all (else every row goes to Python)."""
    return (
        policy.quantitative.cap
        and policy.rounding.mode == "ROUND_HALF_UP"
        and policy.level3_weights.from_form  # else every weight is split, whatever the table says
    )


def plan_for(key: tuple[str, ...], policy: Policy) -> TargetPlan:
    """The plan of one distinct key (``KEY`` order; empty strings for empty cells)."""
    from indicators.target import TargetKind, parse_target

    target, measure, direction, level1, level2, indicator = key
    if not sql_policy(policy):
        return TargetPlan(key)
    written = IndicatorRow(
        index=0, target=Cell(text=target), unit=Cell(text=measure), operator=Cell(text=direction)
    ).target_text()
    if written is None:
        return TargetPlan(key)
    try:
        parsed = parse_target(
            written.text,
            unit=written.unit,
            level1=level1.strip() or None,
            level2=level2.strip() or None,
            indicator=indicator.strip() or None,
        )
    except IndicatorsError:
        return TargetPlan(key)
    bounds: tuple[Decimal | None, ...]
    if parsed.kind == TargetKind.RANGE:
        rule = "range"
        bounds = (parsed.lower, parsed.upper)
    elif parsed.kind == TargetKind.NUMERIC and parsed.bound is not None:
        comparator = parsed.comparator or "ge"
        rule = {"le": "lower", "lt": "lower", "eq": "exact"}.get(comparator, "higher")
        bounds = (parsed.reach(),)  # an approximate figure (70%左右): the bound less its tolerance
    else:
        return TargetPlan(key)
    if rule in ("higher", "exact") and policy.overshoot.deduct_rate > 0:
        return TargetPlan(key)
    if not all(b is not None and _fits(b) for b in bounds):
        return TargetPlan(key)
    if rule == "range" and not (parsed.lower is not None and parsed.upper is not None
                                and parsed.lower <= parsed.upper):
        return TargetPlan(key)
    plain_ok = _probe(parsed, f"{_PROBE}", written.unit)
    percent_ok = _probe(parsed, f"{_PROBE}%", written.unit)
    guard = parsed.unit in _PERCENT_UNITS
    if rule == "range":
        return TargetPlan(key, rule, None, parsed.lower, parsed.upper, plain_ok, percent_ok, guard)
    return TargetPlan(key, rule, parsed.reach(), None, None, plain_ok, percent_ok, guard)


def _fits(value: Decimal) -> bool:
    if not value.is_finite():
        return False
    exponent = value.as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else BOUND_PLACES + 1
    return abs(value) < Decimal(10) ** BOUND_DIGITS and places <= BOUND_PLACES


def _probe(parsed: object, text: str, unit: str | None) -> bool:
    """Whether the actual ``text`` is judged comparable and read as its own number (12.5)."""
    from indicators.target import Target, parse_actual

    assert isinstance(parsed, Target)
    try:
        actual = parse_actual(text, unit=unit)
    except IndicatorsError:
        return False
    if actual.tier is not None or actual.requirement is not None:
        return False
    outcome = parsed.evaluate(actual)
    return str(outcome.status) != "not_comparable" and outcome.value == _PROBE


def plans(keys: list[tuple[str, ...]], policy: Policy) -> list[TargetPlan]:
    return [plan_for(k, policy) for k in keys]
