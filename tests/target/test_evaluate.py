"""Judging actual values against targets: status, exact achievement and the explanation."""

from __future__ import annotations

from decimal import Decimal

import pytest

from indicators.target import OutcomeStatus, parse_actual, parse_target

D = Decimal
MET, NOT_MET = OutcomeStatus.MET, OutcomeStatus.NOT_MET
NC, NB = OutcomeStatus.NOT_COMPARABLE, OutcomeStatus.NEEDS_BASELINE

# (target, actual, baseline, status, achievement)
CASES: list[tuple[str, str, str | None, OutcomeStatus, Decimal | None]] = [
    # the acceptance cases
    ("95%以上", "96.5%", None, MET, D("96.5") / D(95)),
    ("良以上", "合格", None, NOT_MET, None),
    ("控制在100万元以内", "98万元", None, MET, D("1.02")),
    ("4个以上", "85%", None, NC, None),
    # ≥ and >
    ("≥95%", "95%", None, MET, D(1)),
    ("≥95%", "90.25%", None, NOT_MET, D("0.95")),
    ("100人次以上", "1,203人次", None, MET, D("12.03")),
    ("大于0", "3", None, MET, D(1)),
    ("大于0", "0", None, NOT_MET, D(0)),
    (">92%", "92%", None, NOT_MET, D(1)),
    # ≤ and <: linear to zero at twice the bound
    ("≤5%", "3%", None, MET, D("1.4")),
    ("≤5%", "5%", None, MET, D(1)),
    ("≤5%", "7%", None, NOT_MET, D("0.6")),
    ("≤5%", "12%", None, NOT_MET, D(0)),
    ("低于3‰", "3‰", None, NOT_MET, D(1)),
    ("≤0", "0", None, MET, D(1)),
    # =
    ("=100%", "100%", None, MET, D(1)),
    ("=100%", "98%", None, NOT_MET, D("0.98")),
    ("=100%", "102%", None, NOT_MET, D("0.98")),
    ("=0", "0", None, MET, D(1)),
    # ranges
    ("90%-100%", "95%", None, MET, D(1)),
    ("90%-100%", "81%", None, NOT_MET, D("0.9")),
    ("90%-100%", "110%", None, NOT_MET, D("0.9")),
    # units
    ("1.5万元", "15000元", None, MET, D(1)),
    ("≥15000元", "1.5万元", None, MET, D(1)),
    ("≥1亩", "700平方米", None, MET, D("1.05")),
    ("1600元/亩", "2.4元/平方米", None, MET, D(1)),
    ("≥95%", "0.965", None, NC, None),
    ("≥95%", "96", None, MET, D(96) / D(95)),
    ("95", "96.5%", None, MET, D("96.5") / D(95)),
    ("0.95", "96.5%", None, NC, None),
    ("≥0.95", "0.965", None, MET, D("0.965") / D("0.95")),
    ("250万", "300万元", None, MET, D("1.2")),
    ("250万", "300万", None, MET, D("1.2")),
    ("≥1.5万人次", "1.5万", None, MET, D(1)),
    ("≥1.5万人次", "1.2万", None, NOT_MET, D("0.8")),
    ("≤0.5亿元", "4000万", None, MET, D("1.2")),
    ("30个工作日内", "48小时", None, NC, None),
    ("30个工作日内", "20个工作日", None, MET, D("1.3333333333333333333333333333333333")),
    ("≤48小时", "2天", None, MET, D(1)),
    ("≥2倍", "2.5", None, MET, D("1.25")),
    # numeric targets judged by a self-evaluation tier
    ("≥95%", "达成", None, MET, None),
    ("≥95%", "部分达成", None, NOT_MET, None),
    ("≥95%", "优秀", None, NC, None),
    # grades
    ("良以上", "优", None, MET, None),
    ("良以上", "良", None, MET, None),
    ("良以上", "中", None, NOT_MET, None),
    ("良以上", "优秀", None, MET, None),
    ("良好及以上", "良", None, MET, None),
    ("优", "优秀", None, MET, None),
    ("合格", "不合格", None, NOT_MET, None),
    ("较好", "好", None, MET, None),
    ("较好", "一般", None, NOT_MET, None),
    ("达标", "不达标", None, NOT_MET, None),
    ("达标", "达标", None, MET, None),
    ("良以上", "95%", None, NC, None),
    ("达标", "较好", None, NC, None),
    ("达标", "不合格", None, NOT_MET, None),
    ("合格", "不及格", None, NOT_MET, None),
    ("优良", "良", None, MET, None),
    ("优良", "优", None, MET, None),
    ("优良", "中", None, NOT_MET, None),
    ("良以上", "达成", None, MET, None),
    ("3A级以上", "AAAA级", None, MET, None),
    ("3A级以上", "3A", None, MET, None),
    ("3A级以上", "2A", None, NOT_MET, None),
    ("AAAA级景区", "AAAAA", None, MET, None),
    ("AAAA级景区", "3A级", None, NOT_MET, None),
    ("A级纳税人", "A级", None, MET, None),
    ("4A", "AAAA", None, MET, None),
    ("AAA", "优秀", None, NC, None),
    ("良以上", "4A", None, NC, None),
    # yes/no and states
    ("是", "是", None, MET, None),
    ("是", "否", None, NOT_MET, None),
    ("否", "否", None, MET, None),
    ("是", "96%", None, NC, None),
    ("及时", "按时", None, MET, None),
    ("及时报送", "未按时", None, NOT_MET, None),
    ("按规定公开", "已按规定公开", None, MET, None),
    ("按规定公开", "部分达成", None, NOT_MET, None),
    ("实现动态清零", "达成", None, MET, None),
    ("实现动态清零", "已开展工作", None, NC, None),
    ("无", "0次", None, MET, None),
    ("无", "无", None, MET, None),
    ("无", "2次", None, NOT_MET, None),
    ("无", "有", None, NOT_MET, None),
    ("无", "优秀", None, NC, None),
    ("零事故", "无", None, MET, None),
    ("零事故", "0起", None, MET, None),
    ("零事故", "无事故", None, MET, None),
    ("零事故", "2起", None, NOT_MET, None),
    ("无重大安全事故", "未发生", None, MET, None),
    ("不发生重大事故", "1起", None, NOT_MET, None),
    # vague
    ("有效提升", "达成", None, MET, None),
    ("有效提升", "96%", None, NC, None),
    # relative
    ("较上年提高5个百分点", "96%", None, NB, None),
    ("较上年提高5个百分点", "96%", "90%", MET, D(96) / D(95)),
    ("较上年提高5个百分点", "94%", "90%", NOT_MET, D(94) / D(95)),
    ("同比增长5%", "105万元", "100万元", MET, D(1)),
    ("同比增长5%", "1050000元", "100万元", MET, D(1)),
    ("同比增长5%", "104万元", "100万元", NOT_MET, D(104) / D(105)),
    ("较上年提高", "100", "100", NOT_MET, D(1)),
    ("较上年提高", "101", "100", MET, D("1.01")),
    ("不低于上年", "100", "100", MET, D(1)),
    ("保持/提升", "99", "100", NOT_MET, D("0.99")),
    ("较上年下降10%", "90", "100", MET, D(1)),
    ("较上年下降10%", "99", "100", NOT_MET, D("0.9")),
    ("较上年提高10人", "110人", "100人", MET, D(1)),
    ("较上年提高5个百分点", "96%", "90万元", NC, None),
    ("较上年提高5个百分点", "96%", "优秀", NC, None),
    ("较上年提高5个百分点", "达成", None, MET, None),
    ("较上年提高5个百分点", "96万元", "90万元", NC, None),
    ("较上年提高10人", "110万元", "100万元", NC, None),
    ("较上年提高5个百分点", "96人", "90%", NC, None),
    # deadlines
    ("9月前", "2025年8月20日", None, MET, None),
    ("9月前", "2025年9月3日", None, NOT_MET, None),
    ("9月前", "8月", None, MET, None),
    ("12月底前完成", "2025.12", None, MET, None),
    ("12月底前完成", "按时", None, MET, None),
    ("12月底前完成", "未按时完成", None, NOT_MET, None),
    ("2025年10月底前", "2025年10月31日", None, MET, None),
    ("2025年10月底前", "2025年11月1日", None, NOT_MET, None),
    ("2025年10月底前", "2026年1月", None, NOT_MET, None),
    ("10月31日前", "10月30日", None, MET, None),
    ("10月31日前", "10月", None, NC, None),
    ("2025年底前", "2025年12月", None, MET, None),
    ("2025年底前", "12月", None, NC, None),
    ("2025年底前", "2025年", None, MET, None),
    ("2025年底前", "2026年", None, NOT_MET, None),
    ("2025年前", "2024年", None, MET, None),
    ("2025年前", "2025年", None, NOT_MET, None),
    ("12月底前完成", "3年", None, NC, None),
    ("12月底前完成", "96%", None, NC, None),
    ("12月底前完成", "部分达成", None, NOT_MET, None),
    # a date alone is a deadline: on or before that day
    ("2025-06-30", "2025-06-30", None, MET, None),
    ("2025-06-30", "2025年6月29日", None, MET, None),
    ("2025-06-30", "2025/7/1", None, NOT_MET, None),
    ("2025-06-30", "2025年5月", None, MET, None),
    ("2025-06-30", "2025年6月", None, NC, None),
    ("2025年6月30日", "2025年6月30日", None, MET, None),
    ("2025年6月30日", "2025年6月15日", None, MET, None),
    ("2025年6月30日", "按时", None, MET, None),
    ("2025年6月30日完成", "2025.6.30", None, MET, None),
    ("12月完成", "12月", None, MET, None),
    # 前: before that day begins
    ("2025-06-30前", "2025-06-29", None, MET, None),
    ("2025-06-30前", "2025-06-30", None, MET, None),  # the day named still meets "…日前"
    ("2025-06-30前", "2025-07-01", None, NOT_MET, None),
    ("2025.6前", "2025.5.31", None, MET, None),
    # a number written as a year and a month is a month to a time target
    ("2025年6月底前", "2025.6", None, MET, None),
    ("2025年6月底前", "2025.7", None, NOT_MET, None),
    ("2025年6月底前", "2025.13", None, NC, None),
    # periods
    ("2023年12月", "2023年12月15日", None, MET, None),
    ("2021年1月-12月", "2021年1月-12月", None, MET, None),
    ("2021年1月-12月", "2022年3月", None, NOT_MET, None),
    ("2023.07-2024.01", "2023年10月", None, MET, None),
    ("2023.07-2024.01", "2024年2月", None, NOT_MET, None),
    ("1-12月", "6月", None, MET, None),
    ("1-12月", "全年", None, MET, None),
    ("2024年度", "2024年全年", None, MET, None),
    ("2024年度", "2025年3月", None, NOT_MET, None),
    ("2020年全年", "是", None, MET, None),
    ("2020年全年", "2020年", None, MET, None),
    ("2021年1月-12月", "2022年", None, NOT_MET, None),
    ("2023年12月", "96%", None, NC, None),
    ("2023.07-2024.01", "2023.9", None, MET, None),
    ("2025-01-01至2025-06-30", "2025-06-15", None, MET, None),
    ("2025-01-15至2025-06-15", "2025-06-20", None, NOT_MET, None),
    ("2025-01-15至2025-06-15", "2025-01-14", None, NOT_MET, None),
    ("2025-01-15至2025-06-15", "2025年3月", None, MET, None),
]


