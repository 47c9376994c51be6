"""Step 3 of scoring: one line per form row.

The row's record is read (missing → IND801; raw variables computed with the row's formula), a completion
word or a chosen score alone is scored by its tier, and anything else is judged against the parsed
target by the handler for the target's kind (:data:`indicators.scoring.kinds.HANDLERS`). Finally the
deviation rules add their findings (a shortfall or an overshoot without a 偏差原因).
"""

from __future__ import annotations

from decimal import Decimal

from indicators.codes import diagnostic
from indicators.diagnostics import Diagnostic
from indicators.errors import IndicatorsError
from indicators.forms.model import IndicatorRow
from indicators.limits import DEFAULT_LIMITS
from indicators.scoring.actuals import ActualRecord
from indicators.scoring.arithmetic import fmt
from indicators.scoring.context import Context, RowState, invalid_line, where, zero_line
from indicators.scoring.kinds import HANDLERS, Job, score_tier
from indicators.scoring.sheet import LineStatus, ScoreLine


def score_row(r: RowState, ctx: Context) -> ScoreLine:
    """The scored line of one row, its findings on it; never raises on bad data."""
    line = _score(r, ctx)
    return _deviation_findings(line, r, ctx)


def _score(r: RowState, ctx: Context) -> ScoreLine:
    from indicators.target import Actual, ActualKind

    policy, row, record, diags = ctx.policy, r.row, r.record, r.diagnostics
    base = r.base()
    # a 得分 of 0 with no actual at all is a template's blank (or a score sheet's unreported line)
    blank = (
        record is not None
        and not (record.actual or "").strip()
        and not record.variables
        and record.score == 0
    )
    if record is None or not record.reported or blank:
        diags.append(diagnostic("IND801", location=where(row), indicator=row.name))
        return zero_line(
            base, policy, diags, LineStatus.MISSING, "missing", "未填报，得 0 分", "未填报实际完成值，得 0 分"
        )
    actual_text = (record.actual or "").strip()
    actual: Actual | None = None
    if record.variables:
        computed = compute_from_variables(row, record, diags)
        if computed is None:
            return zero_line(
                base,
                policy,
                diags,
                LineStatus.INVALID,
                "invalid",
                "无法由变量计算实际值",
                "变量无法按计算公式求值，得 0 分",
            )
        actual_text, value, unit, arithmetic = computed
        actual = Actual(text=actual_text, kind=ActualKind.NUMERIC, value=value, unit=unit)
        base["arithmetic_prefix"] = arithmetic
    base["actual"] = _short(actual_text) or None
    tier = policy.qualitative.tier_for_word(actual_text) if actual_text else None
    if tier is not None or (not actual_text and record.score is not None):
        return score_tier(base, policy, r, tier, record, diags)
    return _against_target(base, ctx, r, record, actual_text, actual)


def _against_target(
    base: dict[str, object],
    ctx: Context,
    r: RowState,
    record: ActualRecord,
    actual_text: str,
    actual: object,
) -> ScoreLine:
    from indicators.target import Actual, parse_actual, parse_target

    policy, row, diags = ctx.policy, r.row, r.diagnostics
    written = row.target_text()
    if written is None:
        if record.score is not None:  # a 定性 result the unit scored itself, against no target
            return score_tier(base, policy, r, None, record, diags, unverified=actual_text)
        diags.append(
            diagnostic(
                "IND807",
                reason="申报表中该指标没有年度指标值",
                location=where(row),
                indicator=row.name,
                hint="按“达成/部分达成/未达成”填报实际完成情况",
            )
        )
        return invalid_line(base, policy, diags, "缺少年度指标值")
    try:
        target = parse_target(
            written.text,
            unit=written.unit,
            level1=r.level1 or None,
            level2=r.level2 or None,
            indicator=row.name,
        )
    except IndicatorsError as exc:  # TargetSyntaxError, or a limit exceeded (IND001)
        location = written.target.location
        diags.extend(d.with_location(location, indicator=row.name) for d in exc.diagnostics)
        diags.append(
            diagnostic(
                "IND807",
                reason=f"年度指标值“{written.target.stripped}”无法识别",
                location=location,
                indicator=row.name,
                hint="按“达成/部分达成/未达成”填报实际完成情况，或修正指标值",
            )
        )
        return invalid_line(base, policy, diags, "年度指标值无法识别")
    if not isinstance(actual, Actual):
        try:
            actual = parse_actual(actual_text, unit=written.unit)
        except IndicatorsError as exc:  # ValueSyntaxError, or a limit exceeded (IND001)
            first = exc.diagnostics[0] if exc.diagnostics else None
            # the message quotes the whole value; the caret excerpt points at where reading stopped
            found = diagnostic(
                "IND802",
                text=_short(actual_text),
                location=record.location,
                indicator=row.name,
                hint=_hint_of(first),
            )
            diags.append(found.model_copy(update={"span": first.span if first else None}))
            return invalid_line(base, policy, diags, f"实际完成值“{actual_text}”无法识别")
    if actual.tier is not None:
        tier = policy.qualitative.tier(str(actual.tier))
        return score_tier(base, policy, r, tier, record, diags)
    job = Job(ctx=ctx, r=r, base=dict(base), record=record, target=target, actual=actual, diags=diags)
    return HANDLERS[target.kind](job)


