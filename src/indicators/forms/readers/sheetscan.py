"""One streaming pass over a worksheet's XML: the cells holding a value, and nothing else.

The pass keeps no more of the XML than the cell being read, and finds:

* the **cells holding a value**, as written (type, text, style), counted as they arrive;
* the **used area**: the last row and column holding a value. Cells that carry formatting but no value
  (borders drawn down to row 30 000) are skipped as they arrive, and the dimension the file declares
  (``<dimension ref="A1:XFD1048576">``) is never trusted;
* the **merged ranges**, bounded in number, to be clipped to the used area;
* the **formulas without a saved value** (IND508).

Limits are checked as the cells arrive: a value beyond ``Limits.max_rows`` or ``Limits.max_columns``,
more than ``Limits.max_cells`` values, a value longer than ``Limits.max_cell_chars``, a number with too
many digits or too large a power of ten (``Limits.max_number_digits``, ``Limits.max_number_exponent``).
The XML is parsed by defusedxml: a part that declares entities (the "billion laughs") or refers to
external ones is refused, never expanded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import IO
from xml.etree.ElementTree import Element, ParseError

from indicators.forms.readers.common import too_large, unreadable
from indicators.forms.readers.parts import events, local
from indicators.inputs import InputError, InputTooLargeError, read_number
from indicators.limits import Limits

#: Excel's own bounds: rows and columns (XFD) of a sheet
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384
#: formula cells without a saved value remembered by position (the rest are only counted)
KEPT_FORMULAS = 100
_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")
#: a number as Excel writes it, read without further checks (anything else goes to read_number)
_PLAIN_NUMBER = re.compile(r"-?[0-9]{1,17}(?:\.[0-9]{1,17})?(?:E-?[0-9]{1,2})?")
#: cell types whose ``<v>`` holds a number
_NUMERIC = frozenset({"n", ""})


@dataclass(frozen=True, slots=True)
class RawCell:
    """A cell's value as the XML writes it: its type (``t``: n, s, str, inlineStr, b, e, d), its text
    (the ``<v>`` text or the inline string) and its style index (``s``)."""

    kind: str
    text: str
    style: int


@dataclass
class SheetScan:
    """What the pass found: the cells holding a value, the used area, the merged ranges and the
    uncalculated formulas."""

    cells: dict[tuple[int, int], RawCell] = field(default_factory=dict)
    rows: int = 0
    columns: int = 0
    #: (first row, first column, last row, last column) as written, not yet clipped
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    #: the first :data:`KEPT_FORMULAS` formula cells without a saved value, as (row, column)
    uncalculated: list[tuple[int, int]] = field(default_factory=list)
    uncalculated_count: int = 0


def column_number(letters: str) -> int:
    """``A`` → 1, ``XFD`` → 16384."""
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


def parse_ref(ref: str) -> tuple[int, int] | None:
    """``B7`` → (7, 2); None for text that is not a cell reference inside Excel's bounds."""
    match = _REF.fullmatch(ref)
    if match is None:
        return None
    row, column = int(match[2]), column_number(match[1])
    if not (1 <= row <= EXCEL_ROWS and 1 <= column <= EXCEL_COLUMNS):
        return None
    return row, column


def parse_range(ref: str) -> tuple[int, int, int, int] | None:
    """``A1:E3`` → (1, 1, 3, 5); a single cell is a range of one; None for anything else."""
    first, _, last = ref.partition(":")
    start, end = parse_ref(first), parse_ref(last or first)
    if start is None or end is None:
        return None
    return min(start[0], end[0]), min(start[1], end[1]), max(start[0], end[0]), max(start[1], end[1])


