"""Per-row scoring by target kind: :data:`HANDLERS` maps every :class:`TargetKind` to its rule.

Every handler judges through the target language (``Target.evaluate``), so ``indicators target check``
and scoring agree on met / not met / not comparable (units, counts of different things, a bare fraction
against a percentage). Scoring adds only the points:

* 定量 (numeric, range): the policy's arithmetic on the actual *in the target's unit* as judged
  (``Outcome.value``); an actual written as another bound (``≥80%`` for ``≥85%``) counts as the bound it
  guarantees, 80 of 85.
* relative: the achievement ratio × weight when missed.
* 定性 (grade, boolean, state, vague, deadline, period) and completion words: the three bands of
  财预〔2020〕10号. The evidence names the band (met → 达成, missed → 未达成, a grade missed by one level →
  部分达成); the unit's own 得分 inside that band stands, outside it is flagged (IND804) and the band's
  default point is used.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from indicators.codes import diagnostic
from indicators.scoring.arithmetic import (
    ZERO,
    Calc,
    fmt,
    score_exact,
    score_higher,
    score_lower,
    score_range,
    score_share,
)
from indicators.scoring.context import Context, RowState, invalid_line, make_line, where, zero_line
from indicators.scoring.sheet import LineStatus, ScoreLine
from indicators.target.model import TargetKind
from indicators.text import normalize_name

if TYPE_CHECKING:
    from indicators.diagnostics import Diagnostic
    from indicators.scoring.actuals import ActualRecord
    from indicators.scoring.policy import Policy, Tier
    from indicators.target.model import Actual, Outcome, Target

TIER_STATUS = {"achieved": LineStatus.MET, "partial": LineStatus.PARTIAL, "not_achieved": LineStatus.NOT_MET}
#: notes of the target language on how an actual value was read, kept on the score line
READING_NOTES = frozenset({"IND218", "IND219", "IND220", "IND221", "IND225", "IND226", "IND303"})
_DIRECTIONS = {
    "ge": "higher",
    "gt": "higher",
    "le": "lower",
    "lt": "lower",
    "eq": "exact",
    "between": "range",
}


@dataclass
class Job:
    """One row to judge: its context, state, line fields, record, parsed target and actual."""

    ctx: Context
    r: RowState
    base: dict[str, Any]
    record: ActualRecord
    target: Target
    actual: Actual
    diags: list[Diagnostic]

    @property
    def policy(self) -> Policy:
        return self.ctx.policy

    def outcome(self, baseline: str | None = None) -> Outcome:
        outcome = self.target.evaluate(self.actual, baseline)
        self.diags.extend(
            d.with_location(self.record.location, indicator=self.r.row.name)
            for d in outcome.diagnostics
            if d.code in READING_NOTES
        )
        return outcome

    def not_comparable(self, outcome: Outcome) -> ScoreLine:
        """IND807 (or IND814 for a bare fraction against a percentage) and 0 points."""
        if self._bare_fraction():
            shown = self.actual.text.strip()
            found = diagnostic(
                "IND814",
                text=shown,
                location=self.record.location,
                indicator=self.r.row.name,
                hint=f"若实际完成值是 {shown} 的百分数，请写作“{fmt(Decimal(_number(shown)) * 100)}%”",
            )
        else:
            found = diagnostic(
                "IND807",
                reason=_not_comparable_reason(outcome.explanation),
                location=self.record.location,
                indicator=self.r.row.name,
                hint="可按“达成/部分达成/未达成”填报并给出自评得分",
            )
        self.diags.append(found)
        return invalid_line(self.base, self.policy, self.diags, "实际值无法与指标值比较")

    def _bare_fraction(self) -> bool:
        """A bare number in (0, 1] against a percentage target (``0.965`` for ``≥95%``): IND215 in the
        target language, IND814 here."""
        value, unit, target = self.actual.value, self.actual.unit, self.target
        bounds = [b for b in (target.bound, target.lower) if b is not None]
        fraction = unit is None and value is not None and 0 < value <= 1
        return fraction and target.unit in ("%", "‰") and any(b > 1 for b in bounds)


def _number(text: str) -> str:
    try:
        Decimal(text)
    except ArithmeticError:
        return "0"
    return text


# --- 定量 -------------------------------------------------------------------------------------------


def quantitative(job: Job) -> ScoreLine:
    outcome = job.outcome()
    status = str(outcome.status)
    if status == "not_comparable":
        return job.not_comparable(outcome)
    target, weight, q = job.target, job.r.weight, job.policy.quantitative
    base = job.base | {"kind": str(target.kind), "direction": _DIRECTIONS.get(target.comparator or "ge")}
    value = outcome.value
    if value is None:  # the actual restates the target (IND218): met, without a figure
        calc = Calc(
            weight,
            LineStatus.MET,
            None,
            f"照抄指标值，按达到指标值计，得满分 {fmt(weight)}",
            "quantitative.restated",
        )
        line = make_line(base, job.policy, calc, job.diags, explanation=outcome.explanation)
        return chosen_not_used(line, job.record)
    comparator = target.comparator or "ge"
    if target.kind == TargetKind.RANGE and target.lower is not None and target.upper is not None:
        calc = score_range(
            value,
            target.lower,
            target.upper,
            weight,
            strategy=q.lower_is_better,
            negative_as_zero=q.negative_actual_as_zero,
        )
    elif target.bound is None:
        job.diags.append(
            diagnostic(
                "IND807",
                reason=f"指标值“{target.text}”没有可比较的数值",
                indicator=job.r.row.name,
                location=job.record.location,
            )
        )
        return invalid_line(job.base, job.policy, job.diags, "指标值没有可比较的数值")
    elif comparator in ("le", "lt"):
        calc = score_lower(
            value,
            target.reach() or target.bound,
            weight,
            strategy=q.lower_is_better,
            negative_as_zero=q.negative_actual_as_zero,
        )
    elif comparator == "eq":
        calc = score_exact(
            value, target.bound, weight, strategy=q.exact, negative_as_zero=q.negative_actual_as_zero
        )
    else:
        reach = target.reach() or target.bound  # an approximate figure (70%左右): within its tolerance
        calc = score_higher(value, reach, weight, cap=q.cap, negative_as_zero=q.negative_actual_as_zero)
    overshoot = comparator in ("ge", "gt", "eq") and _overshoot(value, target.bound, job.policy)
    if overshoot:
        calc = _deduct(calc, value, target.bound, job)
    explanation = outcome.explanation
    if "arithmetic_prefix" in job.base:  # computed from variables: show the value as the arithmetic does
        from indicators.units import format_decimal

        explanation = explanation.replace(format_decimal(value), fmt(value, 4))
    line = make_line(base | {"overshoot": overshoot}, job.policy, calc, job.diags, explanation=explanation)
    return chosen_not_used(line, job.record)


def _overshoot(value: Decimal, bound: Decimal | None, policy: Policy) -> bool:
    over = policy.overshoot
    if bound is None:
        return False
    if bound > 0:
        return value >= bound * over.factor
    return bound == 0 and over.zero_target_threshold is not None and value >= over.zero_target_threshold


def _deduct(calc: Calc, value: Decimal, bound: Decimal | None, job: Job) -> Calc:
    """The policy's deduction for a target set obviously low (off when ``deduct_rate`` is 0)."""
    over = job.policy.overshoot
    if over.deduct_rate <= 0 or bound is None or bound <= 0:
        return calc
    ratio = value / bound
    share = min(over.deduct_max, over.deduct_rate * (ratio - 1))
    deduction = job.r.weight * share
    job.diags.append(
        diagnostic(
            "IND821",
            ratio=f"{fmt(ratio * 100, 2)}%",
            deduction=fmt(deduction, 2),
            location=job.record.location,
            indicator=job.r.row.name,
        )
    )
    arithmetic = (
        f"{calc.arithmetic}；超出较多，按偏离度扣减 {fmt(job.r.weight)} × {fmt(share)} = {fmt(deduction)}"
    )
    return Calc(calc.score - deduction, calc.status, calc.achievement, arithmetic, f"{calc.rule}.deducted")


