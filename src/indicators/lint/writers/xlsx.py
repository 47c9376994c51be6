"""``--format xlsx``: a workbook a reviewer can print and send back (审核意见).

For each form checked, a sheet holds the form as read (the grid of the sheet it was read from), each
finding as a comment on its cell and the cell filled by the worst severity on it (error red, warning
yellow, info blue). A last sheet, 审核意见, lists every finding (file, code, severity, row, column, cell,
level-3 name, message, hint, the cell's text, slug) with filters, a frozen header row and a link to the
cell. Both print on A4 landscape, one page wide, the findings' header row repeated on every page.
Every text is stored with the string data type: a cell that starts with ``=`` is never a formula.
openpyxl is imported on first use.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path, PurePath
from typing import IO, TYPE_CHECKING

from indicators.diagnostics import Diagnostic, Severity, display_width
from indicators.spreadsheet import in_sheet, set_text, xlsx_text

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from indicators.lint.writers.grid import Grid

#: fills by severity (light red, yellow, blue) and the severity words
FILLS = {Severity.ERROR: "FFC7CE", Severity.WARNING: "FFEB9C", Severity.INFO: "DDEBF7"}
FINDINGS_SHEET = "审核意见"
FINDINGS_COLUMNS = (
    ("文件", 18), ("代码", 9), ("严重程度", 9), ("行", 6), ("列", 6), ("单元格", 8), ("三级指标", 24),
    ("问题", 60), ("建议", 44), ("原文", 30), ("标识", 26),
)
_MAX_WIDTH = 40
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def put(ws: Worksheet, row: int, column: int, value: str | int | None) -> None:
    """Write a value; a text is always stored as text (data type ``s``), never as a formula."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        set_text(cell, value)
    else:
        cell.value = value


def sheet_title(name: str, taken: set[str]) -> str:
    """A worksheet name: at most 31 characters, none of ``[]:*?/\\``, unique in the workbook."""
    base = _BAD_SHEET_CHARS.sub("_", name).strip("'") or "表"
    title = base[:31]
    number = 2
    while title in taken or title == FINDINGS_SHEET:
        suffix = f"-{number}"
        title = base[: 31 - len(suffix)] + suffix
        number += 1
    taken.add(title)
    return title


def _comment_text(found: Sequence[Diagnostic]) -> str:
    parts = []
    for d in found:
        text = f"[{d.code} {d.severity.label}] {d.message}"
        if d.hint:
            text += f"\n建议：{d.hint}"
        parts.append(text)
    return "\n\n".join(parts)


def _print_setup(ws: Worksheet, *, title_rows: str | None = None) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    if title_rows is not None:
        ws.print_title_rows = title_rows


def _form_sheet(ws: Worksheet, grid: Grid, found: Sequence[Diagnostic]) -> dict[tuple[int, int], str]:
    """The form's grid with comments and fills; the cell names of the findings' cells."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, PatternFill
    from openpyxl.utils import get_column_letter

    wrap = Alignment(wrap_text=True, vertical="top")
    widths: dict[int, int] = {}
    for r, line in enumerate(grid, start=1):
        for c, text in enumerate(line, start=1):
            if text:
                put(ws, r, c, text)
                ws.cell(row=r, column=c).alignment = wrap
                widths[c] = max(widths.get(c, 8), min(_MAX_WIDTH, display_width(text) + 2))
    by_cell: dict[tuple[int, int], list[Diagnostic]] = defaultdict(list)
    for d in found:
        loc = d.location
        if loc is not None and in_sheet(loc.row, loc.column):
            assert loc.row is not None
            by_cell[(loc.row, loc.column or 1)].append(d)
    names: dict[tuple[int, int], str] = {}
    for (r, c), here in sorted(by_cell.items()):
        cell = ws.cell(row=r, column=c)
        worst = max((d.severity for d in here), key=lambda s: s.rank)
        cell.fill = PatternFill(fill_type="solid", start_color=FILLS[worst], end_color=FILLS[worst])
        text = _comment_text(here)
        comment = Comment(xlsx_text(text), "indicators")
        comment.width = 320
        comment.height = min(600, 60 + 18 * (text.count("\n") + len(text) // 24))
        cell.comment = comment
        names[(r, c)] = cell.coordinate
    for c, width in widths.items():
        ws.column_dimensions[get_column_letter(c)].width = width
    _print_setup(ws)
    return names


def _findings_sheet(ws: Worksheet, rows: list[tuple[str, str | None, Diagnostic]]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.hyperlink import Hyperlink

    bold = Font(bold=True)
    for c, (title, width) in enumerate(FINDINGS_COLUMNS, start=1):
        put(ws, 1, c, title)
        ws.cell(row=1, column=c).font = bold
        ws.column_dimensions[get_column_letter(c)].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, (path, sheet, d) in enumerate(rows, start=2):
        loc = d.location
        values: tuple[str | int | None, ...] = (
            PurePath(path).name, d.code, d.severity.label, loc.row if loc else None,
            loc.column if loc else None, loc.cell if loc else None, d.indicator, d.message, d.hint,
            d.text, d.slug,
        )
        for c, value in enumerate(values, start=1):
            put(ws, r, c, value)
            ws.cell(row=r, column=c).alignment = wrap
        fill = FILLS[d.severity]
        ws.cell(row=r, column=3).fill = PatternFill(fill_type="solid", start_color=fill, end_color=fill)
        if sheet is not None and loc is not None and in_sheet(loc.row, loc.column):
            link = ws.cell(row=r, column=6)
            target = f"'{sheet}'!{loc.cell or f'A{loc.row}'}"
            link.hyperlink = Hyperlink(ref=link.coordinate, location=target, display=str(link.value or ""))
            link.font = Font(color="0563C1", underline="single")
    last = get_column_letter(len(FINDINGS_COLUMNS))
    ws.auto_filter.ref = f"A1:{last}{max(1, len(rows) + 1)}"
    ws.freeze_panes = "A2"
    _print_setup(ws, title_rows="1:1")


def write_workbook(
    forms: Sequence[tuple[str, Grid | None, Sequence[Diagnostic]]], path: str | Path | IO[bytes]
) -> None:
    """Write the annotated workbook: one sheet per form (``grid`` None: a file that could not be read,
    listed in the findings only), then the findings sheet."""
    from openpyxl import Workbook

    wb = Workbook()
    default = wb.active
    taken: set[str] = set()
    rows: list[tuple[str, str | None, Diagnostic]] = []
    for file, grid, found in forms:
        sheet: str | None = None
        if grid is not None:
            sheet = sheet_title(PurePath(file).stem, taken)
            _form_sheet(wb.create_sheet(sheet), grid, found)
        rows += [(file, sheet, d) for d in found]
    _findings_sheet(wb.create_sheet(FINDINGS_SHEET), rows)
    if default is not None:
        wb.remove(default)
    wb.active = 0
    wb.save(path)
