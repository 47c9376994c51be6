"""Tab-separated text (the seed's layout and the one-row-per-indicator ``.tsv`` files) and CSV.

Bytes are decoded as UTF-16 when they start with its byte-order mark (Excel's "Unicode 文本" export),
else as UTF-8 (with or without a byte-order mark), else GB18030, the encoding of Chinese Excel's "CSV"
and "文本文件" exports. Text with NUL bytes or many control characters is not a
form. Tab text is split on tabs with no quoting (forms write ``"`` and ``“`` freely); CSV follows
RFC 4180 quoting, and every row of its indicator table must have as many fields as its header (empty
fields past the header's width and a line of one cell, a note, are allowed).
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
from indicators.limits import Limits

_SNIFF = 8192
_FORMATS_HINT = "请提供 .txt、.tsv、.csv、.xlsx 或 .json 文件"


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def decode_text(data: bytes) -> str | None:
    """Text from bytes in UTF-16 with a byte-order mark (Excel's "Unicode 文本"), UTF-8 (with or without
    one) or GB18030; None for binary data (NUL bytes) or bytes none of these decodes."""
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\x00" in data[:_SNIFF]:
        return None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def decode(data: bytes, source: str | None) -> str:
    """The text of a form file; :class:`FormReadError` (IND501) for binary, undecodable or empty data."""
    text = decode_text(data)
    if text is None and b"\x00" in data[:_SNIFF] and not data.startswith(_UTF16_BOMS):
        raise unreadable(source, "不是文本文件（含二进制数据）", hint=_FORMATS_HINT)
    if text is None:
        raise unreadable(
            source,
            "无法识别文件编码（已尝试 UTF-16、UTF-8 和 GB18030）",
            hint="请另存为 UTF-8 编码的文本",
        )
    sample = text[:_SNIFF]
    control = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r") or ord(ch) == 127)
    if control > max(4, len(sample) // 50):
        raise unreadable(source, "不是文本文件（含大量控制字符）", hint=_FORMATS_HINT)
    if not text.strip():
        raise unreadable(source, "文件为空")
    return text


def delimiter_of(text: str, suffix: str) -> str:
    """``\\t`` or ``,``: the file extension decides unless the text contradicts it."""
    sample = text[: _SNIFF * 4]
    has_tab, has_comma = "\t" in sample, "," in sample
    if suffix == ".csv":
        return "\t" if has_tab and not has_comma else ","
    if suffix in {".tsv", ".txt", ".tab"}:
        return "," if has_comma and not has_tab else "\t"
    if has_tab:
        return "\t"
    return "," if has_comma else "\t"


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


def read_csv_text(text: str, source: str | None, limits: Limits) -> Sheet:
    """CSV records (record ``n`` is row ``n``); a ragged row of the indicator table is an error (IND505).

    The table's rows are checked from the header down to the first footer row (合计, 填报人, 注： …).
    """
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
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
