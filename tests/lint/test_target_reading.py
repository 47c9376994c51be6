"""The one place lint reads targets (``LintContext``) gives the parser the row's level-1, level-2 and
level-3 names, and no rule fires on a unit word the unit table lacks."""

from __future__ import annotations

import pytest

from indicators.lint import lint_form
from indicators.lint.context import LintContext
from indicators.lint.examples import form_from_example, load_example


def _row(level1: str, level2: str, name: str, target: str) -> LintContext:
    data = load_example(f"rows:\n  - [{level1}, {level2}, {name}, null, '{target}']\n")
    return LintContext(form_from_example(data))


@pytest.mark.parametrize(
    ("level2", "name", "kind"),
    [
        ("时效指标", "项目完成情况", "deadline"),  # the level-2 says 时效
        ("质量指标", "项目完工时限", "deadline"),  # the name says 时限
        ("时效指标", "服务周期", "period"),  # the name says 周期
        ("质量指标", "项目完成情况", "period"),  # nothing says: the month's period
    ],
)
def test_a_month_is_read_by_the_row(level2: str, name: str, kind: str) -> None:
    ctx = _row("产出指标", level2, name, "2024年11月")
    row = ctx.indicator_rows[0]
    target = ctx.target(row).value
    assert target is not None
    assert target.kind == kind


def test_the_deadline_reading_is_noted() -> None:
    data = load_example("rows:\n  - [产出指标, 时效指标, 项目完成情况, 指标值=完成日期, 2024年11月]\n")
    found = lint_form(form_from_example(data))
    assert "IND227" in [d.code for d in found]
    assert "IND625" not in [d.code for d in found]


@pytest.mark.parametrize(
    ("name", "target", "noted"),
    [("项目完成及时率", "≥100%", True), ("项目完成及时率", "100%", False), ("受益人数", "≥100人", False)],
)
def test_the_rate_note(name: str, target: str, noted: bool) -> None:
    data = load_example(f"rows:\n  - [产出指标, 时效指标, {name}, null, '{target}']\n")
    codes = [d.code for d in lint_form(form_from_example(data))]
    assert ("IND223" in codes) is noted


def test_a_cost_row_reads_a_bare_number_as_a_ceiling() -> None:
    ctx = _row("产出指标", "成本指标", "项目总成本", "90万元")
    target = ctx.target(ctx.indicator_rows[0]).value
    assert target is not None
    assert (target.comparator, target.default_comparator) == ("le", True)


@pytest.mark.parametrize(
    ("level1", "level2", "name"),
    [
        ("产出指标", "数量指标", "报警处置次数"),
        ("产出指标", "质量指标", "报警处置率"),
        ("产出指标", "时效指标", "报警响应时间"),
        ("成本指标", "经济成本指标", "报警系统运维成本"),
        ("效益指标", "社会效益指标", "报警处置率"),
        ("满意度指标", "服务对象满意度指标", "报警人满意度"),
    ],
)
def test_an_unknown_unit_word_raises_no_rule(level1: str, level2: str, name: str) -> None:
    data = load_example(f"rows:\n  - [{level1}, {level2}, {name}, null, 110报警]\n")
    # IND618 (no explanation) and IND638 (no survey method) are about the missing explanation
    codes = {d.code for d in lint_form(form_from_example(data), ignore=["IND611", "IND618", "IND638"])}
    assert codes == {"IND303"}, codes


@pytest.mark.parametrize(
    ("level2", "name", "target", "code"),
    [
        ("质量指标", "服务质量评价", "优良中差", "IND224"),  # the whole scale as a target
        ("时效指标", "项目完成时间", "45291", "IND226"),  # an Excel date serial on a 时效 row
        ("质量指标", "验收合格率", "95.00000000000001%", "IND225"),  # float residue
        ("数量指标", "报警处置数", "110报警", "IND303"),  # a unit word the table lacks
    ],
    ids=lambda v: str(v),
)
def test_spreadsheet_residue_and_scale_notes_are_reported(
    level2: str, name: str, target: str, code: str
) -> None:
    data = load_example(f"rows:\n  - [产出指标, {level2}, {name}, null, '{target}']\n")
    found = lint_form(form_from_example(data), ignore=["IND611", "IND618"])
    assert code in [d.code for d in found]
    note = next(d for d in found if d.code == code)
    assert note.location is not None
    assert note.location.column == 5
    assert note.indicator == name
