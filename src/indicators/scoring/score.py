"""Scoring a form against its actual values: :func:`score_form`.

The steps, one module each: match actual values to rows (``match``) → weights (``weights``) → one line
per row by target kind (``rows``, ``kinds``) → the 预算执行率 line(s) (``budget``) → totals and grade
(``totals``). Scores are rounded once per line; subtotals and the total are sums of the rounded lines.
Bad data never raises: each problem becomes a diagnostic on its line or on the sheet.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from indicators.codes import diagnostic
from indicators.diagnostics import Diagnostic
from indicators.forms.model import Form, IndicatorRow
from indicators.limits import in_engine_context
from indicators.scoring import budget as budget_step
from indicators.scoring.actuals import Actuals
from indicators.scoring.context import Context, RowState, text
from indicators.scoring.match import match_records, own_record, take_budget_rate
from indicators.scoring.policy import Policy, policy_for
from indicators.scoring.rows import compute_from_variables, score_row
from indicators.scoring.sheet import BudgetExecution, ScoreSheet
from indicators.scoring.totals import assemble
from indicators.scoring.weights import assign_weights
from indicators.text import normalize_name

if TYPE_CHECKING:
    from indicators.catalog import Catalog


@in_engine_context
def score_form(
    form: Form,
    actuals: Actuals | None = None,
    *,
    policy: Policy | None = None,
    budget: BudgetExecution | None = None,
    prior: Mapping[str, str] | None = None,
    catalog: Catalog | None = None,
) -> ScoreSheet:
    """Score every indicator row of ``form`` and its 预算执行率 line; never raises on bad data.

    ``policy`` defaults to the shipped policy for the form's type (项目支出: project-2020, 部门整体:
    department). ``budget`` overrides the figures of the actuals file field by field; ``prior`` maps
    level-3 names (or catalog codes) to last year's actual values, the baseline of relative targets.
    """
    policy = policy or policy_for(str(form.form_type))
    actuals = actuals or Actuals()
    ctx = Context(
        policy=policy,
        prior={normalize_name(k): v for k, v in (prior or {}).items()},
        catalog=catalog,
        findings=list(actuals.diagnostics),
    )
    every = [RowState(row=r, level1=text(r.level1), level2=text(r.level2)) for r in form.indicators]
    # a self-evaluation table carries its own 预算执行率 row(s): they replace the policy's line; such a
    # row may name only its category (预算执行率 in the level-1 cell, merged across the names)
    budget_rows = [r for r in every if budget_step.is_budget_row(r, ctx) and _filled(r.row)]
    rows = [r for r in every if r not in budget_rows and r.row.level3 is not None and not r.row.level3.empty]
    assign_weights(rows, ctx)
    actuals, rate = take_budget_rate(actuals, rows)
    ctx.findings.extend(match_records(rows, actuals, catalog))
    for r in budget_rows:
        r.record = own_record(r)
    lines = [score_row(r, ctx) for r in rows]
    from_file = actuals.budget
    if rate is not None and (from_file is None or from_file.total is None or from_file.executed is None):
        from_file = rate
    own = budget_step.form_figures(form)
    figures = budget_step.merge(own, from_file, budget)
    if budget_step.no_room_for_budget(form, budget_rows, rows, ctx, own=own):
        if figures is not None:
            ctx.findings.append(budget_step.not_scored(figures, rows, ctx))
    else:
        lines.extend(budget_step.budget_lines(form, budget_rows, figures, ctx))
    return assemble(form, rows, lines, figures, ctx)


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
            computed = compute_from_variables(row, record, found)
            if computed is not None:
                values[key] = computed[0]
    return values, found


def _filled(row: IndicatorRow) -> bool:
    """A row with a name, or with a weight, a score or an actual value of its own."""
    cells = (row.level3, row.weight, row.score, row.actual)
    return any(c is not None and not c.empty for c in cells)

