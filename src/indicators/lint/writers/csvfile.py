"""``--format csv``: one finding per record, UTF-8 with a byte-order mark so that Excel and WPS read the
Chinese text; every text cell goes through :func:`~indicators.spreadsheet.csv_text`."""

from __future__ import annotations

import csv
from typing import TextIO

from indicators.lint.writers import Results
from indicators.spreadsheet import csv_text

#: the columns, named as the JSON fields
COLUMNS = (
    "file", "code", "slug", "severity", "row", "column", "cell", "sheet", "indicator", "message", "hint",
    "text", "fix",
)


def write_csv(results: Results, out: TextIO) -> None:
    """The findings as CSV (RFC 4180 quoting, CR LF line ends), a header record first."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for path, found in results:
        for d in found:
            loc = d.location
            values = (
                path, d.code, d.slug, d.severity.value,
                loc.row if loc else None, loc.column if loc else None, loc.cell if loc else None,
                loc.sheet if loc else None, d.indicator, d.message, d.hint, d.text, d.fix,
            )
            writer.writerow([_field(v) for v in values])


def _field(value: str | int | None) -> str | int:
    """An empty field for None, a number as it is, a text made safe for spreadsheets."""
    if value is None:
        return ""
    return value if isinstance(value, int) else csv_text(value)
