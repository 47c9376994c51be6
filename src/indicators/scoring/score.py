"""Scoring a declared form against its actual values: :func:`score_form`.

For each indicator row: find its weight (the form's 分值, else an even split of the level-1 share),
its actual value (as written, or computed exactly from the formula's raw variables), then apply the
policy rule for the row's kind of target. Scores are rounded once per line; subtotals and the total
are sums of the rounded lines. Bad data never raises: each problem becomes a diagnostic on its line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from indicators.codes import diagnostic
from indicators.diagnostics import Diagnostic, Location
from indicators.errors import IndicatorsError
from indicators.forms.model import Cell, Form, IndicatorRow
from indicators.scoring.actuals import ActualRecord, Actuals, parse_amount, parse_decimal
from indicators.scoring.arithmetic import (
    ZERO,
    Calc,
    fmt,
    score_budget,
    score_exact,
    score_higher,
    score_lower,
    score_range,
    score_share,
    split_even,
)
from indicators.scoring.policy import Level1Share, Policy, Tier, load_policy
from indicators.scoring.sheet import BudgetExecution, LineStatus, ScoreLine, ScoreSheet, Subtotal
from indicators.text import normalize_name

if TYPE_CHECKING:
    from indicators.catalog import Catalog
    from indicators.target.model import Actual, Outcome, Target

_TIER_STATUS = {"achieved": LineStatus.MET, "partial": LineStatus.PARTIAL, "not_achieved": LineStatus.NOT_MET}


@dataclass(eq=False)
class _Row:
    """Working state for one form row while its line is built."""

    row: IndicatorRow
    level1: str
    level2: str
    weight: Decimal = ZERO
    share: Level1Share | None = None
    code: str | None = None
    record: ActualRecord | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)


def score_form(
    form: Form,
    actuals: Actuals | None = None,
    *,
    policy: Policy | None = None,
    budget: BudgetExecution | None = None,
    prior: Mapping[str, str] | None = None,
    catalog: Catalog | None = None,
) -> ScoreSheet:
    """Score every indicator row of ``form`` and the 预算执行率 line; never raises on bad data.

    ``budget`` overrides the figures of the actuals file field by field; ``prior`` maps level-3 names
    (or catalog codes) to last year's actual values, the baseline of relative targets.
    """
    policy = policy or load_policy()
    actuals = actuals or Actuals()
    every = [
        _Row(row=r, level1=_text(r.level1), level2=_text(r.level2))
        for r in form.indicators
        if r.level3 is not None and not r.level3.empty
    ]
    # a self-evaluation table carries its own 预算执行率 row(s): they replace the policy's line
    budget_rows = [r for r in every if _is_budget_row(r, policy)]
    rows = [r for r in every if r not in budget_rows]
    budget_weights = [_form_weight(r) or policy.budget_execution.weight for r in budget_rows]
    sheet_diags: list[Diagnostic] = list(actuals.diagnostics)
    sheet_diags.extend(
        _assign_weights(rows, policy, budget_weight=sum(budget_weights, ZERO) if budget_rows else None)
    )
    actuals, rate = _budget_rate(actuals, rows)
    sheet_diags.extend(_match_records(rows, actuals, catalog, policy))
    prior_keys = {normalize_name(k): v for k, v in (prior or {}).items()}
    lines = [_score_row(r, policy, prior_keys) for r in rows]
    from_file = actuals.budget
    if rate is not None and (from_file is None or from_file.total is None or from_file.executed is None):
        from_file = rate
    figures = _merge_budget(from_file, budget)
    if budget_rows:
        for n, (r, weight) in enumerate(zip(budget_rows, budget_weights, strict=True)):
            own = _budget_figures(r.row)
            # figures from the actuals file or the command line complete the first row only
            line = _budget_line(own or (figures if n == 0 else None), policy, weight=weight)
            lines.append(_as_form_budget_line(line, r))
    else:
        lines.append(_budget_line(figures, policy))
    return _assemble(form, policy, lines, figures, sheet_diags)


#: level-1/level-2/level-3 names that mark a row as the budget-execution line of a 自评表
_BUDGET_NAMES = frozenset(
    normalize_name(n)
    for n in ("预算执行率", "预算执行", "预算资金执行率", "资金执行率", "项目资金", "预算资金")
)


def _is_budget_row(r: _Row, policy: Policy) -> bool:
    """A 预算执行率 / 项目资金 row outside the level-1 shares (an indicator named 预算执行率 under
    产出指标 is an ordinary indicator of that share)."""
    if policy.share_for(r.level1) is not None:
        return False
    names = (r.level1, r.level2, r.row.name)
    return any(normalize_name(n) in _BUDGET_NAMES for n in names if n)


def _budget_rate(actuals: Actuals, rows: list[_Row]) -> tuple[Actuals, BudgetExecution | None]:
    """An actuals row named 预算执行率 that names no indicator of the form is the budget line itself
    (a score sheet filled in and sent back): its rate stands in for missing 全年预算数/全年执行数."""
    names = {normalize_name(r.row.name) for r in rows}
    taken = [
        record
        for record in actuals.records
        if not record.code
        and record.name
        and normalize_name(record.name) in _BUDGET_NAMES
        and normalize_name(record.name) not in names
    ]
    if not taken:
        return actuals, None
    rest = tuple(record for record in actuals.records if record not in taken)
    actual = (taken[0].actual or "").strip()
    rate = parse_decimal(actual.rstrip("%％")) if actual.endswith(("%", "％")) else None
    figures = BudgetExecution(total=Decimal(100), executed=rate, unit="%") if rate is not None else None
    return actuals.model_copy(update={"records": rest}), figures


def _budget_figures(row: IndicatorRow) -> BudgetExecution | None:
    """全年预算数/全年执行数 from the row's target and actual cells (amounts, or a rate in %)."""
    target, actual = _text(row.target), _text(row.actual)
    if not actual:
        return None
    if actual.endswith(("%", "％")) or target.endswith(("%", "％")):  # the rate itself: 95.5% (of 100%)
        rate = parse_decimal(actual.rstrip("%％"))
        return None if rate is None else BudgetExecution(total=Decimal(100), executed=rate, unit="%")
    # amounts: 元 and 亿元 become 万元; a bare amount takes the unit written on the other cell
    units = [_AMOUNT_UNIT.search(text) for text in (target, actual)]
    written = next((found[0] for found in units if found is not None), "")
    total, executed = (
        parse_amount(text if found is not None else text + written)
        for text, found in zip((target, actual), units, strict=True)
    )
    if total is None or executed is None:
        return None
    return BudgetExecution(total=total, executed=executed, unit="万元" if written else "")


