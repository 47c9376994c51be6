"""Writers of an :class:`AuditReport`: a terminal report, JSON, CSV (one line per row) and XLSX (one sheet
per table with recomputed score, difference and findings columns, differences highlighted, findings as
cell comments, and a 汇总 summary sheet). Text a spreadsheet would take for a formula stays text
(:mod:`indicators.spreadsheet`)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING

from indicators.scoring.arithmetic import fmt
from indicators.scoring.audit.model import AuditReport, AuditRow, TableAudit
from indicators.spreadsheet import csv_text, xlsx_text

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

ROW_HEADERS = (
    "行号",
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "填报得分",
    "复核得分",
    "差异",
    "发现",
)
SUMMARY_HEADERS = (
    "表格",
    "读取行数",
    "复核行数",
    "错误",
    "警告",
    "填报总分",
    "复核总分",
    "差异",
    "填报等级",
    "复核等级",
)


def _num(value: Decimal | None) -> str:
    return "" if value is None else fmt(value, 6)


def _findings_text(row: AuditRow) -> str:
    parts = [f"{f.code} {f.message}" for f in row.findings]
    if row.reason and not any(f.code == "IND839" for f in row.findings):
        parts.insert(0, f"未复核：{row.reason}")
    return "；".join(parts)


def _cells(row: AuditRow) -> list[str]:
    return [
        "" if row.row is None else str(row.row),
        row.level1,
        row.level2,
        row.level3,
        row.target or "",
        row.actual or "",
        _num(row.weight),
        _num(row.published_score),
        _num(row.recomputed_score),
        _num(row.difference),
        _findings_text(row),
    ]


def _summary_cells(t: TableAudit) -> list[str]:
    s = t.summary
    if s is None:
        return [t.source, "0", "0", str(len(t.findings)), "0", "", "", "", "", ""]
    published = s.published_total if s.published_total is not None else s.published_sum
    return [
        t.source,
        str(s.rows_read),
        str(s.recomputed),
        str(s.errors),
        str(s.warnings),
        _num(published),
        _num(s.recomputed_total),
        _num(s.total_difference),
        s.published_grade or "",
        s.recomputed_grade,
    ]


def to_json(report: AuditReport) -> str:
    return json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def to_csv(report: AuditReport) -> str:
    """One line per row of every table (the table's source first), then each table's own findings."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["表格", *ROW_HEADERS])
    for t in report.tables:
        for row in t.rows:
            writer.writerow([csv_text(c) for c in (t.source, *_cells(row))])
        for f in t.findings:
            writer.writerow(
                [
                    csv_text(t.source),
                    "",
                    "",
                    "",
                    "（全表）",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    csv_text(f"{f.code} {f.message}"),
                ]
            )
    return buffer.getvalue()


def to_text(report: AuditReport, *, width: int = 160, color: bool = False) -> str:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        force_terminal=color,
        color_system="standard" if color else None,
        highlight=False,
    )
    for t in report.tables:
        console.print(Text(f"== {t.source}" + (f"（{t.title}）" if t.title else ""), style="bold"))
        if t.summary is not None:
            console.print(f"评分规则：{t.policy}；表格类型：{t.form_type}", markup=False)
        table = Table(show_lines=False)
        for header in ROW_HEADERS:
            right = header in ("行号", "分值", "填报得分", "复核得分", "差异")
            table.add_column(header, justify="right" if right else "left", overflow="fold")
        for row in t.rows:
            style = "red" if row.difference is not None and row.difference != 0 else None
            table.add_row(*(Text(c) for c in _cells(row)), style=style)
        if t.rows:
            console.print(table)
        for f in t.findings:
            console.print(f"{f.code} {f.severity.label} {f.message}", markup=False)
        if t.summary is not None:
            console.print(_summary_line(t), markup=False)
        console.print()
    console.print(_report_line(report), markup=False)
    return buffer.getvalue()


