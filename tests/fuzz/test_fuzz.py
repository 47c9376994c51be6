"""Random and mutated inputs: every run ends in a result or a diagnostic, never another exception.

Forms (tab text, CSV, and XLSX built by openpyxl, then mutated byte by byte), formulas, targets, actual
values and numbers written in files. The number of examples is small by default (the suite's CI profile);
``INDICATORS_FUZZ_EXAMPLES=5000`` runs more (see docs/limits.md).
"""

from __future__ import annotations

import io
import os
import random
from collections.abc import Callable
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils.exceptions import IllegalCharacterError
from tests.fuzz import hostile

from indicators import parse_actual, parse_formula, parse_target
from indicators.errors import FormReadError, IndicatorsError
from indicators.forms import read_form, read_form_text
from indicators.inputs import InputError, read_number
from indicators.limits import Limits
from indicators.text import nfkc

EXAMPLES = int(os.environ.get("INDICATORS_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, suppress_health_check=[HealthCheck.too_slow], deadline=None)
#: small limits, so that random inputs reach them too
SMALL = Limits(max_rows=40, max_columns=12, max_cells=200, max_cell_chars=80, max_line_chars=400)

_WORDS = [
    "\t", "\n", "\r\n", ",", '"', "“", "一级指标", "二级指标", "三级指标", "年度指标值", "产出指标",
    "数量指标", "培训人次", "≥", "95%", "以上", "10²", "①", "\x1b[2J", "\u202e", "\x00", "1e999", "NaN",
    "９５％", "½",
    "（", "）", "=", "指标值=", "/", "*100%", "万元", "合计", "填报人：", "A1:XFD1048576", "9" * 60,
]
Errors = type[Exception] | tuple[type[Exception], ...]


def _outcome(call: Callable[[], object], errors: Errors) -> Exception | None:
    """The error ``call`` ends in (one of ``errors``), or None when it returns; any other error fails."""
    try:
        call()
    except errors as exc:
        return exc
    return None


pieces = st.lists(st.sampled_from(_WORDS) | st.text(max_size=6), max_size=60).map("".join)


@FUZZ
@given(pieces, st.sampled_from(["text", "csv"]))
def test_a_random_table_is_a_form_or_a_form_error(text: str, fmt: str) -> None:
    error = _outcome(lambda: read_form_text(text, fmt=fmt, limits=SMALL, use_parsers=False), FormReadError)
    assert error is None or (isinstance(error, FormReadError) and error.diagnostics)


@FUZZ
@given(st.binary(max_size=400), st.sampled_from(["form.txt", "form.csv", "form.xlsx", "form.json", "form"]))
def test_random_bytes_are_a_form_or_a_form_error(data: bytes, name: str) -> None:
    error = _outcome(lambda: read_form(data, source=name, limits=SMALL, use_parsers=False), FormReadError)
    assert error is None or (isinstance(error, FormReadError) and error.diagnostics)


def _workbook(rows: list[list[str | int | float | None]], merges: list[str]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(hostile.HEADER)
    for row in rows:
        ws.append(row)
    for ref in merges:
        ws.merge_cells(ref)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


cell = st.none() | st.sampled_from(_WORDS) | st.integers(-(10**20), 10**20) | st.floats(allow_nan=False)
merge = st.tuples(st.integers(1, 30), st.integers(1, 8), st.integers(0, 5), st.integers(0, 3)).map(
    lambda t: f"{chr(64 + t[1])}{t[0]}:{chr(64 + min(t[1] + t[3], 26))}{t[0] + t[2]}"
)


@settings(max_examples=max(5, EXAMPLES // 4), suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.lists(st.lists(cell, max_size=6), max_size=12),
    st.lists(merge, max_size=3, unique=True),
    st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=6),
)
def test_a_random_workbook_and_its_mutations_are_a_form_or_a_form_error(
    rows: list[list[str | int | float | None]], merges: list[str], flips: list[tuple[int, int]]
) -> None:
    try:
        data = _workbook(rows, merges)
    except (ValueError, IllegalCharacterError):  # openpyxl refuses control characters in cells
        return
    mutated = bytearray(data)
    for at, value in flips:
        mutated[at % len(mutated)] = value
    for candidate in (data, bytes(mutated)):
        error = _outcome(
            lambda: read_form(candidate, source="form.xlsx", limits=SMALL, use_parsers=False),  # noqa: B023
            FormReadError,
        )
        assert error is None or (isinstance(error, FormReadError) and error.diagnostics)


_FORMULA_PIECES = [
    "a", "b", "办结工单", "/", "*", "×", "÷", "100%", "(", ")", "（", "）", "ROUND(", ",", "2", "10²",
    "IF(", ">", "=", "指标值", "\x1b", "①", "1e9", "９",
]


@FUZZ
@given(st.lists(st.sampled_from(_FORMULA_PIECES) | st.text(max_size=3), max_size=40).map("".join))
def test_a_random_formula_parses_or_gives_a_diagnostic(text: str) -> None:
    error = _outcome(lambda: parse_formula(text), IndicatorsError)
    assert error is None or (isinstance(error, IndicatorsError) and error.diagnostics)


@FUZZ
@given(pieces)
def test_a_random_target_and_actual_parse_or_give_a_diagnostic(text: str) -> None:
    for parse in (parse_target, parse_actual):
        error = _outcome(lambda: parse(text), IndicatorsError)  # noqa: B023 - called at once
        assert error is None or (isinstance(error, IndicatorsError) and error.diagnostics)


_NUMBERISH = st.from_regex(r"[+-]?[0-9]{0,70}(\.[0-9]{0,70})?([eE][+-]?[0-9]{0,12})?", fullmatch=True)


@FUZZ
@given(_NUMBERISH | st.sampled_from(["NaN", "-Infinity", "inf", "1e999999", "-0", "0e999999"]))
def test_a_number_in_a_file_is_bounded_or_refused(text: str) -> None:
    limits = Limits()
    found: list[Decimal] = []
    error = _outcome(lambda: found.append(read_number(text, limits=limits)), InputError)
    if error is not None:
        assert isinstance(error, InputError)
        assert error.diagnostics
        return
    (value,) = found
    assert value.is_finite()
    assert value.is_zero() or abs(value.adjusted()) <= limits.max_number_exponent
    assert not value.is_signed() or not value.is_zero()


#: squared and cubed unit signs: their power becomes a digit of the unit (``㎡`` → ``m2``), as ``m²`` does
_UNIT_SIGNS = set("\u3378\u3379\u339f\u33a0\u33a1\u33a2\u33a3\u33a4\u33a5\u33a6\u33a8\u33af")


@FUZZ
@given(st.text(max_size=40).filter(lambda t: not _UNIT_SIGNS & set(t)) | st.sampled_from(_WORDS))
def test_nfkc_never_turns_a_number_form_into_a_digit(text: str) -> None:
    folded = nfkc(text)
    digits_before = sum(ch.isdecimal() for ch in text)
    assert sum(ch.isdecimal() for ch in folded) == digits_before


def test_a_long_random_run_stays_within_the_limits() -> None:
    """One fixed long mix of every piece: a form read with the default limits ends either way."""
    rng = random.Random(14)
    text = "".join(rng.choice(_WORDS) for _ in range(20_000))
    error = _outcome(lambda: read_form_text(text, use_parsers=False), FormReadError)
    assert error is None or (isinstance(error, FormReadError) and error.diagnostics)
