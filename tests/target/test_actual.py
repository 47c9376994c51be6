"""Actual values (实际完成值), one case per way they are written."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from indicators.target import ActualKind, DatePoint, Period, Tier, parse_actual

D = Decimal

CASES: list[tuple[str, ActualKind, dict[str, Any]]] = [
    ("96.5%", ActualKind.NUMERIC, {"value": D("96.5"), "unit": "%"}),
    ("0.965", ActualKind.NUMERIC, {"value": D("0.965"), "unit": None}),
    ("1,203人次", ActualKind.NUMERIC, {"value": D(1203), "unit": "人次"}),
    ("215,457.6", ActualKind.NUMERIC, {"value": D("215457.6"), "unit": None}),
    ("98万元", ActualKind.NUMERIC, {"value": D(98), "unit": "万元"}),
    ("１００％", ActualKind.NUMERIC, {"value": D(100), "unit": "%"}),
    ("3000元/亩", ActualKind.NUMERIC, {"value": D(3000), "unit": "元/亩"}),
    ("优秀", ActualKind.GRADE, {"grade": "优秀"}),
    ("合格", ActualKind.GRADE, {"grade": "合格"}),
    ("良", ActualKind.GRADE, {"grade": "良"}),
    ("是", ActualKind.BOOLEAN, {"boolean": True}),
    ("否", ActualKind.BOOLEAN, {"boolean": False}),
    ("按时", ActualKind.BOOLEAN, {"boolean": True}),
    ("已完成", ActualKind.TIER, {"tier": Tier.ACHIEVED}),
    ("未按时完成", ActualKind.BOOLEAN, {"boolean": False}),
    ("无", ActualKind.BOOLEAN, {"boolean": False, "state": "无"}),
    ("达成", ActualKind.TIER, {"tier": Tier.ACHIEVED}),
    ("部分达成", ActualKind.TIER, {"tier": Tier.PARTIAL}),
    ("未达成", ActualKind.TIER, {"tier": Tier.NOT_ACHIEVED}),
    ("达成预期指标", ActualKind.TIER, {"tier": Tier.ACHIEVED}),
    ("部分达成预期指标", ActualKind.TIER, {"tier": Tier.PARTIAL}),
    ("未达成年度指标且效果较差", ActualKind.TIER, {"tier": Tier.NOT_ACHIEVED}),
    ("2025年10月15日", ActualKind.DATE, {"date": DatePoint(year=2025, month=10, day=15)}),
    ("2025.10", ActualKind.DATE, {"date": DatePoint(year=2025, month=10)}),
    ("2025-10-15", ActualKind.DATE, {"date": DatePoint(year=2025, month=10, day=15)}),
    ("10月", ActualKind.DATE, {"date": DatePoint(month=10)}),
    ("已按规定公开到位", ActualKind.STATE, {"state": "已按规定公开到位"}),
    # dates in digits
    ("2025/6/30", ActualKind.DATE, {"date": DatePoint(year=2025, month=6, day=30)}),
    ("2025.6.30", ActualKind.DATE, {"date": DatePoint(year=2025, month=6, day=30)}),
    ("2025-6-3", ActualKind.DATE, {"date": DatePoint(year=2025, month=6, day=3)}),
    ("2025年6月30日", ActualKind.DATE, {"date": DatePoint(year=2025, month=6, day=30)}),
    ("2025-01-01至2025-06-30", ActualKind.PERIOD,
     {"period": Period(start=DatePoint(year=2025, month=1, day=1),
                       end=DatePoint(year=2025, month=6, day=30))}),
    ("2023.07-2024.01", ActualKind.PERIOD,
     {"period": Period(start=DatePoint(year=2023, month=7), end=DatePoint(year=2024, month=1))}),
    # a dotted year and month with a one-digit month stays a number (time targets read it as a month)
    ("2025.6", ActualKind.NUMERIC, {"value": D("2025.6"), "unit": None}),
    # letter grades
    ("AAAA级", ActualKind.GRADE, {"grade": "AAAA"}),
    ("4A", ActualKind.GRADE, {"grade": "4A"}),
    ("5A级景区", ActualKind.GRADE, {"grade": "5A"}),
    ("A级", ActualKind.GRADE, {"grade": "A"}),
]


@pytest.mark.parametrize(("text", "kind", "attrs"), CASES, ids=[c[0] for c in CASES])
def test_actual_values(text: str, kind: ActualKind, attrs: dict[str, Any]) -> None:
    actual = parse_actual(text)
    assert actual.kind == kind
    for name, value in attrs.items():
        assert getattr(actual, name) == value


def test_period_actual() -> None:
    actual = parse_actual("2021年1月-12月")
    assert actual.kind == ActualKind.PERIOD
    assert actual.period is not None
    assert (actual.period.start.month, actual.period.end.month) == (1, 12)


def test_unit_from_the_caller() -> None:
    actual = parse_actual("96.5", unit="%")
    assert (actual.value, actual.unit) == (D("96.5"), "%")


def test_quantity() -> None:
    q = parse_actual("1.5万元").quantity()
    assert q is not None
    assert q.to("元").magnitude == D(15000)
    assert parse_actual("优秀").quantity() is None


@pytest.mark.parametrize(("text", "year"), [("全年", None), ("2024年全年", 2024), ("2024年度", 2024)])
def test_whole_year_actual(text: str, year: int | None) -> None:
    actual = parse_actual(text)
    assert actual.kind == ActualKind.PERIOD
    assert actual.period == Period(start=DatePoint(year=year, month=1), end=DatePoint(year=year, month=12))
