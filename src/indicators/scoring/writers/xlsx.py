"""The score sheet as an XLSX 绩效自评表.

Columns: 一级 | 二级 | 三级 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施.

Runs of equal level-1 cells, and of equal level-2 cells inside one level-1, are merged as on the
printed form. Weights and scores are written as numbers with two decimals shown.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING

from indicators.scoring.sheet import ScoreLine, ScoreSheet
from indicators.scoring.writers.common import HEADERS

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

SHEET_TITLE = "绩效自评表"


def write_xlsx(sheet: ScoreSheet, out: str | Path | IO[bytes]) -> None:
    """Write the workbook to a path or a binary stream."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    book = Workbook()
    ws = book.active
    if ws is None:  # a new workbook always has one sheet
        ws = book.create_sheet()
    ws.title = SHEET_TITLE
    ncol = len(HEADERS)
    _put(ws, 1, 1, sheet.sheet_title + (f"（{sheet.title}）" if sheet.title else ""))
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    for c, header in enumerate(HEADERS, start=1):
        cell = ws.cell(row=2, column=c, value=header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    first = 3
    for r, line in enumerate(sheet.lines, start=first):
        values: list[str | Decimal] = [
            line.level1,
            line.level2,
            line.level3,
            line.target or "",
            line.actual or "",
            line.weight,
            line.score,
            line.deviation or "",
        ]
        for c, value in enumerate(values, start=1):
            cell = _put(ws, r, c, value)
            if c in (6, 7):
                cell.number_format = "0.00"
    last = first + len(sheet.lines) - 1
    _merge_runs(ws, sheet, first)
    total_row = last + 1
    ws.cell(row=total_row, column=1, value="总分")
    ws.merge_cells(start_row=total_row, start_column=1, end_row=total_row, end_column=5)
    ws.cell(row=total_row, column=6, value=sheet.weight_total).number_format = "0.00"
    ws.cell(row=total_row, column=7, value=sheet.total).number_format = "0.00"
    ws.cell(row=total_row, column=8, value=f"自评等级：{sheet.grade}")
    _budget_block(ws, sheet, total_row + 2)
    thin = Side(style="thin")
    for row in ws.iter_rows(min_row=2, max_row=total_row, max_col=ncol):
        for cell in row:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            if cell.column not in (6, 7):
                cell.alignment = Alignment(vertical="center", wrap_text=True)
    for letter, width in zip("ABCDEFGH", (12, 14, 30, 16, 16, 8, 8, 36), strict=True):
        ws.column_dimensions[letter].width = width
    if isinstance(out, str | Path):
        book.save(str(out))
    else:
        book.save(out)


def put(ws: Worksheet, row: int, column: int, value: str | Decimal | int | None) -> Cell:
    """Write one value; text stays text (:func:`~indicators.spreadsheet.set_text`)."""
    from indicators.spreadsheet import set_text

    cell = ws.cell(row=row, column=column, value=None if isinstance(value, str) else value)
    if isinstance(value, str):
        set_text(cell, value)
    return cell


_put = put


def _merge_runs(ws: Worksheet, sheet: ScoreSheet, first: int) -> None:
    """Merge vertical runs of equal level-1 cells, and of equal level-2 cells within one level-1."""
    keys: list[Callable[[ScoreLine], tuple[str, ...]]] = [
        lambda line: (line.level1,),
        lambda line: (line.level1, line.level2),
    ]
    lines = sheet.lines
    for column, key in enumerate(keys, start=1):
        start = 0
        for i in range(1, len(lines) + 1):
            if i == len(lines) or key(lines[i]) != key(lines[start]):
                if i - 1 > start:
                    ws.merge_cells(
                        start_row=first + start, start_column=column, end_row=first + i - 1, end_column=column
                    )
                start = i


def _budget_block(ws: Worksheet, sheet: ScoreSheet, top: int) -> None:
    """The figures behind the 预算执行率 line: 年初预算数 | 全年预算数 | 全年执行数 | 执行率 | 分值 | 得分."""
    line = sheet.budget_line
    figures = sheet.budget
    if line is None or figures is None:
        return
    unit = figures.unit
    if unit == "%":  # only the rate was reported: no amounts to show
        figures = figures.model_copy(update={"total": None, "executed": None})
        unit = "万元"
    headers = (
        f"年初预算数（{unit}）",
        f"全年预算数（{unit}）",
        f"全年执行数（{unit}）",
        "执行率",
        "分值",
        "得分",
    )
    values: tuple[Decimal | str | None, ...] = (
        figures.initial,
        figures.total,
        figures.executed,
        line.actual or "",
        line.weight,
        line.score,
    )
    for c, (header, value) in enumerate(zip(headers, values, strict=True), start=1):
        _put(ws, top, c, header)
        cell = _put(ws, top + 1, c, value)
        if isinstance(value, Decimal):
            cell.number_format = "#,##0.00"
