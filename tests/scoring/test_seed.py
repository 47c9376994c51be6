"""The seed form (examples/xiaoguwei-declared.txt) scored with examples/xiaoguwei-actuals.csv.

Golden file: tests/scoring/golden/xiaoguwei-score.json. After a reviewed change of output regenerate it
with ``make golden`` (``UPDATE_GOLDEN=1 pytest tests -k golden``) and review the diff.
"""

from __future__ import annotations

import json
import os
from decimal import Decimal
from functools import cache
from pathlib import Path

from openpyxl import load_workbook

from indicators.catalog import load_catalog
from indicators.forms import read_form
from indicators.scoring import read_actuals, score_form
from indicators.scoring.sheet import LineStatus, ScoreSheet
from indicators.scoring.writers import to_json, write_xlsx

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden" / "xiaoguwei-score.json"
D = Decimal


@cache
def seed_sheet() -> ScoreSheet:
    form = read_form(ROOT / "examples" / "xiaoguwei-declared.txt")
    actuals = read_actuals(ROOT / "examples" / "xiaoguwei-actuals.csv")
    return score_form(form, actuals, catalog=load_catalog(use_env=False))


def test_seed_golden_json() -> None:
    text = to_json(seed_sheet())
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_seed_exercises_every_kind_of_row() -> None:
    sheet = seed_sheet()
    lines = sheet.indicator_lines
    assert len(lines) == 25
    rules = {
        line.rule.split(".")[0] + "." + line.rule.split(".")[1] if "." in line.rule else line.rule
        for line in lines
    }
    assert {
        "quantitative.higher",
        "judged.grade",
        "judged.boolean",
        "judged.state",
        "qualitative.achieved",
        "qualitative.partial",
        "missing",
    } <= rules
    statuses = {line.status for line in lines}
    assert {LineStatus.MET, LineStatus.PARTIAL, LineStatus.NOT_MET, LineStatus.MISSING} <= statuses
    assert any("由变量计算" in line.arithmetic for line in lines)
    assert any(line.overshoot and line.deviation for line in lines)
    assert any(line.overshoot and not line.deviation for line in lines)
    codes = {d.code for d in sheet.all_diagnostics()}
    assert {"IND801", "IND805"} <= codes
    survey = next(line for line in lines if line.level3 == "享受居家养老服务的长者满意度")
    assert survey.status is LineStatus.MET


def test_seed_totals_add_up_and_grade_matches() -> None:
    sheet = seed_sheet()
    assert sheet.total == sum((line.score for line in sheet.lines), D(0))
    assert sheet.weight_total == 100
    level1 = [s for s in sheet.subtotals if s.level2 is None]
    assert sum((s.score for s in level1), D(0)) == sheet.total
    assert str(sheet.total) == "90.52"
    assert sheet.grade == "优"  # 90.52 ≥ 90
    budget = sheet.budget_line
    assert budget is not None
    assert str(budget.score) == "9.49"
    assert budget.actual == "94.95%"


def test_seed_xlsx_read_back(tmp_path: Path) -> None:
    sheet = seed_sheet()
    path = tmp_path / "seed.xlsx"
    write_xlsx(sheet, path)
    ws = load_workbook(path).active
    assert ws is not None
    rows = list(ws.iter_rows(min_row=3, max_row=2 + len(sheet.lines), values_only=True))
    assert [r[2] for r in rows] == [line.level3 for line in sheet.lines]
    scores = [D(str(r[6])) for r in rows]
    assert scores == [line.score for line in sheet.lines]
    total_row = 3 + len(sheet.lines)
    assert D(str(ws.cell(row=total_row, column=7).value)) == sheet.total
    assert ws.cell(row=total_row + 2, column=2).value == "全年预算数（万元）"
    assert D(str(ws.cell(row=total_row + 3, column=2).value)) == D("17075.54")
    assert ws.cell(row=total_row + 3, column=4).value == "94.95%"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A3:A15" in merged  # the 13 产出指标 rows share one level-1 cell
    assert "B3:B10" in merged  # the 8 数量指标 rows


def test_seed_json_is_the_documented_shape() -> None:
    data = json.loads(to_json(seed_sheet()))
    assert {"lines", "subtotals", "total", "grade", "policy", "budget"} <= data.keys()
    for line in data["lines"]:
        assert {"level1", "level2", "level3", "target", "actual", "weight", "score", "status"} <= line.keys()


def test_the_written_self_evaluation_table_scores_back_to_the_same_lines(tmp_path: Path) -> None:
    """score → XLSX 绩效自评表 → read as a form → score again, with no actuals file."""
    sheet = seed_sheet()
    path = tmp_path / "自评表.xlsx"
    write_xlsx(sheet, path)
    again = score_form(read_form(path), catalog=load_catalog())
    assert [line.level3 for line in again.lines] == [line.level3 for line in sheet.lines]
    for before, after in zip(sheet.indicator_lines, again.indicator_lines, strict=True):
        assert (after.weight, after.score, after.status) == (before.weight, before.score, before.status)
    # the table prints the execution rate to two decimals (94.95%), so its line may move by a cent
    assert sheet.budget_line is not None
    assert again.budget_line is not None
    assert abs(again.budget_line.score - sheet.budget_line.score) <= Decimal("0.01")
    assert again.total == sum((line.score for line in again.lines), Decimal(0))
