"""Hostile files, built by the tests themselves: each is the smallest file of its class.

A workbook is built by openpyxl and then one of its parts replaced (:func:`with_sheet_xml`), or its ZIP
container written by hand (:func:`raw_zip`) when the attack is in the container: sizes that lie, a
compression ratio of a thousand.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值"]
ROW = ["产出指标", "数量指标", "培训人次", "500人次以上"]
TABLE = "\t".join(HEADER) + "\n" + "\t".join(ROW) + "\n"


def small_workbook() -> bytes:
    """A valid one-sheet form workbook."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADER)
    ws.append(ROW)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def replace_member(data: bytes, name: str, new: bytes) -> bytes:
    """The workbook with member ``name`` replaced (or added)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        names = source.namelist()
        for item in names:
            archive.writestr(item, new if item == name else source.read(item))
        if name not in names:
            archive.writestr(name, new)
    return out.getvalue()


def sheet_xml(rows: str, after: str = "", before: str = "") -> bytes:
    """A worksheet part: ``before`` the sheet data (a dimension), the rows, ``after`` (merged cells)."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_NS}">{before}'
        f"<sheetData>{rows}</sheetData>{after}</worksheet>"
    ).encode()


def inline_row(number: int, texts: list[str]) -> str:
    """A row of inline-string cells, from column A."""
    cells = "".join(
        f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{text}</t></is></c>'
        for i, text in enumerate(texts)
    )
    return f'<row r="{number}">{cells}</row>'


def with_sheet_xml(xml: bytes) -> bytes:
    return replace_member(small_workbook(), SHEET, xml)


def form_rows() -> str:
    return inline_row(1, HEADER) + inline_row(2, ROW)


def huge_merge(ref: str = "A1:XFD1048576", first_row: int = 1) -> bytes:
    """A form from ``first_row`` down and one merged range ``ref`` (the whole sheet by default)."""
    rows = inline_row(first_row, HEADER) + inline_row(first_row + 1, ROW)
    if first_row > 1:
        rows = inline_row(1, ["部门整体绩效目标申报表"]) + rows
    merged = "".join(f'<mergeCell ref="{r}"/>' for r in ref.split())
    return with_sheet_xml(sheet_xml(rows, f"<mergeCells>{merged}</mergeCells>"))


def formatted_empty_cells(rows: int = 20_000, columns: int = 30) -> bytes:
    """A form, then ``rows`` × ``columns`` cells that carry a style and no value, below and beside it."""
    letters = [chr(65 + i // 26 - 1) + chr(65 + i % 26) if i >= 26 else chr(65 + i) for i in range(columns)]
    empty = "".join(
        f'<row r="{r}">' + "".join(f'<c r="{c}{r}" s="0"/>' for c in letters) + "</row>"
        for r in range(3, rows + 3)
    )
    dimension = f'<dimension ref="A1:{letters[-1]}{rows + 2}"/>'
    return with_sheet_xml(sheet_xml(form_rows() + empty, before=dimension))


def many_rows(count: int = 1_000_000) -> bytes:
    """A sheet of ``count`` numbered rows, with no declared dimension."""
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, count + 1))
    return with_sheet_xml(sheet_xml(rows))


def number_cell(text: str) -> bytes:
    """A sheet whose A1 is the number ``text`` as written in the XML."""
    return with_sheet_xml(sheet_xml(f'<row r="1"><c r="A1"><v>{text}</v></c></row>'))


def billion_laughs(part: str = SHEET) -> bytes:
    """Nine levels of ten entities each, in the sheet or in another part."""
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    )
    body = inline_row(1, ["&lol9;"])
    if part == SHEET:
        xml = (
            f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]><worksheet xmlns="{_NS}">'
            f"<sheetData>{body}</sheetData></worksheet>"
        )
    else:  # the styles, which every workbook has
        xml = (
            f'<?xml version="1.0"?><!DOCTYPE styleSheet [{entities}]><styleSheet xmlns="{_NS}">'
            '<numFmts count="1"><numFmt numFmtId="164" formatCode="&lol9;"/></numFmts></styleSheet>'
        )
    return replace_member(small_workbook(), part, xml.encode())


def big_inline_cell(chars: int = 19_000_000) -> bytes:
    return with_sheet_xml(sheet_xml(inline_row(1, ["字" * chars])))


def raw_zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A ZIP written by hand: each member is (name, deflated bytes, declared unpacked size, declared CRC)."""
    out = bytearray()
    central = bytearray()
    for name, packed, size, crc in members:
        encoded = name.encode()
        offset = len(out)
        out += struct.pack(
            "<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(packed), size, len(encoded), 0
        )
        out += encoded + packed
        central += struct.pack(
            "<4sHHHHHHIIIHHHHHII",
            b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(packed), size, len(encoded), 0, 0, 0, 0, 0, offset,
        )
        central += encoded
    start = len(out)
    out += central
    out += struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(members), len(members), len(central), start, 0)
    return bytes(out)


def deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


def deflate_zeros(size: int) -> bytes:
    """``size`` zero bytes deflated, without holding them in memory."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    chunk = b"0" * (1 << 20)
    parts = [packer.compress(chunk) for _ in range(size // len(chunk))]
    return b"".join(parts) + packer.flush()


def _workbook_members(sheet: tuple[bytes, int, int]) -> list[tuple[str, bytes, int, int]]:
    source = zipfile.ZipFile(io.BytesIO(small_workbook()))
    members = []
    for name in source.namelist():
        if name == SHEET:
            members.append((name, *sheet))
        else:
            raw = source.read(name)
            members.append((name, deflate(raw), len(raw), zlib.crc32(raw)))
    return members


def under_declared(size: int = 50_000_000) -> bytes:
    """A workbook whose sheet declares 1,000 unpacked bytes and inflates to ``size``."""
    packed = deflate_zeros(size)
    return raw_zip(_workbook_members((packed, 1_000, 0)))


def zip_bomb(size: int = 210_000_000) -> bytes:
    """A workbook whose sheet honestly declares ``size`` bytes packed a thousand to one."""
    return raw_zip(_workbook_members((deflate_zeros(size), size, 0)))


def truncated() -> bytes:
    data = small_workbook()
    return data[: len(data) // 2]


Builder = Callable[[], bytes]