@pytest.mark.parametrize(("target", "actual", "baseline", "status", "achievement"), CASES,
                         ids=[f"{c[0]} | {c[1]}" + (f" | {c[2]}" if c[2] else "") for c in CASES])
def test_evaluate(target: str, actual: str, baseline: str | None, status: OutcomeStatus,
                  achievement: Decimal | None) -> None:
    outcome = parse_target(target).evaluate(actual, baseline)
    assert outcome.status == status, outcome.explanation
    if achievement is None:
        assert outcome.achievement is None
    else:
        assert outcome.achievement is not None
        assert abs(outcome.achievement - achievement) < D("1e-26"), outcome.achievement
    assert outcome.explanation
    assert "\n" not in outcome.explanation
    if status == NC:
        assert [d.code for d in outcome.diagnostics] == ["IND211"]
        assert "无法比较" in outcome.explanation
    if status == NB:
        assert [d.code for d in outcome.diagnostics] == ["IND212"]


def test_not_comparable_says_why() -> None:
    outcome = parse_target("4个以上").evaluate("85%")
    assert "个" in outcome.explanation
    assert "%" in outcome.explanation
    assert "量纲不同" in outcome.explanation


def test_actual_objects_are_accepted() -> None:
    outcome = parse_target("≥95%").evaluate(parse_actual("96", unit="%"), None)
    assert outcome.status == MET


