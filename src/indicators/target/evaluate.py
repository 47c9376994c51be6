"""Judging an actual value against a target: :func:`evaluate_target` (``Target.evaluate``).

Achievement (完成度) is an exact Decimal ratio, 1 when the actual is exactly on target; the formulas
are in ``docs/target-language.md``. With ``a`` the actual and ``b`` the bound, both in the target's
unit, and a negative actual counted as 0:

* ≥ and >: ``a / b``                         (b = 0: 1 if met else 0)
* ≤ and <: ``max(0, (2b - a) / b)``          (linear to 0 at twice the bound; b = 0: 1 if met else 0)
* =:       ``max(0, 1 - |a - b| / b)``        (b = 0: 1 if a = 0 else 0)
* range [L, U]: 1 inside; ``a / L`` below; ``max(0, (2U - a) / U)`` above.

Units are converted only between units of one dimension (万元 ↔ 元, % ↔ a ratio written with %);
anything else is reported ``not_comparable`` with the reason, never coerced.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, getcontext, localcontext
from typing import TYPE_CHECKING

from indicators import units
from indicators.codes import diagnostic
from indicators.errors import UnitError, ValueSyntaxError
from indicators.limits import engine_context, in_engine_context
from indicators.target.dates import before_deadline, not_after, not_before
from indicators.target.grades import common_scale
from indicators.target.model import (
    Actual,
    ActualKind,
    DatePoint,
    Direction,
    Outcome,
    OutcomeStatus,
    Target,
    TargetKind,
    Tier,
)
from indicators.target.periods import year_total
from indicators.target.residue import excel_serial_date
from indicators.target.restate import bound_reading, restates
from indicators.target.vocabulary import names_part, realises, vocabulary

if TYPE_CHECKING:
    from indicators.diagnostics import Diagnostic

_SIGN_WORDS = {"ge": "不低于", "gt": "高于", "eq": "等于", "le": "不高于", "lt": "低于"}
_PERCENT_UNITS = frozenset({"%", "‰", "百分点"})
_ZERO, _ONE, _TWO = Decimal(0), Decimal(1), Decimal(2)


def _fmt(value: Decimal, unit: str | None) -> str:
    return f"{units.format_short(value)}{unit or ''}"


def _percent(ratio: Decimal) -> str:
    with localcontext(engine_context()) as ctx:
        ctx.prec = max(ctx.prec, ratio.adjusted() + 6)  # 0.01 of a ratio however large
        return f"{(ratio * 100).quantize(Decimal('0.01'))}%"


class _Judge:
    def __init__(self, target: Target, actual: Actual, baseline: Actual | None) -> None:
        self.target = target
        self.actual = actual
        self.baseline = baseline
        self.t = f"“{target.text.strip()}”"
        self.a = f"“{actual.text.strip()}”"
        #: notes about how the texts were read, added to every outcome (the actual's own warnings first)
        self.notes: list[Diagnostic] = list(actual.warnings)

    def outcome(
        self,
        status: OutcomeStatus,
        explanation: str,
        achievement: Decimal | None = None,
        diagnostics: tuple[Diagnostic, ...] = (),
        value: Decimal | None = None,
    ) -> Outcome:
        return Outcome(
            status=status,
            achievement=achievement,
            value=value,
            explanation=explanation,
            target=self.target.text,
            actual=self.actual.text,
            baseline=self.baseline.text if self.baseline is not None else None,
            diagnostics=(*self.notes, *diagnostics),
        )

    def not_comparable(self, reason: str) -> Outcome:
        d = diagnostic("IND211", actual=self.actual.text, target=self.target.text, reason=reason)
        return self.outcome(OutcomeStatus.NOT_COMPARABLE, f"实际值{self.a}与指标值{self.t}无法比较：{reason}",
                            diagnostics=(d,))

    def by_tier(self, what: str) -> Outcome:
        """A self-evaluation tier or a completion word (达成, 已完成, 进行中) given as the actual value."""
        tier = self.actual.tier
        assert tier is not None
        status = OutcomeStatus.MET if tier == Tier.ACHIEVED else OutcomeStatus.NOT_MET
        word = self.actual.text.strip()
        said = f"自评结论为“{tier.label}”" if word == tier.label else f"实际值{self.a}即“{tier.label}”"
        if self.target.kind in _QUANTITATIVE:
            self.notes.append(diagnostic("IND220", target=self.target.text, actual=word, tier=tier.label))
        found = self.outcome(status, f"{said}，{what}{self.t}按该档次判断")
        return found.model_copy(update={"tier": tier})

    def restated(self) -> Outcome:
        """The actual repeats the target: reported as meeting it (IND218)."""
        self.notes.append(diagnostic("IND218", actual=self.actual.text, target=self.target.text))
        return self.outcome(OutcomeStatus.MET, f"实际值{self.a}照抄了指标值{self.t}，按已达到指标值判断")

    def requirement(self, judge_kind: Callable[[_Judge], Outcome]) -> Outcome:
        """An actual written as a requirement other than the target: judged by the bound it guarantees."""
        req = self.actual.requirement
        assert req is not None
        reading = bound_reading(self.target, req, self.actual.text)
        if isinstance(reading, str):
            return self.not_comparable(f"实际值{self.a}写成了要求，{reading}")
        plain, shown = reading
        inner = _Judge(self.target, plain, self.baseline)
        inner.a = self.a
        outcome = judge_kind(inner)
        note = diagnostic("IND219", actual=self.actual.text, target=self.target.text, reading=shown)
        return outcome.model_copy(update={
            "actual": self.actual.text,
            "explanation": f"{outcome.explanation}（实际值写成了要求，按它保证的{shown}判断）",
            "diagnostics": (*self.notes, note, *outcome.diagnostics),
        })

    # --- numeric -----------------------------------------------------------------------------------

    def actual_in(self, unit: str | None) -> tuple[Decimal | None, str | None, str]:
        """The actual magnitude in the target's unit, or (None, reason, "")."""
        value, a_unit = self.actual.value, self.actual.unit
        assert value is not None
        if unit is None:
            return value, None, "" if a_unit is None else f"（指标值未写单位，按实际值的单位“{a_unit}”理解）"
        if a_unit is None:
            if unit in _PERCENT_UNITS and _ZERO < value <= _ONE:
                d = diagnostic("IND215", text=self.actual.text)
                return None, d.message, ""
            return value, None, f"（实际值未写单位，按“{unit}”理解）"
        if not units.is_unit(a_unit) or not units.is_unit(unit):
            return _unlisted(value, a_unit, unit)
        mismatch = units.count_mismatch(a_unit, unit)
        if mismatch is not None:
            a_word, t_word = mismatch
            return None, f"“{a_word}”与“{t_word}”计数的不是同一种事物", ""
        try:
            return units.convert(value, a_unit, unit), None, ""
        except UnitError:
            pass
        per_year = year_total(value, a_unit, unit)
        if per_year is not None:
            return per_year[0], None, f"（实际值“{self.actual.text}”是全年数，按“{per_year[1]}”理解）"
        if a_unit in units.multipliers() and units.dimension_of(unit):
            # 1.5万 against ≥1.5万人次: the actual's number multiplies the target's unit
            read_as = f"{a_unit}{units.base_unit(unit)}"
            note = f"（实际值“{a_unit}”后未写单位，按“{read_as}”理解）"
            return units.convert(value, read_as, unit), None, note
        if unit in units.multipliers():
            # 250万 against 98万元: the target's number multiplies the actual's unit
            root = units.base_unit(a_unit)
            try:
                converted = units.convert(value, a_unit, f"{unit}·{root}")
            except UnitError:
                pass
            else:
                return converted, None, f"（指标值“{unit}”后未写单位，按“{unit}{root}”理解）"
        return None, f"单位“{a_unit}”{_dimension_label(a_unit)}与“{unit}”{_dimension_label(unit)}量纲不同", ""

    def numeric(self) -> Outcome:
        tgt = self.target
        if self.actual.kind != ActualKind.NUMERIC:
            shown = _actual_label(self.actual)
            return self.not_comparable(f"定量指标值需要数值形式的实际值，而实际值是{shown}")
        top = tgt.upper if tgt.kind == TargetKind.RANGE else tgt.bound
        ratio_like = top is not None and _ZERO < top <= _ONE
        if tgt.unit is None and self.actual.unit in _PERCENT_UNITS and ratio_like:
            return self.not_comparable(f"指标值{self.t}没有单位，无法判断是比值还是百分数")
        a, reason, note = self.actual_in(tgt.unit)
        if a is None:
            return self.not_comparable(reason or "单位不同")
        if tgt.kind == TargetKind.RANGE:
            assert tgt.lower is not None
            assert tgt.upper is not None
            met = tgt.lower <= a <= tgt.upper
            ach = _range_achievement(a, tgt.lower, tgt.upper)
            want = f"在{_fmt(tgt.lower, tgt.unit)}至{_fmt(tgt.upper, tgt.unit)}之间"
        else:
            reach = tgt.reach()
            assert reach is not None
            assert tgt.bound is not None
            assert tgt.comparator is not None
            met = _holds(a, tgt.comparator, reach)
            ach = achievement(a, tgt.comparator, reach)
            want = f"{_SIGN_WORDS[tgt.comparator]}{_fmt(reach, tgt.unit)}"
            if reach != tgt.bound:
                want = f"约{_fmt(tgt.bound, tgt.unit)}，即{want}"
        shown_unit = tgt.unit if tgt.unit else self.actual.unit
        mults = units.multipliers()
        if tgt.unit in mults and self.actual.unit and self.actual.unit not in mults:
            shown_unit = f"{tgt.unit}{units.base_unit(self.actual.unit)}"
        shown = _fmt(a, shown_unit)
        verdict = "达到" if met else "未达到"
        status = OutcomeStatus.MET if met else OutcomeStatus.NOT_MET
        text = f"实际值{shown}{verdict}指标值{self.t}（要求{want}），完成度{_percent(ach)}{note}"
        return self.outcome(status, text, ach, value=a)

    # --- relative ------------------------------------------------------------------------------------

    def relative(self) -> Outcome:
        tgt, rel = self.target, self.target.relative
        assert rel is not None
        if self.baseline is None:
            d = diagnostic("IND212", text=tgt.text)
            return self.outcome(OutcomeStatus.NEEDS_BASELINE,
                                f"指标值{self.t}是相对{rel.basis}的目标，需要提供{rel.basis}数值（基期值）才能判断",
                                diagnostics=(d,))
        if self.actual.kind != ActualKind.NUMERIC or self.baseline.kind != ActualKind.NUMERIC:
            return self.not_comparable("相对目标需要数值形式的实际值和基期值")
        assert self.actual.value is not None
        assert self.baseline.value is not None
        unit = self.baseline.unit or self.actual.unit
        try:
            a = units.convert(self.actual.value, self.actual.unit or unit, unit)
        except UnitError:
            reason = f"实际值单位“{self.actual.unit}”与基期值单位“{self.baseline.unit}”量纲不同"
            return self.not_comparable(reason)
        base = self.baseline.value
        with localcontext(engine_context()):
            amount = rel.amount
            if amount is not None and tgt.tolerance is not None:
                amount = amount * (_ONE - tgt.tolerance)  # about 2 points: 1.9 points will do
            if amount is None:
                required = base
            elif rel.unit == "%":
                required = base * (_ONE + rel.sign * amount / 100)
            elif rel.unit == "百分点":
                if unit not in ("%", None):
                    return self.not_comparable(f"“百分点”只能加在百分数上，而基期值的单位是“{unit}”")
                required = base + rel.sign * amount
            else:
                try:
                    change = units.convert(amount, rel.unit, unit) if rel.unit else amount
                except UnitError:
                    return self.not_comparable(f"变化量单位“{rel.unit}”与基期值单位“{unit}”量纲不同")
                required = base + rel.sign * change
        required = _clean(required)
        cmp = rel.comparator
        met = _holds(a, cmp, required)
        ach = achievement(a, cmp, required)
        status = OutcomeStatus.MET if met else OutcomeStatus.NOT_MET
        want = f"{_SIGN_WORDS[cmp]}{_fmt(required, unit)}"
        text = (f"实际值{_fmt(a, unit)}{'达到' if met else '未达到'}指标值{self.t}"
                f"（{rel.basis}{_fmt(base, unit)}，要求{want}），完成度{_percent(ach)}")
        return self.outcome(status, text, ach)

    # --- grades, booleans, states --------------------------------------------------------------------

    def grade(self) -> Outcome:
        g = self.target.grade
        assert g is not None
        if self.actual.kind != ActualKind.GRADE or self.actual.grade is None:
            shown = _actual_label(self.actual)
            return self.not_comparable(f"等级指标值需要等级形式的实际值（如“优秀”），而实际值是{shown}")
        found = common_scale(g.scale, g.level, self.actual.grade)
        if found is None:
            return self.not_comparable(f"“{self.actual.grade}”与“{g.level}”不在同一等级序列中")
        scale, t_level, a_level = found
        met = scale.at_least(a_level, t_level)
        status = OutcomeStatus.MET if met else OutcomeStatus.NOT_MET
        relation = "达到" if met else "低于"
        word = self.actual.grade.strip()
        shown = f"“{word}”" if word == a_level else f"“{word}”（即“{a_level}”）"
        text = f"实际等级{shown}{relation}指标值{self.t}要求的“{t_level}”（等级序列{scale.label}）"
        return self.outcome(status, text)

    def boolean(self) -> Outcome:
        if self.actual.boolean is None:
            shown = _actual_label(self.actual)
            return self.not_comparable(f"是/否指标值需要“是”或“否”形式的实际值，而实际值是{shown}")
        met = self.actual.boolean == self.target.expected
        status = OutcomeStatus.MET if met else OutcomeStatus.NOT_MET
        return self.outcome(status, f"实际值{self.a}{'符合' if met else '不符合'}指标值{self.t}")

    def state(self) -> Outcome:
        tgt = self.target
        if tgt.direction == Direction.LOWER:  # 无, 零事故: nothing may happen
            return self.nothing()
        act = self.actual
        hedged = vocabulary().unhedged(act.text) if act.kind == ActualKind.STATE else None
        if act.boolean is not None:
            met = act.boolean
        elif hedged is not None and names_part(tgt.state or "", hedged):
            self.actual = act.model_copy(update={"tier": Tier.PARTIAL})  # 基本全覆盖: partly reached
            return self.by_tier("指标值")
        elif act.kind == ActualKind.STATE and realises(tgt.state or "", act.state or "") is not None:
            met = bool(realises(tgt.state or "", act.state or ""))
        else:
            reason = f"无法从实际值判断是否实现“{tgt.state}”，请填写“达成/部分达成/未达成”或“是/否”"
            return self.not_comparable(reason)
        status = OutcomeStatus.MET if met else OutcomeStatus.NOT_MET
        return self.outcome(status, f"实际值{self.a}表明{'已' if met else '未'}实现指标值{self.t}")

    def nothing(self) -> Outcome:
        act = self.actual
        if act.kind == ActualKind.NUMERIC and act.value is not None:
            met = act.value <= 0
        elif act.boolean is not None:
            met = not act.boolean
        else:
            return self.not_comparable("指标值要求“无”，实际值应为“无”或数量（如“0次”）")
        status = OutcomeStatus.MET if met else OutcomeStatus.NOT_MET
        return self.outcome(status, f"指标值{self.t}要求不发生，实际值{self.a}{'符合' if met else '不符合'}")

    def vague(self) -> Outcome:
        return self.not_comparable("指标值表述模糊、不可衡量，只能按自评档次（达成/部分达成/未达成）判断")

    # --- dates -------------------------------------------------------------------------------------

    def by_boolean(self, what: str) -> Outcome | None:
        """A yes/no actual (按时, 未按时完成) for a time target; ``what`` has ``{t}`` for the target."""
        done = self.actual.boolean
        if done is None:
            return None
        status = OutcomeStatus.MET if done else OutcomeStatus.NOT_MET
        return self.outcome(status, f"实际值{self.a}表明{'已' if done else '未'}{what.format(t=self.t)}")

    def year(self) -> int | None:
        """The year of an actual written as a year alone (``2024年``), else None."""
        act = self.actual
        if act.kind != ActualKind.NUMERIC or act.unit != "年" or act.value is None:
            return None
        value = act.value
        if value != value.to_integral_value() or not 1900 <= value <= 2199:
            return None
        return int(value)

    def year_month(self) -> DatePoint | None:
        """A number written as a year and a month (``2025.6``), read as a month by time targets, or an
        Excel date serial (``45200``), read as its day with IND226.

        Alone, ``2025.6`` is a number (an amount in the unit column is as likely); against a deadline or
        a period only the month makes sense."""
        act = self.actual
        if act.kind != ActualKind.NUMERIC or act.unit is not None or act.value is None:
            return None
        day = excel_serial_date(act.value)
        if day is not None:
            point = DatePoint(year=day.year, month=day.month, day=day.day)
            self.notes.append(diagnostic("IND226", text=act.text, date=point.text()))
            return point
        found = _YEAR_MONTH.fullmatch(str(act.value))
        if found is None or not 1 <= int(found.group(2)) <= 12:
            return None
        return DatePoint(year=int(found.group(1)), month=int(found.group(2)))

    def deadline(self) -> Outcome:
        dl = self.target.deadline
        assert dl is not None
        act = self.actual
        said = self.by_boolean("按时完成指标值{t}")
        if said is not None:
            return said
        year = self.year()
        point = act.date or (act.period.end if act.period else None) or self.year_month()
        if point is None and year is not None:
            point = DatePoint(year=year)
        if point is None:
            return self.not_comparable("时限指标值需要日期（如“2025年10月15日”）或“按时/未按时”")
        met = before_deadline(point, dl.date, dl.end_of)
        if met is None:
            return self.not_comparable("实际日期与时限的精度不同（缺少年份或日）")
        status = OutcomeStatus.MET if met else OutcomeStatus.NOT_MET
        relation = f"在指标值{self.t}规定的时限内" if met else f"晚于指标值{self.t}规定的时限"
        return self.outcome(status, f"完成时间{point.text()}{relation}")

    def period(self) -> Outcome:
        per = self.target.period
        assert per is not None
        act = self.actual
        said = self.by_boolean("在指标值{t}的期间内完成")
        if said is not None:
            return said
        year = self.year()
        month = act.date or self.year_month()
        if month is not None:
            first, last = month, month
        elif act.period is not None:
            first, last = act.period.start, act.period.end
        elif year is not None:  # 2020年: the whole year
            first, last = DatePoint(year=year, month=1), DatePoint(year=year, month=12)
        else:
            return self.not_comparable("期间指标值需要日期或期间形式的实际值（如“2023年12月”）")
        end = per.end if per.end.year is not None else per.end.model_copy(update={"year": per.start.year})
        last = last if last.year is not None else last.model_copy(update={"year": first.year})
        inside = not_before(first, per.start) and not_after(last, end)
        status = OutcomeStatus.MET if inside else OutcomeStatus.NOT_MET
        return self.outcome(status, f"实际时间{self.a}{'在' if inside else '不在'}指标值{self.t}的期间内")


