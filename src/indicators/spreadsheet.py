"""Text that a spreadsheet opens must stay text: the one rule for every writer (XLSX, CSV).

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel,
WPS and LibreOffice as a formula (``=100%`` as a target, or ``=HYPERLINK(…)`` planted in a form: CWE-1236,
"CSV injection"). XLSX writers store such text with the string data type (:func:`set_text`); CSV writers
put a ``'`` before it (:func:`csv_text`), as OWASP recommends, which the spreadsheet shows as text and
does not evaluate.
"""

from __future__ import annotations

import re
from typing import Any

#: Excel's (and openpyxl's) largest row and column numbers
MAX_ROW, MAX_COLUMN = 1_048_576, 16_384
#: control characters XML 1.0 cannot hold: an XLSX cell with one cannot be saved
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

#: the first characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection")
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet would take this text for a formula."""
    return text.startswith(FORMULA_LEADS)


def csv_text(text: str) -> str:
    """The text as a CSV cell that opens as text: ``=SUM(A1)`` → ``'=SUM(A1)``, ``-5%`` → ``'-5%``."""
    return f"'{text}" if looks_like_formula(text) else text


def xlsx_text(text: str) -> str:
    """``text`` as an XLSX file can hold it: without the control characters XML 1.0 cannot hold (NUL,
    ESC …), and at most Excel's 32,767 characters."""
    return _NOT_IN_XML.sub("", text)[:32_767]


def set_text(cell: Any, text: str) -> None:
    """Store ``text`` in an openpyxl cell as text (data type ``s``), never as a formula: openpyxl reads a
    value starting with ``=`` as a formula unless the type is set (see :func:`xlsx_text`)."""
    cell.value = xlsx_text(text)
    cell.data_type = "s"


def in_sheet(row: int | None, column: int | None) -> bool:
    """Whether a location fits in a worksheet (a form given as JSON may claim any row or column)."""
    return row is not None and 1 <= row <= MAX_ROW and (column is None or 1 <= column <= MAX_COLUMN)
