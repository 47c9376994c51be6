"""Reading actual values: CSV, TSV, JSON and XLSX; budget rows; raw variables; every error path."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from indicators.errors import LimitExceededError
from indicators.limits import Limits
from indicators.scoring.actuals import (
    ActualsError,
    parse_amount,
    parse_decimal,
    parse_variables,
    read_actuals,
    read_actuals_text,
)

CSV = """三级指标,实际完成值,变量,得分,偏差原因
党员参与志愿服务人次,"1,203人次",,,
“12345”热线工单办结率,,办结工单=1180；呈办工单=1200,,
政务信息公开规范性,达成,,9.5,按规定全部公开
全年预算数,"2,036.41万元",,,
全年执行数,1850.2,,,
年初预算数,"20,000,000元",,,
"""


def test_csv_records_budget_and_variables() -> None:
    actuals = read_actuals_text(CSV, source="a.csv")
    assert [r.name for r in actuals.records] == [
        "党员参与志愿服务人次",
        "“12345”热线工单办结率",
        "政务信息公开规范性",
    ]
    first, second, third = actuals.records
    assert first.actual == "1,203人次"
    assert second.variables == (("办结工单", "1180"), ("呈办工单", "1200"))
    assert second.actual is None
    assert third.score == Decimal("9.5")
    assert third.reason == "按规定全部公开"
    assert first.location is not None
    assert (first.location.source, first.location.row, first.location.column) == ("a.csv", 2, 2)
    assert actuals.budget is not None
    assert actuals.budget.total == Decimal("2036.41")
    assert actuals.budget.executed == Decimal("1850.2")
    assert actuals.budget.initial == Decimal("2000")
    assert actuals.diagnostics == ()


def test_tsv_and_code_column() -> None:
    text = "编码\t实际值\nOUT-001\t96.5%\n\t\n"
    actuals = read_actuals_text(text)
    assert actuals.records[0].code == "OUT-001"
    assert actuals.records[0].actual == "96.5%"
    assert actuals.budget is None


def test_header_may_follow_title_rows() -> None:
    text = "2024年实际完成值,,\n单位：小谷围街道,,\n指标名称,完成值,说明\n招商引资活动开展次数,3次,\n"
    assert read_actuals_text(text).records[0].actual == "3次"


def test_json_object_and_list(tmp_path: Path) -> None:
    data = """{"indicators": [
        {"name": "党员教育培训完成率", "actual": 96.5},
        {"三级指标": "“12345”热线工单办结率", "variables": {"办结工单": 1180, "呈办工单": "1,200"}},
        {"code": "OUT-009", "actual": "是", "score": 5}
      ],
      "budget": {"全年预算数": "100", "executed": 95.5}}"""
    path = tmp_path / "a.json"
    path.write_text(data, encoding="utf-8")
    actuals = read_actuals(path)
    assert actuals.records[0].actual == "96.5"
    assert actuals.records[1].variables == (("办结工单", "1180"), ("呈办工单", "1200"))
    assert actuals.records[2].code == "OUT-009"
    assert actuals.records[2].score == 5
    assert actuals.budget is not None
    assert (actuals.budget.total, actuals.budget.executed) == (Decimal(100), Decimal("95.5"))
    listed = read_actuals_text('[{"name": "x", "actual": true}]', fmt="json")
    assert listed.records[0].actual == "是"


def test_json_bad_items_are_reported_not_dropped_silently() -> None:
    actuals = read_actuals_text(
        '{"indicators": [3, {"name": "x", "actual": "1"}], "budget": {"foo": 1}}', fmt="json"
    )
    assert [d.code for d in actuals.diagnostics] == ["IND810", "IND810"]
    assert len(actuals.records) == 1
    odd = read_actuals_text('{"indicators": [], "budget": [1]}', fmt="json")
    assert [d.code for d in odd.diagnostics] == ["IND810"]


def test_xlsx_with_percent_format(tmp_path: Path) -> None:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["三级指标", "实际完成值", "得分"])
    ws.append(["党员教育培训完成率", 0.965, None])
    ws["B2"].number_format = "0.0%"
    ws.append(["招商引资活动开展次数", 3, None])
    ws.append(["工程支出符合定额标准情况", True, None])
    ws.append(["区域绿化覆盖率", 20.5, 1.5])
    ws.append(["全年预算数", 100, None])
    path = tmp_path / "a.xlsx"
    book.save(path)
    actuals = read_actuals(path)
    assert [r.actual for r in actuals.records] == ["96.5%", "3", "是", "20.5"]
    assert actuals.records[3].score == Decimal("1.5")
    assert actuals.budget is not None
    assert actuals.budget.total == 100


@pytest.mark.parametrize(
    ("text", "code", "where"),
    [
        ("三级指标,实际完成值,变量\nA,,x\n", "IND802", 2),
        ("三级指标,得分\nA,九分\n", "IND810", 2),
        ("三级指标,实际完成值\n全年预算数,很多\n", "IND810", 2),
        ("三级指标,一级指标,实际完成值\n,产出指标,5\n", "IND808", 2),
    ],
    ids=lambda v: str(v),
)
def test_bad_cells_are_located_diagnostics(text: str, code: str, where: int) -> None:
    actuals = read_actuals_text(text, source="bad.csv")
    assert [d.code for d in actuals.diagnostics] == [code]
    d = actuals.diagnostics[0]
    assert d.location is not None
    assert d.location.row == where
    assert d.message


@pytest.mark.parametrize(
    "text",
    ["", "a,b\n1,2\n", "三级指标\n党员\n", "\x00\x01binary"],
    ids=["empty", "no-known-columns", "no-value-column", "binary"],
)
def test_unusable_text_is_an_error(text: str) -> None:
    with pytest.raises(ActualsError) as info:
        read_actuals_text(text)
    assert info.value.diagnostic.code == "IND811"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("a.json", b"{not json"),
        ("a.json", b'"a string"'),
        ("a.xlsx", b"PK\x03\x04 not really a zip"),
        ("a.pdf", b"%PDF-1.4"),
        ("a.csv", b"\xff\xfe\xfa bad utf8"),
        ("a.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00"),
    ],
    ids=["bad-json", "json-scalar", "bad-xlsx", "pdf", "not-utf8", "old-excel"],
)
def test_unreadable_files_are_errors(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ActualsError) as info:
        read_actuals(path)
    assert info.value.diagnostic.code == "IND811"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ActualsError, match="文件不存在"):
        read_actuals(tmp_path / "none.csv")


def test_limits(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("三级指标,实际完成值\n" + "a,1\n" * 20, encoding="utf-8")
    with pytest.raises(LimitExceededError):
        read_actuals(path, limits=Limits(max_file_bytes=10))
    with pytest.raises(LimitExceededError):
        read_actuals(path, limits=Limits(max_rows=5))
    with pytest.raises(LimitExceededError):
        read_actuals_text(
            '[{"name": "a", "actual": 1}, {"name": "b", "actual": 1}]', fmt="json", limits=Limits(max_rows=1)
        )


def test_unknown_text_format_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="format"):
        read_actuals_text("x", fmt="yaml")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,203.50", "1203.50"),
        ("8分", "8"),
        (" 8 ", "8"),
        ("", None),
        ("abc", None),
        ("NaN", None),
        ("Infinity", None),
        ("1e999999999", None),
        ("1e30", "1e30"),
    ],
    ids=repr,
)
def test_parse_decimal(text: str, value: str | None) -> None:
    assert parse_decimal(text) == (Decimal(value) if value is not None else None)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("215,457.6元", "21.54576"),
        ("2,036.41万元", "2036.41"),
        ("1亿元", "10000"),
        ("100", "100"),
        ("100美元", None),
        ("", None),
    ],
    ids=repr,
)
def test_parse_amount(text: str, value: str | None) -> None:
    assert parse_amount(text) == (Decimal(value) if value is not None else None)


@pytest.mark.parametrize(
    ("text", "pairs"),
    [
        ("a=1; b=2", (("a", "1"), ("b", "2"))),
        (
            "已覆盖应急避难场所的村(社区)＝12；辖区村(社区)总数：12",
            (("已覆盖应急避难场所的村(社区)", "12"), ("辖区村(社区)总数", "12")),
        ),
        ("a=1,200", (("a", "1200"),)),
        ("办结工单=1180，呈办工单=1,200", (("办结工单", "1180"), ("呈办工单", "1200"))),
        ("办结工单：1180、呈办工单：1200", (("办结工单", "1180"), ("呈办工单", "1200"))),
        ("走访、慰问人数=12，总数=13", (("走访、慰问人数", "12"), ("总数", "13"))),
        ("a", None),
    ],
    ids=lambda v: str(v),
)
def test_parse_variables(text: str, pairs: tuple[tuple[str, str], ...] | None) -> None:
    assert parse_variables(text) == pairs


# --- files as departments send them -----------------------------------------------------------------


def test_gbk_csv_from_chinese_excel(tmp_path: Path) -> None:
    path = tmp_path / "实际值.csv"
    path.write_bytes("三级指标,实际完成值,偏差原因\r\n招商引资活动开展次数,3次,活动增加\r\n".encode("gbk"))
    actuals = read_actuals(path)
    assert [(r.name, r.actual, r.reason) for r in actuals.records] == [
        ("招商引资活动开展次数", "3次", "活动增加")
    ]


def test_undecodable_bytes_name_the_encodings_tried(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(b"\x81\x30\xff\xff\xff")
    with pytest.raises(ActualsError, match="GB18030"):
        read_actuals(path)


def test_tab_file_with_a_title_row_without_tabs() -> None:
    text = "2024年度实际完成值\n三级指标\t实际完成值\t偏差原因\n招商引资活动开展次数\t3次\t原因一,原因二\n"
    record = read_actuals_text(text).records[0]
    assert (record.actual, record.reason) == ("3次", "原因一,原因二")


@pytest.mark.parametrize(
    "header",
    ["2024年实际完成值", "2024年度实际完成值", "实际完成值（%）", "实际完成值\n（必填）", "全年实际完成值"],
    ids=repr,
)
def test_header_with_a_year_or_a_note(header: str) -> None:
    text = f'三级指标,"{header}",得分（分）\n生活垃圾资源化利用率,部分达成,2.8\n'
    record = read_actuals_text(text).records[0]
    assert (record.actual, record.score) == ("部分达成", Decimal("2.8"))


def test_total_and_blank_rows_are_skipped() -> None:
    text = (
        "序号,三级指标,实际完成值,得分\n"
        "1,招商引资活动开展次数,3次,\n"
        ",,,\n"
        "  ,  ,  ,  \n"
        "合计,,,90.5\n"
        ",总分,,90.5\n"
    )
    actuals = read_actuals_text(text)
    assert [r.name for r in actuals.records] == ["招商引资活动开展次数"]
    assert actuals.diagnostics == ()


def test_formula_text_as_an_actual_is_reported() -> None:
    actuals = read_actuals_text("三级指标,实际完成值\n办结率,=B2/C2\n", source="a.csv")
    assert actuals.records[0].actual is None
    d = actuals.diagnostics[0]
    assert d.code == "IND802"
    assert d.hint is not None
    assert "公式" in d.hint


def test_oversized_csv_field_is_an_unreadable_file() -> None:
    with pytest.raises(ActualsError) as info:
        read_actuals_text("三级指标,实际完成值\n甲," + "9" * 200_000 + "\n")
    assert info.value.diagnostic.code == "IND811"


def _department_workbook(path: Path) -> None:
    """An actuals workbook as a finance office fills it in: a notes sheet first, title rows, numbers
    stored as numbers, percentages as fractions with a % format, blank and total rows."""
    import datetime

    book = Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "填表说明"
    notes.append(["请在“实际值”表中填写各指标的实际完成值"])
    ws = book.create_sheet("实际值")
    ws.append(["2024年度绩效自评实际完成值"])
    ws.append([])
    ws.append(
        [
            "序号",
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "计量单位",
            "实际完成值",
            "得分",
            "偏差原因",
        ]
    )
    ws.append(
        [1, "产出指标", "数量指标", "党员参与志愿服务人次", "100人次以上", "人次", 1203, None, "活动增加"]
    )
    ws.append([2, None, None, "助餐配餐补贴项目工作达标率", "95%以上", "%", 0.965, None, None])
    ws["G5"].number_format = "0%"  # shown as 97%, stored 0.965
    ws.append([3, None, None, "志愿者队伍满意度", "90%以上", "%", 0.1 + 0.2, None, None])
    ws["G6"].number_format = "0.00%"
    ws.append([None] * 9)
    ws.append(
        [4, None, None, "经济统计报表报送时效", "12月底前", None, datetime.datetime(2024, 12, 20), None, None]
    )
    ws.append([5, None, None, "“12345”热线工单办结率", "95%以上", "%", "=1180/1200", None, None])
    ws.append([6, None, None, "生活垃圾资源化利用率", None, None, "部分达成", 2.8, None])
    ws.append([None, None, None, "全年预算数", None, "万元", 17075.54, None, None])
    ws["G12"].number_format = "#,##0.00"
    ws.append([None, None, None, "全年执行数", None, "万元", 16213.08, None, None])
    ws.append(["合计", None, None, None, None, None, None, 90.5, None])
    book.save(path)


def test_department_workbook(tmp_path: Path) -> None:
    path = tmp_path / "实际值.xlsx"
    _department_workbook(path)
    actuals = read_actuals(path)
    assert [(r.name, r.actual) for r in actuals.records] == [
        ("党员参与志愿服务人次", "1203"),
        ("助餐配餐补贴项目工作达标率", "96.5%"),
        ("志愿者队伍满意度", "30.00%"),  # as Excel shows 0.1 + 0.2 formatted 0.00%
        ("经济统计报表报送时效", "2024年12月20日"),
        ("“12345”热线工单办结率", None),
        ("生活垃圾资源化利用率", "部分达成"),
    ]
    assert actuals.records[5].score == Decimal("2.8")
    assert actuals.budget is not None
    assert (actuals.budget.total, actuals.budget.executed) == (Decimal("17075.54"), Decimal("16213.08"))
    first = actuals.records[0].location
    assert first is not None
    assert (first.sheet, first.row, first.column) == ("实际值", 4, 7)
    # the formula Excel never calculated is reported at its cell; the 合计 row is not an indicator
    assert [d.code for d in actuals.diagnostics] == ["IND508"]
    assert actuals.diagnostics[0].location is not None
    assert actuals.diagnostics[0].location.row == 9


def test_merged_level2_cells_name_every_row_they_span(tmp_path: Path) -> None:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["二级指标", "三级指标", "实际完成值"])
    ws.append(["数量指标", "覆盖率", "95%"])
    ws.append([None, "完成数", "3个"])
    ws.append(["质量指标", "覆盖率", "90%"])
    ws.merge_cells("A2:A3")
    path = tmp_path / "merged.xlsx"
    book.save(path)
    records = read_actuals(path).records
    assert [(r.level2, r.name) for r in records] == [
        ("数量指标", "覆盖率"),
        ("数量指标", "完成数"),
        ("质量指标", "覆盖率"),
    ]


def test_old_excel_file_says_to_save_as_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "实际值.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00")
    with pytest.raises(ActualsError) as info:
        read_actuals(path)
    d = info.value.diagnostic
    assert "旧版 Excel" in d.message
    assert d.hint is not None
    assert ".xlsx" in d.hint


def test_absurd_json_numbers_are_reported_not_expanded() -> None:
    """``1e999999999`` would be a billion digits written out: it is an unreadable value instead."""
    actuals = read_actuals_text('[{"name": "甲", "actual": 1e999999999, "score": 1e999999999}]', fmt="json")
    assert actuals.records[0].actual == "1E+999999999"
    assert actuals.records[0].score is None
    assert [d.code for d in actuals.diagnostics] == ["IND810"]


def test_budget_figures_laid_out_across() -> None:
    """The 自评表 layout: 年初预算数 | 全年预算数 | 全年执行数 over a row of amounts, above or below the
    indicator table; a unit in the header applies to bare amounts."""
    text = (
        "项目名称,年初预算数（元）,全年预算数（元）,全年执行数（元）,执行率\n"
        '示例项目,"200,000","250,000","215,457.6",86.18%\n'
        "三级指标,实际完成值\n"
        "完成数,3个\n"
    )
    actuals = read_actuals_text(text)
    assert [r.name for r in actuals.records] == ["完成数"]
    assert actuals.budget is not None
    figures = (actuals.budget.initial, actuals.budget.total, actuals.budget.executed)
    assert figures == (Decimal(20), Decimal(25), Decimal("21.54576"))
    bad = read_actuals_text("三级指标,实际完成值\n完成数,3个\n全年预算数,全年执行数\n很多,\n")
    assert [d.code for d in bad.diagnostics] == ["IND810"]
    assert bad.diagnostics[0].location is not None
    assert bad.diagnostics[0].location.row == 4


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("全年完成值", "actual"),
        ("實際完成值", "actual"),
        ("实际完成值（年度）", "actual"),
        ("偏差原因分析和改进措施", "reason"),
        ("未完成原因", "reason"),
        ("三级指标（名称）", "name"),
        ("自评分", "score"),
    ],
    ids=lambda v: v,
)
def test_actuals_headers_follow_the_form_column_table(header: str, field: str) -> None:
    columns = {"actual": "三级指标,{h}\n培训人次,520人次\n", "name": "{h},实际完成值\n培训人次,520人次\n"}
    text = columns.get(field, "三级指标,实际完成值,{h}\n培训人次,520人次,9\n").format(h=header)
    if field == "reason":
        text = f"三级指标,实际完成值,{header}\n培训人次,520人次,场地不足\n"
    (record,) = read_actuals_text(text).records
    assert record.name == "培训人次"
    assert record.actual == "520人次"
    if field == "reason":
        assert record.reason == "场地不足"
    if field == "score":
        assert record.score == Decimal(9)


def test_a_remark_column_is_not_the_reason_in_actuals() -> None:
    (record,) = read_actuals_text("三级指标,实际完成值,备注\n培训人次,520人次,第二期\n").records
    assert record.reason is None
