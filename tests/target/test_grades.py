"""Grade scales from catalog/grades.yaml."""

from __future__ import annotations

import pytest

from indicators.errors import CatalogError
from indicators.target.grades import common_scale, grade_scales, grade_words, load_scales, resolve_grade


def test_required_scales_exist() -> None:
    levels = {s.levels for s in grade_scales().values()}
    assert ("优", "良", "中", "差") in levels
    assert ("优秀", "良好", "合格", "不合格") in levels
    assert ("好", "较好", "一般", "较差", "差") in levels
    assert ("达标", "不达标") in levels
    assert ("AAAAA", "AAAA", "AAA", "AA", "A") in levels


RESOLVE = [
    ("优", "优良中差", "优"),
    ("优秀", "优秀良好合格不合格", "优秀"),
    ("合格", "优秀良好合格不合格", "合格"),
    ("较差", "好较好一般较差差", "较差"),
    ("不达标", "达标不达标", "不达标"),
    ("及格", "优秀良好合格不合格", "合格"),
    ("AAA", "A级", "AAA"),
    ("4A", "A级", "AAAA"),
    ("1A", "A级", "A"),
]


@pytest.mark.parametrize(("word", "scale", "level"), RESOLVE, ids=[r[0] for r in RESOLVE])
def test_resolve(word: str, scale: str, level: str) -> None:
    found = resolve_grade(word)
    assert found is not None
    assert (found[0].name, found[1]) == (scale, level)


def test_abbreviation_resolved_by_scale() -> None:
    found = resolve_grade("优", scale="优秀良好合格不合格")
    assert found is not None
    assert found[1] == "优秀"
    assert resolve_grade("优", scale="没有这个等级序列") is None
    assert resolve_grade("卓越") is None


def test_order_accepts_better_levels() -> None:
    scale = grade_scales()["优良中差"]
    assert scale.at_least("优", "良")
    assert scale.at_least("良", "良")
    assert not scale.at_least("中", "良")
    with pytest.raises(ValueError, match="not on scale"):
        scale.rank("合格")


def test_common_scale_prefers_the_target_scale() -> None:
    found = common_scale("优良中差", "良", "合格")
    assert found is not None
    assert (found[0].name, found[1], found[2]) == ("优秀良好合格不合格", "良好", "合格")
    assert common_scale("达标不达标", "达标", "较好") is None


def test_letter_grades_rank_more_letters_higher() -> None:
    scale = grade_scales()["A级"]
    assert scale.at_least("AAAAA", "AAA")
    assert scale.at_least("5A", "4A")
    assert not scale.at_least("AA", "3A")


def test_grade_words_longest_first() -> None:
    words = grade_words()
    assert words.index("不合格") < words.index("合格")


BAD_FILES = [
    ("scales: [", "YAML"),
    ("scales: []", "empty"),
    ("scales:\n  - name: a\n    levels: [x, x]\n", "repeated level"),
    ("scales:\n  - name: a\n    levels: [x, y]\n    abbreviations: {z: w}\n", "bad abbreviation"),
    ("scales:\n  - name: a\n    levels: [x, y]\n    passing: w\n", "bad passing level"),
    ("scales:\n  - name: a\n    levels: [x, y]\n  - name: a\n    levels: [u, v]\n", "duplicate name"),
    ("scales:\n  - name: a\n    levels: [x, y]\n    colour: red\n", "unknown key"),
]


@pytest.mark.parametrize(("text", "why"), BAD_FILES, ids=[b[1] for b in BAD_FILES])
def test_invalid_grade_files(text: str, why: str) -> None:
    with pytest.raises(CatalogError) as info:
        load_scales(text)
    assert info.value.diagnostic.code == "IND401"