_AMOUNT_UNIT = re.compile(r"(万元|亿元|元|万|亿)\s*$")


def _as_form_budget_line(line: ScoreLine, r: _Row) -> ScoreLine:
    """The budget line under the row's own names (``index`` stays None: it is a budget line)."""
    return line.model_copy(
        update={
            "level1": r.level1 or line.level1,
            "level2": r.level2 or line.level2,
            "level3": r.row.name,
            "target": _text(r.row.target) or line.target,
        }
    )


def prior_values(form: Form, prior: Actuals) -> tuple[dict[str, str], list[Diagnostic]]:
    """Last year's value of each indicator, for ``score_form(prior=…)``, from a file like the actuals.

    A row gives its 实际完成值 as written, or the formula's raw variables, computed with the form's own
    formula for that indicator (a row whose name the form does not have is reported, IND808).
    """
    rows = {normalize_name(r.name): r for r in form.indicators if r.level3 is not None and not r.level3.empty}
    values: dict[str, str] = {}
    found: list[Diagnostic] = list(prior.diagnostics)
    for record in prior.records:
        key = record.name or record.code
        if not key:
            continue
        if record.actual:
            values[key] = record.actual
        elif record.variables:
            row = rows.get(normalize_name(key))
            if row is None:
                found.append(diagnostic("IND808", name=key, location=record.location))
                continue
            computed = _compute_from_variables(row, record, found)
            if computed is not None:
                values[key] = computed[0]
    return values, found


# --- weights ------------------------------------------------------------------------------------------


