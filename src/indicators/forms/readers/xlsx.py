"""XLSX workbooks, read with openpyxl (imported only when a workbook is read).

Cached values are read (``data_only``), so a cell holding an Excel formula gives the value Excel last
showed; a formula with no saved value (a workbook written by a program and never opened in Excel) reads
as blank and is reported (IND508). A merged range gives its value to every cell it covers, each keeping
its own location. Only the used part of a sheet counts: cells that carry formatting but no value are
ignored, so borders drawn down to row 30 000 do not make a sheet too large.

Numbers become the text Excel shows, without ever losing a digit the cell holds: a float is taken at
Excel's precision of 15 significant digits (``15009.119999999999`` is ``15009.12``); a percentage format
gives ``95%``; a fixed-decimals format pads to its decimals (``30.00``) but never rounds digits away;
text in the format is kept (``0"人次"`` gives ``500人次``, ``0"%"`` gives ``95%`` for 95). Dates are
written the Chinese way, which the target language reads: ``2024年1月31日`` (``2024年1月`` or ``1月31日``
when the format shows no day or no year).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import TYPE_CHECKING, Any

from indicators.codes import diagnostic
from indicators.diagnostics import Location, column_letter
from indicators.forms.layout import Sheet
from indicators.forms.model import Cell
from indicators.forms.readers.common import too_large, unreadable
from indicators.limits import Limits

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

#: an unpacked workbook may be at most this many times larger than the file's byte limit
UNPACKED_FACTOR = 10
#: significant digits of an Excel number
EXCEL_DIGITS = 15
#: cells named in an IND508 message before "…"
_NAMED_CELLS = 5
_SAVE_AS = "请用 Excel 另存为 .xlsx 格式"
#: the signature of an OLE compound file: an old .xls, or an .xlsx encrypted with a password
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


#: the general number format, in English and in a Chinese Excel
_GENERAL = re.compile(r"General|G/通用格式", re.IGNORECASE)
_ANY_NUMBER = "\x00"


@dataclass(frozen=True)
class NumberFormat:
    """What an Excel number format does to a number: affixes, decimals, percent."""

    prefix: str = ""
    suffix: str = ""
    places: int | None = None
    percent: bool = False
    general: bool = True


def _section(fmt: str) -> str:
    """The first section of a format (the one for positive numbers)."""
    quoted = False
    for i, ch in enumerate(fmt):
        if ch == '"':
            quoted = not quoted
        elif ch == ";" and not quoted and (i == 0 or fmt[i - 1] != "\\"):
            return fmt[:i]
    return fmt


def number_format(fmt: str) -> NumberFormat:
    """Parse the parts of ``fmt`` that matter for a number's text.

    ``General`` (``G/通用格式`` in a Chinese Excel) shows the number as it is, between any text around it.
    """
    text = _GENERAL.sub(_ANY_NUMBER, _section(fmt or "General"))
    if text.strip() in {_ANY_NUMBER, "@", ""}:
        return NumberFormat()
    prefix: list[str] = []
    suffix: list[str] = []
    places: int | None = None
    percent = seen_digit = general = False
    i = 0
    while i < len(text):
        ch = text[i]
        literal: str | None = None
        if ch == _ANY_NUMBER:
            seen_digit = general = True
            i += 1
        elif ch == '"':
            end = text.find('"', i + 1)
            end = len(text) if end < 0 else end
            literal, i = text[i + 1 : end], end + 1
        elif ch == "\\" and i + 1 < len(text):
            literal, i = text[i + 1], i + 2
        elif ch == "[":
            end = text.find("]", i)
            i = len(text) if end < 0 else end + 1  # a colour, locale or condition
        elif ch in "_*":
            i += 2  # padding to the width of the next character, or a fill character
        elif ch in "0#?":
            seen_digit = True
            if places is not None:
                places += 1
            i += 1
        elif ch == "." and seen_digit:
            places = 0
            i += 1
        elif ch == ",":
            i += 1
        elif ch == "%":
            percent, literal, i = True, "%", i + 1
        elif ch in "Ee" and i + 1 < len(text) and text[i + 1] in "+-":
            return NumberFormat()  # scientific: shown as a plain number
        elif ch == "@":
            i += 1
        else:
            literal, i = ch, i + 1
        if literal:
            (suffix if seen_digit else prefix).append(literal)
    if not seen_digit or general:
        return NumberFormat(prefix="".join(prefix), suffix="".join(suffix), percent=percent)
    return NumberFormat(
        prefix="".join(prefix), suffix="".join(suffix), places=places or 0, percent=percent, general=False
    )


def excel_decimal(value: int | float | Decimal) -> Decimal:
    """The exact value of a cell's number; a float is cut to Excel's 15 significant digits."""
    if not isinstance(value, float):
        return Decimal(value)
    number = Decimal(repr(value))
    if not number.is_finite() or number.is_zero():
        return number
    return number.quantize(Decimal(1).scaleb(number.adjusted() - EXCEL_DIGITS + 1), rounding=ROUND_HALF_EVEN)


def _plain(value: Decimal, places: int | None = None) -> str:
    """``value`` without a trailing ``.0``, padded to ``places`` decimals but never rounded."""
    normal = value.normalize()
    exponent = normal.as_tuple().exponent
    if places and isinstance(exponent, int) and -exponent < places:
        normal = normal.quantize(Decimal(1).scaleb(-places))
    text = format(normal, "f")
    return "0" if text in {"-0", ""} else text


def _date_parts(fmt: str) -> tuple[bool, bool]:
    """Whether a date format shows the year and the day (neither named: both shown)."""
    bare = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", fmt or "").lower()
    year, day = "y" in bare, "d" in bare
    return (year, day) if year or day else (True, True)


def date_text(value: dt.date, fmt: str = "General") -> str:
    """``2024年1月31日`` (with the time when it is not midnight); the format may leave out year or day."""
    year, day = _date_parts(fmt)
    text = f"{value.month}月"
    if year:
        text = f"{value.year}年{text}"
    if day:
        text += f"{value.day}日"
    if isinstance(value, dt.datetime) and value.time() != dt.time(0):
        seconds = f":{value.second:02d}" if value.second else ""
        text += f" {value.hour}:{value.minute:02d}{seconds}"
    return text


def cell_text(value: Any, number_format_text: str = "General") -> str:
    """The text Excel shows for a cell value (no float arithmetic: floats go through their repr)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.date):  # a datetime too
        return date_text(value, number_format_text)
    if isinstance(value, dt.time):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        number = excel_decimal(value)
        if not number.is_finite():
            return str(value)
        fmt = number_format(number_format_text)
        if fmt.percent:
            number *= 100
        return fmt.prefix + _plain(number, fmt.places) + fmt.suffix
    return str(value)


