"""One diagnostic type for every stage: parsers, importers, the linter and scoring.

A :class:`Diagnostic` has a stable ``code`` (``IND101``) and ``slug`` (``formula.unexpected-token``) for
machines, a Chinese ``message`` that quotes the offending text, a ``severity``, and where known a
``span`` inside one cell's text plus a ``location`` (file, sheet, row, column) in the form. Codes and
their message templates live in :mod:`indicators.codes`; build diagnostics with
:func:`indicators.codes.diagnostic`.
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Severity(StrEnum):
    """How serious a finding is. ``error`` makes ``indicators check`` exit 1."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 2, "warning": 1, "info": 0}[self.value]

    @property
    def label(self) -> str:
        """The Chinese word shown to users."""
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]


class Span(BaseModel):
    """A character range inside one text (a formula, a target, a cell).

    ``start``/``end`` are 0-based offsets in Python characters (a CJK character counts as one);
    ``line``/``column`` are 1-based and point at ``start``; ``end_line``/``end_column`` point just
    past the last character.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    line: int = Field(default=1, ge=1)
    column: int = Field(default=1, ge=1)
    end_line: int = Field(default=1, ge=1)
    end_column: int = Field(default=1, ge=1)

    @classmethod
    def of(cls, text: str, start: int, end: int | None = None) -> Span:
        """The span of ``text[start:end]`` with line and column computed from ``text``."""
        start = max(0, min(start, len(text)))
        end = start if end is None else max(start, min(end, len(text)))
        line, column = _line_col(text, start)
        end_line, end_column = _line_col(text, end)
        # every field is valid by construction (offsets clamped, lines and columns from 1): no validation
        return cls.model_construct(start=start, end=end, line=line, column=column, end_line=end_line,
                                   end_column=end_column)

    def shifted(self, offset: int, text: str) -> Span:
        """The same range seen from a larger text in which the original begins at ``offset``."""
        return Span.of(text, self.start + offset, self.end + offset)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    last_nl = text.rfind("\n", 0, offset)
    return line, offset - last_nl


class Location(BaseModel):
    """Where in a file a cell sits. ``row`` and ``column`` are 1-based, as spreadsheets count."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str | None = None
    sheet: str | None = None
    row: int | None = Field(default=None, ge=1)
    column: int | None = Field(default=None, ge=1)

    @property
    def cell(self) -> str | None:
        """Spreadsheet-style cell name such as ``C7``."""
        if self.row is None or self.column is None:
            return None
        return f"{column_letter(self.column)}{self.row}"

    def __str__(self) -> str:
        parts = [p for p in (self.source, self.sheet) if p]
        if self.row is not None:
            parts.append(self.cell or f"第{self.row}行")
        return "!".join(parts)


def column_letter(column: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while column > 0:
        column, rem = divmod(column - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


class Diagnostic(BaseModel):
    """One finding. Immutable; JSON-serialisable with ``model_dump(mode="json")``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    slug: str
    severity: Severity
    message: str
    hint: str | None = None
    span: Span | None = None
    location: Location | None = None
    text: str | None = Field(default=None, description="the whole text the span points into")
    indicator: str | None = Field(default=None, description="level-3 name of the row the finding is about")
    fix: str | None = Field(default=None, description="a replacement text that would repair the input")
    data: dict[str, Any] = Field(default_factory=dict, description="figures behind the finding")

    def with_location(self, location: Location | None = None, **changes: Any) -> Diagnostic:
        """A copy placed in a form (and with any other field changed)."""
        if location is not None:
            changes["location"] = location
        return self.model_copy(update=changes)

    def excerpt(self) -> str:
        """The offending text with a caret line under the span (CJK characters are two columns wide)."""
        if self.text is None or self.span is None:
            return ""
        return caret_excerpt(self.text, self.span)

    def render(self) -> str:
        """``where: CODE 严重程度 [indicator：]message`` plus excerpt and hint, for terminals and logs."""
        where = str(self.location) if self.location else ""
        if self.span is not None and self.location is None:
            where = f"{self.span.line}:{self.span.column}"
        head = f"{where}: " if where else ""
        # name the row when the message does not, so a finding located in a file still says which indicator
        about = f"{self.indicator}：" if self.indicator and self.indicator not in self.message else ""
        lines = [f"{head}{self.code} {self.severity.label} {about}{self.message}"]
        exc = self.excerpt()
        if exc:
            lines.append(exc)
        if self.hint:
            lines.append(f"  提示: {self.hint}")
        return "\n".join(lines)


def display_width(text: str) -> int:
    """Terminal width: East Asian wide and full-width characters take two cells."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def caret_excerpt(text: str, span: Span, *, indent: str = "  ") -> str:
    """The line of ``text`` holding the span, and a ``^~~`` marker aligned under it."""
    lines = text.split("\n")
    line_no = min(span.line, len(lines))
    line = lines[line_no - 1]
    col0 = span.column - 1
    length = max(1, span.end - span.start) if span.end_line == span.line else max(1, len(line) - col0)
    pad = display_width(line[:col0])
    width = max(1, display_width(line[col0 : col0 + length]))
    return f"{indent}{line}\n{indent}{' ' * pad}^{'~' * (width - 1)}"


def worst(diagnostics: list[Diagnostic] | tuple[Diagnostic, ...]) -> Severity | None:
    """The most serious severity present, or ``None`` for an empty list."""
    if not diagnostics:
        return None
    return max((d.severity for d in diagnostics), key=lambda s: s.rank)
