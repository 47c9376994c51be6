"""``indicators check`` on forms as reviewers receive them: a 项目支出 form with its funds block, and an
XLSX form annotated on its own sheet."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from indicators.cli.app import main
from indicators.forms import read_form_text
from indicators.lint import lint_form

PROJECT = [
    ["项目支出绩效目标申报表"],
    ["项目名称", "社区助餐服务", "主管部门", "区民政局"],
    ["实施单位", "区社区服务中心", "项目负责人", "张三"],
    ["项目资金（万元）", "年度资金总额", "{total}", "其中：财政拨款", "120", "其他资金", "30"],
    ["年度绩效目标", "为辖区长者提供助餐服务，全年服务不少于1200人次；完成3个老旧小区加装电梯。"],
    ["一级指标", "二级指标", "三级指标", "指标值", "计量单位"],
    ["产出指标", "数量指标", "助餐服务人次", "≥1200", "人次"],
    ["产出指标", "质量指标", "食品安全抽检合格率", "100", "%"],
    ["效益指标", "社会效益指标", "受益长者人数", "≥300", "人"],
    ["满意度指标", "服务对象满意度指标", "长者满意度", "≥90", "%"],
    ["成本指标", "经济成本指标", "人均助餐补贴", "≤12", "元/人次"],
]


def _text(total: str) -> str:
    return "\n".join("\t".join(c.replace("{total}", total) for c in row) for row in PROJECT) + "\n"


@pytest.mark.parametrize(("total", "code"), [("150", "IND705"), ("160", "IND706"), ("150.01", "IND704")])
def test_project_funds_identity(total: str, code: str) -> None:
    form = read_form_text(_text(total), source="project.txt")
    found = lint_form(form, select=["budget"])
    assert [d.code for d in found] == [code]
    assert found[0].location is not None
    assert found[0].location.row == 4


def test_project_goal_clause_without_indicator() -> None:
    form = read_form_text(_text("150"), source="project.txt")
    found = lint_form(form, select=["IND635"])
    assert [d.message for d in found] == ["年度目标“完成3个老旧小区加装电梯”没有对应的绩效指标"]


def _xlsx(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "绩效目标"
    rows = [
        ["项目支出绩效目标申报表"],
        ["一级指标", "二级指标", "三级指标", "计算公式", "指标值"],
        ["产出指标", "数量指标", "助餐服务人次", "指标值=服务人次", "≥1200人次"],
        ["产出指标", "质量指标", "食品安全抽检合格率", "指标值=合格批次/抽检批次×100%", "XX%"],
        ["效益指标", "社会效益指标", "受益长者人数", "指标值=受益人数", "≥300人"],
        ["满意度指标", "服务对象满意度指标", "长者满意度", "通过问卷调查了解满意度", "≥90%"],
        ["成本指标", "经济成本指标", "人均助餐补贴", "指标值=补贴总额/服务人次", "≥12元/人次"],
    ]
    for row in rows:
        ws.append(row)
    wb.create_sheet("说明").append(["填表说明"])
    wb.save(path)
    return path


def test_xlsx_form_is_annotated_on_its_own_sheet(tmp_path: Path) -> None:
    form = _xlsx(tmp_path / "申报表.xlsx")
    out = tmp_path / "审核意见.xlsx"
    assert main(["check", str(form), "--format", "xlsx", "-o", str(out)]) == 1
    wb = load_workbook(out)
    assert wb.sheetnames == ["申报表", "审核意见"]
    sheet = wb["申报表"]
    assert sheet["E4"].value == "XX%"
    assert sheet["E4"].comment is not None
    assert "IND632" in sheet["E4"].comment.text
    assert sheet["E7"].comment is not None
    assert "IND621" in sheet["E7"].comment.text
    assert sheet["E3"].comment is None
    links = {row[5].value: row[5].hyperlink.location for row in wb["审核意见"].iter_rows(min_row=2)
             if row[5].hyperlink is not None}
    assert links["E4"] == "'申报表'!E4"