def relative(job: Job) -> ScoreLine:
    r, prior = job.r, job.ctx.prior
    baseline = prior.get(normalize_name(r.row.name)) or (
        prior.get(normalize_name(r.code)) if r.code else None
    )
    base = job.base | {"kind": "relative"}
    if baseline is None:
        job.diags.append(no_baseline(r, job.target.text))
        return zero_line(
            base,
            job.policy,
            job.diags,
            LineStatus.NEEDS_BASELINE,
            "relative",
            NO_BASELINE,
            "相对目标缺少基期值",
        )
    outcome = job.outcome(baseline)
    status = str(outcome.status)
    if status == "not_comparable":
        return job.not_comparable(outcome)
    weight = r.weight
    if status == "met":
        calc = score_share(Decimal(1), weight, rule="relative", what="达到指标值")
        calc = Calc(calc.score, LineStatus.MET, outcome.achievement, calc.arithmetic, "relative")
    else:
        share = min(max(outcome.achievement or ZERO, ZERO), Decimal(1))
        calc = score_share(share, weight, rule="relative", what="按完成比例")
        calc = Calc(
            calc.score,
            LineStatus.PARTIAL if calc.score > 0 else LineStatus.NOT_MET,
            outcome.achievement,
            calc.arithmetic,
            "relative",
        )
    line = make_line(base, job.policy, calc, job.diags, explanation=outcome.explanation)
    return chosen_not_used(line, job.record)


