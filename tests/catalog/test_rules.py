from __future__ import annotations

import pytest

from indicators.catalog import Catalog, Entry, check_rules, load_catalog
from indicators.catalog.rules import read_grade, resolve_level
from indicators.diagnostics import Location, Severity

SCALE = ("优秀", "良好", "合格", "不合格")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(use_env=False)


@pytest.fixture(scope="module", params=["JD-XY-SH-002", "JD-XY-SH-003"])
def graded(request: pytest.FixtureRequest, catalog: Catalog) -> Entry:
    entry = catalog.get(request.param)
    assert entry is not None
    return entry


def test_seed_rules_are_data(graded: Entry) -> None:
    (rule,) = graded.rules
    assert rule.kind == "keep_or_improve"
    assert rule.field == "target"
    assert rule.baseline == "prior_grade"
    assert rule.threshold == "良好"
    assert rule.scale == SCALE


# (target, last year's grade, codes found): 良好 or better must be kept, below it must improve
CASES = [
    ("优", "优秀", []),
    ("优秀", "优秀", []),
    ("良好", "优秀", ["IND613"]),
    ("良好以上", "优秀", ["IND613"]),
    ("优", "良好", []),
    ("良好", "良好", []),
    ("良", "良好", []),
    ("良好及以上", "良好", []),
    ("合格", "良好", ["IND613"]),
    ("良好", "合格", []),
    ("优秀", "合格", []),
    ("合格", "合格", ["IND613"]),
    ("合格以上", "合格", ["IND613"]),
    ("合格", "不合格", []),
    ("不合格", "不合格", ["IND613"]),
    ("保持", "良好", []),
    ("保持", "优秀", []),
    ("保持", "合格", ["IND613"]),
    ("提升", "合格", []),
    ("提高", "不合格", []),
    ("保持/提升", "良好", []),
    ("保持或提升", "合格", ["IND613"]),
    ("优", "良", []),
    ("优。", "良好", []),
    ("优", None, ["IND410"]),
    ("优", "  ", ["IND410"]),
    ("很好", "良好", ["IND612"]),
    ("优", "很差", ["IND612"]),
    ("优", "保持", ["IND612"]),
    ("达到良好", "优秀", ["IND613"]),
    ("不低于良好", "良好", []),
    ("保持优秀", "良好", []),
    ("", "良好", ["IND203"]),
    (None, "良好", ["IND203"]),
]


@pytest.mark.parametrize(("target", "prior", "codes"), CASES, ids=[f"{t!r}<-{p!r}" for t, p, _ in CASES])
def test_keep_or_improve(graded: Entry, target: str | None, prior: str | None, codes: list[str]) -> None:
    found = check_rules(graded, target, prior)
    assert [d.code for d in found] == codes
    for d in found:
        assert d.indicator == graded.name
        assert d.message


def test_broken_rule_explains_and_proposes_a_fix(graded: Entry) -> None:
    where = Location(source="form.xlsx", row=7, column=5)
    (kept,) = check_rules(graded, "合格", "良好", location=where)
    assert kept.severity is Severity.ERROR
    assert kept.location == where
    assert "良好" in kept.message
    assert kept.fix == "良好"
    assert kept.data["prior"] == "良好"
    (improved,) = check_rules(graded, "合格", "合格")
    assert "应高于上年" in improved.message
    assert improved.fix == "良好"


def test_missing_prior_is_info(graded: Entry) -> None:
    (d,) = check_rules(graded, "优", None)
    assert d.severity is Severity.INFO
    assert graded.code in d.message


def test_entries_without_rules_pass(catalog: Catalog) -> None:
    entry = catalog.get("JD-CC-ZL-002")
    assert entry is not None
    assert check_rules(entry, "乱写", None) == []


def test_rule_with_a_threshold_off_its_scale() -> None:
    entry = Entry.model_validate(
        {
            "code": "T-001",
            "level1": "效益指标",
            "level2": "社会效益指标",
            "name": "测试",
            "kind": "grade",
            "source": "测试",
            "rules": [{"kind": "keep_or_improve", "threshold": "很好", "scale": list(SCALE)}],
        }
    )
    assert [d.code for d in check_rules(entry, "优", "良好")] == ["IND411"]


@pytest.mark.parametrize(
    ("word", "level"),
    [
        ("优秀", 0),
        ("优", 0),
        ("良", 1),
        ("合格", 2),
        ("不", 3),
        ("不合格", 3),
        ("", None),
        ("差", None),
        ("合", 2),
    ],
    ids=repr,
)
def test_resolve_level(word: str, level: int | None) -> None:
    assert resolve_level(word, SCALE) == level


def test_resolve_level_ambiguous_prefix() -> None:
    assert resolve_level("优", ("优秀", "优良", "差")) is None


@pytest.mark.parametrize(
    ("text", "level", "relative"),
    [
        ("优", 0, None),
        ("良以上", 1, None),
        ("良好或以上", 1, None),
        (" 合 格 ", 2, None),
        ("保持", None, "keep"),
        ("持平", None, "keep"),
        ("提升", None, "improve"),
        ("保持/提升", None, "keep_or_improve"),
        ("保持或提高", None, "keep_or_improve"),
        # the phrasings the target language reads as grades, and the grade's own noun
        ("达到良好", 1, None),
        ("不低于良好", 1, None),
        ("良好（含）以上", 1, None),
        ("优秀等级", 0, None),
        ("达到优秀等级", 0, None),
        ("保持优秀", 0, None),
        ("提升至良好", 1, None),
        ("良好及以上等级", 1, None),
        ("“良好”以上", 1, None),
    ],
    ids=repr,
)
def test_read_grade(text: str, level: int | None, relative: str | None) -> None:
    read = read_grade(text, SCALE)
    assert read is not None
    assert (read.level, read.relative) == (level, relative)


@pytest.mark.parametrize("text", ["", "以上", "很好", "95%以上", "达到", "等级", "保持很好"], ids=repr)
def test_read_grade_rejects(text: str) -> None:
    assert read_grade(text, SCALE) is None


def test_a_prior_off_the_scale_is_named_as_last_years_result(graded: Entry) -> None:
    (d,) = check_rules(graded, "优", "很差")
    assert d.code == "IND612"
    assert d.message == "上年评估结果“很差”不在该指标的等级序列（优秀、良好、合格、不合格）中"
