"""Text that a spreadsheet opens must stay text: the one rule for every writer (XLSX, CSV).

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel,
WPS and LibreOffice as a formula (``=100%`` as a target, or ``=HYPERLINK(…)`` planted in a form: CWE-1236,
"CSV injection"). XLSX writers store such text with the string data type (:func:`set_text`); CSV writers
put a ``'`` before it (:func:`csv_text`), as OWASP recommends, which the spreadsheet shows as text and
does not evaluate.
"""

from __future__ import annotations

from typing import Any

#: the first characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection")
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet would take this text for a formula."""
    return text.startswith(FORMULA_LEADS)


def csv_text(text: str) -> str:
    """The text as a CSV cell that opens as text: ``=SUM(A1)`` → ``'=SUM(A1)``, ``-5%`` → ``'-5%``."""
    return f"'{text}" if looks_like_formula(text) else text


def set_text(cell: Any, text: str) -> None:
    """Store ``text`` in an openpyxl cell as text (data type ``s``), never as a formula: openpyxl reads a
    value starting with ``=`` as a formula unless the type is set."""
    cell.value = text
    cell.data_type = "s"
