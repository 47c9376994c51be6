"""The table of unit words answers as pint does, without loading pint."""

from __future__ import annotations

import functools
import itertools
import subprocess
import sys

import pytest

from indicators import units, unitwords
from indicators.errors import UnitError


def _table() -> unitwords.UnitTable:
    found = unitwords.table()
    assert found is not None, "catalog/units.txt should be readable without pint"
    return found


@functools.cache
def _registry() -> units.Registry:
    return units._build()


def _pint_dims(text: str) -> dict[str, int] | None:
    registry = _registry()
    try:
        top, bottom = units._expression(text)
        head = "*".join(str(registry.get_name(w)) for w in top) or "1"
        expr = head + (f"/({'*'.join(str(registry.get_name(w)) for w in bottom)})" if bottom else "")
        dims = registry.parse_units(expr).dimensionality
    except Exception:
        return None
    return {str(k): int(v) for k, v in dims.items()}  # type: ignore[arg-type]


def _pint_dimension(text: str) -> str | None:
    """pint's dimensionality of ``text`` in the table's text (pint's own order depends on its cache)."""
    dims = _pint_dims(text)
    return None if dims is None else unitwords.dimension_text(dims)


def _words() -> list[str]:
    table = _table()
    words = sorted(table.names)
    prefixed = [p + w for p in table.prefixes if p for w in words]
    suffixed = [w + "s" for w in words]
    odd = ["", "dimensionless", "万万", "亿", "s", "万s", "人次s", "kms", "ms", "元元", "不是单位", "万盏"]
    return words + prefixed + suffixed + odd


def test_every_word_resolves_as_pint_resolves_it() -> None:
    table = _table()
    registry = units._build()
    for word in _words():
        if not word:
            continue
        try:
            expected: str | None = str(registry.get_name(word))
        except Exception:
            expected = None
        assert table.canonical(word) == expected, word


def test_every_word_has_pint_s_dimension() -> None:
    for word in _words():
        expected = _pint_dimension(word)
        assert units.is_unit(word) == (expected is not None), word
        if expected is not None:
            assert units.dimension_of(word) == expected, word


def test_a_second_prefix_is_no_unit() -> None:
    # pint remembers a prefixed name once asked (万元) and then takes a second prefix before it
    # (千万元): its answer depends on what it was asked before; the table answers as a fresh registry
    assert not units.is_unit("千万元")
    assert _registry().get_name("万元") == "万元"
    assert units.is_unit("万元")


@pytest.mark.parametrize("joiner", ["·", "/"])
def test_compound_units_have_pint_s_dimension(joiner: str) -> None:
    sample = ["元", "万元", "人", "月", "天", "小时", "平方米", "亩", "千瓦时", "米", "%", "个", "年", "吨",
              "分"]
    for a, b, c in itertools.product(sample, repeat=3):
        for text in (f"{a}{joiner}{b}", f"{a}/{b}{joiner}{c}", f"{a}·{b}/{c}", f"/{a}"):
            expected = _pint_dimension(text)
            assert units.is_unit(text) == (expected is not None), text
            if expected is not None:
                assert units.dimension_of(text) == expected, text


def test_dimension_text_is_pint_s() -> None:
    money_per = {"[money]": 1, "[count]": -1, "[month]": -1}
    assert unitwords.dimension_text(money_per) == "[money] / [count] / [month]"
    assert unitwords.dimension_text({"[length]": 2}) == "[length] ** 2"
    assert unitwords.dimension_text({"[time]": -2}) == "1 / [time] ** 2"
    assert unitwords.dimension_text({"[time]": 2, "[money]": 1}) == "[money] * [time] ** 2"
    assert units.dimension_of("元/人·月") == units.dimension_of("元/月·人") == "[money] / [count] / [month]"
    assert units.dimension_of("亩") == "[length] ** 2"
    assert units.dimension_of("千瓦时") == "[power] * [time]"
    assert unitwords.dimension_text({}) == ""


def test_unknown_unit_raises_as_before() -> None:
    with pytest.raises(UnitError):
        units.dimension_of("不是单位")
    assert not units.is_unit("元/")
    assert units.count_kind("头") == "头"
    assert units.count_kind("棵") == units.count_kind("株")
    assert units.count_kind("元") is None


@pytest.mark.parametrize(
    "text",
    ["米 = [length]\n千米 = 1000 * 米 ** 2 ** 3\n", "@defaults\n", "米\n", "米 = (1000 * 千米)\n",
     "米 = 1000 * 里\n"],
)
def test_definitions_beyond_the_table_are_left_to_pint(text: str) -> None:
    with pytest.raises(unitwords.Unreadable):
        unitwords.read(text)


def test_reading_and_checking_units_loads_no_pint() -> None:
    code = (
        "import sys\n"
        "from indicators import units\n"
        "assert units.is_unit('元/人·月') and units.dimension_of('万元') == '[money]'\n"
        "assert units.count_mismatch('只', '头') and units.base_unit('万人次') == '人次'\n"
        "assert 'pint' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
