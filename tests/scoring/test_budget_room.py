"""A self-evaluation table whose own weights fill the total has no room for a 预算执行率 line."""

from __future__ import annotations

from decimal import Decimal

import pytest

from indicators.forms import read_form_text
from indicators.scoring import BudgetExecution, score_form

FULL = """一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分
产出指标(70分)\t数量指标\t培训人数\t≥100人\t90人\t35\t31.5
\t质量指标\t合格率\t≥90%\t95%\t35\t35
效益指标(20分)\t社会效益指标\t受益人数\t≥500人\t500人\t20\t20
满意度指标(10分)\t服务对象满意度指标\t满意度\t≥90%\t92%\t10\t10
"""
#: the same table with 分值 adding up to 90: the 预算执行率 line takes the other 10
NINETY = FULL.replace("产出指标(70分)", "产出指标(60分)").replace("\t35\t31.5", "\t30\t27").replace(
    "\t35\t35", "\t30\t30"
)
FIGURES = BudgetExecution(total=Decimal(150), executed=Decimal(120))


def _codes(sheet: object) -> list[str]:
    return [d.code for d in sheet.diagnostics]  # type: ignore[attr-defined]


def test_weights_that_fill_the_total_leave_no_budget_line() -> None:
    sheet = score_form(read_form_text(FULL), budget=FIGURES)
    assert all(line.level3 != "预算执行率" for line in sheet.lines)
    assert sheet.weight_total == Decimal(100)
    assert sheet.total == Decimal("96.50")
    note = next(d for d in sheet.diagnostics if d.code == "IND844")
    assert "80.00%" in note.message
    assert "IND818" not in _codes(sheet)  # nothing rescaled


def test_weights_short_of_the_total_keep_the_budget_line() -> None:
    sheet = score_form(read_form_text(NINETY), budget=FIGURES)
    budget = [line for line in sheet.lines if line.level3 == "预算执行率"]
    assert len(budget) == 1
    assert budget[0].weight == Decimal(10)
    assert budget[0].score == Decimal("8.00")
    assert "IND844" not in _codes(sheet)
    assert sheet.weight_total == Decimal(100)


@pytest.mark.parametrize("text", [FULL, NINETY], ids=["full", "ninety"])
def test_without_figures_no_budget_line_and_no_note(text: str) -> None:
    sheet = score_form(read_form_text(text))
    assert all(line.level3 != "预算执行率" for line in sheet.lines)
    assert "IND844" not in _codes(sheet)


#: the funds table of a 项目支出绩效自评表 with its own 分值: the form has a budget line, whatever
#: the rows add up to
FUNDS = """项目名称\t农村道路养护
项目资金（万元）\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分
\t年度资金总额\t200\t180\t171\t10\t95%\t9.5
""" + FULL


def test_a_funds_table_with_its_own_weight_is_scored() -> None:
    sheet = score_form(read_form_text(FUNDS))
    budget = [line for line in sheet.lines if line.level3 == "预算执行率"]
    assert [(line.weight, line.score) for line in budget] == [(Decimal(10), Decimal("9.50"))]
    assert "IND844" not in _codes(sheet)


#: a 预算执行率 row that names only its category: the label in the level-1 cell (merged across the
#: names in the workbook), its 分值 and 得分 in their columns
CATEGORY_ONLY = NINETY + "预算执行率\t\t\t\t{actual}\t10\t9.6\n"


@pytest.mark.parametrize(
    ("actual", "budget", "score"),
    [("96%", None, Decimal("9.60")), ("", FIGURES, Decimal("8.00"))],
    ids=["rate in the row", "figures given"],
)
def test_a_budget_row_named_only_by_its_category_is_the_budget_line(
    actual: str, budget: BudgetExecution | None, score: Decimal
) -> None:
    sheet = score_form(read_form_text(CATEGORY_ONLY.format(actual=actual)), budget=budget)
    [line] = [line for line in sheet.lines if line.level3 == "预算执行率"]
    assert (line.weight, line.score) == (Decimal(10), score)
    assert sheet.weight_total == Decimal(100)


def test_a_category_row_without_figures_is_not_a_budget_line() -> None:
    text = NINETY + "预算执行率\n"
    sheet = score_form(read_form_text(text), budget=None)
    assert all(line.level3 != "预算执行率" for line in sheet.lines)
