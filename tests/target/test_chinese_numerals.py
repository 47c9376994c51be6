"""Counts written in Chinese numerals (三次以上, 不少于两次, 每季度一次) are counts."""

from __future__ import annotations

import pytest

from indicators.target import OutcomeStatus, TargetKind, parse_actual, parse_target
from indicators.target.normalize import chinese_number, normalize

READINGS = [
    ("三次以上", "≥3次"),
    ("不少于两次", "≥2次"),
    ("十二个", "≥12个"),
    ("每季度一次", "≥1次/季度"),
    ("全年开展三次", "≥3次"),
    ("一百零五人", "≥105人"),
    ("两万人次以上", "≥20000人次"),
    ("百分之九十五以上", "≥95%"),
    ("百分之百", "≥100%"),
    ("百分之九十九点五", "≥99.5%"),
    ("九成以上", "≥90%"),
    ("≥九成", "≥90%"),
    ("达到八成", "≥80%"),
]


@pytest.mark.parametrize(("text", "canonical"), READINGS, ids=[r[0] for r in READINGS])
def test_a_count_in_chinese_numerals_is_a_number(text: str, canonical: str) -> None:
    target = parse_target(text)
    assert target.kind is TargetKind.NUMERIC
    assert target.canonical() == canonical


@pytest.mark.parametrize(
    "text", ["一次性补助", "第三次", "二次供水", "统一标准", "唯一入口", "一成不变", "建成", "完成九成工程"]
)
def test_numerals_inside_words_stay_words(text: str) -> None:
    assert normalize(text).text == text


def test_offsets_point_into_the_text_as_written() -> None:
    norm = normalize("不少于十二次")
    assert norm.text == "不少于12次"
    span = norm.span(3, 5)
    assert (span.start, span.end) == (3, 5)  # 十二


def test_an_actual_in_chinese_numerals_is_judged() -> None:
    outcome = parse_target("1次以上").evaluate(parse_actual("三次"))
    assert outcome.status is OutcomeStatus.MET


@pytest.mark.parametrize(
    ("text", "value"),
    [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("一百零五", 105), ("两千", 2000), ("三万", 30000),
     ("十二万五千", 125000), ("零", 0)],
)
def test_chinese_number(text: str, value: int) -> None:
    assert chinese_number(text) == value
