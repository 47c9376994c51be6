"""Auditing completed self-evaluation tables: each published score beside the recomputed one.

The table is scored by :func:`indicators.scoring.score_form` from its own 实际完成值, 分值, 得分 and
偏差原因 columns, under the policy of its form type (or the one given). Every row of the table is in the
report: recomputed, or with the reason it could not be. Differences are classified (a shortfall scored
in full, a met target docked, a score above its 分值 …); where the published scores follow a local
convention across the table (:mod:`conventions`), the rows it explains are said to be consistent with it.
The rules and their sources are in ``docs/audit.md``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from pathlib import Path

from indicators.codes import diagnostic
from indicators.diagnostics import Diagnostic, Severity
from indicators.errors import IndicatorsError
from indicators.forms.model import BudgetGroup, Cell, Form, IndicatorRow
from indicators.limits import in_engine_context
from indicators.scoring.actuals import parse_decimal
from indicators.scoring.arithmetic import ZERO, fmt
from indicators.scoring.audit.conventions import Candidate, detect
from indicators.scoring.audit.model import (
    AuditReport,
    AuditRow,
    Convention,
    Finding,
    ReportSummary,
    TableAudit,
    TableSummary,
)
from indicators.scoring.policy import Policy, policy_for
from indicators.scoring.sheet import LineStatus, ScoreLine, ScoreSheet
from indicators.text import normalize_name

#: differences below this are rounding noise (scores are printed to two decimals)
TOLERANCE = Decimal("0.005")
#: line findings the audit states in its own words (IND813: a reported score not used)
_RESTATED = frozenset({"IND813"})
_NOT_RECOMPUTED = (LineStatus.MISSING, LineStatus.INVALID, LineStatus.NEEDS_BASELINE)
_WHY = ("IND801", "IND802", "IND806", "IND807", "IND809", "IND810", "IND814")
_TOTAL_WORDS = ("总分", "合计", "总计", "得分合计", "合计得分", "自评总分")
_GRADE = re.compile(r"^(?:(?:自评)?(?:等级|结论|结果)[:：]?)?\s*(优秀|良好|优|良|中|差)$")
_GRADE_WORDS = {"优秀": "优", "良好": "良"}


@in_engine_context
def audit_form(form: Form, *, policy: Policy | None = None) -> TableAudit:
    """The audit of one completed 绩效自评表 already read."""
    policy = policy or policy_for(str(form.form_type))
    from indicators.scoring import score_form

    sheet = score_form(form, policy=policy)
    table: list[Diagnostic] = []
    scored = [r for r in form.indicators if r.level3 is not None and not r.level3.empty]
    if scored and all(r.score is None for r in scored):
        table.append(diagnostic("IND842"))
    by_index = {line.index: line for line in sheet.lines if line.index is not None}
    by_row = {line.row: line for line in sheet.lines if line.index is None and line.row is not None}
    pairs = [
        (r, by_index.get(r.index) or (by_row.get(r.row) if r.row is not None else None))
        for r in form.indicators
    ]
    convention = detect(_candidates(pairs))
    rows = [_audit_row(r, line, convention) for r, line in pairs]
    rows.extend(_funds_row(line, form) for line in sheet.budget_lines if line.row is None)
    table.extend(sheet.diagnostics)
    if convention is not None:
        table.append(
            diagnostic("IND841", convention=f"按“{convention.label}”计算", count=len(convention.rows))
        )
    rows, extra = _budget_checks(rows, sheet, form)
    table.extend(extra)
    published_total, published_grade = published_totals(form)
    summary, found = _summary(rows, sheet, policy, published_total, published_grade)
    table.extend(found)
    findings = tuple(Finding.of(d) for d in table)
    counts = Counter(f.code for f in (*findings, *(f for r in rows for f in r.findings)))
    errors = sum(f.severity is Severity.ERROR for f in (*findings, *(f for r in rows for f in r.findings)))
    warnings = sum(
        f.severity is Severity.WARNING for f in (*findings, *(f for r in rows for f in r.findings))
    )
    summary = summary.model_copy(
        update={"findings_by_code": dict(sorted(counts.items())), "errors": errors, "warnings": warnings}
    )
    return TableAudit(
        source=form.source or "",
        title=form.title,
        form_type=str(form.form_type),
        policy=policy.name,
        rows=tuple(rows),
        conventions=(convention,) if convention is not None else (),
        findings=findings,
        summary=summary,
    )


@in_engine_context
def audit_file(path: str | Path, *, policy: Policy | None = None) -> TableAudit:
    """Read and audit one file; a file that cannot be read is a table with the reason (IND843)."""
    from indicators.forms import read_form

    try:
        form = read_form(path)
    except IndicatorsError as exc:
        reason = exc.diagnostic.message if exc.diagnostics else str(exc)
        finding = Finding.of(diagnostic("IND843", reason=reason))
        return TableAudit(source=str(path), findings=(finding,))
    if not form.source:
        form = form.model_copy(update={"source": str(path)})
    return audit_form(form, policy=policy)


@in_engine_context
def audit_paths(
    paths: Sequence[str | Path],
    *,
    policy: Policy | None = None,
    progress: Callable[[str], None] | None = None,
) -> AuditReport:
    """Every table audited (``progress`` is called after each one), and the summary across them."""
    tables = []
    for path in paths:
        tables.append(audit_file(path, policy=policy))
        if progress is not None:
            progress(str(path))
    return AuditReport(tables=tuple(tables), summary=summarize(tables))


@in_engine_context
def summarize(tables: Iterable[TableAudit]) -> ReportSummary:
    tables = list(tables)
    counts: Counter[str] = Counter()
    for t in tables:
        counts.update(f.code for f in t.findings)
        counts.update(f.code for r in t.rows for f in r.findings)

    def size(t: TableAudit) -> Decimal:
        diff = t.summary.total_difference if t.summary is not None else None
        return abs(diff) if diff is not None else ZERO

    ordered = sorted(tables, key=lambda t: (-size(t), -int(t.has_error), t.source))
    return ReportSummary(
        tables=len(tables),
        tables_with_errors=sum(t.has_error for t in tables),
        rows_read=sum(t.summary.rows_read for t in tables if t.summary is not None),
        recomputed=sum(t.summary.recomputed for t in tables if t.summary is not None),
        findings_by_code=dict(sorted(counts.items())),
        by_difference=tuple(t.source for t in ordered),
    )


# --- rows --------------------------------------------------------------------------------------------


def _published(row: IndicatorRow) -> Decimal | None:
    cell = row.score
    return parse_decimal(cell.text) if cell is not None and not cell.empty else None


def _text(cell: Cell | None) -> str | None:
    return cell.stripped if cell is not None and not cell.empty else None


def _candidates(pairs: Sequence[tuple[IndicatorRow, ScoreLine | None]]) -> list[Candidate]:
    """Rows scored by a ratio that fell short whose published score differs: what a convention may explain."""
    out = []
    for row, line in pairs:
        published = _published(row)
        if line is None or published is None or line.unrounded is None or line.tier is not None:
            continue
        ratio_rule = line.status is LineStatus.PARTIAL and line.kind in ("numeric", "range", "relative")
        if ratio_rule and abs(published - line.score) > TOLERANCE and published <= line.weight:
            out.append(
                Candidate(row=row.row or 0, exact=line.unrounded, weight=line.weight, published=published)
            )
    return out


def _audit_row(row: IndicatorRow, line: ScoreLine | None, convention: Convention | None) -> AuditRow:
    published = _published(row)
    base = {
        "row": row.row,
        "level1": _text(row.level1) or "",
        "level2": _text(row.level2) or "",
        "level3": row.name,
        "target": (t.combined if (t := row.target_text()) is not None else None),
        "actual": _text(row.actual),
        "published_score": published,
    }
    if line is None:
        reason = "类别行，没有三级指标" if row.level3 is None or row.level3.empty else "该行未评分"
        return AuditRow(**base, recomputed_score=None, difference=None, status="not_scored", reason=reason)
    found = [d for d in line.diagnostics if d.code not in _RESTATED]
    base |= {"weight": line.weight, "rule": line.rule}
    if line.status in _NOT_RECOMPUTED:
        why = next((d.message for d in line.diagnostics if d.code in _WHY), line.explanation)
        found.append(diagnostic("IND839", reason=why, indicator=row.name))
        if published is None:
            found.append(diagnostic("IND840", indicator=row.name))
        findings = tuple(Finding.of(d) for d in found)
        return AuditRow(
            **base,
            recomputed_score=None,
            difference=None,
            status=str(line.status),
            reason=why,
            findings=findings,
        )
    found.extend(_score_findings(line, published, row, convention))
    difference = published - line.score if published is not None else None
    return AuditRow(
        **base,
        recomputed_score=line.score,
        difference=difference,
        status=str(line.status),
        findings=tuple(Finding.of(d) for d in found),
    )


def _score_findings(
    line: ScoreLine, published: Decimal | None, row: IndicatorRow, convention: Convention | None
) -> list[Diagnostic]:
    name = row.name
    if published is None:
        return [diagnostic("IND840", indicator=name)]
    found: list[Diagnostic] = []
    weight = line.weight
    if published > weight + TOLERANCE:
        found.append(diagnostic("IND832", score=fmt(published), weight=fmt(weight), indicator=name))
    if abs(published - line.score) <= TOLERANCE or line.index is None or line.tier is not None:
        return found  # agreed; budget lines are checked with their figures; 定性 bands by IND804
    detail = f"指标值“{line.target}”，实际完成值“{line.actual}”"
    full = abs(published - weight) <= TOLERANCE
    if line.status in (LineStatus.PARTIAL, LineStatus.NOT_MET) and full:
        code = "IND833" if line.direction == "lower" else "IND830"
        found.append(diagnostic(code, detail=detail, score=fmt(published), indicator=name))
    elif line.status is LineStatus.MET and published < weight:
        found.append(
            diagnostic("IND831", detail=detail, score=fmt(published), weight=fmt(weight), indicator=name)
        )
    elif convention is not None and (row.row or 0) in convention.rows:
        found.append(
            diagnostic(
                "IND835",
                published=fmt(published),
                recomputed=str(line.score),
                convention=convention.label,
                indicator=name,
            )
        )
    elif published <= weight:
        found.append(
            diagnostic(
                "IND834",
                published=fmt(published),
                recomputed=str(line.score),
                difference=fmt(published - line.score),
                indicator=name,
                hint=f"复核算式：{line.arithmetic}",
            )
        )
    return found


def _funds_row(line: ScoreLine, form: Form) -> AuditRow:
    """The 预算执行率 line of the sheet that is no row of the indicator table (the funds table above
    it, the actuals, or the policy's line): its row is the funds table's 全年执行数 cell, if any."""
    cells = [i.cell for i in form.budget if i.measure == "全年执行数" and i.cell is not None]
    row = next((c.location.row for c in cells if c.location is not None), None)
    published = line.reported_score
    recomputed = None if line.status in _NOT_RECOMPUTED else line.score
    found = [d for d in line.diagnostics if d.code not in _RESTATED]
    reason = (
        next((d.message for d in line.diagnostics if d.code in _WHY), None) if recomputed is None else None
    )
    return AuditRow(
        row=row,
        level1=line.level1,
        level2=line.level2,
        level3=line.level3,
        target=line.target,
        actual=line.actual,
        weight=line.weight,
        published_score=published,
        recomputed_score=recomputed,
        difference=published - recomputed if published is not None and recomputed is not None else None,
        status=str(line.status),
        rule=line.rule,
        reason=reason,
        findings=tuple(Finding.of(d) for d in found),
    )


# --- budget line, totals, grade -----------------------------------------------------------------------


def _budget_checks(
    rows: list[AuditRow], sheet: ScoreSheet, form: Form
) -> tuple[list[AuditRow], list[Diagnostic]]:
    """IND837 for a 预算执行率 line whose written rate or score does not follow from its figures, and
    for a funds table whose 年度资金总额 is 0 while its sources hold amounts. A finding about a row of the
    table goes on that row; one about the funds table above it goes on the table."""
    table: list[Diagnostic] = []
    out = list(rows)
    for line in sheet.budget_lines:
        details = _budget_details(line)
        if not details:
            continue
        found = [diagnostic("IND837", detail=detail) for detail in details]
        at = next(
            (
                i
                for i, r in enumerate(out)
                if (
                    r.row == line.row
                    if line.row is not None
                    else r.rule == line.rule and r.level3 == line.level3
                )
            ),
            None,
        )
        if at is None:
            table.extend(found)
        else:
            r = out[at]
            out[at] = r.model_copy(update={"findings": (*r.findings, *(Finding.of(d) for d in found))})
    table.extend(_zero_funds(form))
    return out, table


def _budget_details(line: ScoreLine) -> list[str]:
    figures, details = line.figures, []
    if line.status in _NOT_RECOMPUTED or line.achievement is None:
        return []
    rate = line.achievement * 100
    if (
        figures is not None
        and figures.rate is not None
        and figures.unit != "%"
        and abs(figures.rate - rate) > Decimal("0.01")
    ):
        details.append(f"填报执行率 {fmt(figures.rate)}%，按执行数 ÷ 预算数应为 {fmt(rate, 2)}%")
    published = line.reported_score
    if published is not None and abs(published - line.score) > TOLERANCE:
        details.append(f"填报得分 {fmt(published)}，按执行率 × 分值应为 {line.score}（{line.arithmetic}）")
    return details


def _zero_funds(form: Form) -> list[Diagnostic]:
    """棠溪镇 2022: 年度资金总额 0 / 0 / 0 while 财政拨款 holds the real amounts."""
    items = [
        i for i in form.budget if i.group is BudgetGroup.PROJECT and i.measure in ("全年预算数", "全年执行数")
    ]
    totals = [i for i in items if i.label == "年度资金总额"]
    others = [i for i in items if i.label != "年度资金总额" and i.amount]
    if totals and all(i.amount == 0 for i in totals) and others:
        shown = "、".join(f"{i.label}（{i.measure}）{fmt(i.amount or ZERO)}" for i in others[:2])
        return [diagnostic("IND837", detail=f"年度资金总额填为 0，而{shown}：执行率无法按资金总额计算")]
    return []


def published_totals(form: Form) -> tuple[Decimal | None, str | None]:
    """The 总分 printed below the table (in the 得分 column of a 总分/合计 row) and the grade written
    beside it or below it (优, 良好, 自评等级：优 …)."""
    score_columns = Counter(
        r.score.location.column
        for r in form.indicators
        if r.score is not None and r.score.location is not None
    )
    column = score_columns.most_common(1)[0][0] if score_columns else None
    rows: dict[int | None, list[Cell]] = {}
    for cell in form.notes:
        rows.setdefault(cell.location.row if cell.location else None, []).append(cell)
    total: Decimal | None = None
    grade: str | None = None
    for cells in rows.values():
        words = [normalize_name(c.text, drop_suffix=False) for c in cells]
        if total is None and any(w.startswith(_TOTAL_WORDS) for w in words):
            at = [c for c in cells if c.location is not None and c.location.column == column]
            numbers = [v for c in (at or cells[1:]) if (v := parse_decimal(c.text)) is not None]
            total = numbers[-1] if numbers else None
        for c in cells:
            found = _GRADE.match(normalize_name(c.text, drop_suffix=False))
            if found is not None and grade is None:
                grade = _GRADE_WORDS.get(found.group(1), found.group(1))
    return total, grade


def _summary(
    rows: list[AuditRow],
    sheet: ScoreSheet,
    policy: Policy,
    published_total: Decimal | None,
    published_grade: str | None,
) -> tuple[TableSummary, list[Diagnostic]]:
    found: list[Diagnostic] = []
    scored = [r for r in rows if r.status != "not_scored"]
    published = [r.published_score for r in scored if r.published_score is not None]
    published_sum = sum(published, ZERO) if published else None
    if (
        published_total is not None
        and published_sum is not None
        and abs(published_total - published_sum) > TOLERANCE
    ):
        found.append(diagnostic("IND836", published=fmt(published_total), sum=fmt(published_sum)))
    shown_total = published_total if published_total is not None else published_sum
    if published_grade is not None and shown_total is not None:
        weights = sheet.weight_total
        graded = shown_total * policy.total / weights if policy.rescale and weights > 0 else shown_total
        expected = policy.grade_for(graded)
        if expected != published_grade:
            found.append(
                diagnostic("IND838", published=published_grade, total=fmt(shown_total), expected=expected)
            )
    summary = TableSummary(
        rows_read=len(rows),
        recomputed=sum(r.recomputed_score is not None for r in rows),
        not_recomputed=sum(r.recomputed_score is None for r in rows),
        findings_by_code={},
        errors=0,
        warnings=0,
        published_total=published_total,
        published_sum=published_sum,
        recomputed_total=sheet.total,
        total_difference=shown_total - sheet.total if shown_total is not None else None,
        published_grade=published_grade,
        recomputed_grade=sheet.grade,
        weight_total=sheet.weight_total,
        scaled_total=sheet.scaled_total,
    )
    return summary, found
