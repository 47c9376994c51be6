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


def _check_size(rows: list[list[str]], source: str | None, limits: Limits) -> None:
    if len(rows) > limits.max_rows:
        raise too_large(source, "行数", len(rows), limits.max_rows)
    widest = max((len(r) for r in rows), default=0)
    if widest > limits.max_columns:
        raise too_large(source, "列数", widest, limits.max_columns)


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

    Lines end in LF or CR LF; a text with no LF at all ends its lines in CR (old Mac exports).
    """
    lines = text.split("\n" if "\n" in text else "\r")
    if lines and lines[-1] == "":
        lines.pop()
    rows = [line.rstrip("\r").split("\t") for line in lines]
    _check_size(rows, source, limits)
    return _sheet(rows, source)


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
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise unreadable(source, f"CSV 格式有误（{exc}）") from exc
    _check_size(rows, source, limits)
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
