"""The unit registry built from catalog/units.txt: names, exact conversions, dimensions."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from indicators import resources, units
from indicators.errors import UnitError

D = Decimal

# every unit word the issue names must be defined
NAMES = [
    "%", "‰", "百分点", "个百分点", "倍", "百分比",
    "个", "人", "人次", "次", "户", "家", "所", "项", "件",
    "份", "场", "期", "篇", "座", "辆", "套", "台", "批",
    "宗", "条",
    "元", "万元", "亿元",
    "天", "日", "个工作日", "工作日", "小时", "分钟", "月", "年",
    "平方米", "亩", "公顷", "平方公里", "米", "公里", "千克", "吨",
    "元/人", "元/亩", "元/人·月", "次/月", "万人次", "万亩", "亿元/年",
    "m2", "㎡", "平米",
]


@pytest.mark.parametrize("name", NAMES, ids=NAMES)
def test_unit_is_defined(name: str) -> None:
    assert units.is_unit(name)
    units.parse_unit(name)


CONVERSIONS = [
    ("1.5", "万元", "元", "15000"),
    ("0.5", "亿元", "万元", "5000"),
    ("96.5", "%", None, "0.965"),
    ("3", "‰", "%", "0.3"),
    ("5", "百分点", "%", "5"),
    ("2", "天", "小时", "48"),
    ("1", "年", "月", "12"),
    ("1", "公顷", "亩", "15"),
    ("700", "平方米", "亩", "1.05"),
    ("1", "平方公里", "亩", "1500"),
    ("2", "吨", "千克", "2000"),
    ("3", "公里", "米", "3000"),
    ("1.5", "万人次", "人次", "15000"),
    ("1600", "元/亩", "元/平方米", "2.4"),
    ("6000", "元/人·年", "元/人·月", "500"),
    ("10", "人", "人次", "10"),
]


@pytest.mark.parametrize(("value", "src", "dst", "expected"), CONVERSIONS,
                         ids=[f"{c[0]}{c[1]}→{c[2] or '1'}" for c in CONVERSIONS])
def test_exact_conversions(value: str, src: str, dst: str | None, expected: str) -> None:
    assert units.convert(D(value), src, dst) == D(expected)


def test_mu_is_exactly_ten_thousand_fifteenths_of_a_square_metre() -> None:
    metres = units.convert(D(1), "亩", "平方米")
    # exact to the documented 24 significant digits
    assert abs(Fraction(metres) - Fraction(10000, 15)) < Fraction(1, 10**20)
    assert units.convert(metres, "平方米", "亩") == D(1)


@pytest.mark.parametrize("value", ["0.1", "1", "7", "123.456", "99999.99"])
def test_mu_round_trip(value: str) -> None:
    there = units.convert(D(value), "亩", "平方米")
    assert units.convert(there, "平方米", "亩") == D(value)


INCOMPATIBLE = [
    ("个工作日", "小时"), ("个工作日", "天"), ("万元", "人"), ("%", "个"), ("月", "天"), ("亩", "米"),
]


@pytest.mark.parametrize(("a", "b"), INCOMPATIBLE, ids=[f"{a}-{b}" for a, b in INCOMPATIBLE])
def test_incompatible_units_raise(a: str, b: str) -> None:
    assert not units.same_dimension(a, b)
    with pytest.raises(UnitError) as info:
        units.convert(D(1), a, b)
    assert info.value.diagnostic.code == "IND302"


@pytest.mark.parametrize("text", ["斤两", "", "元//人", "/", "万", "亿x"])
def test_unknown_units(text: str) -> None:
    if text == "万":  # a multiplier alone is a plain number
        assert units.dimension_of(text) == ""
        return
    with pytest.raises(UnitError) as info:
        units.parse_unit(text)
    assert info.value.diagnostic.code == "IND301"


def test_compare() -> None:
    assert units.compare(D("1.5"), "万元", D(15000), "元") == 0
    assert units.compare(D(1), "亩", D(666), "平方米") == 1
    assert units.compare(D(90), "%", D("0.95"), None) == -1


def test_registry_is_built_once() -> None:
    assert units.registry() is units.registry()


def test_magnitudes_are_decimal() -> None:
    q = units.quantity("1.5", "万元").to("元")
    assert isinstance(q.magnitude, Decimal)
    assert units.is_quantity(q)


def _defined_names() -> list[str]:
    """The names defined by catalog/units.txt (prefix lines end in "-"), read from the file."""
    text = resources.catalog_text("units.txt")
    lines = [line for line in text.splitlines() if " = " in line and not line.lstrip().startswith("#")]
    return [line.split("=")[0].strip() for line in lines]


def test_every_unit_comes_from_the_catalog_file() -> None:
    defined = set(_defined_names())
    for name in ("个工作日", "亩", "元", "百分点", "万-", "亿-", "千-"):
        assert name in defined
    # scale words are prefixes, not units of their own: 万元 and 万粒 come from 万- and 元, 粒
    assert "万元" not in defined
    assert units.multipliers() == ("万", "亿", "千")


def test_format() -> None:
    assert units.format_quantity(D("1E+2"), "%") == "100%"
    assert units.format_decimal(D("-0")) == "0"


def test_docs_list_every_unit() -> None:
    from pathlib import Path

    docs = (Path(__file__).parents[2] / "docs" / "units.md").read_text(encoding="utf-8")
    names = [name.removesuffix("-") for name in _defined_names()]
    missing = [name for name in names if name not in ("percent", "permille") and name not in docs]
    assert not missing


@pytest.mark.parametrize(("unit", "base"), [
    ("万元", "元"), ("亿元", "元"), ("万人次", "人次"), ("千克", "克"),
    ("元", "元"), ("万", "万"), ("%", "%"),
])
def test_base_unit(unit: str, base: str) -> None:
    assert units.base_unit(unit) == base
