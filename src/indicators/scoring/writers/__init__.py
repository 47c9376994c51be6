"""Writers of a :class:`~indicators.scoring.sheet.ScoreSheet`: terminal table, JSON, Markdown, XLSX."""

from __future__ import annotations

from indicators.scoring.writers.json import to_json
from indicators.scoring.writers.markdown import to_markdown
from indicators.scoring.writers.text import to_text
from indicators.scoring.writers.xlsx import write_xlsx

FORMATS = ("text", "json", "markdown", "xlsx")

__all__ = ["FORMATS", "to_json", "to_markdown", "to_text", "write_xlsx"]
