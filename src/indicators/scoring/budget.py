"""The 预算执行率 line(s): executed ÷ budget × weight, on the budget the policy names.

Where the figures come from, first found wins for each figure: the command line (``budget=``), the
actuals file, the form's own funds table (``Form.budget``: 年初预算数 | 全年预算数 | 全年执行数 of
年度资金总额, with the 分值 | 执行率 | 得分 written beside them), and a self-evaluation table's own
预算执行率 rows (``项目资金 | 预算执行`` rows inside the indicator table), which replace the policy's line.

A line is scored only where the form has one (its rows or its funds table) or figures are given; a
declared form being scored always gets the policy's line (IND809 without figures). Execution above the
budget is reported (IND817), never silently capped.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from indicators.codes import diagnostic
from indicators.diagnostics import Diagnostic
from indicators.forms.model import BudgetGroup, Form, FormKind, IndicatorRow
from indicators.scoring.actuals import parse_amount, parse_decimal
from indicators.scoring.arithmetic import ZERO, Calc, fmt, score_budget
from indicators.scoring.context import Context, RowState, make_line, text
from indicators.scoring.match import BUDGET_NAMES
from indicators.scoring.sheet import BudgetExecution, LineStatus, ScoreLine
from indicators.text import normalize_name

_AMOUNT_UNIT = re.compile(r"(万元|亿元|元|万|亿)\s*$")
_HUNDRED = Decimal(100)


def is_budget_row(r: RowState, ctx: Context) -> bool:
    """A 预算执行率 / 项目资金 row outside the level-1 shares (an indicator named 预算执行率 under
    产出指标 is an ordinary indicator of that share)."""
    if ctx.policy.share_for(r.level1) is not None:
        return False
    return any(normalize_name(n) in BUDGET_NAMES for n in (r.level1, r.level2, r.row.name) if n)


def form_figures(form: Form) -> BudgetExecution | None:
    """The figures the form gives: a project's funds table (the 年度资金总额 row, else the first source
    written), or a department's 预算整体情况 (部门预算支出 = 基本支出 + 项目支出, its 年初预算数)."""
    items = [i for i in form.budget if i.group is BudgetGroup.PROJECT and i.measure]
    if not items:
        return _department_budget(form)
    labels = [i.label for i in items]
    label = "年度资金总额" if "年度资金总额" in labels else labels[0]
    found: dict[str, Any] = {}
    for item in (i for i in items if i.label == label):
        field = _MEASURE_FIELDS.get(item.measure or "")
        if field is not None and item.amount is not None and field not in found:
            found[field] = item.amount
            if field in ("total", "executed", "initial"):
                found.setdefault("unit", item.unit)
    if not {"total", "executed", "initial"} & found.keys():
        return None
    return BudgetExecution(**found)


def _department_budget(form: Form) -> BudgetExecution | None:
    from indicators.forms.money import TO_WAN

    spending = [i for i in form.budget if i.group is BudgetGroup.SPENDING and i.amount is not None]
    if not spending or any(i.unit not in TO_WAN for i in spending):
        return None
    initial = sum((i.amount * TO_WAN[i.unit] for i in spending if i.amount is not None), ZERO)
    return BudgetExecution(initial=initial.normalize() if initial != initial.to_integral_value() else initial)


_MEASURE_FIELDS = {
    "年初预算数": "initial",
    "全年预算数": "total",
    "全年执行数": "executed",
    "分值": "weight",
    "执行率": "rate",
    "得分": "score",
}


def merge(*layers: BudgetExecution | None) -> BudgetExecution | None:
    """Figures field by field, the later layers winning (form < actuals file < command line)."""
    present = [layer for layer in layers if layer is not None]
    if not present:
        return None
    out: dict[str, Any] = {}
    for layer in present:
        for name, value in layer.model_dump(exclude_defaults=True).items():
            if value is not None:
                out[name] = value
    return BudgetExecution(**out)