def _unlisted(value: Decimal, a_unit: str, unit: str) -> tuple[Decimal | None, str | None, str]:
    """Units outside the unit table (``万盏`` against ``盏``) compare only as the same word, by scale."""
    (f_actual, w_actual), (f_target, w_target) = units.split_multiplier(a_unit), units.split_multiplier(unit)
    if w_actual == w_target:
        with localcontext(engine_context()):
            return _clean(value * f_actual / f_target), None, ""
    unknown = w_actual if not units.is_unit(a_unit) else w_target
    other = unit if unknown == w_actual else a_unit
    return None, f"计量单位“{unknown}”不在单位表中，与“{other}”无法换算", ""


_QUANTITATIVE = frozenset({TargetKind.NUMERIC, TargetKind.RANGE, TargetKind.RELATIVE})

_DIMENSION_LABELS = {
    "": "（纯数/百分比）",
    "[count]": "（数量）",
    "[money]": "（金额）",
    "[time]": "（自然日时间）",
    "[workday]": "（工作日）",
    "[month]": "（月）",
    "[length]": "（长度）",
    "[length] ** 2": "（面积）",
    "[mass]": "（重量）",
    "[score]": "（分值）",
}


#: a number that reads as a year and a month: 2025.6, 2024.12
_YEAR_MONTH = re.compile(r"((?:19|20)[0-9]{2})\.([0-9]{1,2})")


