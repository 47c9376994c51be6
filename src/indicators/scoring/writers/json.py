"""The score sheet as JSON: Decimals as strings, Chinese unescaped, two-space indent."""

from __future__ import annotations

import json as _json
from typing import Any

from indicators.scoring.sheet import ScoreSheet


def to_dict(sheet: ScoreSheet) -> dict[str, Any]:
    """The documented JSON shape (``lines``, ``subtotals``, ``total``, ``grade``, …) as plain data."""
    return sheet.model_dump(mode="json")


def to_json(sheet: ScoreSheet) -> str:
    return _json.dumps(to_dict(sheet), ensure_ascii=False, indent=2) + "\n"
