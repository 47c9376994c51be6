"""No stage ever raises a Python traceback on a published table, or on a dirty variant of it.

Every table of ``examples/`` (the published 申报表 and 自评表 and the seed) is run through the whole
pipeline — ``read_form`` → ``lint_form`` → ``score_form`` — as it is, and then in variants that hypothesis
builds the way tables get dirty in the field: cells shifted, level cells blanked, spaces and line breaks
inside cells, full-width/half-width swaps, traditional characters, unknown columns added, columns
permuted, header synonyms swapped, other encodings (UTF-16, GB18030, Big5) and CSV instead of tab text.
Each run must give a result, or a typed :class:`IndicatorsError` from the reader; nothing else.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.diagnostics import Diagnostic
from indicators.errors import IndicatorsError
from indicators.forms import Form, read_form
from indicators.forms.names import column_role, column_synonyms
from indicators.lint import lint_form
from indicators.resources import catalog_text
from indicators.scoring import score_form

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TABLES = sorted(
    [*EXAMPLES.glob("declared-*.tsv"), *EXAMPLES.glob("selfeval-*.tsv"), EXAMPLES / "xiaoguwei-declared.txt"]
)


def _grid(path: Path) -> list[list[str]]:
    return [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()]


GRIDS = {path.name: _grid(path) for path in TABLES}
SYNONYMS = column_synonyms()
#: simplified → traditional, from the reviewed table (a simplified character may have several: any one)
TRADITIONAL = {
    simplified: traditional
    for line in catalog_text("traditional.txt").splitlines()
    if line and not line.startswith("#")
    for traditional, _, simplified in [line.partition("\t")]
}
FULL_WIDTH = {ch: chr(ord(ch) + 0xFEE0) for ch in "0123456789%()<>=,.-ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
HALF_WIDTH = {"（": "(", "）": ")", "％": "%", "，": ",", "：": ":", "≥": ">=", "≤": "<="}
ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-le", "big5"]


def _run(data: bytes, name: str) -> Form | None:
    """The whole pipeline; None when the reader refused the file with a typed error."""
    try:
        form = read_form(data, source=name)
    except IndicatorsError as exc:
        refused = exc.diagnostics
        assert refused
        assert all(d.code.startswith("IND") for d in refused)
        return None
    found = lint_form(form)
    assert all(isinstance(d, Diagnostic) for d in found)
    sheet = score_form(form)
    assert sheet.total is not None
    return form


@pytest.mark.parametrize("path", TABLES, ids=lambda p: p.name)
def test_each_published_table_runs_through_the_pipeline(path: Path) -> None:
    form = _run(path.read_bytes(), path.name)
    assert form is not None
    assert form.indicators
    assert not [d for d in form.diagnostics if d.code == "IND510"]  # every column is known


# --- the dirty variants --------------------------------------------------------------------------------


def _swap_header(grid: list[list[str]], draw: st.DrawFn) -> None:
    for i, row in enumerate(grid):
        roles = [column_role(cell) for cell in row]
        if sum(r is not None for r in roles) >= 3:
            for j, role in enumerate(roles):
                if role is not None and draw(st.booleans()):
                    row[j] = draw(st.sampled_from(SYNONYMS[role.value]))
            grid[i] = row
            return


def _dirty_cell(text: str, draw: st.DrawFn) -> str:
    how = draw(st.sampled_from(["keep", "spaces", "newline", "full", "half", "traditional", "blank"]))
    if how == "spaces" and text:
        at = draw(st.integers(0, len(text)))
        return text[:at] + draw(st.sampled_from([" ", "  ", "\u3000", "\u00a0"])) + text[at:]
    if how == "newline" and len(text) > 1:
        at = draw(st.integers(1, len(text) - 1))
        return text[:at] + "\n" + text[at:]
    if how == "full":
        return "".join(FULL_WIDTH.get(ch, ch) for ch in text)
    if how == "half":
        return "".join(HALF_WIDTH.get(ch, ch) for ch in text)
    if how == "traditional":
        return "".join(TRADITIONAL.get(ch, ch) for ch in text)
    if how == "blank":
        return ""
    return text


@st.composite
def dirty_tables(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(st.sampled_from(sorted(GRIDS)))
    grid = [list(row) for row in GRIDS[name]]
    if draw(st.booleans()):
        _swap_header(grid, draw)
    for row in grid:
        for j in range(len(row)):
            if draw(st.integers(0, 9)) == 0:
                row[j] = _dirty_cell(row[j], draw)
        if len(row) > 1 and draw(st.integers(0, 7)) == 0:  # a shifted row
            at = draw(st.integers(0, len(row) - 1))
            if draw(st.booleans()):
                row.insert(at, "")
            else:
                del row[at]
    width = max(len(row) for row in grid)
    if draw(st.booleans()):  # an unknown column
        at = draw(st.integers(0, width))
        header = draw(st.sampled_from(["考核说明", "备用", "X", "指标值说明2", ""]))
        for i, row in enumerate(grid):
            row.insert(min(at, len(row)), header if i == 0 else draw(st.sampled_from(["", "甲", "1", "95%"])))
    if draw(st.booleans()):  # columns permuted
        order = draw(st.permutations(list(range(width))))
        grid = [[row[j] if j < len(row) else "" for j in order] for row in grid]
    as_csv = draw(st.booleans())
    if as_csv:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(grid)
        text = buffer.getvalue()
    else:
        text = "\n".join("\t".join(row) for row in grid) + "\n"
    encoding = draw(st.sampled_from(ENCODINGS))
    if encoding == "big5":
        text = "".join(TRADITIONAL.get(ch, ch) for ch in text)
    data = text.encode(encoding, errors="replace")
    return f"{Path(name).stem}.{'csv' if as_csv else 'txt'}", data


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dirty_tables())
def test_dirty_variants_never_raise(table: tuple[str, bytes]) -> None:
    name, data = table
    _run(data, name)


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("name", ["selfeval-S14.tsv", "declared-S22.tsv"])
def test_each_encoding_of_a_published_table_reads_the_same(name: str, encoding: str) -> None:
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    if encoding == "big5":
        text = "".join(TRADITIONAL.get(ch, ch) for ch in text)
    form = _run(text.encode(encoding, errors="replace"), name)
    assert form is not None
    plain = read_form(EXAMPLES / name)
    assert len(form.indicators) == len(plain.indicators)
    categories = [(r.category1.canonical if r.category1 else None) for r in form.indicators]
    assert categories == [(r.category1.canonical if r.category1 else None) for r in plain.indicators]
