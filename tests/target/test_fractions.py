"""An actual value written as a part of a whole (28/30) is the share in per cent (IND230)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from indicators.errors import ValueSyntaxError
from indicators.target import ActualKind, OutcomeStatus, parse_actual, parse_target


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("28/30", Decimal("93.3333333333333333333333333333333333333333333333")),  # 48 digits
        ("12/12个", Decimal(100)),
        ("28 / 30 户", None),
        ("0/5", Decimal(0)),
    ],
)
def test_a_fraction_is_the_share_in_per_cent(text: str, value: Decimal | None) -> None:
    actual = parse_actual(text)
    assert (actual.kind, actual.unit) == (ActualKind.NUMERIC, "%")
    if value is not None:
        assert actual.value == value
    (note,) = [w for w in actual.warnings if w.code == "IND230"]
    assert "按“完成数/总数”理解" in note.message


@pytest.mark.parametrize("text", ["31/30", "3/0", "12/31日", "1/2个/3", "5个/6户"])
def test_what_is_not_a_part_of_a_whole_is_not_read_as_one(text: str) -> None:
    try:
        actual = parse_actual(text)
    except ValueSyntaxError:
        return
    assert not any(w.code == "IND230" for w in actual.warnings)


def test_a_fraction_is_judged_against_a_percentage() -> None:
    assert parse_target("≥90%").evaluate(parse_actual("28/30")).status is OutcomeStatus.MET
    assert parse_target("≥95%").evaluate(parse_actual("28/30")).status is OutcomeStatus.NOT_MET
