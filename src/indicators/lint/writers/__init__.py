"""Writers of the reviewer's findings: JSON, CSV, SARIF and an annotated XLSX workbook.

Every text that a spreadsheet opens is written as text, never as a formula, by the rules of
:mod:`indicators.spreadsheet` (shared with the score sheet and audit writers).
"""

from __future__ import annotations

from collections.abc import Sequence

from indicators.diagnostics import Diagnostic

#: the findings of a check: (the form's path as given, its findings)
Results = Sequence[tuple[str, Sequence[Diagnostic]]]

__all__ = ["Results"]