def _is_formula(value: Any) -> bool:
    """A cell value as openpyxl gives it without ``data_only``: a formula text or formula object."""
    if isinstance(value, str):
        return value.startswith("=")
    return type(value).__name__ in {"ArrayFormula", "DataTableFormula"}


def _extent(ws: Worksheet) -> tuple[int, int]:
    """The last row and column holding a value (merged ranges included); formatting alone does not count."""
    rows = cols = 0
    for (r, c), cell in ws._cells.items():
        if cell.value is not None and (r > rows or c > cols):
            rows, cols = max(rows, r), max(cols, c)
    for rng in ws.merged_cells.ranges:
        if ws.cell(row=rng.min_row, column=rng.min_col).value is not None:
            rows, cols = max(rows, rng.max_row), max(cols, rng.max_col)
    return rows, cols


def _sheet(ws: Worksheet, source: str | None, limits: Limits, formulas: Worksheet | None) -> Sheet:
    max_row, max_col = _extent(ws)
    if max_row > limits.max_rows:
        raise too_large(source, f"工作表“{ws.title}”的行数", max_row, limits.max_rows)
    if max_col > limits.max_columns:
        raise too_large(source, f"工作表“{ws.title}”的列数", max_col, limits.max_columns)
    merged: dict[tuple[int, int], tuple[int, int]] = {}
    for rng in ws.merged_cells.ranges:
        for r in range(rng.min_row, min(rng.max_row, max_row) + 1):
            for c in range(rng.min_col, min(rng.max_col, max_col) + 1):
                merged[(r, c)] = (rng.min_row, rng.min_col)
    uncalculated: list[tuple[int, int]] = []
    rows: list[list[Cell]] = []
    for r in range(1, max_row + 1):
        cells: list[Cell] = []
        for c in range(1, max_col + 1):
            origin = merged.get((r, c), (r, c))  # a merged range takes the value of its first cell
            found = ws._cells.get(origin)
            value = None if found is None else found.value
            if value is None and formulas is not None and origin == (r, c):
                raw = formulas._cells.get((r, c))
                if raw is not None and _is_formula(raw.value):
                    uncalculated.append((r, c))
            text = "" if found is None else cell_text(value, found.number_format)
            cells.append(Cell(text=text, location=Location(source=source, sheet=ws.title, row=r, column=c)))
        rows.append(cells)
    sheet = Sheet(name=ws.title, rows=rows, hidden=ws.sheet_state != "visible")
    if uncalculated:
        names = [f"{column_letter(c)}{r}" for r, c in uncalculated]
        named = "、".join(names[:_NAMED_CELLS]) + ("等" if len(names) > _NAMED_CELLS else "")
        (r, c) = uncalculated[0]
        sheet.diagnostics.append(
            diagnostic(
                "IND508",
                sheet=ws.title,
                count=len(names),
                cells=named,
                location=Location(source=source, sheet=ws.title, row=r, column=c),
                data={"cells": names},
            )
        )
    return sheet


