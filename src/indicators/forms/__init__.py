"""Forms: the form model, readers for text/CSV/XLSX/JSON files, and realignment of shifted rows.

``read_form(path)`` reads any supported file (a path, bytes or a binary stream) into a :class:`Form`;
``read_form_text(text)`` reads text already in memory. See docs/forms.md.
"""

from __future__ import annotations

from indicators.forms.io import read_form, read_form_text
from indicators.forms.model import (
    BudgetGroup,
    BudgetItem,
    Category,
    Cell,
    Form,
    FormKind,
    FormType,
    IndicatorRow,
    KeyTask,
    ProjectInfo,
    TargetText,
    TypeEvidence,
)
from indicators.forms.readers.common import FormTooLargeError

__all__ = [
    "BudgetGroup",
    "BudgetItem",
    "Category",
    "Cell",
    "Form",
    "FormKind",
    "FormTooLargeError",
    "FormType",
    "IndicatorRow",
    "KeyTask",
    "ProjectInfo",
    "TargetText",
    "TypeEvidence",
    "read_form",
    "read_form_text",
]
