"""Tab-separated text (the seed's layout and the one-row-per-indicator ``.tsv`` files) and CSV.

Bytes are decoded by :func:`indicators.inputs.decode` (byte-order marks, UTF-16 without one, UTF-8,
GB18030, Big5 and charset-normalizer's guess), the one decoder of every file the package reads. Tab text
is split on tabs with no quoting (forms write ``"`` and ``“`` freely); CSV follows RFC 4180 quoting, and
every row of its indicator table must have as many fields as its header (empty fields past the header's
width and a line of one cell, a note, are allowed).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from indicators.codes import diagnostic
from indicators.diagnostics import Location
from indicators.errors import FormReadError
from indicators.forms.layout import Sheet
from indicators.forms.model import Cell
from indicators.forms.names import is_footer, is_header_row
from indicators.forms.readers.common import too_large, unreadable
from indicators.inputs import Decoded, InputError
from indicators.inputs import decode as decode_bytes
from indicators.limits import Limits

_FORMATS_HINT = "请提供 .txt、.tsv、.csv、.xlsx 或 .json 文件"


def decode(data: bytes, source: str | None) -> Decoded:
    """The text of a form file (:func:`indicators.inputs.decode`); :class:`FormReadError` (IND501) for
    binary, undecodable or empty data."""
    try:
        decoded = decode_bytes(data, source=source)
    except InputError as exc:
        raise unreadable(source, exc.reason, hint=exc.hint or _FORMATS_HINT) from exc
    if not decoded.text.strip():
        raise unreadable(source, "文件为空")
    return decoded


def _lines(text: str, source: str | None, limits: Limits, separator: str = "\n") -> list[str]:
    """The lines of ``text``, refused before splitting when there are more than ``max_rows`` of them
    (text files only: a CSV record may span lines) and after when one is longer than
    ``max_line_chars``."""
    lines = text.split(separator)
    if lines and lines[-1] == "":
        lines.pop()
    longest = max(lines, key=len, default="")
    if len(longest) > limits.max_line_chars:
        row = lines.index(longest) + 1
        raise too_large(source, f"第 {row} 行的长度（字符）", len(longest), limits.max_line_chars,
                        "max_line_chars")
    return lines


def _bounded(records: Iterable[list[str]], source: str | None, limits: Limits) -> list[list[str]]:
    """The rows of a table as they arrive, refused as soon as one is over a limit: more than
    ``max_rows`` rows, a row wider than ``max_columns``, a cell longer than ``max_cell_chars``, more
    than ``max_cells`` cells in all."""
    rows: list[list[str]] = []
    cells = 0
    for fields in records:
        number = len(rows) + 1
        if number > limits.max_rows:
            raise too_large(source, "行数", number, limits.max_rows, "max_rows")
        if len(fields) > limits.max_columns:
            raise too_large(source, f"第 {number} 行的列数", len(fields), limits.max_columns, "max_columns")
        longest = max(map(len, fields), default=0)
        if longest > limits.max_cell_chars:
            column = next(c for c, f in enumerate(fields, start=1) if len(f) == longest)
            raise too_large(source, f"第 {number} 行第 {column} 列单元格的长度（字符）", longest,
                            limits.max_cell_chars, "max_cell_chars")
        cells += len(fields)
        if cells > limits.max_cells:
            raise too_large(source, "单元格总数", cells, limits.max_cells, "max_cells")
        rows.append(fields)
    return rows


def _sheet(rows: list[list[str]], source: str | None) -> Sheet:
    return Sheet(
        name=None,
        rows=[
            [
                Cell(text=text, location=Location(source=source, row=r, column=c))
                for c, text in enumerate(fields, start=1)
            ]
            for r, fields in enumerate(rows, start=1)
        ],
    )


def read_tab_text(text: str, source: str | None, limits: Limits) -> Sheet:
    """Tab-separated lines, split without quoting; line ``n`` is row ``n``.

    Lines end in LF or CR LF; a text with no LF at all ends its lines in CR (old Mac exports). The
    number of lines is checked before the text is split, each line's length before it is split into
    cells.
    """
    separator = "\n" if "\n" in text else "\r"
    count = text.count(separator) + (0 if text.endswith(separator) else 1)
    if count > limits.max_rows:
        raise too_large(source, "行数", count, limits.max_rows, "max_rows")
    lines = _lines(text, source, limits, separator)
    return _sheet(_bounded((line.rstrip("\r").split("\t") for line in lines), source, limits), source)


def _ragged(fields: list[str], width: int) -> bool:
    """A row with text beyond the header's width, or short of it while holding more than one cell.

    Trailing empty fields and a line of a single cell (a note) are not ragged.
    """
    if any(f.strip() for f in fields[width:]):
        return True
    return len(fields) < width and sum(1 for f in fields if f.strip()) > 1


def read_csv_text(text: str, source: str | None, limits: Limits, *, delimiter: str = ",") -> Sheet:
    """CSV records (record ``n`` is row ``n``); a ragged row of the indicator table is an error (IND505).

    The table's rows are checked from the header down to the first footer row (合计, 填报人, 注： …).
    """
    _lines(text, source, limits)
    try:
        rows = _bounded(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), source, limits)
    except csv.Error as exc:
        if "field limit" in str(exc):  # the csv module's own limit, above max_cell_chars
            raise too_large(source, "单元格的长度（字符）", csv.field_size_limit() + 1,
                            limits.max_cell_chars, "max_cell_chars") from exc
        raise unreadable(source, f"CSV 格式有误（{exc}）") from exc
    header = next((i for i, r in enumerate(rows) if is_header_row(r)), None)
    if header is not None:
        width = len(rows[header])
        for number, fields in enumerate(rows[header + 1 :], start=header + 2):
            filled = [f for f in fields if f.strip()]
            if filled and is_footer(filled[0]):
                break  # totals, signatures and notes below the table
            if _ragged(fields, width):
                raise FormReadError(
                    diagnostic(
                        "IND505",
                        row=number,
                        count=len(fields),
                        location=Location(source=source, row=number),
                        hint=f"CSV 文件各行的字段数应与表头相同（表头有 {width} 个字段）；"
                        "请检查单元格中没有加引号的逗号或换行",
                        data={"expected": width, "found": len(fields)},
                    )
                )
    return _sheet(rows, source)
