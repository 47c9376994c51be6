"""项目支出 (project) forms: the header block in each shape real forms use (pairs on one row, labels merged
over cells, the funds as a small table beside or below its labels, a 自评表's figures per column), in tab
text, CSV and XLSX; and the form type, stated, inferred or assumed."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from indicators.forms import Form, read_form, read_form_text
from indicators.forms.model import BudgetGroup, FormType, TypeEvidence
from indicators.lint import lint_form
from indicators.scoring import score_form

TABLE = [
    ["序号", "一级指标", "二级指标", "三级指标", "计算符号", "指标值", "计量单位", "偏差原因", "考核说明"],
    ["1", "产出指标（50分）", "数量指标", "助餐服务人次", "≥", "1200", "人次", "", "甲"],
    ["2", "", "質量指標", "服务合格率", "≧", "95", "%", "", "乙"],
    ["3", "效益指标 (30)", "社会效益指标", "受益长者人数", "≥", "300", "人", "", "丙"],
    ["4", "满意度指标（10分）", "服务对象满意度指标", "长者满意度", "≥", "90", "%", "", "丁"],
]

#: the header block in the shape most forms print: pairs on a row, a label merged over two cells,
#: the funds beside their labels on one row
PAIRS = [
    ["项目支出绩效目标申报表"],
    ["（2025年度）"],
    ["项目名称", "项目名称", "社区助餐服务", "主管部门", "区民政局"],
    ["实施单位", "区社区服务中心", "项目负责人", "张三"],
    ["实施期", "2025年1月-2025年12月", "项目属性", "经常性项目"],
    ["项目资金（万元）", "年度资金总额", "150", "其中：财政拨款", "120", "其他资金", "30"],
    ["年度绩效目标", "为辖区长者提供助餐服务，全年服务不少于1200人次。"],
]

#: the funds as a table: labels on one row, amounts below them, in 元 with separators
BELOW = [
    ["项目名称", "社区助餐服务"],
    ["主管部门", "区民政局", "实施单位", "区社区服务中心"],
    ["项目资金（元）", "年度资金总额", "财政拨款", "其他资金"],
    ["", "1,500,000.00", "1,200,000", "300,000"],
    ["总体目标", "三年内覆盖全区长者。"],
]

#: a 自评表: one row per source, a column per figure
SELF_EVALUATION = [
    ["2024年度项目支出绩效自评表"],
    ["年度总体目标", "预期目标", "", "实际完成情况", ""],
    ["", "完成10个小区改造", "", "完成8个小区改造，2个延至次年", ""],
    ["项目名称", "老旧小区改造", "", "", ""],
    ["主管部门", "住建局", "实施单位", "改造办", ""],
    ["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数"],
    ["", "年度资金总额", "150", "150", "120.5"],
    ["", "其中：当年财政拨款", "100", "100", "90"],
    ["", "上年结转资金", "", "", ""],
    ["", "其他资金", "50", "50", "30.5"],
]


def _text(rows: list[list[str]], sep: str = "\t") -> str:
    return "\n".join(sep.join(row) for row in rows) + "\n"


def _csv(rows: list[list[str]]) -> str:
    return "\n".join(",".join(f'"{c}"' if "," in c else c for c in row) for row in rows) + "\n"


def _xlsx(rows: list[list[str]], path: Path, merge: str | None = None) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append([None if c == "" else c for c in row])
    if merge:
        ws.merge_cells(merge)
    wb.save(path)
    return path


def _read(shape: list[list[str]], fmt: str, tmp_path: Path) -> Form:
    rows = shape + TABLE
    if fmt == "text":
        return read_form_text(_text(rows))
    if fmt == "csv":
        return read_form_text(_csv(rows), fmt="csv")
    # in a workbook the label 项目名称 of PAIRS is one cell merged over A3:B3
    merge = "A3:B3" if shape is PAIRS else None
    return read_form(_xlsx(rows, tmp_path / "project.xlsx", merge))


def _funds(form: Form) -> list[tuple[str, str | None, Decimal | None, str]]:
    return [(i.label, i.measure, i.amount, i.unit) for i in form.budget if i.group is BudgetGroup.PROJECT]


@pytest.mark.parametrize("fmt", ["text", "csv", "xlsx"])
def test_pairs_on_one_row(fmt: str, tmp_path: Path) -> None:
    form = _read(PAIRS, fmt, tmp_path)
    assert (form.form_type, form.form_type_evidence) == (FormType.PROJECT, TypeEvidence.TITLE)
    assert form.form_type_stated
    assert form.title == "项目支出绩效目标申报表"
    project = form.project
    assert project is not None
    assert project.name is not None
    assert project.name.text == "社区助餐服务"
    assert project.name.location is not None
    assert project.name.location.column == 3  # after the label merged over A and B
    assert [c.text if c else None for c in (project.competent, project.implementer, project.leader)] == [
        "区民政局",
        "区社区服务中心",
        "张三",
    ]
    assert project.period is not None
    assert project.period.text == "2025年1月-2025年12月"
    assert project.attribute is not None
    assert project.attribute.text == "经常性项目"
    assert _funds(form) == [
        ("年度资金总额", None, Decimal(150), "万元"),
        ("财政拨款", None, Decimal(120), "万元"),
        ("其他资金", None, Decimal(30), "万元"),
    ]
    assert form.annual_goal is not None
    assert form.annual_goal.text.startswith("为辖区长者")
    assert [c.text for c in form.notes] == ["（2025年度）"]
    assert len(form.indicators) == 4
    # the table: 序号, 计算符号 + 计量单位, 偏差原因, traditional characters, an unknown column reported
    first, second = form.indicators[:2]
    assert first.sequence is not None
    assert first.sequence.text == "1"
    assert first.deviation is not None  # the column exists; the cell is blank
    combined = second.target_text()
    assert combined is not None
    assert combined.combined == "≥95%"
    assert second.category2 is not None
    assert second.category2.canonical == "质量指标"
    (unknown,) = [d for d in form.diagnostics if d.code == "IND510"]
    assert "第 I 列的表头“考核说明”" in unknown.message
    assert [c.text for c in first.others] == ["甲"]


@pytest.mark.parametrize("fmt", ["text", "csv", "xlsx"])
def test_funds_below_their_labels(fmt: str, tmp_path: Path) -> None:
    form = _read(BELOW, fmt, tmp_path)
    assert (form.form_type, form.form_type_evidence) == (FormType.PROJECT, TypeEvidence.BLOCKS)
    assert not form.form_type_stated
    assert _funds(form) == [
        ("年度资金总额", None, Decimal("1500000.00"), "元"),
        ("财政拨款", None, Decimal(1200000), "元"),
        ("其他资金", None, Decimal(300000), "元"),
    ]
    assert form.overall_goal is not None
    assert form.overall_goal.text == "三年内覆盖全区长者。"


@pytest.mark.parametrize("fmt", ["text", "csv", "xlsx"])
def test_self_evaluation_funds_per_figure(fmt: str, tmp_path: Path) -> None:
    form = _read(SELF_EVALUATION, fmt, tmp_path)
    assert form.form_type is FormType.PROJECT
    assert form.overall_goal is not None
    assert form.overall_goal.text == "完成10个小区改造"
    assert form.goal_actual is not None
    assert form.goal_actual.text == "完成8个小区改造，2个延至次年"
    assert form.project is not None
    assert form.project.name is not None
    assert form.project.name.text == "老旧小区改造"
    assert _funds(form) == [
        ("年度资金总额", "年初预算数", Decimal(150), "万元"),
        ("年度资金总额", "全年预算数", Decimal(150), "万元"),
        ("年度资金总额", "全年执行数", Decimal("120.5"), "万元"),
        ("财政拨款", "年初预算数", Decimal(100), "万元"),
        ("财政拨款", "全年预算数", Decimal(100), "万元"),
        ("财政拨款", "全年执行数", Decimal(90), "万元"),
        ("其他资金", "年初预算数", Decimal(50), "万元"),
        ("其他资金", "全年预算数", Decimal(50), "万元"),
        ("其他资金", "全年执行数", Decimal("30.5"), "万元"),
    ]


DEPARTMENT_EXECUTION = [
    ["部门整体支出绩效自评表"],
    ["部门（单位）名称", "县市场监督管理局", "", "", "", "", ""],
    ["年度部门整体支出预算执行情况（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率",
     "得分"],
    ["", "2,350.00", "2,618.46", "2,541.37", "10", "97.06%", "9.71"],
]


@pytest.mark.parametrize("fmt", ["text", "csv", "xlsx"])
def test_budget_execution_figures_without_a_label_are_the_whole_budget(fmt: str, tmp_path: Path) -> None:
    form = _read(DEPARTMENT_EXECUTION, fmt, tmp_path)
    assert form.form_type is FormType.DEPARTMENT
    assert [(label, measure, amount) for label, measure, amount, _ in _funds(form)] == [
        ("年度资金总额", "年初预算数", Decimal("2350.00")),
        ("年度资金总额", "全年预算数", Decimal("2618.46")),
        ("年度资金总额", "全年执行数", Decimal("2541.37")),
        ("年度资金总额", "分值", Decimal(10)),
        ("年度资金总额", "执行率", Decimal("97.06")),
        ("年度资金总额", "得分", Decimal("9.71")),
    ]


def test_a_row_of_words_under_the_figures_is_not_the_budget() -> None:
    rows = [*DEPARTMENT_EXECUTION[:3], ["", "见附表", "", "", "", "", ""]]
    form = read_form_text(_text(rows + TABLE))
    assert _funds(form) == []


@pytest.mark.parametrize(
    ("written", "amount", "unit"),
    [
        ("150", Decimal(150), "万元"),
        ("150万", Decimal(150), "万元"),
        ("150万元", Decimal(150), "万元"),
        ("1,234.56", Decimal("1234.56"), "万元"),
        ("1，234.56", Decimal("1234.56"), "万元"),
        ("1,500,000元", Decimal(1500000), "元"),
        ("０.５亿元", Decimal("0.5"), "亿元"),
        ("-", None, "万元"),
    ],
    ids=lambda v: str(v),
)
def test_amounts_are_money_read_exactly(written: str, amount: Decimal | None, unit: str) -> None:
    rows = [["项目名称", "甲项目"], ["年度资金总额", written], *TABLE]
    form = read_form_text(_text(rows))
    ((label, _, found, found_unit),) = _funds(form)
    assert (label, found, found_unit) == ("年度资金总额", amount, unit)
    assert not [d for d in form.diagnostics if d.code == "IND506"]


def test_an_unreadable_amount_is_reported() -> None:
    rows = [["项目名称", "甲项目"], ["年度资金总额", "约一百万"], *TABLE]
    form = read_form_text(_text(rows))
    assert [d.code for d in form.diagnostics if d.code == "IND506"] == ["IND506"]
    assert _funds(form)[0][2] is None


def test_the_table_of_a_project_form_reads_its_columns() -> None:
    form = read_form_text(_text(PAIRS + TABLE))
    first, second = form.indicators[:2]
    assert first.sequence is not None
    assert first.sequence.text == "1"
    assert first.level1_points == Decimal(50)
    combined = second.target_text()
    assert combined is not None
    assert combined.combined == "≥95%"
    assert second.category2 is not None
    assert second.category2.canonical == "质量指标"
    assert second.deviation is not None
    unknown = [d for d in form.diagnostics if d.code == "IND510"]
    assert len(unknown) == 1
    assert "“考核说明”" in unknown[0].message
    assert [c.text for c in first.others] == ["甲"]


def test_a_project_form_runs_through_lint_and_scoring() -> None:
    form = read_form_text(_text(PAIRS + TABLE))
    assert isinstance(lint_form(form), list)
    assert score_form(form).lines


TITLES = [
    ("2025年项目支出绩效目标申报表", FormType.PROJECT),
    ("项目支出绩效自评表", FormType.PROJECT),
    ("项目绩效目标表", FormType.PROJECT),
    ("部门整体支出绩效目标申报表", FormType.DEPARTMENT),
    ("部门整体预算绩效目标申报表", FormType.DEPARTMENT),
    ("2024年度部门整体支出绩效自评表", FormType.DEPARTMENT),
    ("單位整體支出績效目標表", FormType.DEPARTMENT),
]


@pytest.mark.parametrize(("title", "form_type"), TITLES, ids=[t[0] for t in TITLES])
def test_a_title_states_the_type(title: str, form_type: FormType) -> None:
    form = read_form_text(_text([[title], *TABLE]))
    assert (form.form_type, form.form_type_evidence) == (form_type, TypeEvidence.TITLE)


def test_department_blocks_infer_a_department_form() -> None:
    rows = [["部门名称", "某街道办事处"], ["预算整体情况", "部门预算支出", "预算金额（万元）"], *TABLE]
    form = read_form_text(_text(rows))
    assert (form.form_type, form.form_type_evidence) == (FormType.DEPARTMENT, TypeEvidence.BLOCKS)
    assert form.project is None


def test_a_bare_table_is_a_project_form_by_default() -> None:
    form = read_form_text(_text(TABLE))
    assert (form.form_type, form.form_type_evidence) == (FormType.PROJECT, TypeEvidence.DEFAULT)
    assert not form.form_type_stated
    assert form.project is None


def test_a_title_that_contradicts_the_blocks_wins_with_a_warning() -> None:
    rows = [["部门整体支出绩效目标申报表"], ["项目名称", "社区助餐服务"], ["实施单位", "某中心"], *TABLE]
    form = read_form_text(_text(rows))
    assert (form.form_type, form.form_type_evidence) == (FormType.DEPARTMENT, TypeEvidence.TITLE)
    (conflict,) = [d for d in form.diagnostics if d.code == "IND512"]
    assert "部门整体支出" in conflict.message
    assert "项目名称" in conflict.message
    assert conflict.data == {"stated": "department", "blocks": "project"}


def test_the_seed_is_a_department_form() -> None:
    seed = Path(__file__).resolve().parents[2] / "examples" / "xiaoguwei-declared.txt"
    form = read_form(seed)
    assert (form.form_type, form.form_type_evidence) == (FormType.DEPARTMENT, TypeEvidence.TITLE)
    assert form.project is None
    assert not [i for i in form.budget if i.group is BudgetGroup.PROJECT]


def test_ordinary_words_outside_a_funds_block_are_not_funds() -> None:
    rows = [["合计", "150"], ["其他", "说明文字"], *TABLE]
    form = read_form_text(_text(rows))
    assert _funds(form) == []


def test_the_form_type_is_shown(tmp_path: Path) -> None:
    from indicators.cli.app import main
    from indicators.cli.form_cmd import render_form

    out = io.StringIO()
    render_form(read_form_text(_text(PAIRS + TABLE), source="p.txt"), out)
    shown = out.getvalue()
    assert "表格：p.txt（项目支出绩效目标申报表）" in shown
    assert "表格类型：项目支出（project，标题写明）" in shown
    assert "项目名称：社区助餐服务" in shown
    assert "项目资金 / 年度资金总额：150 万元" in shown
    assert "合成指标值：≥95%" in shown
    path = tmp_path / "p.txt"
    path.write_text(_text(PAIRS + TABLE), encoding="utf-8")
    assert main(["form", "show", str(path), "--json"]) == 0