def budget_lines(
    form: Form, budget_rows: list[RowState], figures: BudgetExecution | None, ctx: Context
) -> list[ScoreLine]:
    """The 预算执行率 line(s) of the sheet (none for a 自评表 that has none)."""
    rule = ctx.policy.budget_execution
    if budget_rows:
        lines = []
        for n, r in enumerate(budget_rows):
            own = row_figures(r.row)
            # figures from the actuals file or the command line complete the first row only
            used = own or (figures if n == 0 else None)
            weight = _row_weight(r) or (used.weight if used and used.weight is not None else rule.weight)
            line = score_line(used, ctx, weight=weight, reason=r.record.reason if r.record else None)
            lines.append(_as_row_line(line, r))
        return lines
    if figures is None and form.kind is FormKind.SELF_EVALUATION:
        return []
    weight = figures.weight if figures is not None and figures.weight is not None else rule.weight
    return [score_line(figures, ctx, weight=weight)]


def no_room_for_budget(
    form: Form,
    budget_rows: list[RowState],
    rows: list[RowState],
    ctx: Context,
    *,
    own: BudgetExecution | None,
) -> bool:
    """A 自评表 with no 预算执行率 row, and no 分值 in its funds table (``own``), whose own 分值
    already add up to the policy's total (``产出指标(70分)``, ``效益指标(20分)``, ``满意度指标(10分)``):
    the form has no place for a 预算执行率 line, so figures from an actuals file or the command line
    do not add one (IND844 reports the rate)."""
    if budget_rows or form.kind is not FormKind.SELF_EVALUATION or not rows:
        return False
    if own is not None and own.weight is not None:
        return False
    if any(r.weight_source not in ("form", "share") for r in rows):
        return False
    return sum((r.weight for r in rows), Decimal(0)) >= ctx.policy.total


def not_scored(figures: BudgetExecution, rows: list[RowState], ctx: Context) -> Diagnostic:
    """IND844: the budget figures given, reported but not scored."""
    weights = sum((r.weight for r in rows), Decimal(0))
    rate = None
    if figures.total and figures.executed is not None:
        rate = (figures.executed / figures.total * 100).quantize(Decimal("0.01"))
    shown = f"预算执行率 {rate}%" if rate is not None else "预算执行数据"
    return diagnostic(
        "IND844", weights=fmt(weights), total=fmt(ctx.policy.total), rate=shown,
        data={"weights": str(weights), "rate": str(rate) if rate is not None else None},
    )


def _row_weight(r: RowState) -> Decimal | None:
    cell = r.row.weight
    value = parse_decimal(cell.text) if cell is not None and not cell.empty else None
    return value if value is not None and value >= 0 else None


def row_figures(row: IndicatorRow) -> BudgetExecution | None:
    """全年预算数/全年执行数 from a budget row's target and actual cells (amounts, or a rate in %), with
    its 分值 and 得分."""
    target, actual = text(row.target), text(row.actual)
    written = {
        "weight": parse_decimal(text(row.weight)) if row.weight is not None else None,
        "score": parse_decimal(text(row.score)) if row.score is not None else None,
    }
    extra = {k: v for k, v in written.items() if v is not None}
    if not actual:
        return None
    if actual.endswith(("%", "％")) or target.endswith(("%", "％")):  # the rate itself: 95.5% (of 100%)
        rate = parse_decimal(actual.rstrip("%％"))
        if rate is None:
            return None
        return BudgetExecution(total=_HUNDRED, executed=rate, unit="%", rate=rate, **extra)
    # amounts: 元 and 亿元 become 万元; a bare amount takes the unit written on the other cell
    units = [_AMOUNT_UNIT.search(t) for t in (target, actual)]
    unit = next((found[0] for found in units if found is not None), "")
    total, executed = (
        parse_amount(t if found is not None else t + unit)
        for t, found in zip((target, actual), units, strict=True)
    )
    if total is None or executed is None:
        return None
    return BudgetExecution(total=total, executed=executed, unit="万元" if unit else "", **extra)


def _as_row_line(line: ScoreLine, r: RowState) -> ScoreLine:
    """The budget line under the row's own names (``index`` stays None: it is a budget line)."""
    return line.model_copy(
        update={
            "row": r.row.row,
            "level1": r.level1 or line.level1,
            "level2": r.level2 or line.level2,
            "level3": r.row.name or line.level3,
            "target": text(r.row.target) or line.target,
            "reported_score": parse_decimal(text(r.row.score)) if r.row.score is not None else None,
            "deviation": r.record.reason if r.record else None,
            "weight_source": "form" if _row_weight(r) is not None else "policy",
        }
    )