def _assign_weights(
    rows: list[_Row], policy: Policy, *, budget_weight: Decimal | None = None
) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    groups: dict[str, list[_Row]] = {}
    for r in rows:
        r.share = policy.share_for(r.level1)
        written = _form_weight(r) if policy.level3_weights.from_form else None
        if written is not None:
            r.weight = written
        groups.setdefault(r.share.name if r.share else f"?{normalize_name(r.level1)}", []).append(r)
    for members in groups.values():
        share = members[0].share
        unweighted = [r for r in members if _form_weight(r) is None or not policy.level3_weights.from_form]
        given = sum((r.weight for r in members if r not in unweighted), ZERO)
        if share is None:
            if unweighted:
                found.append(
                    diagnostic(
                        "IND803",
                        scope=f"一级指标“{members[0].level1 or '（空）'}”下未填分值的三级指标",
                        actual="0",
                        expected="评分规则或表中给出的分值",
                        hint="评分规则中没有此一级指标：请在表中填写分值，或在评分规则的 level1 中加入它",
                        location=_where(members[0].row),
                        indicator=members[0].row.name,
                    )
                )
            continue
        if unweighted:
            rest = max(share.weight - given, ZERO)
            for r, w in zip(
                unweighted,
                split_even(
                    rest,
                    len(unweighted),
                    places=policy.level3_weights.places,
                    remainder=policy.level3_weights.remainder,
                ),
                strict=True,
            ):
                r.weight = w
        total = sum((r.weight for r in members), ZERO)
        if total != share.weight:
            found.append(
                diagnostic(
                    "IND803",
                    scope=f"一级指标“{share.name}”",
                    actual=fmt(total),
                    expected=fmt(share.weight),
                    location=_where(members[0].row),
                    data={"level1": share.name, "actual": str(total), "expected": str(share.weight)},
                )
            )
    budget = policy.budget_execution.weight if budget_weight is None else budget_weight
    overall = sum((r.weight for r in rows), ZERO) + budget
    if overall != policy.total:
        found.append(
            diagnostic(
                "IND803",
                scope="全表（含预算执行率）",
                actual=fmt(overall),
                expected=fmt(policy.total),
                data={"actual": str(overall), "expected": str(policy.total)},
            )
        )
    return found


def _form_weight(r: _Row) -> Decimal | None:
    cell = r.row.weight
    if cell is None or cell.empty:
        return None
    value = parse_decimal(cell.text)
    if value is None or value < 0:
        if not any(d.code == "IND810" for d in r.diagnostics):
            r.diagnostics.append(
                diagnostic(
                    "IND810", what="分值", text=cell.text, location=cell.location, indicator=r.row.name
                )
            )
        return None
    return value


# --- matching actual records to rows --------------------------------------------------------------------


def _match_records(
    rows: list[_Row], actuals: Actuals, catalog: Catalog | None, policy: Policy
) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    by_name: dict[str, list[_Row]] = {}
    by_code: dict[str, list[_Row]] = {}
    for r in rows:
        by_name.setdefault(normalize_name(r.row.name), []).append(r)
        if catalog is not None:
            r.code = _catalog_code(catalog, r.row.name)
            if r.code:
                by_code.setdefault(r.code, []).append(r)
    for record in actuals.records:
        candidates: list[_Row] = []
        if record.code:
            candidates = list(by_code.get(record.code, []))
            entry = catalog.get(record.code) if catalog is not None else None
            if entry is not None:
                candidates += [r for r in by_name.get(normalize_name(entry.name), []) if r not in candidates]
        if not candidates and record.name:
            candidates = list(by_name.get(normalize_name(record.name), []))
            if not candidates and catalog is not None:
                code = _catalog_code(catalog, record.name)
                candidates = list(by_code.get(code, [])) if code else []
        if record.level2 and len(candidates) > 1:
            narrowed = [r for r in candidates if normalize_name(r.level2) == normalize_name(record.level2)]
            candidates = narrowed or candidates
        label = record.name or record.code or ""
        if not candidates:
            found.append(diagnostic("IND808", name=label, location=record.location))
            continue
        free = [r for r in candidates if r.record is None]
        if not free:
            found.append(diagnostic("IND812", name=label, location=record.location))
            continue
        free[0].record = record
    for r in rows:  # a 绩效自评表 carries its own 实际完成值 column: used where the actuals file is silent
        cell = r.row.actual
        if r.record is None and cell is not None and not cell.empty:
            # the 偏差原因 column when the form has one; else 备注, where forms without it write the reason
            said = r.row.deviation if r.row.deviation is not None else r.row.remark
            remark = said.stripped if said is not None and not said.empty else None
            # its 得分 is the department's own score: kept as the chosen score of a qualitative tier
            # (checked against the tier's band), recomputed everywhere else
            tier = policy.qualitative.tier_for_word(cell.stripped)
            chosen = parse_decimal(_text(r.row.score)) if tier is not None else None
            r.record = ActualRecord(
                name=r.row.name, actual=cell.stripped, score=chosen, reason=remark, location=cell.location
            )
    return found


def _catalog_code(catalog: Catalog, name: str) -> str | None:
    match = catalog.lookup(name)
    if match is None or match.method not in ("exact", "normalized"):
        return None
    code: str = match.entry.code
    return code


