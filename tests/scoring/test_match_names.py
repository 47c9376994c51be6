"""Actual values matched to form rows by a name written a little differently (IND845)."""

from __future__ import annotations

import pytest

from indicators.forms import read_form_text
from indicators.scoring import score_form
from indicators.scoring.actuals import read_actuals_text
from indicators.scoring.match import loose_name

FORM = """一级指标\t二级指标\t三级指标\t年度指标值
产出指标\t数量指标\t室内外应急避难场所的服务覆盖率\t4个以上
产出指标\t数量指标\t党员参与志愿服务人次\t100人次以上
产出指标\t质量指标\t党员教育培训完成率\t95%以上
产出指标\t质量指标\t党员教育培训覆盖率\t95%以上
"""


def _score(actuals: str) -> tuple[dict[str, str | None], list[tuple[str, str]]]:
    sheet = score_form(read_form_text(FORM), read_actuals_text(actuals))
    actual = {line.level3: line.actual for line in sheet.lines}
    found = [(d.code, d.message) for d in sheet.diagnostics if d.code in ("IND808", "IND845")]
    return actual, found


@pytest.mark.parametrize(
    ("written", "row"),
    [
        ("室内外应急避难场所服务覆盖率", "室内外应急避难场所的服务覆盖率"),  # without 的
        ("党员参与志愿服务人次（人次）", "党员参与志愿服务人次"),  # a unit in brackets
        ("党员参与志愿服务人次(人次)", "党员参与志愿服务人次"),
        ("室内外应急避难场所的服务覆盖率。", "室内外应急避难场所的服务覆盖率"),
    ],
)
def test_a_name_written_a_little_differently_finds_its_row(written: str, row: str) -> None:
    actual, found = _score(f"三级指标,实际完成值\n{written},5个\n")
    assert actual[row] == "5个"
    assert found == [("IND845", f"实际值文件中的“{written}”按相近名称对应到指标“{row}”")]


def test_a_name_close_to_two_rows_is_not_guessed() -> None:
    actual, found = _score("三级指标,实际完成值\n党员教育培训率,96%\n")
    assert actual["党员教育培训完成率"] is None
    assert actual["党员教育培训覆盖率"] is None
    assert [code for code, _ in found] == ["IND808"]


def test_an_exact_name_is_never_taken_by_a_similar_one() -> None:
    actual, found = _score("三级指标,实际完成值\n党员教育培训完成率,96%\n党员教育培训完成率（%）,97%\n")
    assert actual["党员教育培训完成率"] == "96%"
    assert actual["党员教育培训覆盖率"] is None  # similar, but not the same name once notes are dropped
    assert [code for code, _ in found] == ["IND808"]


def test_an_unrelated_name_is_unmatched() -> None:
    actual, found = _score("三级指标,实际完成值\n不存在的指标,100%\n")
    assert found == [("IND808", "实际值文件中的“不存在的指标”找不到对应的指标")]
    assert all(value is None for value in actual.values())


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("党员参与志愿服务人次（人次）", "党员参与志愿服务人次"),
        ("村(社区)数", "村(社区)数"),
        ("（人次）", "(人次)"),
    ],
)
def test_loose_name(name: str, key: str) -> None:
    assert loose_name(name) == key
