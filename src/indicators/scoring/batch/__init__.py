"""Scoring a long table (one row per unit × indicator × period) at scale: ``indicators score-batch``.

``score_table(path, policy=…, out=…)`` scores every plainly numeric row in DuckDB with exact DECIMAL SQL
and only the other rows in Python (:func:`score_rows` is that Python scorer, and the reference the SQL
agrees with); ``emit_sql(path, dialect, policy=…)`` writes the query for a warehouse (PostgreSQL,
Spark SQL, Trino …). The method: docs/batch.md, "score-batch".
"""

from __future__ import annotations

from indicators.scoring.batch.columns import ScoreBatchError, resolve_columns
from indicators.scoring.batch.reference import GroupTotal, LineResult, LongRow, build_form, score_rows
from indicators.scoring.batch.run import (
    OUTPUT_COLUMNS,
    TOTAL_COLUMNS,
    ScoreBatchResult,
    emit_sql,
    read_long_table,
    score_table,
    totals_path,
)

__all__ = [
    "OUTPUT_COLUMNS",
    "TOTAL_COLUMNS",
    "GroupTotal",
    "LineResult",
    "LongRow",
    "ScoreBatchError",
    "ScoreBatchResult",
    "build_form",
    "emit_sql",
    "read_long_table",
    "resolve_columns",
    "score_rows",
    "score_table",
    "totals_path",
]
