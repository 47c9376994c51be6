"""Writers of the reviewer's findings: JSON, CSV, SARIF and an annotated XLSX workbook.

Every text that a spreadsheet opens is written as text, never as a formula (CWE-1236, "CSV injection"):
:func:`starts_like_formula` is the one test, :func:`csv_safe` the CSV escape (a leading ``'`` before a
cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, as OWASP recommends), and
:func:`set_text` stores a text in an XLSX cell with the string data type.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from indicators.diagnostics import Diagnostic

#: characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: the findings of a check: (the form's path as given, its findings)
Results = Sequence[tuple[str, Sequence[Diagnostic]]]


def starts_like_formula(text: str) -> bool:
    """True when a spreadsheet would read ``text`` as a formula (it starts with = + - @ tab or CR)."""
    return text.startswith(FORMULA_STARTS)


def csv_safe(text: str) -> str:
    """``text`` for a CSV cell: a leading ``'`` when it starts like a formula (``=SUM(A1)`` →
    ``'=SUM(A1)``, ``-5%`` → ``'-5%``), so that a spreadsheet shows it as text."""
    return "'" + text if starts_like_formula(text) else text


def set_text(cell: Any, text: str) -> None:
    """Store ``text`` in an openpyxl cell as text (data type ``s``), never as a formula: openpyxl reads a
    value starting with ``=`` as a formula unless the type is set."""
    cell.value = text
    cell.data_type = "s"


__all__ = ["FORMULA_STARTS", "Results", "csv_safe", "set_text", "starts_like_formula"]