def _dimension_label(unit: str | None) -> str:
    try:
        return _DIMENSION_LABELS.get(units.dimension_of(unit), "")
    except UnitError:
        return ""


def _actual_label(actual: Actual) -> str:
    return {
        ActualKind.NUMERIC: "数值",
        ActualKind.GRADE: "等级",
        ActualKind.BOOLEAN: "是/否",
        ActualKind.STATE: "文字描述",
        ActualKind.TIER: "自评档次",
        ActualKind.DATE: "日期",
        ActualKind.PERIOD: "期间",
    }[actual.kind] + f"“{actual.text.strip()}”"


def _holds(a: Decimal, cmp: str, b: Decimal) -> bool:
    return {
        "ge": a >= b,
        "gt": a > b,
        "eq": a == b,
        "le": a <= b,
        "lt": a < b,
    }[cmp]


def achievement(actual: Decimal, comparator: str, bound: Decimal) -> Decimal:
    """The achievement ratio for one bound (module text and docs/target-language.md)."""
    a = max(actual, _ZERO)
    with localcontext(engine_context()):
        if comparator in ("ge", "gt"):
            if bound <= 0:
                return _ONE if _holds(actual, comparator, bound) else _ZERO
            return _clean(a / bound)
        if comparator in ("le", "lt"):
            if bound <= 0:
                return _ONE if _holds(actual, comparator, bound) else _ZERO
            return _clean(max(_ZERO, (_TWO * bound - a) / bound))
        if bound == 0:
            return _ONE if actual == 0 else _ZERO
        return _clean(max(_ZERO, _ONE - abs(a - bound) / abs(bound)))