def _hint_of(first: Diagnostic | None) -> str | None:
    """The hint of an actual value that cannot be read: a limit's message names the limit (IND001)."""
    if first is None:
        return None
    if first.code in ("IND001", "IND003"):
        return f"{first.message}（Limits.max_text_length）" if first.code == "IND001" else first.message
    return first.hint or first.message


def _short(text: str) -> str:
    """A value as a score sheet shows it: a text over ``Limits.max_text_length`` cut to its start."""
    if len(text) <= DEFAULT_LIMITS.max_text_length:
        return text
    return f"{text[:40]}…（共 {len(text)} 个字符）"


def compute_from_variables(
    row: IndicatorRow, record: ActualRecord, diags: list[Diagnostic]
) -> tuple[str, Decimal, str | None, str] | None:
    """The actual computed exactly from the formula's raw variables: (shown, value, unit, arithmetic)."""
    from indicators.formula import evaluate, parse_formula

    def unreadable(hint: str) -> None:
        shown = "；".join(f"{k}={v}" for k, v in record.variables)
        diags.append(
            diagnostic("IND802", text=shown, location=record.location, indicator=row.name, hint=hint)
        )

    formula_text = row.formula.text if row.formula is not None else ""
    try:
        formula = parse_formula(formula_text)
    except IndicatorsError as exc:
        unreadable(f"该指标的计算公式无法解析：{exc.diagnostic.message}")
        return None
    result = evaluate(formula, dict(record.variables))
    if not result.ok or result.value is None:
        unreadable("；".join(d.message for d in result.diagnostics) or "无法计算")
        return None
    diags.extend(d.model_copy(update={"location": record.location, "indicator": row.name})  # IND030
                 for d in result.diagnostics)
    shown = result.display(2)
    names = "，".join(f"{k}={v}" for k, v in record.variables)
    return shown, result.value, result.unit, f"由变量计算：{formula.canonical()}（{names}）= {shown}"


def _deviation_findings(line: ScoreLine, r: RowState, ctx: Context) -> ScoreLine:
    """A shortfall, and an overshoot beyond the policy's factor, need a 偏差原因 (IND816, IND805)."""
    rules = ctx.policy.deviation
    record = r.record
    if record is None or (record.reason or "").strip():
        return line
    found: list[Diagnostic] = []
    short = line.status in (LineStatus.PARTIAL, LineStatus.NOT_MET)
    if rules.shortfall_needs_reason and short:
        found.append(
            diagnostic(
                "IND816",
                score=fmt(line.score),
                weight=fmt(line.weight),
                location=record.location,
                indicator=r.row.name,
            )
        )
    if rules.overshoot_needs_reason and line.overshoot and line.achievement is not None:
        ratio = f"{fmt(line.achievement * 100, 2)}%"
        found.append(
            diagnostic(
                "IND805",
                ratio=ratio,
                location=record.location,
                indicator=r.row.name,
                hint=f"实际值达到指标值的 {fmt(ctx.policy.overshoot.factor)} 倍及以上，请填写偏差原因",
            )
        )
    elif rules.overshoot_needs_reason and line.overshoot:
        found.append(
            diagnostic("IND805", ratio=f"实际 {line.actual}", location=record.location, indicator=r.row.name)
        )
    if not found:
        return line
    return line.model_copy(update={"diagnostics": (*line.diagnostics, *found)})