def test_unreadable_actual_is_reported_not_raised() -> None:
    outcome = parse_target("≥95%").evaluate("xx%%")
    assert outcome.status == NC
    assert outcome.diagnostics[0].code == "IND210"


def test_achievement_is_exact_for_powers_of_ten() -> None:
    outcome = parse_target("控制在100万元以内").evaluate("980000元")
    assert outcome.achievement == D("1.02")


def test_outcome_is_json_serialisable() -> None:
    data = parse_target("95%以上").evaluate("96.5%").model_dump(mode="json")
    assert data["status"] == "met"
    assert isinstance(data["achievement"], str)


def test_unreadable_baseline_is_reported_not_raised() -> None:
    outcome = parse_target("同比增长5%").evaluate("105万元", "??")
    assert outcome.status == NC
    assert outcome.diagnostics[0].code == "IND210"


def test_a_bare_multiplier_is_not_written_twice() -> None:
    outcome = parse_target("250万").evaluate("300万")
    assert "万万" not in outcome.explanation
    assert "实际值300万达到" in outcome.explanation


def test_a_bare_multiplier_actual_takes_the_target_unit() -> None:
    outcome = parse_target("≥1.5万人次").evaluate("1.2万")
    assert "按“万人次”理解" in outcome.explanation


def test_grade_explanation_quotes_the_word_written() -> None:
    outcome = parse_target("达标").evaluate("合格")
    assert outcome.status == MET
    assert "“合格”" in outcome.explanation