def _range_achievement(actual: Decimal, lower: Decimal, upper: Decimal) -> Decimal:
    a = max(actual, _ZERO)
    if lower <= actual <= upper:
        return _ONE
    if actual < lower:
        return achievement(a, "ge", lower)
    return achievement(a, "le", upper)


def _clean(value: Decimal) -> Decimal:
    """Drop trailing zeros (1.00 → 1) without an exponent (but for a number of more digits than the
    context's precision, which is kept as it is)."""
    if value.adjusted() >= getcontext().prec:
        return value
    if value == value.to_integral_value():
        return value.quantize(_ONE)
    return value.normalize()


#: for each kind of target: how an explanation names it when a tier judges it, and its judge
_BY_KIND: dict[TargetKind, tuple[str, Callable[[_Judge], Outcome]]] = {
    TargetKind.NUMERIC: ("定量指标值", _Judge.numeric),
    TargetKind.RANGE: ("定量指标值", _Judge.numeric),
    TargetKind.RELATIVE: ("相对指标值", _Judge.relative),
    TargetKind.GRADE: ("等级指标值", _Judge.grade),
    TargetKind.BOOLEAN: ("指标值", _Judge.boolean),
    TargetKind.STATE: ("指标值", _Judge.state),
    TargetKind.VAGUE: ("表述模糊的指标值", _Judge.vague),
    TargetKind.DEADLINE: ("时限指标值", _Judge.deadline),
    TargetKind.PERIOD: ("时间指标值", _Judge.period),
}


