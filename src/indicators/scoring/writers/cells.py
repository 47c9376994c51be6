"""Text that a spreadsheet opens must stay text: one function for every writer (XLSX, CSV).

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel,
WPS and LibreOffice as a formula (``=100%`` as a target, or ``=HYPERLINK(…)`` planted in a form). The XLSX
writers store such text with the string data type; the CSV writers put a ``'`` before it, which the
spreadsheet shows as text and does not evaluate.
"""

from __future__ import annotations

#: the first characters that make a spreadsheet read a cell as a formula
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet would take this text for a formula."""
    return text.startswith(FORMULA_LEADS)


def csv_text(text: str) -> str:
    """The text as a CSV cell that opens as text: a ``'`` before a formula-like start."""
    return f"'{text}" if looks_like_formula(text) else text