class _Scanner:
    """The state of one pass; :meth:`cell` and :meth:`merge` see each element as it ends."""

    def __init__(self, title: str, source: str | None, limits: Limits) -> None:
        self.title = title
        self.source = source
        self.limits = limits
        self.found = SheetScan()
        self.row = 0
        self.column = 0

    def where(self, row: int, column: int) -> str:
        from indicators.diagnostics import column_letter

        return f"工作表“{self.title}”的 {column_letter(column)}{row} 单元格"

    def start_row(self, element: Element) -> None:
        written = element.get("r")
        number = int(written) if written and written.isdigit() and len(written) <= 7 else self.row + 1
        self.row, self.column = number, 0

    def cell(self, element: Element) -> None:
        written = element.get("r")
        place = parse_ref(written) if written else (self.row, self.column + 1)
        if place is None:
            shown = (written or "")[:20]
            raise unreadable(self.source, f"工作表“{self.title}”中的单元格引用“{shown}”无效")
        row, column = place
        self.column = column
        kind = element.get("t", "n")
        value: str | None = None
        has_value = has_formula = False
        for child in element:
            name = local(child.tag)
            if name == "v":
                value, has_value = child.text or "", True
            elif name == "is":
                value, has_value = "".join(t.text or "" for t in child.iter() if local(t.tag) == "t"), True
            elif name == "f":
                has_formula = True
        if not value and kind != "inlineStr":
            if has_formula:  # no saved value, or an empty one (openpyxl writes ``<v/>``)
                self.uncalculated(row, column)
            return
        if has_value:
            style = element.get("s", "0")
            index = int(style) if style.isdigit() and len(style) < 7 else 0
            self.value(row, column, RawCell(kind, value or "", index))

    def uncalculated(self, row: int, column: int) -> None:
        found = self.found
        found.uncalculated_count += 1
        if len(found.uncalculated) < KEPT_FORMULAS:
            found.uncalculated.append((row, column))

    def value(self, row: int, column: int, cell: RawCell) -> None:
        limits, found = self.limits, self.found
        value = cell.text
        if row > limits.max_rows:
            raise too_large(self.source, f"工作表“{self.title}”的行数", row, limits.max_rows, "max_rows")
        if column > limits.max_columns:
            what = f"工作表“{self.title}”的列数"
            raise too_large(self.source, what, column, limits.max_columns, "max_columns")
        if len(value) > limits.max_cell_chars:
            raise too_large(self.source, f"{self.where(row, column)}的长度（字符）", len(value),
                            limits.max_cell_chars, "max_cell_chars")
        if cell.kind in _NUMERIC and _PLAIN_NUMBER.fullmatch(value) is None:
            self.number(row, column, value)
        if len(found.cells) >= limits.max_cells and (row, column) not in found.cells:
            what = f"工作表“{self.title}”中有值的单元格数"
            raise too_large(self.source, what, len(found.cells) + 1, limits.max_cells, "max_cells")
        found.cells[row, column] = cell
        found.rows, found.columns = max(found.rows, row), max(found.columns, column)

    def number(self, row: int, column: int, value: str) -> None:
        try:
            read_number(value, limits=self.limits, source=self.source)
        except InputTooLargeError as exc:
            raise too_large(self.source, f"{self.where(row, column)}的{exc.what}", exc.size, exc.limit,
                            exc.name) from exc
        except InputError as exc:
            raise unreadable(self.source, f"{self.where(row, column)}的数值无法识别：{exc.reason}") from exc

    def merge(self, element: Element) -> None:
        bounds = parse_range(element.get("ref", ""))
        if bounds is None:
            return  # openpyxl's reader ignores a range it cannot read too
        merged = self.found.merged
        if len(merged) >= self.limits.max_cells:
            raise too_large(self.source, f"工作表“{self.title}”的合并单元格数", len(merged) + 1,
                            self.limits.max_cells, "max_cells")
        merged.append(bounds)


def scan_sheet(stream: IO[bytes], *, title: str, source: str | None, limits: Limits) -> SheetScan:
    """One pass over the XML of a worksheet (see the module text); raises
    :class:`~indicators.errors.FormReadError` (IND003 for a limit, IND501 for XML that is broken or
    declares entities)."""
    from defusedxml import DefusedXmlException

    scanner = _Scanner(title, source, limits)
    stack: list[Element] = []
    inside_cell = 0
    try:
        for event, element in events(stream):
            name = local(element.tag)
            if event == "start":
                stack.append(element)
                if name == "row":
                    scanner.start_row(element)
                inside_cell += name == "c"
                continue
            stack.pop()
            if name == "c":
                inside_cell -= 1
                scanner.cell(element)
            elif name == "mergeCell":
                scanner.merge(element)
            if inside_cell:
                continue  # the parts of a cell stay until the cell ends
            if stack:
                stack[-1].remove(element)  # each finished element goes: memory stays one cell deep
    except DefusedXmlException as exc:
        raise unreadable(
            source, f"工作表“{title}”的 XML 含有实体定义或外部引用，为安全起见不展开、不读取",
            hint="请用 Excel 另存为 .xlsx 格式",
        ) from exc
    except ParseError as exc:
        reason = f"工作表“{title}”的 XML 已损坏（{exc}）"
        raise unreadable(source, reason, hint="请用 Excel 另存为 .xlsx 格式") from exc
    return scanner.found