# --- one row ----------------------------------------------------------------------------------------------


def _score_row(r: _Row, policy: Policy, prior: Mapping[str, str]) -> ScoreLine:
    row, record = r.row, r.record
    diags = r.diagnostics
    written = row.target_text()
    target_text = written.combined if written is not None else ""
    base: dict[str, Any] = {
        "index": row.index,
        "level1": r.level1,
        "level2": r.level2,
        "level3": row.name,
        "code": r.code,
        "target": target_text or None,
        "weight": r.weight,
        "location": _where(row),
        "deviation": record.reason if record else None,
    }
    # a 得分 of 0 with no actual at all is a template's blank (or a score sheet's unreported line)
    blank = (
        record is not None
        and not (record.actual or "").strip()
        and not record.variables
        and record.score == 0
    )
    if record is None or not record.reported or blank:
        diags.append(diagnostic("IND801", location=_where(row), indicator=row.name))
        return _zero(
            base, policy, diags, LineStatus.MISSING, "missing", "未填报，得 0 分", "未填报实际完成值，得 0 分"
        )
    actual_text, actual_value, actual_unit = (record.actual or "").strip(), None, None
    if record.variables:
        computed = _compute_from_variables(row, record, diags)
        if computed is None:
            return _zero(
                base,
                policy,
                diags,
                LineStatus.INVALID,
                "invalid",
                "无法由变量计算实际值",
                "变量无法按计算公式求值，得 0 分",
            )
        actual_text, actual_value, actual_unit, arithmetic = computed
        base["actual"] = actual_text
        base["arithmetic_prefix"] = arithmetic
    else:
        base["actual"] = actual_text or None
    tier = policy.qualitative.tier_for_word(actual_text) if actual_text else None
    if tier is not None or (not actual_text and record.score is not None):
        return _score_tier(base, policy, r, tier, record, diags)
    return _score_against_target(
        base, policy, r, record, actual_text, actual_value, actual_unit, prior, diags
    )


def _compute_from_variables(
    row: IndicatorRow, record: ActualRecord, diags: list[Diagnostic]
) -> tuple[str, Decimal, str | None, str] | None:
    from indicators.formula import evaluate, parse_formula

    def unreadable(hint: str) -> None:
        text = "；".join(f"{k}={v}" for k, v in record.variables)
        diags.append(diagnostic("IND802", text=text, location=record.location, indicator=row.name, hint=hint))

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
    shown = result.display(2)
    names = "，".join(f"{k}={v}" for k, v in record.variables)
    return shown, result.value, result.unit, f"由变量计算：{formula.canonical()}（{names}）= {shown}"


def _score_tier(
    base: dict[str, Any],
    policy: Policy,
    r: _Row,
    tier: Tier | None,
    record: ActualRecord,
    diags: list[Diagnostic],
) -> ScoreLine:
    weight = r.weight
    chosen = record.score
    if tier is None:  # only a chosen score: its band names the tier
        assert chosen is not None
        share = chosen / weight if weight > 0 else ZERO
        tier = next(
            (t for t in policy.qualitative.tiers if t.contains(share)), policy.qualitative.tier("achieved")
        )
    calc = score_share(tier.default, weight, rule=f"qualitative.{tier.key}", what=f"“{tier.label}”档默认得分")
    if chosen is not None:
        share = chosen / weight if weight > 0 else ZERO
        if tier.contains(share) and chosen <= weight:
            calc = Calc(
                chosen,
                _TIER_STATUS[tier.key],
                share,
                f"“{tier.label}”档，自评得分 {fmt(chosen)} 在区间 {tier.band_text(weight)} 内",
                calc.rule,
            )
        else:
            diags.append(
                diagnostic(
                    "IND804",
                    score=fmt(chosen),
                    tier=tier.label,
                    band=tier.band_text(weight),
                    location=record.location,
                    indicator=r.row.name,
                    hint=f"改为区间内的得分；未改前按该档默认比例 {fmt(tier.default * 100)}% 计分",
                )
            )
    calc = Calc(calc.score, _TIER_STATUS[tier.key], calc.achievement, calc.arithmetic, calc.rule)
    return _line(
        base | {"tier": tier.key}, policy, calc, diags, explanation=f"定性指标，自评为“{tier.label}”"
    )


