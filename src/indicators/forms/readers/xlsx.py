"""XLSX workbooks, read with openpyxl (imported only when a workbook is read).

Cached values are read (``data_only``), so a cell holding an Excel formula gives the value Excel last
showed. A merged range gives its value to every cell it covers, each keeping its own location. Numbers
become text the way Excel shows them: a percentage format gives ``95%``, a fixed-decimals format keeps
its decimals, other numbers are written without a trailing ``.0``; dates become ``2024-01-31``.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from indicators.diagnostics import Location
from indicators.forms.layout import Sheet
from indicators.forms.model import Cell
from indicators.forms.readers.common import too_large, unreadable
from indicators.limits import Limits

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

#: an unpacked workbook may be at most this many times larger than the file's byte limit
UNPACKED_FACTOR = 10
_PLACES = re.compile(r"0\.(0+)")
_SAVE_AS = "请用 Excel 另存为 .xlsx 格式"


def _places(number_format: str) -> int | None:
    found = _PLACES.search(number_format)
    if found:
        return len(found.group(1))
    return 0 if "0" in number_format else None


def _fixed(value: Decimal, places: int) -> str:
    return str(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text in {"-0", ""} else text


def cell_text(value: Any, number_format: str = "General") -> str:
    """The text Excel shows for a cell value (no float arithmetic: floats go through their repr)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if not number.is_finite():
            return str(value)
        fmt = number_format or "General"
        if "%" in fmt:
            places = _places(fmt.replace("%", "")) or 0
            return _fixed(number * 100, places) + "%"
        fixed = _places(fmt) if fmt != "General" else None
        return _fixed(number, fixed) if fixed else _plain(number)
    return str(value)


def _sheet(ws: Worksheet, source: str | None, limits: Limits) -> Sheet:
    max_row, max_col = ws.max_row, ws.max_column
    if max_row > limits.max_rows:
        raise too_large(source, f"工作表“{ws.title}”的行数", max_row, limits.max_rows)
    if max_col > limits.max_columns:
        raise too_large(source, f"工作表“{ws.title}”的列数", max_col, limits.max_columns)
    merged: dict[tuple[int, int], tuple[Any, str]] = {}
    for rng in ws.merged_cells.ranges:
        top = ws.cell(row=rng.min_row, column=rng.min_col)
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                merged[(r, c)] = (top.value, top.number_format)
    rows: list[list[Cell]] = []
    for r, row in enumerate(ws.iter_rows(min_row=1, max_row=max_row, max_col=max_col), start=1):
        cells: list[Cell] = []
        for c, cell in enumerate(row, start=1):
            value, number_format = merged.get((r, c), (cell.value, cell.number_format))
            cells.append(
                Cell(
                    text=cell_text(value, number_format),
                    location=Location(source=source, sheet=ws.title, row=r, column=c),
                )
            )
        rows.append(cells)
    return Sheet(name=ws.title, rows=rows)


def read_xlsx(data: bytes, source: str | None, limits: Limits) -> list[Sheet]:
    """Every worksheet of the workbook, as grids of located cells."""
    buffer = io.BytesIO(data)
    if not zipfile.is_zipfile(buffer):
        raise unreadable(source, "不是有效的 XLSX 文件（不是 zip 压缩包）", hint=_SAVE_AS)
    try:
        with zipfile.ZipFile(buffer) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise unreadable(source, f"不是有效的 XLSX 文件（{exc}）") from exc
    if unpacked > limits.max_file_bytes * UNPACKED_FACTOR:
        raise too_large(source, "解压后的大小（字节）", unpacked, limits.max_file_bytes * UNPACKED_FACTOR)

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    buffer.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about features it drops (data validation …)
            workbook = load_workbook(buffer, data_only=True)
    except (
        InvalidFileException,
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        TypeError,
        SyntaxError,
        OSError,
        EOFError,
    ) as exc:
        raise unreadable(source, "不是有效的 XLSX 文件（缺少工作簿内容或内容已损坏）", hint=_SAVE_AS) from exc
    try:
        return [_sheet(ws, source, limits) for ws in workbook.worksheets]
    finally:
        workbook.close()
