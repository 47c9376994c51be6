"""Step 4 of scoring: subtotals, the total, the whole-table weight check, rescaling and the grade.

Subtotals and the total are exact sums of the rounded line scores. When the lines' weights add up to
something other than the policy's total (100), the total is rescaled to it and the grade is taken on the
rescaled total (IND818 says so); when the difference is not explained by a level-1 share the form lacks
(no 满意度 rows) or a 预算执行率 line it lacks, the weights are also reported as not adding up (IND803).
"""

from __future__ import annotations

from decimal import Decimal

from indicators.codes import diagnostic
from indicators.diagnostics import Diagnostic
from indicators.forms.model import Form
from indicators.scoring.arithmetic import ZERO, fmt
from indicators.scoring.context import Context, RowState
from indicators.scoring.sheet import BudgetExecution, ScoreLine, ScoreSheet, Subtotal
from indicators.text import normalize_name


def subtotals(lines: list[ScoreLine]) -> tuple[Subtotal, ...]:
    """Per level-1 as written on the form, and per level-2 within it."""
    l1: dict[str, tuple[str, Decimal, Decimal]] = {}
    l2: dict[tuple[str, str], tuple[str, str, Decimal, Decimal]] = {}
    for line in lines:
        k1 = normalize_name(line.level1)
        name1, w1, s1 = l1.get(k1, (line.level1, ZERO, ZERO))
        l1[k1] = (name1, w1 + line.weight, s1 + line.score)
        k2 = (k1, normalize_name(line.level2))
        _, name2, w2, s2 = l2.get(k2, (name1, line.level2, ZERO, ZERO))
        l2[k2] = (name1, name2, w2 + line.weight, s2 + line.score)
    out: list[Subtotal] = []
    for k1, (name1, w1, s1) in l1.items():
        out.append(Subtotal(level1=name1, weight=w1, score=s1))
        out.extend(
            Subtotal(level1=n1, level2=n2, weight=w2, score=s2)
            for (key1, _), (n1, n2, w2, s2) in l2.items()
            if key1 == k1
        )
    return tuple(out)


def absent_parts(rows: list[RowState], lines: list[ScoreLine], ctx: Context) -> list[tuple[str, Decimal]]:
    """The policy's shares with no row on the form, and the 预算执行率 line when the sheet has none."""
    policy = ctx.policy
    present = {r.share.name for r in rows if r.share is not None}
    parts = [(s.name, s.weight) for s in policy.level1 if s.name not in present]
    if not any(line.index is None for line in lines) and policy.budget_execution.weight > 0:
        parts.append((policy.budget_execution.label, policy.budget_execution.weight))
    return parts


def assemble(
    form: Form,
    rows: list[RowState],
    lines: list[ScoreLine],
    figures: BudgetExecution | None,
    ctx: Context,
) -> ScoreSheet:
    policy = ctx.policy
    total = sum((line.score for line in lines), ZERO)
    weight_total = sum((line.weight for line in lines), ZERO)
    absent = absent_parts(rows, lines, ctx)
    ctx.findings.extend(_weight_check(weight_total, absent, rows, ctx))
    scaled: Decimal | None = None
    graded = total
    if policy.rescale and weight_total > 0 and weight_total != policy.total:
        scaled = policy.rounding.apply(total * policy.total / weight_total)
        graded = scaled
        why = "；缺" + "、".join(f"{name}（{fmt(w)} 分）" for name, w in absent) if absent else ""
        ctx.findings.append(
            diagnostic(
                "IND818",
                weights=fmt(weight_total),
                why=why,
                total=fmt(total),
                scale=fmt(policy.total),
                scaled=str(scaled),
                data={"weights": str(weight_total), "absent": [name for name, _ in absent]},
            )
        )
    form_type = str(form.form_type)
    return ScoreSheet(
        policy=policy.name,
        source=form.source,
        title=form.title,
        form_type=form_type,
        sheet_title=f"{form.form_type.label}绩效自评表",
        lines=tuple(lines),
        budget=figures,
        subtotals=subtotals(lines),
        weight_total=weight_total,
        total=total,
        scaled_total=scaled,
        grade=policy.grade_for(graded),
        diagnostics=tuple(ctx.findings),
    )


def _weight_check(
    weight_total: Decimal, absent: list[tuple[str, Decimal]], rows: list[RowState], ctx: Context
) -> list[Diagnostic]:
    """IND803 when all weights (with the 预算执行率 line) do not make the policy's total, unless what the
    form lacks (a share, the 预算执行率 line) accounts for the difference exactly."""
    policy = ctx.policy
    if weight_total == policy.total:
        return []
    if absent and weight_total + sum((w for _, w in absent), ZERO) == policy.total:
        return _satisfaction_elsewhere(rows, absent)
    return [
        diagnostic(
            "IND803",
            scope="全表（含预算执行率）",
            actual=fmt(weight_total),
            expected=fmt(policy.total),
            data={"actual": str(weight_total), "expected": str(policy.total)},
        )
    ]


def _satisfaction_elsewhere(rows: list[RowState], absent: list[tuple[str, Decimal]]) -> list[Diagnostic]:
    """满意度 rows under another level-1 (效益指标 in older templates) while the 满意度 share is absent."""
    if not any("满意度" in name for name, _ in absent):
        return []
    found = [r for r in rows if "满意度" in r.level2 and r.share is not None and "满意度" not in r.share.name]
    if not found:
        return []
    r = found[0]
    return [
        diagnostic(
            "IND824",
            level1=r.share.name if r.share else r.level1,
            level2=r.level2,
            name=r.row.name,
            indicator=r.row.name,
        )
    ]