def _summary_line(t: TableAudit) -> str:
    s = t.summary
    assert s is not None
    published = s.published_total if s.published_total is not None else s.published_sum
    said = "填报总分" if s.published_total is not None else "填报各行合计"
    scaled = f"（折算 {s.scaled_total}）" if s.scaled_total is not None else ""
    return (
        f"读取 {s.rows_read} 行，复核 {s.recomputed} 行；{said} {_num(published) or '—'}，"
        f"复核总分 {s.recomputed_total}{scaled}，差异 {_num(s.total_difference) or '—'}；"
        f"等级 {s.published_grade or '—'} / {s.recomputed_grade}；错误 {s.errors}，警告 {s.warnings}"
    )


def _report_line(report: AuditReport) -> str:
    s = report.summary
    codes = "，".join(f"{code}×{n}" for code, n in s.findings_by_code.items()) or "无"
    return (
        f"共 {s.tables} 张表（{s.tables_with_errors} 张有错误），"
        f"读取 {s.rows_read} 行，复核 {s.recomputed} 行；"
        f"发现：{codes}"
    )


def write_xlsx(report: AuditReport, out: str | Path | IO[bytes]) -> None:
    """One worksheet per table and a 汇总 sheet (tables sorted by total difference)."""
    from openpyxl import Workbook

    book = Workbook()
    summary = book.active
    if summary is None:  # a new workbook always has one sheet
        summary = book.create_sheet()
    summary.title = "汇总"
    names: set[str] = {"汇总"}
    by_source = {t.source: t for t in report.tables}
    _sheet_rows(
        summary, SUMMARY_HEADERS, [_summary_cells(by_source[s]) for s in report.summary.by_difference]
    )
    for t in report.tables:
        ws = book.create_sheet(_sheet_name(t.source, names))
        _table_sheet(ws, t)
    if isinstance(out, str | Path):
        book.save(str(out))
    else:
        book.save(out)


def _sheet_name(source: str, taken: set[str]) -> str:
    """A worksheet name: the file name without characters Excel refuses, at most 31, unique."""
    base = "".join(ch for ch in Path(source).stem if ch not in "[]:*?/\\\\") or "表格"
    name, n = base[:31], 1
    while name in taken:
        n += 1
        name = f"{base[: 31 - len(str(n)) - 1]}-{n}"
    taken.add(name)
    return name


def _sheet_rows(ws: Worksheet, headers: tuple[str, ...], rows: list[list[str]]) -> None:
    from openpyxl.styles import Font

    from indicators.scoring.writers.xlsx import put

    for c, header in enumerate(headers, start=1):
        put(ws, 1, c, header).font = Font(bold=True)
    for r, cells in enumerate(rows, start=2):
        for c, value in enumerate(cells, start=1):
            number = _as_number(value) if headers[c - 1] not in ("表格", "三级指标", "行号") else None
            put(ws, r, c, number if number is not None else value)


def _as_number(value: str) -> Decimal | None:
    try:
        return Decimal(value) if value else None
    except ArithmeticError:
        return None


def _table_sheet(ws: Worksheet, t: TableAudit) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    from indicators.scoring.writers.xlsx import put

    highlight = PatternFill(start_color="FFF2CC", end_color="FFF2CC", fill_type="solid")
    _sheet_rows(ws, ROW_HEADERS, [_cells(row) for row in t.rows])
    for r, row in enumerate(t.rows, start=2):
        if row.difference is not None and row.difference != 0:
            for c in (8, 9, 10):
                ws.cell(row=r, column=c).fill = highlight
        if row.findings or row.reason:
            text = "\n".join(
                [*(f"{f.code} {f.message}" for f in row.findings), *([row.reason] if row.reason else [])]
            )
            ws.cell(row=r, column=9).comment = Comment(xlsx_text(text)[:30000], "indicators audit")
    below = len(t.rows) + 3
    for i, f in enumerate(t.findings):
        put(ws, below + i, 1, f.code)
        put(ws, below + i, 2, f"{f.severity.label}：{f.message}")
    if t.summary is not None:
        put(ws, below + len(t.findings) + 1, 1, "汇总")
        put(ws, below + len(t.findings) + 1, 2, _summary_line(t))
    for letter, width in zip("ABCDEFGHIJK", (6, 12, 14, 30, 16, 16, 8, 10, 10, 8, 60), strict=True):
        ws.column_dimensions[letter].width = width
