"""XLSX workbooks, read as a stream, each limit checked before the work it bounds.

Reading a workbook goes in three steps:

1. **The container** (:mod:`.archive`): member count, declared unpacked size, compression ratio, and
   each member unpacked once in small chunks to prove it holds no more than it declares. A zip bomb is
   refused from its declarations, nothing unpacked.
2. **The workbook's parts** (:mod:`.parts`): the sheet list, the date system, the number formats and the
   shared strings, parsed with defusedxml (entity declarations refused, never expanded).
3. **One pass over each sheet's XML** (:mod:`.sheetscan`): the cells holding a value, the used area (the
   last row and column holding a value), the merged ranges and the formulas without a saved value;
   limits are checked as the cells arrive. Cells that carry formatting but no value (borders drawn down
   to row 30 000) cost the time to skip them and nothing more.

openpyxl is not used to load the workbook: its loader builds every cell of a sheet (6 GB for 654 KB of
formatted empty cells, a cell object for each of the 17 billion cells under ``A1:XFD1048576``), and its
read-only reader parses a whole sheet twice when the sheet declares no dimension. Its tables of
built-in number formats and its date conversions are used, so values read as they always did.

Cached values are read, so a cell holding an Excel formula gives the value Excel last showed; a formula
with no saved value (a workbook written by a program and never opened in Excel) reads as blank and is
reported (IND508). A merged range gives its value to every cell it covers inside the used area, each
keeping its own location; a range reaching beyond (``A1:XFD1048576``) is clipped to it. Numbers and
dates become the text Excel shows (:mod:`.cells`). Sheets keep the workbook's order; a hidden sheet is
marked hidden.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
import zlib
from typing import Any

from indicators.codes import diagnostic
from indicators.diagnostics import Location, column_letter
from indicators.errors import FormReadError
from indicators.forms.layout import Sheet
from indicators.forms.model import Cell
from indicators.forms.readers.archive import check_archive
from indicators.forms.readers.cells import cell_text, date_text, excel_decimal, number_format
from indicators.forms.readers.common import OLE_SIGNATURE, too_large, unreadable
from indicators.forms.readers.parts import SheetPart, WorkbookParts, read_parts
from indicators.forms.readers.sheetscan import RawCell, SheetScan, scan_sheet
from indicators.limits import Limits

__all__ = ["OLE_SIGNATURE", "cell_text", "date_text", "excel_decimal", "number_format", "read_xlsx"]

#: cells named in an IND508 message before "…"
_NAMED_CELLS = 5
_SAVE_AS = "请用 Excel 另存为 .xlsx 格式"
#: what openpyxl and zipfile raise on a damaged workbook (the XML parser's errors are ValueErrors)
_DAMAGED = (
    zipfile.BadZipFile,
    zlib.error,
    KeyError,
    IndexError,
    ValueError,
    TypeError,
    AttributeError,
    SyntaxError,
    OSError,
    EOFError,
    OverflowError,
)


def _value(cell: RawCell, parts: WorkbookParts) -> Any:
    """The value of a cell as openpyxl gives it (``data_only``): str, bool, int, float or a date."""
    from openpyxl.utils.datetime import from_excel

    kind, text = cell.kind, cell.text
    if kind == "s":
        return parts.strings[int(text)]
    if kind == "b":
        return text.strip().lower() in {"1", "true"}
    if kind == "d":
        return dt.datetime.fromisoformat(text)
    if kind in {"str", "inlineStr", "e"}:
        return text
    # the cell holds a binary double, written in the sheet as its shortest text: the float is that double,
    # read exactly (cells.excel_decimal) and never computed with
    number: int | float = float(text) if any(ch in text for ch in ".eE") else int(text)
    if cell.style in parts.dates:
        try:
            return from_excel(number, parts.epoch, timedelta=cell.style in parts.durations)
        except (OverflowError, ValueError):
            return "#VALUE!"  # a date serial outside Excel's calendar, as openpyxl reads it
    return number


def _texts(scan: SheetScan, parts: WorkbookParts, title: str, source: str | None, limits: Limits) -> list[
    list[str]
]:
    """The text Excel shows in every cell of the used area."""
    grid = [[""] * scan.columns for _ in range(scan.rows)]
    for (r, c), cell in scan.cells.items():
        text = cell_text(_value(cell, parts), parts.number_format(cell.style))
        if len(text) > limits.max_cell_chars:  # a shared string
            what = f"工作表“{title}”的 {column_letter(c)}{r} 单元格的长度（字符）"
            raise too_large(source, what, len(text), limits.max_cell_chars, "max_cell_chars")
        grid[r - 1][c - 1] = text
    return grid


def _merge(
    grid: list[list[str]], scan: SheetScan, title: str, source: str | None, limits: Limits
) -> list[tuple[int, int, int, int]]:
    """A merged range gives its first cell's text to every cell it covers, clipped to the used area;
    returns the ranges that span columns (first row, first column, last row, last column), clipped."""
    spans: list[tuple[int, int, int, int]] = []
    covered = 0
    for first_row, first_col, last_row, last_col in scan.merged:
        if first_row > scan.rows or first_col > scan.columns:
            continue  # wholly outside the used area: nothing to copy
        last_row, last_col = min(last_row, scan.rows), min(last_col, scan.columns)
        covered += (last_row - first_row + 1) * (last_col - first_col + 1)
        if covered > limits.max_cells:  # overlapping ranges, each clipped to the whole sheet
            raise too_large(source, f"工作表“{title}”合并单元格覆盖的单元格数", covered, limits.max_cells,
                            "max_cells")
        text = grid[first_row - 1][first_col - 1]
        for r in range(first_row - 1, last_row):
            grid[r][first_col - 1 : last_col] = [text] * (last_col - first_col + 1)
        if last_col > first_col:
            spans.append((first_row, first_col, last_row, last_col))
    return spans


def _uncalculated(scan: SheetScan, title: str, source: str | None) -> list[Any]:
    if not scan.uncalculated_count:
        return []
    names = [f"{column_letter(c)}{r}" for r, c in scan.uncalculated]
    named = "、".join(names[:_NAMED_CELLS]) + ("等" if scan.uncalculated_count > _NAMED_CELLS else "")
    r, c = scan.uncalculated[0]
    return [
        diagnostic(
            "IND508",
            sheet=title,
            count=scan.uncalculated_count,
            cells=named,
            location=Location(source=source, sheet=title, row=r, column=c),
            data={"cells": names},
        )
    ]


def _sheet(part: SheetPart, archive: zipfile.ZipFile, parts: WorkbookParts, source: str | None,
           limits: Limits) -> Sheet:
    title = part.name
    with archive.open(part.path) as stream:
        scan = scan_sheet(stream, title=title, source=source, limits=limits)
    if scan.rows * scan.columns > limits.max_cells:
        what = f"工作表“{title}”已用区域的单元格数（{scan.rows} 行 × {scan.columns} 列）"
        raise too_large(source, what, scan.rows * scan.columns, limits.max_cells, "max_cells")
    grid = _texts(scan, parts, title, source, limits)
    spans = _merge(grid, scan, title, source, limits)
    rows = [
        [
            Cell(text=text, location=Location(source=source, sheet=title, row=r, column=c))
            for c, text in enumerate(line, start=1)
        ]
        for r, line in enumerate(grid, start=1)
    ]
    sheet = Sheet(name=title, rows=rows, hidden=part.state != "visible", spans=spans)
    sheet.diagnostics.extend(_uncalculated(scan, title, source))
    return sheet


def read_xlsx(data: bytes, source: str | None, limits: Limits) -> list[Sheet]:
    """Every worksheet of the workbook, in order, as grids of located cells (see the module text)."""
    from defusedxml import DefusedXmlException

    if data.startswith(OLE_SIGNATURE):
        if "EncryptedPackage".encode("utf-16-le") in data:
            hint = "请在 Excel 中取消打开密码（文件→信息→保护工作簿）后再保存"
            raise unreadable(source, "文件设置了打开密码，无法读取", hint=hint)
        raise unreadable(source, "这是旧版 Excel（.xls）文件，不是 .xlsx", hint=_SAVE_AS)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise unreadable(source, "不是有效的 XLSX 文件（不是 zip 压缩包）", hint=_SAVE_AS)
    check_archive(data, source, limits)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = read_parts(archive)
            if not parts.sheets:
                raise unreadable(source, "工作簿中没有工作表", hint=_SAVE_AS)
            return [_sheet(part, archive, parts, source, limits) for part in parts.sheets]
    except FormReadError:
        raise
    except DefusedXmlException as exc:
        reason = "工作簿的 XML 含有实体定义或外部引用，为安全起见不展开、不读取"
        raise unreadable(source, reason, hint=_SAVE_AS) from exc
    except _DAMAGED as exc:
        raise unreadable(source, "不是有效的 XLSX 文件（缺少工作簿内容或内容已损坏）", hint=_SAVE_AS) from exc