def _has_formulas(archive: zipfile.ZipFile) -> bool:
    """Whether any worksheet of the archive holds a formula (``<f>`` element)."""
    names = [n for n in archive.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
    return any(_FORMULA_TAG.search(archive.read(name)) for name in names)


def _load(buffer: io.BytesIO, source: str | None, *, data_only: bool) -> Workbook:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    buffer.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about features it drops (data validation …)
            return load_workbook(buffer, data_only=data_only)
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


def read_xlsx(data: bytes, source: str | None, limits: Limits) -> list[Sheet]:
    """Every worksheet of the workbook, as grids of located cells."""
    buffer = io.BytesIO(data)
    if data.startswith(OLE_SIGNATURE):
        if "EncryptedPackage".encode("utf-16-le") in data:
            hint = "请在 Excel 中取消打开密码（文件→信息→保护工作簿）后再保存"
            raise unreadable(source, "文件设置了打开密码，无法读取", hint=hint)
        raise unreadable(source, "这是旧版 Excel（.xls）文件，不是 .xlsx", hint=_SAVE_AS)
    if not zipfile.is_zipfile(buffer):
        raise unreadable(source, "不是有效的 XLSX 文件（不是 zip 压缩包）", hint=_SAVE_AS)
    try:
        with zipfile.ZipFile(buffer) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > limits.max_file_bytes * UNPACKED_FACTOR:
                raise too_large(
                    source, "解压后的大小（字节）", unpacked, limits.max_file_bytes * UNPACKED_FACTOR
                )
            has_formulas = _has_formulas(archive)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError, RuntimeError) as exc:
        raise unreadable(source, "不是有效的 XLSX 文件（压缩包已损坏）", hint=_SAVE_AS) from exc

    workbook = _load(buffer, source, data_only=True)
    raw = _load(buffer, source, data_only=False) if has_formulas else None
    try:
        return [
            _sheet(ws, source, limits, raw.worksheets[i] if raw is not None else None)
            for i, ws in enumerate(workbook.worksheets)
        ]
    finally:
        workbook.close()
        if raw is not None:
            raw.close()