def score_line(
    figures: BudgetExecution | None, ctx: Context, *, weight: Decimal, reason: str | None = None
) -> ScoreLine:
    """One 预算执行率 line: the rate on the policy's budget (年初 or 全年), × weight."""
    rule = ctx.policy.budget_execution
    label = rule.label
    base: dict[str, Any] = {
        "index": None,
        "level1": label,
        "level2": label,
        "level3": label,
        "weight": weight,
        "weight_source": "policy",
        "target": "100%",
        "kind": "budget",
        "figures": figures,
        "reported_score": figures.score if figures is not None else None,
        "deviation": reason,
    }
    diags: list[Diagnostic] = []
    budget, basis = _denominator(figures, ctx, diags)
    executed = figures.executed if figures is not None else None
    if budget is None or executed is None:
        missing = [n for n, v in ((basis or "全年预算数", budget), ("全年执行数", executed)) if v is None]
        diags.append(diagnostic("IND809", missing="、".join(missing)))
        calc = Calc(ZERO, LineStatus.MISSING, None, "缺少预算执行数据，得 0 分", "budget_execution")
        return make_line(base, ctx.policy, calc, diags, explanation="未提供预算数或执行数")
    assert figures is not None
    calc = score_budget(executed, budget, weight, cap=rule.cap)
    if calc.status is LineStatus.INVALID:
        diags.append(diagnostic("IND810", what=basis, text=fmt(budget), hint=f"{basis}须大于 0"))
    elif calc.achievement is not None:
        diags.extend(_rate_findings(calc.achievement, executed, budget, basis, ctx, reason))
    if calc.achievement is not None:
        base["actual"] = f"{(calc.achievement * 100).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%"
    explanation = (
        f"执行率 {fmt(executed, 6)}%（填报的执行率）"
        if figures.unit == "%"
        else f"执行率 = 全年执行数 {fmt(executed, 6)} ÷ {basis} {fmt(budget, 6)}"
    )
    return make_line(base, ctx.policy, calc, diags, explanation=explanation, cap=rule.cap is not None)


def _denominator(
    figures: BudgetExecution | None, ctx: Context, diags: list[Diagnostic]
) -> tuple[Decimal | None, str | None]:
    """The budget the rate is taken on, and its name; the other one (IND819) when it is missing."""
    if figures is None:
        return None, None
    if figures.unit == "%":
        return figures.total, "全年预算数"
    wanted = ctx.policy.budget_execution.denominator
    named = {"adjusted": ("全年预算数", figures.total), "initial": ("年初预算数", figures.initial)}
    other = "initial" if wanted == "adjusted" else "adjusted"
    name, value = named[wanted]
    if value is not None and value > 0:
        return value, name
    alt_name, alt = named[other]
    if alt is not None and alt > 0:
        diags.append(diagnostic("IND819", wanted=name, used=alt_name))
        return alt, alt_name
    return value, name


def _rate_findings(
    rate: Decimal, executed: Decimal, budget: Decimal, basis: str | None, ctx: Context, reason: str | None
) -> list[Diagnostic]:
    rule = ctx.policy.budget_execution
    shown = f"{fmt(rate * 100, 2)}%"
    found: list[Diagnostic] = []
    if rate > 1:
        capped = (
            f"按 {fmt(rule.cap * 100)}% 计分"
            if rule.cap is not None and rate > rule.cap
            else "按实际执行率计分"
        )
        found.append(
            diagnostic(
                "IND817",
                executed=fmt(executed, 6),
                basis=basis or "预算数",
                budget=fmt(budget, 6),
                rate=shown,
                hint=f"{capped}；请核实执行数，或说明超预算支出的原因",
            )
        )
    if rule.reason_below is not None and rate < rule.reason_below and not (reason or "").strip():
        found.append(diagnostic("IND823", rate=shown, limit=f"{fmt(rule.reason_below * 100)}%"))
    return found
