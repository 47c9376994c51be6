"""One case per idiom of the target language (ids are the input text)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from indicators.target import Direction, TargetKind, parse_target

D = Decimal

# text -> expected attributes (kind, comparator, bound, unit, ...)
NUMERIC: list[tuple[str, str, Decimal, str | None]] = [
    # the seed form
    ("4个以上", "ge", D(4), "个"),
    ("100人次以上", "ge", D(100), "人次"),
    ("95%以上", "ge", D(95), "%"),
    ("1次以上", "ge", D(1), "次"),
    ("90%以上", "ge", D(90), "%"),
    ("100%", "ge", D(100), "%"),
    ("2个以上", "ge", D(2), "个"),
    ("20%以上", "ge", D(20), "%"),
    # comparators
    ("≥95%", "ge", D(95), "%"),
    ("＞＝95％", "ge", D(95), "%"),
    (">=95%", "ge", D(95), "%"),
    ("≧95%", "ge", D(95), "%"),
    ("95%(含)以上", "ge", D(95), "%"),
    ("≥95%(含)", "ge", D(95), "%"),
    ("≥95%（含）", "ge", D(95), "%"),
    ("95%以上（含95%）", "ge", D(95), "%"),
    ("5%以内（含5%）", "le", D(5), "%"),
    ("100%完成", "ge", D(100), "%"),
    ("2个工作日内办结", "le", D(2), "个工作日"),
    ("95%（含）以上", "ge", D(95), "%"),
    ("95%及以上", "ge", D(95), "%"),
    ("不低于95%", "ge", D(95), "%"),
    ("不少于100人次", "ge", D(100), "人次"),
    ("至少3次", "ge", D(3), "次"),
    ("达到95%", "ge", D(95), "%"),
    ("大于0", "gt", D(0), None),
    (">92%", "gt", D(92), "%"),
    ("≤5%", "le", D(5), "%"),
    ("5%以内", "le", D(5), "%"),
    ("5%以下", "le", D(5), "%"),
    ("控制在100万元以内", "le", D(100), "万元"),
    ("不超过100万元", "le", D(100), "万元"),
    ("不高于2%", "le", D(2), "%"),
    ("低于3‰", "lt", D(3), "‰"),
    ("=100%", "eq", D(100), "%"),
    ("＝100%", "eq", D(100), "%"),
    ("═100%", "eq", D(100), "%"),
    ("≥100百分比", "ge", D(100), "%"),
    # amounts, rates and durations
    ("1,152.50万元", "ge", D("1152.50"), "万元"),
    ("≤0.5亿元", "le", D("0.5"), "亿元"),
    ("250万", "ge", D(250), "万"),
    ("≤620万/月", "le", D(620), "万/月"),
    ("≥530元/人·月", "ge", D(530), "元/人·月"),
    ("1600元/亩", "ge", D(1600), "元/亩"),
    ("每亩300", "ge", D(300), "/亩"),
    ("≥2倍", "ge", D(2), "倍"),
    ("30个工作日内", "le", D(30), "个工作日"),
    ("3天以内", "le", D(3), "天"),
    ("≤48小时", "le", D(48), "小时"),
    ("每月1次", "ge", D(1), "次/月"),
    ("1次/月", "ge", D(1), "次/月"),
    ("≥1.5万人次", "ge", D("1.5"), "万人次"),
    ("≥100万亩", "ge", D(100), "万亩"),
    ("30日内", "le", D(30), "日"),
    ("3个月以内", "le", D(3), "个月"),
    ("≥3年", "ge", D(3), "年"),
    ("≥90分", "ge", D(90), "分"),
    ("0起", "le", D(0), "起"),
    # bare numbers: the default comparator
    ("95", "ge", D(95), None),
    ("100", "ge", D(100), None),
    # sentences and OCR damage
    ("辖区企业满意率达95%以上。", "ge", D(95), "%"),
    ("15万元。", "ge", D(15), "万元"),
    ("按合同10.5万元。", "ge", D("10.5"), "万元"),
    ("满意度不低于95%", "ge", D(95), "%"),
    ("W92%", "le", D(92), "%"),
    ("年度资金支付完成率100%", "ge", D(100), "%"),
    ("安全生产事故下降率(≥10%)", "ge", D(10), "%"),
    ("目标值为95%", "ge", D(95), "%"),
    ("（≥95%）", "ge", D(95), "%"),
    ("292%", "ge", D(292), "%"),
    (" ≥ 95 % ", "ge", D(95), "%"),
]


@pytest.mark.parametrize(("text", "comparator", "bound", "unit"), NUMERIC, ids=[c[0] for c in NUMERIC])
def test_numeric_targets(text: str, comparator: str, bound: Decimal, unit: str | None) -> None:
    target = parse_target(text)
    assert target.kind == TargetKind.NUMERIC
    assert (target.comparator, target.bound, target.unit) == (comparator, bound, unit)
    assert target.measurable
    assert target.direction == {"ge": Direction.HIGHER, "gt": Direction.HIGHER, "le": Direction.LOWER,
                                "lt": Direction.LOWER, "eq": Direction.EXACT}[comparator]


RANGES = [
    ("90%-100%", D(90), D(100), "%"),
    ("90%～100%", D(90), D(100), "%"),
    ("90%至100%", D(90), D(100), "%"),
    ("[90%,100%]", D(90), D(100), "%"),
    ("90-100%", D(90), D(100), "%"),
    ("100万元-1亿元", D("0.01"), D(1), "亿元"),
    ("1万-2万元", D(1), D(2), "万元"),
    ("1万-2亿元", D("0.0001"), D(2), "亿元"),
    ("90%~100%之间", D(90), D(100), "%"),
    ("在90%-100%之间", D(90), D(100), "%"),
    ("介于90%至100%之间", D(90), D(100), "%"),
    ("≥90%且≤100%", D(90), D(100), "%"),
    ("不低于90%且不高于100%", D(90), D(100), "%"),
    ("不高于100%且不低于90%", D(90), D(100), "%"),
]


@pytest.mark.parametrize(("text", "lower", "upper", "unit"), RANGES, ids=[c[0] for c in RANGES])
def test_ranges(text: str, lower: Decimal, upper: Decimal, unit: str) -> None:
    target = parse_target(text)
    assert target.kind == TargetKind.RANGE
    assert (target.comparator, target.lower, target.upper, target.unit) == ("between", lower, upper, unit)
    assert target.direction == Direction.RANGE


GRADES = [
    ("优", "优良中差", "优", False),
    ("优秀", "优秀良好合格不合格", "优秀", False),
    ("良以上", "优良中差", "良", True),
    ("良好以上", "优秀良好合格不合格", "良好", True),
    ("良及以上", "优良中差", "良", True),
    ("合格", "优秀良好合格不合格", "合格", False),
    ("合格及以上", "优秀良好合格不合格", "合格", True),
    ("较好", "好较好一般较差差", "较好", False),
    ("达标", "达标不达标", "达标", False),
    ("不低于良好", "优秀良好合格不合格", "良好", True),
    # letter grades: AAAAA … A, also written 5A … 1A
    ("A级", "A级", "A", False),
    ("3A级以上", "A级", "AAA", True),
    ("3A级及以上", "A级", "AAA", True),
    ("达到AAA级", "A级", "AAA", True),
    ("≥AAA级", "A级", "AAA", True),
    ("AAA级（含）以上", "A级", "AAA", True),
    ("AAAA级景区", "A级", "AAAA", False),
    ("4A", "A级", "AAAA", False),
    ("A级纳税人", "A级", "A", False),
    ("5A", "A级", "AAAAA", False),
    ("AAAAA", "A级", "AAAAA", False),
    ("ＡＡＡ级", "A级", "AAA", False),
    ("国家AAAA级旅游景区", "A级", "AAAA", False),
    ("创建4A级景区", "A级", "AAAA", False),
]


@pytest.mark.parametrize(("text", "scale", "level", "or_better"), GRADES, ids=[c[0] for c in GRADES])
def test_grades(text: str, scale: str, level: str, or_better: bool) -> None:
    target = parse_target(text)
    assert target.kind == TargetKind.GRADE
    assert target.grade is not None
    assert (target.grade.scale, target.grade.level, target.grade.or_better) == (scale, level, or_better)


WORDS: list[tuple[str, TargetKind, dict[str, Any]]] = [
    ("是", TargetKind.BOOLEAN, {"expected": True}),
    ("否", TargetKind.BOOLEAN, {"expected": False}),
    ("及时", TargetKind.STATE, {"state": "及时"}),
    ("按时完成", TargetKind.STATE, {"state": "按时完成"}),
    ("已完成", TargetKind.STATE, {"state": "已完成"}),
    ("全部完成", TargetKind.STATE, {"state": "全部完成"}),
    ("无", TargetKind.STATE, {"state": "无"}),
    ("零", TargetKind.STATE, {"state": "无"}),
    ("及时报送", TargetKind.STATE, {"state": "及时报送"}),
    ("实现动态清零", TargetKind.STATE, {"state": "实现动态清零"}),
    ("有效发放居家养老服务补贴", TargetKind.STATE, {"state": "有效发放居家养老服务补贴"}),
    ("按规定公开", TargetKind.STATE, {"state": "按规定公开"}),
    ("应保尽保", TargetKind.STATE, {"state": "应保尽保"}),
    ("工程质量合格", TargetKind.STATE, {"state": "工程质量合格"}),
    ("有效提升", TargetKind.VAGUE, {"measurable": False}),
    ("逐步改善", TargetKind.VAGUE, {"measurable": False}),
    ("进一步提高", TargetKind.VAGUE, {"measurable": False}),
    ("明显改善", TargetKind.VAGUE, {"measurable": False}),
    ("效果明显", TargetKind.VAGUE, {"measurable": False}),
    ("美化环境", TargetKind.VAGUE, {"measurable": False}),
    ("不超预算", TargetKind.STATE, {"state": "不超预算"}),
    ("在预算范围内", TargetKind.STATE, {"state": "在预算范围内"}),
    ("严格执行相关制度规定", TargetKind.STATE, {"state": "严格执行相关制度规定"}),
    ("在项目计划完成时间内完成", TargetKind.STATE, {"state": "在项目计划完成时间内完成"}),
    ("按月安排", TargetKind.STATE, {"state": "按月安排"}),
    ("已建工程良性运行", TargetKind.STATE, {"state": "已建工程良性运行"}),
]


@pytest.mark.parametrize(("text", "kind", "attrs"), WORDS, ids=[c[0] for c in WORDS])
def test_word_targets(text: str, kind: TargetKind, attrs: dict[str, Any]) -> None:
    target = parse_target(text)
    assert target.kind == kind
    for name, value in attrs.items():
        assert getattr(target, name) == value
    if kind == TargetKind.VAGUE:
        assert [w.code for w in target.warnings] == ["IND204"]


RELATIVE: list[tuple[str, str, str, int, Decimal | None, str | None]] = [
    ("较上年提高", "上年", "gt", 1, None, None),
    ("较上年提高5个百分点", "上年", "ge", 1, D(5), "百分点"),
    ("同比增长5%", "上年同期", "ge", 1, D(5), "%"),
    ("不低于上年", "上年", "ge", 1, None, None),
    ("不低于上年水平", "上年", "ge", 1, None, None),
    ("保持/提升", "上年", "ge", 1, None, None),
    ("逐年提高", "上年", "gt", 1, None, None),
    ("较上年下降10%", "上年", "le", -1, D(10), "%"),
    ("较上年减少", "上年", "lt", -1, None, None),
    ("不低于去年同期", "上年同期", "ge", 1, None, None),
    ("比去年同期增长5%", "上年同期", "ge", 1, D(5), "%"),
    ("较上年同期下降", "上年同期", "lt", -1, None, None),
]


@pytest.mark.parametrize(("text", "basis", "comparator", "sign", "amount", "unit"), RELATIVE,
                         ids=[c[0] for c in RELATIVE])
def test_relative(text: str, basis: str, comparator: str, sign: int, amount: Decimal | None,
                  unit: str | None) -> None:
    target = parse_target(text)
    assert target.kind == TargetKind.RELATIVE
    rel = target.relative
    assert rel is not None
    got = (rel.basis, rel.comparator, rel.sign, rel.amount, rel.unit)
    assert got == (basis, comparator, sign, amount, unit)


DEADLINES: list[tuple[str, int | None, int | None, int | None, bool]] = [
    ("9月前", None, 9, None, False),
    ("12月底前完成", None, 12, None, True),
    ("12月底之前完成", None, 12, None, True),
    ("2025年10月底前", 2025, 10, None, True),
    ("10月31日前", None, 10, 31, False),
    ("2025年底前", 2025, None, None, True),
    ("年底前", None, 12, None, True),
    ("年底前完成", None, 12, None, True),
    # dates in digits
    ("2025-06-30前", 2025, 6, 30, False),
    ("2025/06/30之前完成", 2025, 6, 30, False),
    ("2025.6.30前", 2025, 6, 30, False),
    ("２０２５－０６－３０前", 2025, 6, 30, False),
    ("2025.6前", 2025, 6, None, False),
    ("2025/06底前", 2025, 6, None, True),
    ("2025-6底前完成", 2025, 6, None, True),
    # a date that names a day, written alone: done on or before that day (end_of)
    ("2025-06-30", 2025, 6, 30, True),
    ("2025/6/30", 2025, 6, 30, True),
    ("2025.6.30", 2025, 6, 30, True),
    ("2025年6月30日", 2025, 6, 30, True),
    ("6月30日", None, 6, 30, True),
    # … or followed by 完成: done by the end of the day or month written
    ("2025年6月30日完成", 2025, 6, 30, True),
    ("2025-06-30完成", 2025, 6, 30, True),
    ("12月完成", None, 12, None, True),
]


@pytest.mark.parametrize(("text", "year", "month", "day", "end_of"), DEADLINES, ids=[c[0] for c in DEADLINES])
def test_deadlines(text: str, year: int | None, month: int | None, day: int | None, end_of: bool) -> None:
    target = parse_target(text)
    assert target.kind == TargetKind.DEADLINE
    assert target.deadline is not None
    d = target.deadline.date
    assert (d.year, d.month, d.day, target.deadline.end_of) == (year, month, day, end_of)


PERIODS: list[tuple[str, tuple[int | None, int | None], tuple[int | None, int | None]]] = [
    ("2023年12月", (2023, 12), (2023, 12)),
    # the end without a year is in the start's year (the next year when its month is earlier)
    ("2021年1月-12月", (2021, 1), (2021, 12)),
    ("2024年3月至10月", (2024, 3), (2024, 10)),
    ("2024年3月--2024年10月", (2024, 3), (2024, 10)),
    ("2024年3月——2024年10月", (2024, 3), (2024, 10)),
    ("2024年11月至2月", (2024, 11), (2025, 2)),
    ("2024年3月～～10月", (2024, 3), (2024, 10)),
    ("2023.07-2024.01", (2023, 7), (2024, 1)),
    ("1-12月", (None, 1), (None, 12)),
    ("2020年全年。", (2020, 1), (2020, 12)),
    ("全年", (None, 1), (None, 12)),
    ("2024年度", (2024, 1), (2024, 12)),
    ("2025-01-01至2025-06-30", (2025, 1), (2025, 6)),
    ("2025/1/1-2025/6/30", (2025, 1), (2025, 6)),
    ("2025年1月1日至2025-06-30", (2025, 1), (2025, 6)),
    ("10月", (None, 10), (None, 10)),
]


@pytest.mark.parametrize(("text", "start", "end"), PERIODS, ids=[c[0] for c in PERIODS])
def test_periods(text: str, start: tuple[int | None, int | None], end: tuple[int | None, int | None]) -> None:
    target = parse_target(text)
    assert target.kind == TargetKind.PERIOD
    assert target.period is not None
    p = target.period
    assert ((p.start.year, p.start.month), (p.end.year, p.end.month)) == (start, end)


def test_a_full_date_range_keeps_its_days() -> None:
    period = parse_target("2025-01-01至2025-06-30").period
    assert period is not None
    assert (period.start.day, period.end.day) == (1, 30)


@pytest.mark.parametrize("text", ["2025.6", "2025.06", "2024.12"])
def test_a_dotted_year_month_alone_is_a_number_with_a_warning(text: str) -> None:
    target = parse_target(text)
    assert (target.kind, target.bound) == (TargetKind.NUMERIC, D(text))
    assert [w.code for w in target.warnings] == ["IND217"]
    assert "年" in (target.warnings[0].hint or "")


@pytest.mark.parametrize(("text", "unit"), [("2025.6", "万元"), ("2025.6万元", None), ("≥2025.6", None),
                                            ("2025.13", None), ("90-100", None)])
def test_a_number_that_is_clearly_a_number_is_not_flagged(text: str, unit: str | None) -> None:
    assert "IND217" not in {w.code for w in parse_target(text, unit=unit).warnings}


# --- details that matter to callers ----------------------------------------------------------------


def test_caller_unit_applies_to_a_bare_number() -> None:
    target = parse_target("95", unit="%")
    assert (target.bound, target.unit, target.unit_source) == (D(95), "%", "caller")
    assert target.default_comparator
    assert target.warnings == ()


def test_bare_zero_is_a_ceiling() -> None:
    target = parse_target("0", unit="件", level1="效益指标")
    assert (target.comparator, target.default_comparator) == ("le", True)


@pytest.mark.parametrize(("text", "column", "unit"), [
    ("250万", "元", "万元"),
    ("250万", "万元", "万元"),
    ("1.5万", "万人次", "万人次"),
    ("≤620万/月", "元", "万元/月"),
    ("≥300/亩", "元", "元/亩"),
    ("每亩300", "元", "元/亩"),
])
def test_caller_unit_completes_a_multiplier(text: str, column: str, unit: str) -> None:
    target = parse_target(text, unit=column)
    assert target.unit == unit
    if "/" not in text:  # a rate in an amount column is reported (IND208); a completed unit is not
        assert target.warnings == ()
    assert parse_target("≥300/亩", unit="元").warnings == ()


def test_caller_unit_spelled_as_word() -> None:
    assert parse_target("100", unit="百分比").unit == "%"


def test_caller_unit_that_disagrees_is_reported() -> None:
    target = parse_target("28.8万元", unit="%")
    assert target.unit == "万元"
    assert "IND208" in {w.code for w in target.warnings}


@pytest.mark.parametrize(
    ("level1", "comparator"),
    [("产出指标", "ge"), ("效益指标", "ge"), ("满意度指标", "ge"), ("成本指标", "le"), (None, "ge")],
    ids=["产出指标", "效益指标", "满意度指标", "成本指标", "none"],
)
def test_default_comparator_by_level1(level1: str | None, comparator: str) -> None:
    target = parse_target("100", unit="万元", level1=level1)
    assert target.comparator == comparator
    assert target.default_comparator


def test_written_comparator_is_not_a_default() -> None:
    assert not parse_target("≥95%").default_comparator


def test_trailing_full_stop_is_reported() -> None:
    target = parse_target("辖区企业满意率达95%以上。")
    assert target.subject == "辖区企业满意率"
    assert [w.code for w in target.warnings] == ["IND205"]
    assert target.span is not None
    assert target.text[target.span.start : target.span.end] == "达95%以上"


def test_ocr_w_is_repaired_with_a_warning() -> None:
    target = parse_target("W92%")
    assert [w.code for w in target.warnings] == ["IND206"]


def test_ambiguous_ocr_is_flagged_not_repaired() -> None:
    target = parse_target("292%")
    assert target.bound == D(292)
    assert "IND207" in {w.code for w in target.warnings}


def test_target_is_json_serialisable() -> None:
    data = parse_target("控制在100万元以内").model_dump(mode="json")
    assert data["bound"] == "100"
    assert data["unit"] == "万元"
    assert data["kind"] == "numeric"


def test_quantity_is_exact() -> None:
    q = parse_target("≥1.5万元").quantity()
    assert q is not None
    assert q.to("元").magnitude == D(15000)
    assert parse_target("良以上").quantity() is None


CANONICAL = [
    ("95%以上", "≥95%"),
    ("控制在100万元以内", "≤100万元"),
    ("90%～100%", "90%-100%"),
    ("良及以上", "良以上"),
    ("是", "是"),
    ("12月底前完成", "12月底前"),
    ("2023.07-2024.01", "2023年7月-2024年1月"),
    ("同比增长5%", "同比提高5%"),
    ("较上年提高5个百分点", "较上年提高5个百分点"),
    ("保持/提升", "不低于上年"),
    ("及时报送", "及时报送"),
    ("2025-06-30", "2025年6月30日"),
    ("2025/06/30之前完成", "2025年6月30日前"),
    ("2025年6月30日完成", "2025年6月30日"),
    ("2025-01-01至2025-06-30", "2025年1月1日-2025年6月30日"),
    ("3A级以上", "AAA以上"),
    ("AAAA级景区", "AAAA"),
    ("4A", "AAAA"),
]


@pytest.mark.parametrize(("text", "canonical"), CANONICAL, ids=[c[0] for c in CANONICAL])
def test_canonical(text: str, canonical: str) -> None:
    target = parse_target(text)
    assert target.canonical() == canonical
    again = parse_target(canonical)
    skip = {"text", "span", "warnings", "default_comparator", "subject"}
    assert again.model_dump(exclude=skip) == target.model_dump(exclude=skip)


def test_youliang_is_good_or_better() -> None:
    target = parse_target("优良")
    assert target.kind == TargetKind.GRADE
    assert target.grade is not None
    assert (target.grade.scale, target.grade.level, target.grade.or_better) == ("优良中差", "良", True)
    assert target.canonical() == "良以上"


def test_percentage_points_print_naturally() -> None:
    target = parse_target("较上年提高5个百分点")
    assert target.canonical() == "较上年提高5个百分点"
    assert parse_target(target.canonical()) == target.model_copy(update={"text": target.canonical()})


def test_invisible_format_characters_are_dropped() -> None:
    target = parse_target("\u202a≥95%\u202c")
    assert (target.comparator, target.bound, target.unit) == ("ge", D(95), "%")


@pytest.mark.parametrize(("level1", "level2", "comparator"), [
    ("产出指标", "成本指标", "le"),
    ("产出指标", "数量指标", "ge"),
    ("成本指标", "经济成本指标", "le"),
    (None, "成本指标", "le"),
])
def test_default_comparator_of_a_cost_row_under_output(level1: str | None, level2: str,
                                                       comparator: str) -> None:
    target = parse_target("250万", level1=level1, level2=level2)
    assert (target.comparator, target.default_comparator) == (comparator, True)


@pytest.mark.parametrize("text", ["零事故", "无事故", "零投诉", "无重大安全事故", "杜绝安全事故",
                                  "不发生重大事故"])
def test_nothing_may_happen(text: str) -> None:
    target = parse_target(text)
    assert (target.kind, target.state, target.direction) == (TargetKind.STATE, text, Direction.LOWER)
    assert target.canonical() == text


@pytest.mark.parametrize(("text", "unit", "actual"), [
    ("≥5000m²", "m2", "6000平方米"),
    ("≥5000m2", "m2", "6000㎡"),
    ("≥500人·次", "人次", "600人次"),
])
def test_units_as_typed(text: str, unit: str, actual: str) -> None:
    target = parse_target(text)
    assert target.unit == unit
    assert target.evaluate(actual).status.value == "met"