def _score_against_target(
    base: dict[str, Any],
    policy: Policy,
    r: _Row,
    record: ActualRecord,
    actual_text: str,
    actual_value: Decimal | None,
    actual_unit: str | None,
    prior: Mapping[str, str],
    diags: list[Diagnostic],
) -> ScoreLine:
    from indicators.target import parse_actual, parse_target

    row = r.row
    if row.target is None or row.target.empty:
        diags.append(
            diagnostic(
                "IND807",
                reason="申报表中该指标没有年度指标值",
                location=_where(row),
                indicator=row.name,
                hint="按“达成/部分达成/未达成”填报实际完成情况",
            )
        )
        return _invalid(base, policy, diags, "缺少年度指标值")
    written = row.target_text()
    assert written is not None  # the target cell is not empty
    try:
        target = parse_target(
            written.text,
            unit=written.unit,
            level1=r.level1 or None,
            level2=r.level2 or None,
            indicator=row.name,
        )
    except IndicatorsError as exc:  # TargetSyntaxError, or a limit exceeded (IND001)
        diags.extend(d.with_location(row.target.location, indicator=row.name) for d in exc.diagnostics)
        diags.append(
            diagnostic(
                "IND807",
                reason=f"年度指标值“{row.target.stripped}”无法识别",
                location=row.target.location,
                indicator=row.name,
                hint="按“达成/部分达成/未达成”填报实际完成情况，或修正指标值",
            )
        )
        return _invalid(base, policy, diags, "年度指标值无法识别")
    if actual_value is not None:
        measured: tuple[Decimal, str | None] | None = (actual_value, actual_unit)
        actual_obj: Actual | None = None
    else:
        try:
            actual_obj = parse_actual(actual_text, unit=written.unit)
        except IndicatorsError as exc:  # ValueSyntaxError, or a limit exceeded (IND001)
            first = exc.diagnostics[0] if exc.diagnostics else None
            # the message quotes the whole value; the caret excerpt points at where reading stopped
            found = diagnostic(
                "IND802",
                text=actual_text,
                location=record.location,
                indicator=row.name,
                hint=(first.hint or first.message) if first else None,
            )
            diags.append(found.model_copy(update={"span": first.span if first else None}))
            return _invalid(base, policy, diags, f"实际完成值“{actual_text}”无法识别")
        if actual_obj.tier is not None:
            tier = policy.qualitative.tier(str(actual_obj.tier))
            return _score_tier(base, policy, r, tier, record, diags)
        measured = (actual_obj.value, actual_obj.unit) if actual_obj.value is not None else None
    kind = str(target.kind)
    if kind in ("numeric", "range") and measured is not None:
        converted = _convert(measured, target.unit)
        if converted is None:
            reason = f"实际值单位“{measured[1]}”与指标值单位“{target.unit}”不能换算"
            diags.append(diagnostic("IND807", reason=reason, location=record.location, indicator=row.name))
            return _invalid(base, policy, diags, reason)
        if actual_value is None and _looks_like_fraction(actual_text, converted, target):
            shown = fmt(converted * 100)
            diags.append(
                diagnostic(
                    "IND814",
                    text=actual_text,
                    location=record.location,
                    indicator=row.name,
                    hint=f"若实际完成值是 {shown}%，请写作“{shown}%”（表格中可设为百分比格式）",
                )
            )
        return _score_quantitative(base, policy, r, record, target, converted, diags)
    if kind == "relative":
        baseline = prior.get(normalize_name(row.name)) or (
            prior.get(normalize_name(r.code)) if r.code else None
        )
        if baseline is None:
            diags.append(_no_baseline(r, target.text))
            return _zero(
                base, policy, diags, LineStatus.NEEDS_BASELINE, "relative", _NO_BASELINE, "相对目标缺少基期值"
            )
        outcome = target.evaluate(actual_obj if actual_obj is not None else actual_text, baseline)
        return _score_outcome(base, policy, r, record, outcome, diags, rule="relative")
    outcome = target.evaluate(actual_obj if actual_obj is not None else actual_text)
    if kind == "grade" and str(outcome.status) == "not_met":
        short = _grade_shortfall_tier(policy, target, actual_obj, actual_text)
        if short is not None:
            line = _score_tier(base, policy, r, short, record, diags)
            explanation = f"{outcome.explanation}；按“{short.label}”档计分"
            return line.model_copy(update={"explanation": explanation, "rule": f"grade.{short.key}"})
    return _score_outcome(base, policy, r, record, outcome, diags, rule=f"judged.{kind}")


