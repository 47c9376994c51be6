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
    # units real forms use
    "厘米", "cm", "米", "m", "M", "公里", "千米", "km", "平方米", "平米", "m2", "平方公里", "立方米", "方",
    "m3",
    "粒", "株", "棵", "头", "羽", "只", "匹", "吨", "公斤", "千克", "kg", "斤", "千瓦", "kW", "千瓦时", "度",
    "户", "册", "座", "处", "条", "所", "家", "宗", "批", "台套", "辆", "艘", "架", "张", "本", "部", "份",
    "篇", "期", "场", "班", "班次", "课时", "学时", "人日", "工日", "床", "间", "栋", "公顷",
    "元/人·月", "元/人*月", "元/人/月", "元/亩", "元/平方米", "元/吨", "万粒", "万亩", "万人", "万人次",
    "万株", "万元/公里", "百分比", "百分点", "千元", "亿元", "万方",
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
    ("1.5", "公里", "米", "1500"),
    ("1500", "米", "千米", "1.5"),
    ("30", "厘米", "米", "0.3"),
    ("300", "万粒", "粒", "3000000"),
    ("1", "万株", "株", "10000"),
    ("60", "千克", "斤", "120"),
    ("2.5", "吨", "公斤", "2500"),
    ("1", "千瓦时", "度", "1"),
    ("2", "万方", "立方米", "20000"),
    ("1", "平方公里", "公顷", "100"),
    ("6000", "元/人/月", "元/人*月", "6000"),
    ("2", "万元/公里", "元/米", "20"),
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


@pytest.mark.parametrize("text", ["斤两", "", "元//人", "/", "万", "亿x", "元/", "盏灯"])
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
    ("元", "元"), ("万", "万"), ("%", "%"), ("万粒", "粒"), ("亿立方米", "立方米"),
])
def test_base_unit(unit: str, base: str) -> None:
    assert units.base_unit(unit) == base


# --- kinds of count ------------------------------------------------------------------------------------

DIFFERENT = [
    ("只", "头"), ("头", "羽"), ("人", "人次"), ("户", "人"), ("辆", "艘"), ("条", "座"), ("万人", "人次"),
    ("元/人", "元/户"), ("次/月", "人/月"), ("株", "粒"),
]
SAME = [
    ("株", "棵"), ("人", "名"), ("名", "位"), ("次", "场"), ("场次", "期"), ("台", "套"), ("台套", "台"),
    ("本", "册"), ("份", "篇"), ("家", "所"), ("件", "起"), ("课时", "学时"), ("人日", "工日"), ("座", "处"),
    ("个", "头"), ("只", "个"), ("万人", "人"), ("万株", "棵"), ("元/人", "元/名"), ("元", "万元"),
    ("%", "‰"),
    ("米", "公里"),
]


@pytest.mark.parametrize(("a", "b"), DIFFERENT, ids=[f"{a}-{b}" for a, b in DIFFERENT])
def test_counts_of_different_things(a: str, b: str) -> None:
    assert units.same_dimension(a, b)  # in arithmetic they still convert 1:1
    assert units.count_mismatch(a, b) is not None
    assert units.count_mismatch(b, a) is not None


@pytest.mark.parametrize(("a", "b"), SAME, ids=[f"{a}-{b}" for a, b in SAME])
def test_counts_of_the_same_thing(a: str, b: str) -> None:
    assert units.count_mismatch(a, b) is None


def test_count_mismatch_names_the_words() -> None:
    assert units.count_mismatch("万只", "头") == ("万只", "头")
    assert units.count_kind("棵") == units.count_kind("株") == "植株"
    assert units.count_kind("个") is None
    assert units.count_kind("元") is None
    assert units.count_kind("盏灯") is None


SPLITS = [("万盏", "10000", "盏"), ("亿元", "100000000", "元"), ("千克", "1000", "克"), ("盏", "1", "盏"),
          ("万", "1", "万")]


@pytest.mark.parametrize(("text", "factor", "word"), SPLITS, ids=[s[0] for s in SPLITS])
def test_split_multiplier(text: str, factor: str, word: str) -> None:
    assert units.split_multiplier(text) == (D(factor), word)


def test_unit_names_are_read_from_the_file_not_from_pint_internals() -> None:
    names = units.unit_names()
    assert {"粒", "kW", "度", "万"} <= set(names)
    assert "万-" not in names
    assert list(names) == sorted(names, key=lambda n: (-len(n), n))
