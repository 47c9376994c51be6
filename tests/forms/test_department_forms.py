"""Forms as a department really sends them, built here with openpyxl (and as CSV).

A title row and a 填报单位 line above the table, the instructions on a first sheet, a hidden old copy,
merged cells, a header over two rows, numbers stored as numbers (formats with text and percentages),
dates stored as dates, formulas with and without saved values, borders drawn far below the table, the
一体化 columns (序号, 指标性质, 评（扣）分标准, 取值依据) and footers below the table.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.styles import Border, Side
from openpyxl.worksheet.worksheet import Worksheet

from indicators.codes import lookup
from indicators.diagnostics import Location, Severity
from indicators.errors import FormReadError
from indicators.forms import Form, read_form, read_form_text
from indicators.forms.model import Cell
from indicators.lint import lint_form


def _sheet(wb: Workbook, title: str) -> Worksheet:
    ws: Worksheet = wb.create_sheet(title)
    return ws


def _workbook() -> tuple[Workbook, Worksheet]:
    wb = Workbook()
    info = wb.active
    assert info is not None
    info.title = "填报说明"
    info["A1"] = "填报说明：1.金额单位为万元；2.一级指标包括产出、效益、满意度、成本。"
    ws = _sheet(wb, "部门整体绩效目标表")
    ws["A1"] = "2025年度部门整体支出绩效目标申报表"
    ws.merge_cells("A1:G1")
    ws["A2"] = "填报单位（盖章）：某街道办事处"
    ws["F2"] = "单位：万元"
    ws.append(["部门名称", "某街道办事处"])
    ws.merge_cells("B3:G3")
    ws.append(["预算整体情况", "部门预算支出", "预算金额（万元）", "收入来源", "预算金额（万元）"])
    ws.append([None, "基本支出", 5786.45, "财政拨款", "=C5+C6+C8+C9"])
    ws.append([None, "项目支出", 9222.67, "其他资金", 0])
    ws.append([None, "事业发展性支出", "预算金额（万元）", "按预算级次划分", "预算金额（万元）"])
    ws.append([None, "财政专项资金", 0, "区本级使用资金", "=E5"])
    ws.append([None, "其他事业发展性支出", 0, "拟用于对下转移支付资金", 0])
    ws.merge_cells("A4:A9")
    for r in range(5, 10):
        for c in "CE":
            ws[f"{c}{r}"].number_format = "#,##0.00"
    ws.append(["年度重点工作任务", "名称", "主要实施内容", "拟投入的资金（万元）", "期望达到的目标（概述）"])
    ws.append([None, "社工服务站购买服务经费", "开展社工服务", 32.4, "完成"])
    ws.merge_cells("A10:A11")
    ws.append(["一级指标", "二级指标", "三级指标", "指标解释（计算公式）", "指标值", None, "计量单位"])
    ws.append([None, None, None, None, "实施周期指标值", "年度指标值", None])
    for rng in ("A12:A13", "B12:B13", "C12:C13", "D12:D13", "E12:F12", "G12:G13"):
        ws.merge_cells(rng)
    ws.append(["产出指标", "数量指标", "培训人次", "指标值=实际培训人次", 1500, 500, "人次"])
    ws.append([None, None, "培训覆盖率", "指标值=已培训人数/应培训人数*100%", 0.95, 0.95, None])
    ws["E15"].number_format = ws["F15"].number_format = "0%"
    ws.append([None, "质量指标", "培训合格率", "指标值=合格人数/参训人数*100%", 90, 90, "%"])
    deadlines = [dt.datetime(2025, 12, 31), dt.datetime(2025, 6, 30)]
    ws.append([None, "时效指标", "培训完成时间", "指标值=完成时间", *deadlines])
    ws["E17"].number_format = ws["F17"].number_format = 'yyyy"年"m"月"d"日"'
    ws.merge_cells("A14:A17")
    ws.append(["效益指标", "社会效益指标", "就业人数", "指标值=就业人数", 300, 100])
    ws["E18"].number_format = ws["F18"].number_format = '0"人"'
    ws.append(["满意度指标", "服务对象满意度指标", "学员满意度", "通过问卷调查了解", "≥90%", "≥90%"])
    ws.append(["成本指标", "经济成本指标", "人均培训成本", "指标值=培训经费/培训人次", 800, 800, "元/人次"])
    ws.append(["填报人：张三", None, "联系电话：12345678"])
    return wb, ws


def _save(wb: Workbook, path: Path, cached: dict[str, str] | None = None) -> Path:
    """Save; ``cached`` gives formula cells the value Excel would have saved with them."""
    wb.save(path)
    if cached:
        with zipfile.ZipFile(path) as archive:
            parts = {info.filename: archive.read(info) for info in archive.infolist()}
        for name, data in parts.items():
            if name.startswith("xl/worksheets/sheet"):
                text = data.decode("utf-8")
                for ref, value in cached.items():
                    text = re.sub(rf'(<c r="{ref}"[^>]*><f>[^<]*</f>)<v\s*/>', rf"\1<v>{value}</v>", text)
                parts[name] = text.encode("utf-8")
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in parts.items():
                archive.writestr(name, data)
    return path


def _row(form: Form, name: str) -> dict[str, str]:
    row = next(r for r in form.indicators if r.name == name)
    return {
        field: cell.text
        for field in ("level1", "level2", "formula", "period_target", "target", "unit")
        if (cell := getattr(row, field)) is not None and not cell.empty
    }


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    wb, _ = _workbook()
    # the values Excel saves with its formulas: 5786.45 + 9222.67 in binary floating point
    return _save(wb, tmp_path / "申报表.xlsx", {"E5": "15009.119999999999", "E8": "15009.119999999999"})


def test_the_form_is_read_whole(saved: Path) -> None:
    form = read_form(saved)
    assert form.title == "2025年度部门整体支出绩效目标申报表"
    assert form.department is not None
    assert form.department.text == "某街道办事处"
    assert [r.name for r in form.indicators] == [
        "培训人次", "培训覆盖率", "培训合格率", "培训完成时间", "就业人数", "学员满意度", "人均培训成本",
    ]
    assert _row(form, "培训覆盖率")["level2"] == "数量指标"
    assert form.tasks[0].funds == Decimal("32.4")
    assert form.diagnostics == ()
    assert [c.text for c in form.notes][-2:] == ["填报人：张三", "联系电话：12345678"]


def test_numbers_stored_as_numbers(saved: Path) -> None:
    form = read_form(saved)
    assert _row(form, "培训人次") == {
        "level1": "产出指标", "level2": "数量指标", "formula": "指标值=实际培训人次",
        "period_target": "1500", "target": "500", "unit": "人次",
    }
    assert _row(form, "培训覆盖率")["target"] == "95%"
    assert _row(form, "培训合格率")["target"] == "90"
    assert _row(form, "就业人数")["target"] == "100人"  # the unit lives in the number format
    assert form.budget_amount("基本支出") == Decimal("5786.45")


def test_formulas_give_the_value_excel_saved(saved: Path) -> None:
    form = read_form(saved)
    assert form.budget_amount("财政拨款") == Decimal("15009.12")
    assert form.budget_amount("区本级使用资金") == Decimal("15009.12")
    found = lint_form(form, select=["budget"])
    assert [d.code for d in found] == ["IND705", "IND705", "IND705"]


def test_dates_stored_as_dates_read_as_targets(saved: Path) -> None:
    form = read_form(saved)
    assert _row(form, "培训完成时间")["target"] == "2025年6月30日"
    assert _row(form, "培训完成时间")["period_target"] == "2025年12月31日"
    assert not [d for d in lint_form(form, select=["IND601"])]


def test_a_formula_without_a_saved_value_is_reported(tmp_path: Path) -> None:
    wb, _ = _workbook()
    form = read_form(_save(wb, tmp_path / "generated.xlsx"))
    (found,) = form.diagnostics
    assert found.code == "IND508"
    assert found.severity.value == "error"
    assert found.message == (
        "工作表“部门整体绩效目标表”中有 2 个公式单元格没有保存计算结果（E5、E8），已按空白读取"
    )
    assert found.location is not None
    assert (found.location.sheet, found.location.cell) == ("部门整体绩效目标表", "E5")
    assert found.hint is not None
    assert "保存" in found.hint
    assert form.budget_amount("财政拨款") is None


def test_a_merged_formula_cell_is_reported_once(tmp_path: Path) -> None:
    wb, ws = _workbook()
    ws["B3"] = '="某街道办事处"'  # the department's name computed, in a cell merged over B3:G3
    form = read_form(_save(wb, tmp_path / "merged.xlsx", {"E5": "1", "E8": "1"}))
    (found,) = form.diagnostics
    assert found.code == "IND508"
    assert found.data["cells"] == ["B3"]


def test_a_formula_on_an_unused_sheet_is_not_reported(tmp_path: Path) -> None:
    wb, _ = _workbook()
    scratch = _sheet(wb, "草稿")
    scratch["A1"] = "=1+1"
    form = read_form(_save(wb, tmp_path / "scratch.xlsx", {"E5": "15009.12", "E8": "15009.12"}))
    assert form.diagnostics == ()


def test_formatting_far_below_the_table_is_not_data(tmp_path: Path) -> None:
    wb, ws = _workbook()
    thin = Border(left=Side(style="thin"))
    for r in range(1, 30_001):
        ws.cell(row=r, column=1).border = thin
    ws.cell(row=1, column=300).border = thin
    form = read_form(_save(wb, tmp_path / "borders.xlsx", {"E5": "1", "E8": "1"}))
    assert len(form.indicators) == 7


def test_a_hidden_sheet_is_not_chosen(tmp_path: Path) -> None:
    wb, ws = _workbook()
    old = wb.copy_worksheet(ws)
    old.title = "2024（旧）"
    old["C14"] = "去年的指标"
    old.sheet_state = "hidden"
    wb.move_sheet(old, offset=-1)
    assert wb.sheetnames[1] == "2024（旧）"
    path = _save(wb, tmp_path / "hidden.xlsx", {"E5": "1", "E8": "1"})
    form = read_form(path)
    assert form.indicators[0].name == "培训人次"
    assert [d.code for d in form.diagnostics] == ["IND507"]
    assert read_form(path, sheet="2024（旧）").indicators[0].name == "去年的指标"


YTH_HEADER = ["序号", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "指标解释",
              "评（扣）分标准", "取值依据"]
YTH_ROWS: list[list[object]] = [
    [1, "产出指标", "数量指标", "服务长者人次", "≥", 1200, "人次", "全年服务长者人次", "完成得满分",
     "计划标准"],
    [2, None, "质量指标", "服务合格率", "≥", 95, "%", "合格次数/服务次数*100%", "达到95%得满分",
     "行业标准"],
    [3, "满意度指标", "服务对象满意度指标", "长者满意度", "≥", 90, "%", "问卷调查", "≥90%满分",
     "行业标准"],
]


def test_columns_the_model_has_no_field_for_are_kept_as_they_are(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["项目支出绩效目标表（2025年度）"])
    ws.merge_cells("A1:J1")
    ws.append(YTH_HEADER)
    for row in YTH_ROWS:
        ws.append(row)
    wb.save(tmp_path / "yth.xlsx")
    form = read_form(tmp_path / "yth.xlsx")
    assert form.diagnostics == ()  # no row is realigned, no cell is unplaced
    first = form.indicators[0]
    assert _row(form, "服务长者人次") == {
        "level1": "产出指标", "level2": "数量指标", "formula": "全年服务长者人次", "target": "1200",
        "unit": "人次",
    }
    assert first.operator is not None
    assert first.operator.text == "≥"
    assert [c.text for c in first.others] == ["计划标准"]  # 取值依据: known, kept as it is
    assert (first.sequence, first.standard) == (
        Cell(text="1", location=Location(source="yth.xlsx", sheet="Sheet", row=3, column=1)),
        Cell(text="完成得满分", location=Location(source="yth.xlsx", sheet="Sheet", row=3, column=9)),
    )
    assert first.extra == ()
    assert not [d for d in lint_form(form) if d.code.startswith("IND5")]


def test_the_same_columns_in_csv(tmp_path: Path) -> None:
    lines = [",".join(YTH_HEADER)] + [",".join("" if v is None else str(v) for v in row) for row in YTH_ROWS]
    form = read_form_text("\n".join(lines), fmt="csv")
    assert form.diagnostics == ()
    second = form.indicators[1]
    assert [c.text for c in second.others] == ["行业标准"]
    assert second.sequence is not None
    assert second.standard is not None
    assert (second.sequence.text, second.standard.text) == ("2", "达到95%得满分")


def test_csv_footer_and_trailing_commas(tmp_path: Path) -> None:
    text = (
        "2025年度项目支出绩效目标申报表,,,\n"
        "一级指标,二级指标,三级指标,年度指标值\n"
        "产出指标,数量指标,培训人次,500人次,\n"  # a trailing comma
        ",质量指标,培训合格率,90%\n"
        "注：本表金额单位为万元\n"  # a note of one cell, below the table
        "填报人：李四,联系电话：12345678\n"
    )
    path = tmp_path / "form.csv"
    path.write_text(text, encoding="gb18030")
    form = read_form(path)
    assert [r.name for r in form.indicators] == ["培训人次", "培训合格率"]
    assert [c.text for c in form.notes] == ["注：本表金额单位为万元", "填报人：李四", "联系电话：12345678"]


@pytest.mark.parametrize(
    "line",
    ["产出指标,数量指标,培训人次,500人次,见附件", "产出指标,数量指标,培训人次"],
    ids=["an unquoted comma", "a short row"],
)
def test_a_ragged_csv_row_is_still_an_error(line: str) -> None:
    with pytest.raises(FormReadError) as info:
        read_form_text(f"一级指标,二级指标,三级指标,年度指标值\n{line}\n", fmt="csv")
    assert info.value.diagnostic.code == "IND505"
    assert lookup("IND505").severity is info.value.diagnostic.severity is Severity.ERROR  # as documented


def test_an_encrypted_workbook(tmp_path: Path) -> None:
    path = tmp_path / "加密.xlsx"
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    path.write_bytes(ole + b"\0" * 100 + "EncryptedPackage".encode("utf-16-le"))
    with pytest.raises(FormReadError) as info:
        read_form(path)
    assert info.value.diagnostic.message == "无法读取表格文件：文件设置了打开密码，无法读取"
    assert info.value.diagnostic.hint is not None
    assert "密码" in info.value.diagnostic.hint


def test_an_xls_named_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "旧版.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(FormReadError) as info:
        read_form(path)
    assert "旧版 Excel" in info.value.diagnostic.message


def test_amounts_in_other_money_units() -> None:
    text = (
        "部门名称\t某局\n"
        "预算整体情况\t部门预算支出\t预算金额（万元）\t收入来源\t预算金额（万元）\n"
        "\t基本支出\t1.2亿元\t财政拨款\t12000万\n"
        "年度重点工作任务\t名称\t主要实施内容\t拟投入的资金（元）\t期望达到的目标\n"
        "\t社工服务站购买服务经费\t开展社工服务\t324,000\t完成\n"
        "\t教育补助经费\t补助\t90万元\t完成\n"
        "一级指标\t二级指标\t三级指标\t年度指标值\n"
        "产出指标\t数量指标\t培训人次\t500人次\n"
    )
    form = read_form_text(text)
    assert form.diagnostics == ()
    assert [(i.label, i.amount, i.unit) for i in form.budget] == [
        ("基本支出", Decimal("1.2"), "亿元"),
        ("财政拨款", Decimal("12000"), "万元"),
    ]
    assert [t.funds for t in form.tasks] == [Decimal("32.4"), Decimal("90")]
    assert [d.code for d in lint_form(form, select=["budget"])] == ["IND705"]  # 1.2亿元 = 12000万元


@pytest.mark.parametrize(
    ("encoding", "newline"),
    [("utf-16", "\r\n"), ("utf-16-be", "\r\n"), ("gb18030", "\r"), ("utf-8-sig", "\r\n")],
    ids=["Unicode 文本 (UTF-16)", "UTF-16 big-endian", "old Mac lines (CR)", "UTF-8 with BOM"],
)
def test_text_exports_of_excel(tmp_path: Path, encoding: str, newline: str) -> None:
    lines = [
        "一级指标\t二级指标\t三级指标\t年度指标值",
        "产出指标\t数量指标\t培训人次\t500人次",
        "\t质量指标\t合格率\t90%",
    ]
    data = newline.join(lines).encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    path = tmp_path / "form.txt"
    path.write_bytes(data)
    form = read_form(path)
    assert [(r.name, r.target.text if r.target else None) for r in form.indicators] == [
        ("培训人次", "500人次"), ("合格率", "90%"),
    ]


@pytest.mark.parametrize(
    "text",
    ["一级指标,二级指标,三级指标,年度指标值\n", "一级指标,二级指标,三级指标,年度指标值\n,,,\n,,,\n合计,,,\n"],
    ids=["a header alone", "blank rows and a total"],
)
def test_a_table_without_indicators_is_an_error(text: str) -> None:
    form = read_form_text(text, fmt="csv", source="空表.csv")
    (found,) = form.diagnostics
    assert found.code == "IND509"
    assert found.severity.value == "error"
    assert found.message == "绩效指标表（第 1 行表头）下没有填写任何指标"
    assert found.location is not None
    assert found.location.cell == "A1"
    assert [d.code for d in lint_form(form)] == ["IND509"]


def test_text_beside_a_block_value_is_kept(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["部门名称", None, "某街道办事处", None, "联系人", "张三"])
    ws.merge_cells("A1:B1")  # the label over two cells
    ws.merge_cells("C1:D1")
    ws.append(["总体绩效目标", None, "推进各项工作", None, "填报日期", dt.datetime(2025, 1, 15)])
    ws.merge_cells("A2:B2")
    ws.append(["一级指标", "二级指标", "三级指标", "年度指标值"])
    ws.append(["产出指标", "数量指标", "培训人次", "500人次"])
    wb.save(tmp_path / "blocks.xlsx")
    form = read_form(tmp_path / "blocks.xlsx")
    assert form.department is not None
    assert form.department.text == "某街道办事处"
    assert form.overall_goal is not None
    assert form.overall_goal.text == "推进各项工作"
    assert [c.text for c in form.notes] == ["联系人", "张三", "填报日期", "2025年1月15日"]