# --- 定性 -------------------------------------------------------------------------------------------


def judged(job: Job) -> ScoreLine:
    """Boolean, state, vague, deadline and period targets: the outcome names the band."""
    outcome = job.outcome()
    return _judged(job, outcome, f"judged.{job.target.kind}")


def grade(job: Job) -> ScoreLine:
    """A grade target; missed by some levels, the policy's ``grade_shortfall`` names the band."""
    outcome = job.outcome()
    if str(outcome.status) == "not_met":
        short = grade_shortfall_tier(job.policy, job.target, job.actual)
        if short is not None:
            return score_tier(
                job.base | {"kind": "grade"},
                job.policy,
                job.r,
                short,
                job.record,
                job.diags,
                rule=f"grade.{short.key}",
                explanation=f"{outcome.explanation}；按“{short.label}”档计分",
            )
    return _judged(job, outcome, "judged.grade")


def _judged(job: Job, outcome: Outcome, rule: str) -> ScoreLine:
    status = str(outcome.status)
    q = job.policy.qualitative
    base = job.base | {"kind": str(job.target.kind)}
    if status in ("met", "not_met"):
        met = status == "met"
        named = outcome.tier and str(outcome.tier)  # a hedged state (基本全覆盖): the partial tier
        return score_tier(
            base,
            job.policy,
            job.r,
            q.tier(named or ("achieved" if met else "not_achieved")),
            job.record,
            job.diags,
            default=None if named else q.judged_met if met else q.judged_not_met,
            rule=rule,
            explanation=outcome.explanation,
        )
    if status == "needs_baseline":
        job.diags.append(no_baseline(job.r, job.target.text))
        return zero_line(
            base, job.policy, job.diags, LineStatus.NEEDS_BASELINE, rule, NO_BASELINE, "缺少基期值"
        )
    if job.record.score is not None:  # the unit judged it: its score names the band
        return score_tier(
            base, job.policy, job.r, None, job.record, job.diags, unverified=job.actual.text.strip()
        )
    return job.not_comparable(outcome)


