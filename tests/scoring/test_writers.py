"""The writers print the same figures: terminal table, JSON, Markdown and the XLSX 绩效自评表."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from indicators.codes import diagnostic
from indicators.scoring.sheet import LineStatus, ScoreLine, ScoreSheet, Subtotal
from indicators.scoring.writers import FORMATS, to_json, to_markdown, to_text, write_xlsx
from indicators.scoring.writers.json import to_dict

D = Decimal


def _line(i: int | None, l1: str, l2: str, l3: str, weight: str, score: str, **kw: object) -> ScoreLine:
    return ScoreLine.model_validate(
        {
            "index": i,
            "level1": l1,
            "level2": l2,
            "level3": l3,
            "weight": D(weight),
            "score": D(score),
            "status": kw.pop("status", LineStatus.MET),
            "rule": kw.pop("rule", "quantitative.higher"),
            "arithmetic": kw.pop("arithmetic", "96.5 ≥ 95，得满分"),
            **kw,
        }
    )


def sample() -> ScoreSheet:
    lines = (
        _line(
            0,
            "产出指标",
            "数量指标",
            "党员参与志愿服务人次",
            "25",
            "25.00",
            target="100人次以上",
            actual="1,203人次",
            overshoot=True,
            deviation="活动增加",
        ),
        _line(1, "产出指标", "数量指标", "招商|引资次数", "15", "15.00", target="1次以上", actual="1次"),
        _line(
            2,
            "产出指标",
            "质量指标",
            "办结率",
            "10",
            "9.79",
            target="95%以上",
            actual="93%",
            status=LineStatus.PARTIAL,
            arithmetic="93 ÷ 95 × 10 = 9.7894…",
        ),
        _line(
            3,
            "效益指标",
            "社会效益指标",
            "零就业家庭动态清零",
            "30",
            "0.00",
            target="实现动态清零",
            status=LineStatus.MISSING,
            rule="missing",
            diagnostics=(diagnostic("IND801", indicator="零就业家庭动态清零"),),
        ),
        _line(
            None,
            "预算执行率",
            "预算执行率",
            "预算执行率",
            "10",
            "9.49",
            target="100%",
            actual="94.95%",
            rule="budget_execution",
        ),
    )
    subtotals = (
        Subtotal(level1="产出指标", weight=D(50), score=D("49.79")),
        Subtotal(level1="产出指标", level2="数量指标", weight=D(40), score=D("40.00")),
        Subtotal(level1="产出指标", level2="质量指标", weight=D(10), score=D("9.79")),
        Subtotal(level1="效益指标", weight=D(30), score=D("0.00")),
        Subtotal(level1="效益指标", level2="社会效益指标", weight=D(30), score=D("0.00")),
        Subtotal(level1="预算执行率", weight=D(10), score=D("9.49")),
        Subtotal(level1="预算执行率", level2="预算执行率", weight=D(10), score=D("9.49")),
    )
    return ScoreSheet(
        policy="default",
        title="示例",
        lines=lines,
        subtotals=subtotals,
        weight_total=D(90),
        total=D("59.28"),
        grade="差",
    )


def test_formats_listed() -> None:
    assert FORMATS == ("text", "json", "markdown", "xlsx")


def test_json_round_trips_with_decimal_strings() -> None:
    sheet = sample()
    text = to_json(sheet)
    data = json.loads(text)
    assert data["total"] == "59.28"
    assert data["lines"][0]["score"] == "25.00"
    assert {
        "level1",
        "level2",
        "level3",
        "target",
        "actual",
        "weight",
        "score",
        "status",
        "achievement",
        "deviation",
        "overshoot",
        "explanation",
        "rule",
    } <= data["lines"][0].keys()
    assert ScoreSheet.model_validate_json(text) == sheet
    assert to_dict(sheet)["grade"] == "差"
    assert "零就业" in text  # Chinese unescaped


def test_text_table_and_explain() -> None:
    sheet = sample()
    plain = to_text(sheet)
    for word in ("一级指标", "党员参与志愿服务人次", "59.28", "等级：差", "超额", "IND801"):
        assert word in plain
    assert "quantitative.higher" not in plain
    explained = to_text(sheet, explain=True)
    assert "quantitative.higher" in explained
    assert "93 ÷ 95 × 10 = 9.7894…" in explained


def test_markdown_escapes_pipes_and_lists_subtotals() -> None:
    md = to_markdown(sample(), explain=True)
    assert "招商\\|引资次数" in md
    table = [line for line in md.splitlines() if line.startswith("| ") and "指标" in line]
    assert len(table) >= 5
    assert "- 总分：59.28 / 90　等级：差" in md
    assert "`IND801`" in md
    assert "budget_execution：" in md


def test_xlsx_layout_read_back(tmp_path: Path) -> None:
    path = tmp_path / "sheet.xlsx"
    write_xlsx(sample(), path)
    ws = load_workbook(path).active
    assert ws is not None
    assert ws.title == "绩效自评表"
    header = [ws.cell(row=2, column=c).value for c in range(1, 9)]
    assert header == [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:H1", "A3:A5", "B3:B4", "A8:E8"} <= merged
    assert "B5:B5" not in merged
    assert ws.cell(row=3, column=3).value == "党员参与志愿服务人次"
    assert ws.cell(row=5, column=7).value == pytest.approx(9.79)
    assert ws.cell(row=3, column=8).value == "活动增加"
    assert ws.cell(row=8, column=1).value == "总分"
    assert ws.cell(row=8, column=7).value == pytest.approx(59.28)
    assert ws.cell(row=8, column=8).value == "自评等级：差"


def test_xlsx_to_a_stream(tmp_path: Path) -> None:
    import io

    buffer = io.BytesIO()
    write_xlsx(sample(), buffer)
    assert buffer.getvalue()[:2] == b"PK"


def test_xlsx_keeps_text_as_text(tmp_path: Path) -> None:
    """A target written ``=100%`` stays that text (not an Excel formula); control characters, which
    an XLSX file cannot hold, are dropped instead of stopping the export."""
    lines = (
        _line(0, "产出指标", "质量指标", "合同结算条款完成率", "50", "50.00", target="=100%", actual="100%"),
        _line(1, "产出指标", "质量指标", "完成\x0b数", "50", "50.00", target="=SUM(1,2)", actual="\x1b[31m3"),
    )
    sheet = sample().model_copy(update={"lines": lines, "subtotals": ()})
    path = tmp_path / "sheet.xlsx"
    write_xlsx(sheet, path)
    ws = load_workbook(path).active
    assert ws is not None
    assert [ws.cell(row=r, column=4).value for r in (3, 4)] == ["=100%", "=SUM(1,2)"]
    assert {ws.cell(row=r, column=4).data_type for r in (3, 4)} == {"s"}
    assert ws.cell(row=4, column=3).value == "完成数"
    assert ws.cell(row=4, column=5).value == "[31m3"


def test_text_names_the_indicator_of_each_finding() -> None:
    plain = to_text(sample())
    assert "IND801 警告 零就业家庭动态清零：未填报实际完成值" in plain
