"""The exact arithmetic of self-evaluation scoring, on Decimals only.

Each function returns a :class:`Calc`: the exact (unrounded) score, a status, the achievement ratio and
the arithmetic written out for ``--explain``. Rounding happens once, in the scorer, with the policy's
:class:`~indicators.scoring.policy.Rounding`. ``docs/scoring.md`` states each rule and its source.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal, localcontext

from indicators.limits import engine_context
from indicators.scoring.sheet import LineStatus
from indicators.units import format_short

ZERO = Decimal(0)
ONE = Decimal(1)


@dataclass(frozen=True, slots=True)
class Calc:
    """An exact score before rounding, with how it was reached."""

    score: Decimal
    status: LineStatus
    achievement: Decimal | None
    arithmetic: str
    rule: str


#: a number for people: no exponent, no trailing zeros, at most four decimals (then ``…``)
fmt = format_short


def _div(a: Decimal, b: Decimal) -> Decimal:
    with localcontext(engine_context()):
        return a / b


def _status(score: Decimal, weight: Decimal) -> LineStatus:
    if score >= weight:
        return LineStatus.MET
    return LineStatus.PARTIAL if score > 0 else LineStatus.NOT_MET


def score_higher(
    actual: Decimal,
    target: Decimal,
    weight: Decimal,
    *,
    cap: bool = True,
    negative_as_zero: bool = True,
    rule: str = "quantitative.higher",
) -> Calc:
    """≥ / ＞ rows: full weight when met, else actual ÷ target × weight (capped at the weight)."""
    a = max(actual, ZERO) if negative_as_zero else actual
    w = fmt(weight)
    if target <= 0:
        if a >= target:
            return Calc(weight, LineStatus.MET, None, f"{fmt(a)} ≥ {fmt(target)}，得满分 {w}", rule)
        return Calc(ZERO, LineStatus.NOT_MET, None, f"{fmt(a)} < {fmt(target)}，得 0 分", rule)
    achievement = _div(a, target)
    if a >= target and cap:
        return Calc(weight, LineStatus.MET, achievement, f"{fmt(a)} ≥ {fmt(target)}，得满分 {w}", rule)
    score = max(_div(a * weight, target), ZERO)
    status = LineStatus.MET if a >= target else _status(score, weight)
    return Calc(score, status, achievement, f"{fmt(a)} ÷ {fmt(target)} × {w} = {fmt(score)}", rule)


def score_lower(
    actual: Decimal,
    target: Decimal,
    weight: Decimal,
    *,
    strategy: str = "linear_to_zero_at_double",
    negative_as_zero: bool = True,
    rule: str = "quantitative.lower",
) -> Calc:
    """≤ / ＜ rows: full weight when met; else linear to zero at 2 × target, or target ÷ actual × weight."""
    a = max(actual, ZERO) if negative_as_zero else actual
    w = fmt(weight)
    if target <= 0:
        return _zero_target(a, target, weight, rule=rule)
    achievement = _div(target, a) if a > 0 else None
    if a <= target:
        return Calc(weight, LineStatus.MET, achievement, f"{fmt(a)} ≤ {fmt(target)}，得满分 {w}", rule)
    if strategy == "target_over_actual":
        score = _div(target * weight, a)
        return Calc(
            score,
            _status(score, weight),
            achievement,
            f"{fmt(target)} ÷ {fmt(a)} × {w} = {fmt(score)}",
            f"{rule}.target_over_actual",
        )
    if strategy != "linear_to_zero_at_double":
        raise ValueError(f"unknown lower-is-better strategy {strategy!r}")
    rule = f"{rule}.linear_to_zero_at_double"
    if a >= 2 * target:
        return Calc(ZERO, LineStatus.NOT_MET, achievement, f"{fmt(a)} ≥ 2 × {fmt(target)}，得 0 分", rule)
    score = _div((2 * target - a) * weight, target)
    return Calc(
        score,
        _status(score, weight),
        achievement,
        f"(1 − ({fmt(a)} − {fmt(target)}) ÷ {fmt(target)}) × {w} = {fmt(score)}",
        rule,
    )


def _zero_target(a: Decimal, target: Decimal, weight: Decimal, *, rule: str) -> Calc:
    """A target of 0 (``=0``, ``≤0``, ``0起``): full weight when the actual is at most 0, else 0."""
    if a <= target:
        return Calc(
            weight, LineStatus.MET, None, f"{fmt(a)} ≤ {fmt(target)}，得满分 {fmt(weight)}", f"{rule}.zero"
        )
    return Calc(
        ZERO, LineStatus.NOT_MET, None, f"指标值为 {fmt(target)}，实际 {fmt(a)}，得 0 分", f"{rule}.zero"
    )


def score_exact(
    actual: Decimal,
    target: Decimal,
    weight: Decimal,
    *,
    strategy: str = "as_higher",
    negative_as_zero: bool = True,
) -> Calc:
    """= rows: a target of 0 is met only at 0; otherwise scored like ≥ (``as_higher``) or by distance."""
    a = max(actual, ZERO) if negative_as_zero else actual
    if target == 0:
        return _zero_target(a, target, weight, rule="quantitative.exact")
    if strategy == "as_higher" or target < 0:
        return score_higher(a, target, weight, rule="quantitative.exact")
    if strategy != "symmetric":
        raise ValueError(f"unknown exact strategy {strategy!r}")
    rule = "quantitative.exact.symmetric"
    achievement = _div(a, target)
    if a == target:
        return Calc(
            weight, LineStatus.MET, achievement, f"{fmt(a)} = {fmt(target)}，得满分 {fmt(weight)}", rule
        )
    score = max(_div((target - abs(a - target)) * weight, target), ZERO)
    return Calc(
        score,
        _status(score, weight),
        achievement,
        f"(1 − |{fmt(a)} − {fmt(target)}| ÷ {fmt(target)}) × {fmt(weight)} = {fmt(score)}",
        rule,
    )


def score_range(
    actual: Decimal,
    lower: Decimal,
    upper: Decimal,
    weight: Decimal,
    *,
    strategy: str = "linear_to_zero_at_double",
    negative_as_zero: bool = True,
) -> Calc:
    """Between two bounds (both inclusive): full inside; below as ≥ lower, above as ≤ upper."""
    a = max(actual, ZERO) if negative_as_zero else actual
    if lower <= a <= upper:
        return Calc(
            weight,
            LineStatus.MET,
            ONE,
            f"{fmt(lower)} ≤ {fmt(a)} ≤ {fmt(upper)}，得满分 {fmt(weight)}",
            "quantitative.range",
        )
    if a < lower:
        return score_higher(a, lower, weight, rule="quantitative.range")
    return score_lower(a, upper, weight, strategy=strategy, rule="quantitative.range")


def score_share(share: Decimal, weight: Decimal, *, rule: str, what: str) -> Calc:
    """A share of the weight (qualitative tiers, judged targets): ``share × weight``."""
    score = share * weight
    return Calc(
        score,
        _status(score, weight),
        share,
        f"{what}：{fmt(share * 100)}% × {fmt(weight)} = {fmt(score)}",
        rule,
    )


def score_budget(executed: Decimal, total: Decimal, weight: Decimal, *, cap: Decimal | None = ONE) -> Calc:
    """预算执行率: executed ÷ total × weight, the rate counted at most ``cap`` (None: no cap)."""
    rule = "budget_execution"
    if total <= 0:
        return Calc(ZERO, LineStatus.INVALID, None, f"全年预算数为 {fmt(total)}，无法计算执行率", rule)
    rate = _div(max(executed, ZERO), total)
    counted = min(rate, cap) if cap is not None else rate
    score = counted * weight
    capped = f"（按 {fmt(cap * 100)}% 计）" if cap is not None and rate > cap else ""
    figures = f"{fmt(executed, 6)} ÷ {fmt(total, 6)} = {fmt(rate * 100, 2)}%{capped}"
    text = f"{figures}；× {fmt(weight)} = {fmt(score)}"
    return Calc(score, _status(score, weight), rate, text, rule)


def split_even(share: Decimal, count: int, *, places: int = 2, remainder: str = "first") -> list[Decimal]:
    """``share`` split into ``count`` weights of ``places`` decimals that add up to ``share`` exactly.

    Each weight is the share divided evenly and cut to ``places`` decimals; the leftover units of the
    last place go one each to the first (or last) rows. ``50`` over 14 rows: two rows of 3.58 and
    twelve of 3.57.
    """
    if count <= 0:
        return []
    unit = Decimal(1).scaleb(-places)
    units_total = (share / unit).to_integral_value(rounding=ROUND_DOWN)
    base, extra = divmod(int(units_total), count)
    weights = [Decimal(base) * unit for _ in range(count)]
    order = range(extra) if remainder == "first" else range(count - extra, count)
    for i in order:
        weights[i] += unit
    leftover = share - units_total * unit  # only when the share itself has more than `places` decimals
    weights[0 if remainder == "first" else -1] += leftover
    return weights
