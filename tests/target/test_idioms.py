"""Targets from published forms read precisely: what each means, judged against a few actual values."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from indicators.target import Direction, OutcomeStatus, TargetKind, parse_target

D = Decimal
MET, NOT_MET, NC = OutcomeStatus.MET, OutcomeStatus.NOT_MET, OutcomeStatus.NOT_COMPARABLE

# (target, keyword arguments of parse_target, expected canonical text, kind)
READINGS: list[tuple[str, dict[str, Any], str, TargetKind]] = [
    ("每亩250", {}, "≥250/亩", TargetKind.NUMERIC),
    ("每亩250", {"unit": "元"}, "≥250元/亩", TargetKind.NUMERIC),
    ("每亩不少于250元", {}, "≥250元/亩", TargetKind.NUMERIC),
    ("1-12月", {}, "1月-12月", TargetKind.PERIOD),
    ("9月前", {}, "9月前", TargetKind.DEADLINE),
    ("2024年3月--2024年10月", {}, "2024年3月-2024年10月", TargetKind.PERIOD),
    ("2023.07-2024.01", {}, "2023年7月-2024年1月", TargetKind.PERIOD),
    ("2024年3月至10月", {}, "2024年3月-2024年10月", TargetKind.PERIOD),
    ("全年至少开展3次", {}, "≥3次", TargetKind.NUMERIC),
    ("每年举办不少于2期培训", {}, "≥2期", TargetKind.NUMERIC),
    ("不少于20眼井", {}, "≥20眼", TargetKind.NUMERIC),
    ("10辆车", {}, "≥10辆", TargetKind.NUMERIC),
    ("全年培训不超过5次", {}, "≤5次", TargetKind.NUMERIC),
    ("≥80M", {}, "≥80M", TargetKind.NUMERIC),
    ("250万", {"level1": "产出指标", "level2": "成本指标"}, "≤250万", TargetKind.NUMERIC),
    ("250万", {"level1": "成本指标"}, "≤250万", TargetKind.NUMERIC),
    ("250万", {}, "≥250万", TargetKind.NUMERIC),
    ("≥2倍", {}, "≥2倍", TargetKind.NUMERIC),
    ("1600元/亩", {"level2": "成本指标"}, "≤1600元/亩", TargetKind.NUMERIC),
    ("1600元/亩", {}, "≥1600元/亩", TargetKind.NUMERIC),
    ("≥100%", {"indicator": "项目(工程)完成及时率"}, "≥100%", TargetKind.NUMERIC),
    ("优良", {}, "良以上", TargetKind.GRADE),
    ("=改善", {}, "改善", TargetKind.VAGUE),
    ("=提高", {}, "提高", TargetKind.VAGUE),
    ("＝及时", {}, "及时", TargetKind.STATE),
    ("等于明显改善", {}, "明显改善", TargetKind.VAGUE),
    ("-0.2", {}, "≥-0.2", TargetKind.NUMERIC),
    ("≥-5%", {}, "≥-5%", TargetKind.NUMERIC),
    ("≤-3%", {}, "≤-3%", TargetKind.NUMERIC),
    ("2024年9月底竣工", {}, "2024年9月底前", TargetKind.DEADLINE),
]


@pytest.mark.parametrize(("text", "kwargs", "canonical", "kind"), READINGS,
                         ids=[f"{r[0]} {' '.join(map(str, r[1].values()))}".strip() for r in READINGS])
def test_reading(text: str, kwargs: dict[str, Any], canonical: str, kind: TargetKind) -> None:
    target = parse_target(text, **kwargs)
    assert target.kind == kind
    assert target.canonical() == canonical
    assert parse_target(canonical, **kwargs).canonical() == canonical


def test_a_comparator_in_the_subject_is_written_not_defaulted() -> None:
    target = parse_target("全年至少开展3次")
    assert (target.comparator, target.default_comparator, target.subject) == ("ge", False, "全年至少开展")
    bare = parse_target("全年开展3次")
    assert (bare.comparator, bare.default_comparator) == ("ge", True)
    # the cost rule still applies when the subject says nothing
    assert parse_target("全年支出3万元", level2="成本指标").comparator == "le"


@pytest.mark.parametrize("text", ["=改善", "=提高", "＝及时", "等于明显改善"], ids=str)
def test_equals_before_words_is_noted(text: str) -> None:
    target = parse_target(text)
    note = next(w for w in target.warnings if w.code == "IND222")
    assert note.severity.value == "info"
    assert target.text == text


@pytest.mark.parametrize("text", ["=100%", "=0起", "等于95%"], ids=str)
def test_equals_before_a_number_is_a_comparator(text: str) -> None:
    target = parse_target(text)
    assert (target.kind, target.comparator) == (TargetKind.NUMERIC, "eq")
    assert "IND222" not in [w.code for w in target.warnings]


# (target, scale level judged, warned as a whole scale)
SCALES: list[tuple[str, str, bool]] = [
    ("优良中差", "中", True),
    ("优/良/中/差", "中", True),
    ("优、良、中、差", "中", True),
    ("差/中/良/优", "中", True),
    ("A/B/C/D", "C", True),
    ("优秀、良好、合格、不合格", "合格", True),
    ("合格/不合格", "合格", True),
    ("好/较好/一般/较差/差", "一般", True),
    ("优/良/中", "中", False),
    ("优良中", "中", False),
    ("优秀/良好", "良好", False),
]


@pytest.mark.parametrize(("text", "level", "whole"), SCALES, ids=[s[0] for s in SCALES])
def test_levels_listed_as_the_target(text: str, level: str, whole: bool) -> None:
    target = parse_target(text)
    assert target.kind == TargetKind.GRADE
    assert target.grade is not None
    assert (target.grade.level, target.grade.or_better) == (level, True)
    codes = [w.code for w in target.warnings]
    assert ("IND224" in codes) is whole
    if whole:
        note = next(w for w in target.warnings if w.code == "IND224")
        assert note.severity.value == "warning"
        assert "整个等级序列" in note.message


@pytest.mark.parametrize("text", ["优良", "良以上", "优", "A", "3A级以上", "优/差/良"], ids=str)
def test_not_a_list_of_levels(text: str) -> None:
    target = parse_target(text)
    assert "IND224" not in [w.code for w in target.warnings]
    if text == "优/差/良":  # levels out of order are no list of levels: words
        assert target.kind == TargetKind.STATE


# (target, keyword arguments, actual, status)
JUDGED: list[tuple[str, dict[str, Any], str, OutcomeStatus]] = [
    ("每亩250", {"unit": "元"}, "260元/亩", MET),
    ("每亩250", {"unit": "元"}, "240", NOT_MET),
    ("1-12月", {}, "2024年9月", MET),
    ("9月前", {}, "8月", MET),
    ("9月前", {}, "9月", NOT_MET),
    ("2024年3月--2024年10月", {}, "2024年9月", MET),
    ("2024年3月--2024年10月", {}, "2024年11月", NOT_MET),
    ("2023.07-2024.01", {}, "2023年12月", MET),
    ("2024年3月至10月", {}, "2025年9月", NOT_MET),
    ("全年至少开展3次", {}, "3次", MET),
    ("全年至少开展3次", {}, "2次", NOT_MET),
    ("≥80M", {}, "85米", MET),
    ("250万", {"level2": "成本指标"}, "240万元", MET),
    ("250万", {"level2": "成本指标"}, "260万元", NOT_MET),
    ("≥2倍", {}, "2.5倍", MET),
    ("1600元/亩", {"level2": "成本指标"}, "1500元/亩", MET),
    ("≥100%", {"indicator": "验收合格率"}, "100%", MET),
    ("≥100%", {"indicator": "验收合格率"}, "99%", NOT_MET),
    ("优良", {}, "良", MET),
    ("优良", {}, "中", NOT_MET),
    ("优良中差", {}, "优", MET),
    ("优良中差", {}, "差", NOT_MET),
    ("A/B/C/D", {}, "B", MET),
    ("A/B/C/D", {}, "D", NOT_MET),
    ("=改善", {}, "达成", MET),
    ("=改善", {}, "部分达成", NOT_MET),
    ("-0.2", {}, "-0.1", MET),
    ("-0.2", {}, "-0.3", NOT_MET),
]


@pytest.mark.parametrize(("target", "kwargs", "actual", "status"), JUDGED,
                         ids=[f"{j[0]} | {j[2]}" for j in JUDGED])
def test_judged(target: str, kwargs: dict[str, Any], actual: str, status: OutcomeStatus) -> None:
    outcome = parse_target(target, **kwargs).evaluate(actual)
    assert outcome.status == status, outcome.explanation


def test_a_cost_ceiling_is_lower_is_better() -> None:
    assert parse_target("250万", level2="成本指标").direction == Direction.LOWER