@in_engine_context
def evaluate_target(target: Target, actual: Actual | str, baseline: Actual | str | None = None) -> Outcome:
    """``Target.evaluate``: the outcome of ``actual`` (and the baseline, for relative targets)."""
    from indicators.target.actual import parse_actual

    try:
        act = actual if isinstance(actual, Actual) else parse_actual(actual, unit=None)
        base = baseline if isinstance(baseline, Actual) or baseline is None else parse_actual(baseline)
    except ValueSyntaxError as exc:
        text = actual if isinstance(actual, str) else actual.text
        return Outcome(status=OutcomeStatus.NOT_COMPARABLE, explanation=exc.diagnostic.message,
                       target=target.text, actual=text, diagnostics=exc.diagnostics)
    judge = _Judge(target, act, base)
    label, judge_kind = _BY_KIND[target.kind]
    if restates(target, act):
        return judge.restated()
    if act.kind == ActualKind.REQUIREMENT:
        return _with_month_note(judge.requirement(judge_kind), target)
    if act.tier is not None:  # a self-evaluation tier or a completion word judges any target
        return judge.by_tier(label)
    return _with_month_note(judge_kind(judge), target)


def _with_month_note(outcome: Outcome, target: Target) -> Outcome:
    """A month alone read as its period on a row that did not say how to read it: the outcome says
    that on a 时效 row it would be a deadline (IND221)."""
    per = target.period
    judged = outcome.status in (OutcomeStatus.MET, OutcomeStatus.NOT_MET)
    if target.kind != TargetKind.PERIOD or per is None or target.time_rule is not None or not judged:
        return outcome
    if per.start != per.end or per.start.month is None or per.start.day is not None:
        return outcome
    deadline = f"{per.start.text()}底前"
    note = diagnostic("IND221", text=target.text, deadline=deadline)
    explanation = f"{outcome.explanation}（按该月期间判断；若为时效类指标，按“{deadline}”完成判断）"
    return outcome.model_copy(update={"explanation": explanation,
                                      "diagnostics": (*outcome.diagnostics, note)})