def _looks_like_fraction(actual_text: str, value: Decimal, target: Target) -> bool:
    """A bare number in (0, 1] against a percentage target above 1%: likely ``0.965`` for 96.5%."""
    if target.unit != "%" or any(sign in actual_text for sign in ("%", "％", "百分")):
        return False
    bounds = [b for b in (target.bound, target.lower) if b is not None]
    return 0 < value <= 1 and any(b > 1 for b in bounds)


def _grade_shortfall_tier(
    policy: Policy, target: Target, actual: Actual | None, actual_text: str
) -> Tier | None:
    """The qualitative tier of a grade target missed by some levels (policy ``grade_shortfall``)."""
    from indicators.target.grades import common_scale

    shortfall = policy.qualitative.grade_shortfall
    if not shortfall or target.grade is None:
        return None
    word = actual.grade if actual is not None and actual.grade else actual_text.strip()
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


def _convert(measured: tuple[Decimal, str | None], unit: str | None) -> Decimal | None:
    value, given = measured
    if not given or not unit or given == unit:
        return value
    import pint

    from indicators.errors import UnitError
    from indicators.units import parse_unit, quantity

    try:
        magnitude: Decimal = quantity(value, given).to(parse_unit(unit)).magnitude
    except (UnitError, pint.errors.PintError):  # an unknown unit, or units of different dimensions
        return None
    return magnitude


def _score_quantitative(
    base: dict[str, Any],
    policy: Policy,
    r: _Row,
    record: ActualRecord,
    target: Target,
    actual: Decimal,
    diags: list[Diagnostic],
) -> ScoreLine:
    q = policy.quantitative
    weight = r.weight
    comparator = target.comparator or "ge"
    if target.lower is not None and target.upper is not None and comparator in ("between", "ge"):
        calc = score_range(
            actual,
            target.lower,
            target.upper,
            weight,
            strategy=q.lower_is_better,
            negative_as_zero=q.negative_actual_as_zero,
        )
    elif target.bound is None:
        diags.append(
            diagnostic(
                "IND807",
                reason=f"指标值“{target.text}”没有可比较的数值",
                indicator=r.row.name,
                location=record.location,
            )
        )
        return _invalid(base, policy, diags, "指标值没有可比较的数值")
    elif comparator in ("le", "lt"):
        calc = score_lower(
            actual,
            target.bound,
            weight,
            strategy=q.lower_is_better,
            negative_as_zero=q.negative_actual_as_zero,
        )
    elif comparator == "eq":
        calc = score_exact(
            actual, target.bound, weight, strategy=q.exact, negative_as_zero=q.negative_actual_as_zero
        )
    else:
        calc = score_higher(
            actual, target.bound, weight, cap=q.cap, negative_as_zero=q.negative_actual_as_zero
        )
    overshoot = False
    if comparator in ("ge", "gt", "eq") and target.bound is not None:
        bound: Decimal = target.bound
        over = policy.overshoot
        if bound > 0:
            overshoot = actual >= bound * over.factor
        elif bound == 0 and over.zero_target_threshold is not None:
            overshoot = actual >= over.zero_target_threshold
        if overshoot and not (record.reason or "").strip():
            ratio = f"{fmt(actual / bound * 100, 2)}%" if bound > 0 else f"实际 {fmt(actual)}"
            diags.append(
                diagnostic(
                    "IND805",
                    ratio=ratio,
                    location=record.location,
                    indicator=r.row.name,
                    hint=f"实际值达到指标值的 {fmt(over.factor)} 倍及以上，请填写偏差原因",
                )
            )
    unit = f"（单位：{target.unit}）" if target.unit else ""
    verb = {LineStatus.MET: "达到", LineStatus.PARTIAL: "未达到", LineStatus.NOT_MET: "未达到"}.get(
        calc.status, ""
    )
    explanation = f"实际 {fmt(actual)} {verb}指标值“{target.text}”{unit}"
    line = _line(base | {"overshoot": overshoot}, policy, calc, diags, explanation=explanation)
    return _chosen_not_used(line, record)


