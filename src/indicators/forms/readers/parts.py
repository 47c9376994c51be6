"""The parts of a workbook other than its sheets: the sheet list, the number formats, the shared strings.

Read from the checked archive (:mod:`.archive`) with defusedxml, by the relationships the package
declares (``_rels/.rels`` → ``xl/workbook.xml`` → ``xl/_rels/workbook.xml.rels``), so a workbook whose
parts have other names (WPS, strict OOXML) reads the same. The shared strings are streamed, each string
the text of its runs without the phonetic guide (``rPh``), as Excel shows it.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO
from xml.etree.ElementTree import Element

#: Excel's day 0: 1899-12-30 (the 1900 date system), or 1904-01-01 (old Mac workbooks); openpyxl's
#: ``from_excel`` corrects the 1900 system's leap-year error when given the first
EPOCH_1900, EPOCH_1904 = dt.datetime(1899, 12, 30), dt.datetime(1904, 1, 1)


@dataclass(frozen=True)
class SheetPart:
    """A worksheet: its name, its state (visible, hidden, veryHidden) and the archive member of its XML."""

    name: str
    state: str
    path: str


@dataclass
class WorkbookParts:
    """What the sheets need to be read: their parts, the epoch of dates, shared strings, number formats."""

    sheets: list[SheetPart] = field(default_factory=list)
    epoch: dt.datetime = EPOCH_1900
    strings: list[str] = field(default_factory=list)
    #: the number format code of each cell style (``cellXfs`` index)
    formats: list[str] = field(default_factory=list)
    #: the cell styles whose format shows a date, and those that show a duration
    dates: frozenset[int] = frozenset()
    durations: frozenset[int] = frozenset()

    def number_format(self, style: int) -> str:
        return self.formats[style] if 0 <= style < len(self.formats) else "General"


def local(tag: object) -> str:
    """The name of an XML tag without its namespace (``{…main}c`` → ``c``)."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _attribute(element: Element, name: str) -> str | None:
    """An attribute by its local name, whatever its namespace (``r:id``)."""
    for key, value in element.attrib.items():
        if local(key) == name or key == name:
            return value
    return None


def _tree(archive: zipfile.ZipFile, name: str) -> Element | None:
    from defusedxml.ElementTree import fromstring

    if name not in archive.NameToInfo:
        return None
    root: Element = fromstring(archive.read(name))
    return root


def _relations(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """The relationships of ``part``: id → (type, member name)."""
    folder, base = posixpath.split(part)
    root = _tree(archive, posixpath.join(folder, "_rels", f"{base}.rels"))
    found: dict[str, tuple[str, str]] = {}
    for rel in [] if root is None else list(root):
        target, kind = rel.get("Target", ""), rel.get("Type", "")
        if rel.get("TargetMode") == "External" or not target:
            continue
        absolute = target.startswith("/")
        path = target.lstrip("/") if absolute else posixpath.normpath(posixpath.join(folder, target))
        found[rel.get("Id", "")] = (kind, path)
    return found


def _workbook_path(archive: zipfile.ZipFile) -> str:
    for kind, path in _relations(archive, "").values():
        if kind.endswith("/officeDocument"):
            return path
    return "xl/workbook.xml"


def _styles(parts: WorkbookParts, root: Element) -> None:
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format

    custom: dict[int, str] = {}
    styles: list[int] = []
    for element in root:
        if local(element.tag) == "numFmts":
            for fmt in element:
                number = fmt.get("numFmtId", "")
                if number.isdigit() and len(number) < 6:
                    custom[int(number)] = fmt.get("formatCode", "General")
        elif local(element.tag) == "cellXfs":
            for xf in element:
                number = xf.get("numFmtId", "0")
                styles.append(int(number) if number.isdigit() and len(number) < 6 else 0)
    parts.formats = [custom.get(n) or BUILTIN_FORMATS.get(n) or "General" for n in styles]
    parts.dates = frozenset(i for i, f in enumerate(parts.formats) if is_date_format(f))
    parts.durations = frozenset(i for i, f in enumerate(parts.formats) if is_timedelta_format(f))


def events(stream: IO[bytes]) -> Iterator[tuple[str, Element]]:
    """``(event, element)`` at the start and the end of each element, parsed by defusedxml."""
    from defusedxml.ElementTree import iterparse

    return iter(iterparse(stream, events=("start", "end")))


def shared_strings(stream: IO[bytes]) -> list[str]:
    """The shared strings, streamed: each ``si`` is the text of its ``t`` elements outside ``rPh``."""
    strings: list[str] = []
    pieces: list[str] = []
    phonetic = 0
    stack: list[Element] = []
    for event, element in events(stream):
        name = local(element.tag)
        if event == "start":
            stack.append(element)
            phonetic += name == "rPh"
            continue
        stack.pop()
        if name == "rPh":
            phonetic -= 1
        elif name == "t" and not phonetic:
            pieces.append(element.text or "")
        elif name == "si":
            strings.append("".join(pieces))
            pieces.clear()
        if stack:
            stack[-1].remove(element)
    return strings


def read_parts(archive: zipfile.ZipFile) -> WorkbookParts:
    """The sheet list, date system, number formats and shared strings of a checked archive. Raises
    ``KeyError``/``ValueError`` (defusedxml's errors included) on a damaged workbook."""
    parts = WorkbookParts()
    book = _workbook_path(archive)
    root = _tree(archive, book)
    if root is None:
        raise KeyError(book)
    relations = _relations(archive, book)
    for element in root.iter():
        name = local(element.tag)
        if name == "workbookPr" and element.get("date1904", "").lower() in {"1", "true"}:
            parts.epoch = EPOCH_1904
        elif name == "sheet":
            kind, path = relations.get(_attribute(element, "id") or "", ("", ""))
            if kind.endswith("/worksheet") and path in archive.NameToInfo:
                state = element.get("state", "visible")
                parts.sheets.append(SheetPart(name=element.get("name", ""), state=state, path=path))
    for kind, path in relations.values():
        if kind.endswith("/styles") and (styles := _tree(archive, path)) is not None:
            _styles(parts, styles)
        elif kind.endswith("/sharedStrings") and path in archive.NameToInfo:
            with archive.open(path) as stream:
                parts.strings = shared_strings(stream)
    return parts
