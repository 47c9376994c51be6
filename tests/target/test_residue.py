"""Spreadsheet residue: binary float artefacts and Excel date serials, in targets and actual values."""

from __future__ import annotations

import datetime
import struct
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.target import ActualKind, OutcomeStatus, TargetKind, parse_actual, parse_target
from indicators.target.residue import excel_serial_date, float_residue

D = Decimal

ARTEFACTS = [
    ("0.0500000007450581", "0.05"),      # 0.05 as binary32, printed with 15 digits
    ("-0.200000002980232", "-0.2"),
    ("0.899999976158142", "0.9"),
    ("95.0999984741211", "95.1"),
    ("0.300000011920929", "0.3"),
    ("95.00000000000001", "95"),         # binary64 noise
    ("0.8999999999999999", "0.9"),
    ("0.30000000000000004", "0.3"),
    ("1152.4999999999998", "1152.5"),
    ("99.99999999999999", "100"),
]


@pytest.mark.parametrize(("text", "value"), ARTEFACTS, ids=[a for a, _ in ARTEFACTS])
def test_float_artefact(text: str, value: str) -> None:
    assert float_residue(text) == D(value)


NOT_ARTEFACTS = [
    "0.05", "95.5", "96.123456",          # short numbers are never artefacts
    "0.123456789012345",                  # 15 digits with no short float behind them
    "3.14159265358979",
    "1234567.89012345",
    "95.0000000000000",                   # trailing zeros are the number itself
    "123456789012345678",                 # no fraction: an identifier, not a float
]


@pytest.mark.parametrize("text", NOT_ARTEFACTS, ids=str)
def test_not_an_artefact(text: str) -> None:
    assert float_residue(text) is None


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False, width=32))
def test_any_binary32_printed_with_15_digits_reads_back_as_its_shortest_decimal(value: float) -> None:
    text = f"{value:.15g}"
    found = float_residue(text)
    if found is not None:
        # the number found is a binary32 float equal to the one printed
        assert struct.pack("<f", float(found)) == struct.pack("<f", value)


TARGET_ARTEFACTS = [("0.0500000007450581", "0.05"), ("≥95.00000000000001%", "95"),
                    ("-0.200000002980232", "-0.2"), ("≤0.8999999999999999", "0.9")]


@pytest.mark.parametrize(("target", "bound"), TARGET_ARTEFACTS, ids=[t for t, _ in TARGET_ARTEFACTS])
def test_a_target_reads_the_number_with_a_warning(target: str, bound: str) -> None:
    parsed = parse_target(target)
    assert parsed.bound == D(bound)
    note = next(w for w in parsed.warnings if w.code == "IND225")
    assert note.severity.value == "warning"
    assert bound in note.message
    assert note.span is not None
    assert note.span.start == target.index(target.lstrip("≥≤"))


def test_an_actual_reads_the_number_with_a_warning() -> None:
    actual = parse_actual("0.899999976158142")
    assert actual.value == D("0.9")
    assert [w.code for w in actual.warnings] == ["IND225"]
    outcome = parse_target("≥0.9").evaluate(actual)
    assert outcome.status == OutcomeStatus.MET
    assert "IND225" in [d.code for d in outcome.diagnostics]


SERIALS = [(36526, datetime.date(2000, 1, 1)), (45200, datetime.date(2023, 10, 1)),
           (45657, datetime.date(2024, 12, 31)), (55153, datetime.date(2050, 12, 31))]


@pytest.mark.parametrize(("serial", "date"), SERIALS, ids=[str(s) for s, _ in SERIALS])
def test_excel_serial_dates(serial: int, date: datetime.date) -> None:
    assert excel_serial_date(D(serial)) == date


@pytest.mark.parametrize("value", ["36525", "55154", "45200.5", "2024", "0", "-45200"], ids=str)
def test_not_an_excel_serial(value: str) -> None:
    assert excel_serial_date(D(value)) is None


def test_a_serial_target_on_a_deadline_row_is_its_date() -> None:
    target = parse_target("45200", indicator="项目完工时限")
    assert target.kind == TargetKind.DEADLINE
    assert target.deadline is not None
    assert target.deadline.date.text() == "2023年10月1日"
    assert [w.code for w in target.warnings] == ["IND226"]
    assert target.evaluate("2023年9月").status == OutcomeStatus.MET
    assert target.evaluate("2023年11月").status == OutcomeStatus.NOT_MET


ELSEWHERE = [("45200", None), ("45200", "培训人数"), ("4520", "项目完工时限"), ("99999", "项目完工时限"),
             ("45200人", "项目完工时限")]


@pytest.mark.parametrize(("text", "indicator"), ELSEWHERE, ids=[f"{t} {i}" for t, i in ELSEWHERE])
def test_a_serial_elsewhere_stays_a_number(text: str, indicator: str | None) -> None:
    target = parse_target(text, indicator=indicator)
    assert target.kind == TargetKind.NUMERIC
    assert "IND226" not in [w.code for w in target.warnings]


TIME_TARGETS = [("2023年10月底前", OutcomeStatus.MET), ("2023年9月底前", OutcomeStatus.NOT_MET),
                ("2023年1月-12月", OutcomeStatus.MET)]


@pytest.mark.parametrize(("target", "status"), TIME_TARGETS, ids=[t for t, _ in TIME_TARGETS])
def test_a_serial_actual_against_a_time_target_is_its_date(target: str, status: OutcomeStatus) -> None:
    outcome = parse_target(target).evaluate("45200")
    assert outcome.status == status
    assert "IND226" in [d.code for d in outcome.diagnostics]


def test_a_serial_actual_against_a_number_stays_a_number() -> None:
    actual = parse_actual("45200")
    assert actual.kind == ActualKind.NUMERIC
    outcome = parse_target("≥40000").evaluate(actual)
    assert outcome.status == OutcomeStatus.MET
    assert "IND226" not in [d.code for d in outcome.diagnostics]
