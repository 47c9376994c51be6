"""XLSX workbooks built here with openpyxl: merged cells, a shifted row, several sheets, number formats."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from indicators.diagnostics import Location
from indicators.errors import FormReadError
from indicators.forms import Form, read_form
from indicators.forms.readers.xlsx import cell_text


def _form_sheet(wb: Workbook, title: str, *, first: bool = False) -> None:
    ws = wb.active if first and wb.active is not None else wb.create_sheet()
    assert ws is not None
    ws.title = title
    ws["A1"] = "部门整体绩效目标申报表"
    ws.merge_cells("A1:E1")
    ws["A2"] = "部门名称"
    ws["B2"] = "某区人力资源和社会保障局"
    ws.merge_cells("B2:E2")
    ws.append(["一级指标", "二级指标", "三级指标", "指标解释（计算公式）", "年度指标值"])
    ws.append(["产出指标", "数量指标", "培训人次", "指标值=实际培训人次", "500人次以上"])
    ws.append([None, None, "培训覆盖率", "指标值=已培训人数/应培训人数*100%", 0.95])
    ws["E5"].number_format = "0%"
    ws.append([None, "质量指标", "培训合格率", "指标值=合格人数/参训人数*100%", "90%以上"])
    # a row shifted one column to the right: 时效指标 sits in the level-3 column
    ws.append([None, None, "时效指标", "培训完成及时率", "指标值=按时完成期数/计划期数*100%", "100%"])
    ws.merge_cells("A4:A7")
    ws.merge_cells("B4:B5")
    ws.append(["满意度指标", "服务对象满意度指标", "学员满意度", "通过问卷调查了解", "良好及以上"])
    ws.append([None, None, "用人单位满意度", None, 0.9])
    ws["E9"].number_format = "0.0%"
    ws.merge_cells("A8:A9")
    ws.merge_cells("B8:B9")
    ws.append(["填报人：张三"])


def _notes_sheet(wb: Workbook, title: str, *, first: bool = False) -> None:
    ws = wb.active if first and wb.active is not None else wb.create_sheet()
    assert ws is not None
    ws.title = title
    ws["A1"] = "填报说明"
    ws["A2"] = "一级指标按照产出、效益、满意度、成本填写。"


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    wb = Workbook()
    _notes_sheet(wb, "说明", first=True)
    _form_sheet(wb, "绩效目标")
    path = tmp_path / "申报表.xlsx"
    wb.save(path)
    return path


@pytest.fixture
def form(workbook: Path) -> Form:
    return read_form(workbook, use_parsers=False)


def _row(form: Form, index: int) -> tuple[str | None, ...]:
    r = form.indicators[index]
    return tuple(None if c is None else c.text for c in (r.level1, r.level2, r.level3, r.formula, r.target))


def test_the_sheet_is_found_by_its_content(form: Form) -> None:
    assert form.title == "部门整体绩效目标申报表"
    assert form.department is not None
    assert form.department.text == "某区人力资源和社会保障局"
    assert form.department.location == Location(source="申报表.xlsx", sheet="绩效目标", row=2, column=2)
    assert len(form.indicators) == 6


def test_merged_cells_give_their_value_to_every_cell(form: Form) -> None:
    assert [_row(form, i)[:2] for i in range(6)] == [
        ("产出指标", "数量指标"),
        ("产出指标", "数量指标"),
        ("产出指标", "质量指标"),
        ("产出指标", "时效指标"),
        ("满意度指标", "服务对象满意度指标"),
        ("满意度指标", "服务对象满意度指标"),
    ]
    second = form.indicators[1]
    assert second.inherited == ()  # merged, not inherited
    assert second.level1 is not None
    assert second.level1.location is not None
    assert second.level1.location.cell == "A5"
    assert form.indicators[2].inherited == ()  # A6 is covered by the merged A4:A7


def test_number_formats_become_the_text_excel_shows(form: Form) -> None:
    assert _row(form, 1)[4] == "95%"
    assert _row(form, 5)[4] == "90.0%"


def test_a_shifted_row_is_realigned(form: Form) -> None:
    expected = ("产出指标", "时效指标", "培训完成及时率", "指标值=按时完成期数/计划期数*100%", "100%")
    assert _row(form, 3) == expected
    (realigned,) = [d for d in form.diagnostics if d.code == "IND503"]
    assert realigned.location == Location(source="申报表.xlsx", sheet="绩效目标", row=7, column=1)
    assert "“时效指标”从三级指标栏移到二级指标栏" in realigned.message


def test_text_around_the_table_is_kept(form: Form) -> None:
    assert [c.text for c in form.notes] == ["填报人：张三"]
    assert [d.code for d in form.diagnostics] == ["IND503"]


def test_two_sheets_with_tables(tmp_path: Path) -> None:
    wb = Workbook()
    _form_sheet(wb, "2024", first=True)
    _form_sheet(wb, "2025")
    path = tmp_path / "two.xlsx"
    wb.save(path)
    first = read_form(path, use_parsers=False)
    assert first.indicators[0].level3 is not None
    assert first.indicators[0].level3.location is not None
    assert first.indicators[0].level3.location.sheet == "2024"
    other = [d for d in first.diagnostics if d.code == "IND507"]
    assert len(other) == 1
    assert "“2025”" in other[0].message
    assert other[0].hint
    chosen = read_form(path, sheet="2025", use_parsers=False)
    assert chosen.indicators[0].level3 is not None
    assert chosen.indicators[0].level3.location is not None
    assert chosen.indicators[0].level3.location.sheet == "2025"
    assert not [d for d in chosen.diagnostics if d.code == "IND507"]
    with pytest.raises(FormReadError) as info:
        read_form(path, sheet="2026")
    assert info.value.diagnostic.code == "IND501"
    assert "没有名为“2026”的工作表" in info.value.diagnostic.message


def test_department_on_another_sheet(tmp_path: Path) -> None:
    wb = Workbook()
    info = wb.active
    assert info is not None
    info.title = "基本信息"
    info.append(["部门名称", "某局"])
    table = wb.create_sheet("指标")
    table.append(["一级指标", "二级指标", "三级指标", "年度指标值"])
    table.append(["产出指标", "数量指标", "培训人次", 500])
    path = tmp_path / "split.xlsx"
    wb.save(path)
    form = read_form(path, use_parsers=False)
    assert form.department is not None
    assert form.department.text == "某局"
    assert form.department.location is not None
    assert form.department.location.sheet == "基本信息"
    assert form.indicators[0].target is not None
    assert form.indicators[0].target.text == "500"


def test_a_workbook_without_a_table(tmp_path: Path) -> None:
    wb = Workbook()
    _notes_sheet(wb, "说明", first=True)
    path = tmp_path / "empty.xlsx"
    wb.save(path)
    with pytest.raises(FormReadError) as info:
        read_form(path)
    assert info.value.diagnostic.code == "IND502"


CELLS = [
    (None, "General", ""),
    ("文本", "General", "文本"),
    (True, "General", "是"),
    (False, "General", "否"),
    (500, "General", "500"),
    (30.0, "General", "30"),
    (5786.45, "General", "5786.45"),
    (5786.45, "#,##0.00", "5786.45"),
    (5786.45, "#,##0", "5786.45"),  # an integer format never rounds digits away
    (30, "0.00", "30.00"),
    (30, "0.00_ ", "30.00"),
    (-1.5, "#,##0.00_);[Red](#,##0.00)", "-1.50"),
    (0.95, "0%", "95%"),
    (0.955, "0%", "95.5%"),
    (0.973, "0.00%", "97.30%"),
    (0.0000123, "General", "0.0000123"),
    (Decimal("1.50"), "General", "1.5"),
    # a formula's cached float is read at Excel's 15 significant digits
    (5786.45 + 9222.67, "General", "15009.12"),
    (0.1 + 0.2, "0.00", "0.30"),
    (1e20, "General", "100000000000000000000"),
    # text in the format is shown; a quoted or escaped % does not scale
    (500, '0"人次"', "500人次"),
    (95, '0"%"', "95%"),
    (95, "0\\%", "95%"),
    (0.9, '"≥"0%', "≥90%"),
    (1200, '#,##0"元/人"', "1200元/人"),
    (7, "@", "7"),
    (500, "G/通用格式", "500"),  # General in a Chinese Excel
    (500, '[$-804]G/通用格式"人"', "500人"),
    (0.95, "[DBNum1]General", "0.95"),
    (1234.5, "0.00E+00", "1234.5"),
    # dates are written the way the target language reads them
    (dt.datetime(2024, 1, 31), "yyyy-mm-dd", "2024年1月31日"),
    (dt.datetime(2024, 1, 31), 'yyyy"年"m"月"d"日"', "2024年1月31日"),
    (dt.datetime(2024, 1, 31), '[$-804]yyyy"年"m"月"', "2024年1月"),
    (dt.datetime(2024, 6, 30), 'm"月"d"日"', "6月30日"),
    (dt.datetime(2024, 1, 31, 8, 30), "General", "2024年1月31日 8:30"),
    (dt.date(2024, 1, 31), "General", "2024年1月31日"),
    (dt.time(8, 30), "General", "08:30:00"),
    (float("nan"), "General", "nan"),
]


@pytest.mark.parametrize(("value", "fmt", "text"), CELLS, ids=[f"{c[0]!r}|{c[1]}" for c in CELLS])
def test_cell_text(value: object, fmt: str, text: str) -> None:
    assert cell_text(value, fmt) == text


def test_a_header_over_two_rows(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["一级指标", "二级指标", "三级指标", "指标值", None, "备注"])
    ws.append([None, None, None, "实施周期指标值", "年度指标值", None])
    for rng in ("A1:A2", "B1:B2", "C1:C2", "D1:E1", "F1:F2"):
        ws.merge_cells(rng)
    ws.append(["产出指标", "数量指标", "培训人次", "1500人次", "500人次", "分三年完成"])
    ws.append(["一级指标", "二级指标", "三级指标", "实施周期指标值", "年度指标值", "备注"])
    ws.append(["产出指标", "质量指标", "培训合格率", "90%", "90%", None])
    path = tmp_path / "two-row-header.xlsx"
    wb.save(path)
    form = read_form(path, use_parsers=False)
    assert len(form.indicators) == 2
    first = form.indicators[0]
    assert first.period_target is not None
    assert first.period_target.text == "1500人次"
    assert first.target is not None
    assert first.target.text == "500人次"
    assert first.remark is not None
    assert first.remark.text == "分三年完成"
    assert [c.text for c in form.notes][:2] == ["一级指标", "二级指标"]  # the repeated header
    assert form.diagnostics == ()


def _self_evaluation(tmp_path: Path, merge: str) -> Form:
    """A 自评表 whose 预算执行率 row is one label merged from 一级指标 across ``merge``."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因"])
    ws.append(["产出指标", "数量指标", "特困供养人数", "≥1200人", "1250人", 90, 90, None])
    ws.append(["预算执行率", None, None, None, None, 10, 9.6, None])
    ws.merge_cells(merge)
    ws.append(["备注", "说明文字跨列", None, None, None, None, None, None])
    ws.merge_cells("B4:H4")
    path = tmp_path / "自评表.xlsx"
    wb.save(path)
    return read_form(path)


@pytest.mark.parametrize("merge", ["A3:E3", "A3:C3", "A3:H3"], ids=str)
def test_a_label_merged_across_value_columns_names_the_row(tmp_path: Path, merge: str) -> None:
    form = _self_evaluation(tmp_path, merge)
    row = form.indicators[1]
    names = [c.text if c is not None else None for c in (row.level1, row.level2, row.level3)]
    assert names == ["预算执行率"] * 3
    assert row.target is not None
    assert row.target.empty
    assert row.actual is not None
    assert row.actual.empty
    if merge != "A3:H3":
        assert (row.weight and row.weight.text, row.score and row.score.text) == ("10", "9.6")


def test_copies_within_one_kind_of_column_stay(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["一级指标", "二级指标", "三级指标", "指标解释", "评分标准", "年度指标值"])
    ws.append(["产出指标", "数量指标", "培训人次", "按实际培训人次计", None, "500人次以上"])
    ws.merge_cells("A2:B2")  # a category written once over 一级 and 二级
    path = tmp_path / "申报表.xlsx"
    wb.save(path)
    row = read_form(path).indicators[0]
    assert row.level2 is not None
    assert row.level2.text == "产出指标"
    assert row.target is not None
    assert row.target.text == "500人次以上"