def score_tier(
    base: dict[str, Any],
    policy: Policy,
    r: RowState,
    tier: Tier | None,
    record: ActualRecord,
    diags: list[Diagnostic],
    *,
    default: Decimal | None = None,
    rule: str | None = None,
    explanation: str | None = None,
    unverified: str | None = None,
) -> ScoreLine:
    """A 定性 line: the unit's score inside ``tier``'s band stands; outside it, IND804 and the default
    point (``default``, else the tier's). Without a tier the unit's score names it by its band."""
    weight, chosen = r.weight, record.score
    if tier is None:  # only a chosen score: its band names the tier
        assert chosen is not None
        share = chosen / weight if weight > 0 else ZERO
        tier = next(
            (t for t in policy.qualitative.tiers if t.contains(share)), policy.qualitative.tier("achieved")
        )
        if unverified is not None:
            diags.append(
                diagnostic(
                    "IND822",
                    text=unverified or "（空）",
                    score=fmt(chosen),
                    tier=tier.label,
                    location=record.location,
                    indicator=r.row.name,
                )
            )
    rule = rule or f"qualitative.{tier.key}"
    point = tier.default if default is None else default
    calc = score_share(point, weight, rule=rule, what=f"“{tier.label}”档默认得分")
    if chosen is not None:
        share = chosen / weight if weight > 0 else ZERO
        if tier.contains(share) and chosen <= weight:
            inside = f"“{tier.label}”档，自评得分 {fmt(chosen)} 在区间 {tier.band_text(weight)} 内"
            calc = Calc(chosen, calc.status, share, inside, rule)
        else:
            diags.append(
                diagnostic(
                    "IND804",
                    score=fmt(chosen),
                    tier=tier.label,
                    band=tier.band_text(weight),
                    location=record.location,
                    indicator=r.row.name,
                    hint=f"改为区间内的得分；未改前按 {fmt(point * 100)}% 计分",
                )
            )
    calc = Calc(calc.score, TIER_STATUS[tier.key], calc.achievement, calc.arithmetic, rule)
    band = (_clean(tier.low * weight), _clean(tier.high * weight))
    fields = {"kind": "tier"} | base | {"tier": tier.key, "band": band}
    said = explanation or f"定性指标，自评为“{tier.label}”"
    return make_line(fields, policy, calc, diags, explanation=said)


def _clean(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def grade_shortfall_tier(policy: Policy, target: Target, actual: Actual) -> Tier | None:
    """The qualitative tier of a grade target missed by some levels (policy ``grade_shortfall``)."""
    from indicators.target.grades import common_scale

    shortfall = policy.qualitative.grade_shortfall
    if not shortfall or target.grade is None:
        return None
    word = actual.grade if actual.grade else actual.text.strip()
    found = common_scale(target.grade.scale, target.grade.level, word)
    if found is None:
        return None
    scale, wanted, got = found
    levels_short = scale.rank(got) - scale.rank(wanted)
    if levels_short <= 0:
        return None
    if scale.passing is not None and scale.rank(got) > scale.rank(scale.passing):
        levels_short = len(shortfall)  # a failing grade (不合格, 差) is the last tier, however close
    return policy.qualitative.tier(shortfall[min(levels_short, len(shortfall)) - 1])


def chosen_not_used(line: ScoreLine, record: ActualRecord) -> ScoreLine:
    """IND813 on a row scored automatically whose reported 得分 differs from the score it gets
    (a 自评表's 得分 that agrees needs no note)."""
    if record.score is None or record.score == line.score:
        return line
    note = diagnostic("IND813", name=line.level3, score=fmt(record.score), location=record.location)
    return line.model_copy(update={"diagnostics": (*line.diagnostics, note)})


NO_BASELINE = "缺少基期值，得 0 分"


def no_baseline(r: RowState, target_text: str) -> Diagnostic:
    return diagnostic(
        "IND806",
        text=target_text,
        location=where(r.row),
        indicator=r.row.name,
        hint="用 --prior 提供上年实际值",
    )


def _not_comparable_reason(explanation: str) -> str:
    """The target language's explanation without its own "…无法比较：" lead (IND807 says that already)."""
    import re

    found = re.match(
        r"^实际值“(?P<actual>.*?)”与指标值“(?P<target>.*?)”无法比较[：:](?P<why>.+)$", explanation, re.S
    )
    if found is None:
        return explanation
    return f"{found['why']}（实际值“{found['actual']}”，指标值“{found['target']}”）"


#: the rule for each kind of target; a test checks that every TargetKind has one
HANDLERS: dict[TargetKind, Callable[[Job], ScoreLine]] = {
    TargetKind.NUMERIC: quantitative,
    TargetKind.RANGE: quantitative,
    TargetKind.RELATIVE: relative,
    TargetKind.GRADE: grade,
    TargetKind.BOOLEAN: judged,
    TargetKind.STATE: judged,
    TargetKind.VAGUE: judged,
    TargetKind.DEADLINE: judged,
    TargetKind.PERIOD: judged,
}