def _score_outcome(
    base: dict[str, Any],
    policy: Policy,
    r: _Row,
    record: ActualRecord,
    outcome: Outcome,
    diags: list[Diagnostic],
    *,
    rule: str,
) -> ScoreLine:
    status = str(outcome.status)
    weight = r.weight
    # how the actual was read (restated target IND218, a requirement IND219 …): kept on the line
    diags.extend(
        d.with_location(record.location, indicator=r.row.name)
        for d in outcome.diagnostics
        if d.code in _READING_NOTES
    )
    if status == "met":
        calc = score_share(policy.qualitative.judged_met, weight, rule=rule, what="达到指标值")
        calc = Calc(calc.score, LineStatus.MET, outcome.achievement, calc.arithmetic, rule)
    elif status == "not_met":
        achievement = outcome.achievement
        if rule == "relative" and achievement is not None:
            share = min(max(achievement, ZERO), Decimal(1))
            calc = score_share(share, weight, rule=rule, what="按完成比例")
        else:
            calc = score_share(policy.qualitative.judged_not_met, weight, rule=rule, what="未达到指标值")
        status_enum = LineStatus.PARTIAL if calc.score > 0 else LineStatus.NOT_MET
        calc = Calc(calc.score, status_enum, achievement, calc.arithmetic, rule)
    elif status == "needs_baseline":
        diags.append(_no_baseline(r, base.get("target") or ""))
        calc = Calc(ZERO, LineStatus.NEEDS_BASELINE, None, _NO_BASELINE, rule)
    else:
        diags.append(
            diagnostic(
                "IND807",
                reason=_not_comparable_reason(str(outcome.explanation)),
                location=record.location,
                indicator=r.row.name,
                hint="可按“达成/部分达成/未达成”填报并给出自评得分",
            )
        )
        calc = Calc(ZERO, LineStatus.INVALID, None, "无法比较，得 0 分", rule)
    return _chosen_not_used(_line(base, policy, calc, diags, explanation=str(outcome.explanation)), record)


def _chosen_not_used(line: ScoreLine, record: ActualRecord) -> ScoreLine:
    """IND813 on a row scored automatically whose reported 得分 differs from the score it gets
    (a 自评表's 得分 that agrees needs no note)."""
    if record.score is None or record.score == line.score:
        return line
    note = diagnostic("IND813", name=line.level3, score=fmt(record.score), location=record.location)
    return line.model_copy(update={"diagnostics": (*line.diagnostics, note)})


_NOT_COMPARABLE = re.compile(
    r"^实际值“(?P<actual>.*?)”与指标值“(?P<target>.*?)”无法比较[：:](?P<why>.+)$", re.S
)


def _not_comparable_reason(explanation: str) -> str:
    """The target language's explanation without its own "…无法比较：" lead (IND807 says that already)."""
    found = _NOT_COMPARABLE.match(explanation)
    if found is None:
        return explanation
    return f"{found['why']}（实际值“{found['actual']}”，指标值“{found['target']}”）"


_NO_BASELINE = "缺少基期值，得 0 分"
#: notes of the target language on how an actual value was read, kept on the score line
_READING_NOTES = frozenset({"IND218", "IND219", "IND220", "IND225", "IND226", "IND303"})


def _no_baseline(r: _Row, target_text: str) -> Diagnostic:
    return diagnostic(
        "IND806",
        text=target_text,
        location=_where(r.row),
        indicator=r.row.name,
        hint="用 --prior 提供上年实际值",
    )


def _zero(
    base: dict[str, Any],
    policy: Policy,
    diags: Sequence[Diagnostic],
    status: LineStatus,
    rule: str,
    arithmetic: str,
    explanation: str,
) -> ScoreLine:
    """A line that scores 0 because it cannot be scored (missing, unreadable, no baseline …)."""
    return _line(base, policy, Calc(ZERO, status, None, arithmetic, rule), diags, explanation=explanation)


def _invalid(base: dict[str, Any], policy: Policy, diags: list[Diagnostic], why: str) -> ScoreLine:
    return _zero(base, policy, diags, LineStatus.INVALID, "invalid", f"{why}，得 0 分", why)


def _line(
    base: dict[str, Any],
    policy: Policy,
    calc: Calc,
    diags: Sequence[Diagnostic],
    *,
    explanation: str,
    cap: bool | None = None,
) -> ScoreLine:
    """The line for ``calc``: its score bounded below by 0 and, with ``cap``, above by the weight."""
    if cap is None:
        cap = policy.quantitative.cap
    fields = dict(base)
    prefix = fields.pop("arithmetic_prefix", None)
    weight: Decimal = fields["weight"]
    bounded = max(calc.score, ZERO)
    if cap:
        bounded = min(bounded, weight)
    score = policy.rounding.apply(bounded)
    arithmetic = calc.arithmetic
    if score != calc.score:
        arithmetic = f"{arithmetic} → {score}"
    if prefix:
        arithmetic = f"{prefix}；{arithmetic}"
    return ScoreLine(
        **fields,
        score=score,
        status=calc.status,
        achievement=calc.achievement,
        rule=calc.rule,
        arithmetic=arithmetic,
        explanation=explanation,
        diagnostics=tuple(diags),
    )


