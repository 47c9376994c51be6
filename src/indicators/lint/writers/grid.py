"""The form as read: the grid of texts of the sheet a form was read from, for the annotated workbook.

The grid is read again from the file with the readers the form was read with (tab text, CSV, XLSX), so
that every finding's row and column point at the same cell. A form read from JSON or YAML has no sheet:
its grid is made of the cells the form model keeps, each at its recorded row and column.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from indicators.errors import IndicatorsError
from indicators.forms.model import Cell, Form
from indicators.inputs import Source
from indicators.limits import DEFAULT_LIMITS, Limits

Grid = list[list[str]]


def form_sheet(form: Form) -> str | None:
    """The worksheet the form's indicator table was read from (None for text files)."""
    for cell in form_cells(form):
        if cell.location is not None and cell.location.sheet:
            return cell.location.sheet
    return None


def form_cells(value: Any) -> Iterator[Cell]:
    """Every cell the form model keeps, in model order."""
    if isinstance(value, Cell):
        yield value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from form_cells(getattr(value, name))
    elif isinstance(value, tuple | list):
        for item in value:
            yield from form_cells(item)


def cells_grid(form: Form, limits: Limits = DEFAULT_LIMITS) -> Grid:
    """A grid of the form's located cells (a JSON or YAML form, or a file that can no longer be read);
    a cell placed beyond the limits of a sheet (``max_rows``, ``max_columns``) is left out."""
    grid: Grid = []
    for cell in form_cells(form):
        loc = cell.location
        if loc is None or loc.row is None or loc.column is None:
            continue
        if loc.row > limits.max_rows or loc.column > limits.max_columns:
            continue
        while len(grid) < loc.row:
            grid.append([])
        line = grid[loc.row - 1]
        while len(line) < loc.column:
            line.append("")
        line[loc.column - 1] = line[loc.column - 1] or cell.text
    return grid


def source_grid(
    path: Source, form: Form, *, limits: Limits = DEFAULT_LIMITS, name: str | None = None
) -> Grid:
    """The grid of the sheet ``form`` was read from in the file at ``path`` (or in the bytes of an
    upload, ``name`` naming it as for :func:`~indicators.forms.read_form`); the form's own cells when
    the file is JSON or YAML or cannot be read again."""
    from indicators.forms.io import sniff
    from indicators.forms.readers.text import decode, read_csv_text, read_tab_text
    from indicators.inputs import InputError, guess_delimiter, read_bytes

    try:
        raw = read_bytes(path, limits=limits, name=name)
        kind = sniff(raw.data, raw.suffix)
        if kind == "xlsx":
            from indicators.forms.readers.xlsx import read_xlsx

            wanted = form_sheet(form)
            sheets = read_xlsx(raw.data, raw.name, limits)
            sheet = next((s for s in sheets if s.name == wanted), sheets[0] if sheets else None)
            rows = sheet.rows if sheet is not None else []
        elif kind == "text":
            text = decode(raw.data, raw.name).text
            delimiter = guess_delimiter(text, raw.suffix)
            if delimiter == "\t":
                rows = read_tab_text(text, raw.name, limits).rows
            else:
                rows = read_csv_text(text, raw.name, limits, delimiter=delimiter).rows
        else:
            return cells_grid(form, limits)
    except (IndicatorsError, InputError):
        return cells_grid(form, limits)
    return [[cell.text for cell in row] for row in rows]
