"""A sheet that stacks several forms: the first is read, the next is reported (IND513), never merged."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from indicators.forms import Form, read_form, read_form_text

FIRST = [
    ["项目支出绩效自评表"],
    ["项目名称", "社区助餐服务"],
    ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
    ["产出指标", "数量指标", "助餐人次", "≥1000人次", "1200人次", "50", "50"],
    ["满意度指标", "服务对象满意度指标", "满意度", "≥90%", "95%", "50", "50"],
    ["总分", "", "", "", "", "100", "100"],
]
SECOND = [
    ["项目支出绩效自评表"],
    ["项目名称", "老旧小区改造"],
    ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
    ["产出指标", "数量指标", "改造小区数", "≥10个", "8个", "100", "80"],
]


def _read(rows: list[list[str]], fmt: str, tmp_path: Path) -> Form:
    if fmt == "text":
        return read_form_text("\n".join("\t".join(r) for r in rows))
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    path = tmp_path / "stacked.xlsx"
    book.save(path)
    return read_form(path)


@pytest.mark.parametrize("fmt", ["text", "xlsx"])
def test_the_next_form_is_reported_not_read(fmt: str, tmp_path: Path) -> None:
    form = _read([*FIRST, [""], *SECOND], fmt, tmp_path)
    assert [row.name for row in form.indicators] == ["助餐人次", "满意度"]
    assert form.project is not None
    assert form.project.name is not None
    assert form.project.name.text == "社区助餐服务"
    (stacked,) = [d for d in form.diagnostics if d.code == "IND513"]
    assert stacked.message == "第 8 行起是另一张绩效指标表，未读取"
    assert stacked.location is not None
    assert stacked.location.row == 8
    assert all("老旧小区改造" not in cell.text for cell in form.notes)


def test_without_a_blank_row_the_next_form_starts_at_its_header() -> None:
    form = _read([*FIRST, *SECOND[2:]], "text", Path())
    (stacked,) = [d for d in form.diagnostics if d.code == "IND513"]
    assert "第 7 行起" in stacked.message


def test_a_header_printed_again_inside_the_table_is_a_page_break_not_a_table() -> None:
    rows = [*FIRST[:4], FIRST[2], *FIRST[4:]]
    form = _read(rows, "text", Path())
    assert [row.name for row in form.indicators] == ["助餐人次", "满意度"]
    assert "IND513" not in [d.code for d in form.diagnostics]