# --- budget execution and totals ----------------------------------------------------------------------


def _merge_budget(from_file: BudgetExecution | None, given: BudgetExecution | None) -> BudgetExecution | None:
    if from_file is None:
        return given
    if given is None:
        return from_file
    return BudgetExecution(
        total=given.total if given.total is not None else from_file.total,
        executed=given.executed if given.executed is not None else from_file.executed,
        initial=given.initial if given.initial is not None else from_file.initial,
        unit=given.unit,
    )


def _budget_line(
    figures: BudgetExecution | None, policy: Policy, *, weight: Decimal | None = None
) -> ScoreLine:
    rule = policy.budget_execution
    label = rule.label
    weight = rule.weight if weight is None else weight
    base: dict[str, Any] = {
        "index": None,
        "level1": label,
        "level2": label,
        "level3": label,
        "weight": weight,
        "target": "100%",
    }
    missing = [
        name
        for name, value in (
            ("全年预算数", figures.total if figures else None),
            ("全年执行数", figures.executed if figures else None),
        )
        if value is None
    ]
    if missing or figures is None or figures.total is None or figures.executed is None:
        d = diagnostic("IND809", missing="、".join(missing))
        return _line(
            base,
            policy,
            Calc(ZERO, LineStatus.MISSING, None, "缺少预算执行数据，得 0 分", "budget_execution"),
            [d],
            explanation="未提供全年预算数或全年执行数",
        )
    calc = score_budget(figures.executed, figures.total, weight, cap=rule.cap)
    diags: list[Diagnostic] = []
    if calc.status is LineStatus.INVALID:
        diags.append(
            diagnostic("IND810", what="全年预算数", text=fmt(figures.total), hint="全年预算数须大于 0")
        )
    rate = None
    if calc.achievement is not None:
        rate = f"{(calc.achievement * 100).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%"
    base["actual"] = rate
    return _line(
        base,
        policy,
        calc,
        diags,
        explanation=(
            f"执行率 {fmt(figures.executed, 6)}%（填报的执行率）"
            if figures.unit == "%"
            else f"执行率 = 全年执行数 {fmt(figures.executed, 6)} ÷ 全年预算数 {fmt(figures.total, 6)}"
        ),
        cap=rule.cap is not None,
    )


def _assemble(
    form: Form,
    policy: Policy,
    lines: list[ScoreLine],
    figures: BudgetExecution | None,
    diags: list[Diagnostic],
) -> ScoreSheet:
    l1: dict[str, tuple[str, Decimal, Decimal]] = {}
    l2: dict[tuple[str, str], tuple[str, str, Decimal, Decimal]] = {}
    for line in lines:
        k1 = normalize_name(line.level1)
        name1, w1, s1 = l1.get(k1, (line.level1, ZERO, ZERO))
        l1[k1] = (name1, w1 + line.weight, s1 + line.score)
        k2 = (k1, normalize_name(line.level2))
        _, name2, w2, s2 = l2.get(k2, (name1, line.level2, ZERO, ZERO))
        l2[k2] = (name1, name2, w2 + line.weight, s2 + line.score)
    subtotals: list[Subtotal] = []
    for k1, (name1, w1, s1) in l1.items():
        subtotals.append(Subtotal(level1=name1, weight=w1, score=s1))
        subtotals.extend(
            Subtotal(level1=n1, level2=n2, weight=w2, score=s2)
            for (key1, _), (n1, n2, w2, s2) in l2.items()
            if key1 == k1
        )
    total = sum((line.score for line in lines), ZERO)
    weight_total = sum((line.weight for line in lines), ZERO)
    return ScoreSheet(
        policy=policy.name,
        source=form.source,
        title=form.title,
        lines=tuple(lines),
        budget=figures,
        subtotals=tuple(subtotals),
        weight_total=weight_total,
        total=total,
        grade=policy.grade_for(total),
        diagnostics=tuple(diags),
    )


def _text(cell: Cell | None) -> str:
    return cell.stripped if cell is not None else ""


def _where(row: IndicatorRow) -> Location | None:
    for cell in (row.level3, row.target, row.level2):
        if cell is not None and cell.location is not None:
            return cell.location
    return None
