"""``indicators check --format csv|sarif|xlsx``: text that a spreadsheet opens is never a formula, the
workbook carries each finding as a comment and a fill on its cell, SARIF has the documented shape."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from indicators.cli.app import main
from indicators.codes import diagnostic
from indicators.diagnostics import Location, Severity
from indicators.lint.examples import form_from_example, load_example
from indicators.lint.writers.csvfile import COLUMNS, write_csv
from indicators.lint.writers.grid import cells_grid, source_grid
from indicators.lint.writers.sarif import sarif_report
from indicators.lint.writers.xlsx import FILLS, FINDINGS_SHEET, sheet_title
from indicators.spreadsheet import FORMULA_LEADS, csv_text, looks_like_formula

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "examples" / "xiaoguwei-declared.txt"


# -- the one escape --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=SUM(A1:A3)", "'=SUM(A1:A3)"),
        ("=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"),
        ("+86 1234", "'+86 1234"),
        ("-5%", "'-5%"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
    ],
    ids=lambda v: repr(v),
)
def test_csv_text_prefixes_formula_starts(text: str, written: str) -> None:
    assert csv_text(text) == written


@pytest.mark.parametrize("text", ["95%", "≥95%", "指标值=a/b*100%", "", " =1", "＝1", "'quoted"], ids=repr)
def test_csv_text_leaves_other_text(text: str) -> None:
    assert csv_text(text) == text


@given(st.text(max_size=30))
def test_csv_text_never_starts_like_a_formula(text: str) -> None:
    safe = csv_text(text)
    assert not looks_like_formula(safe)
    assert safe in (text, "'" + text)


def test_formula_starts_are_the_owasp_list() -> None:
    assert set(FORMULA_LEADS) == {"=", "+", "-", "@", "\t", "\r"}


# -- CSV ---------------------------------------------------------------------------------------------


def _hostile_finding() -> Any:
    return diagnostic(
        "IND601", text="=HYPERLINK(\"http://evil\",\"点击\")",
        location=Location(source="f.txt", row=3, column=5), indicator="-资金到位率", hint="@提示",
    )


def test_csv_writes_every_column_and_escapes_text() -> None:
    out = io.StringIO()
    write_csv([("=evil.txt", [_hostile_finding()])], out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == list(COLUMNS)
    record = dict(zip(COLUMNS, rows[1], strict=True))
    assert record["file"] == "'=evil.txt"
    assert record["indicator"] == "'-资金到位率"
    assert record["hint"] == "'@提示"
    assert record["text"].startswith("'=HYPERLINK")
    assert (record["row"], record["column"], record["cell"]) == ("3", "5", "E3")
    assert record["message"].startswith("指标值")  # not a formula start: unchanged
    assert out.getvalue().endswith("\r\n")


def test_cli_csv_has_a_byte_order_mark(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "findings.csv"
    assert main(["check", str(SEED), "--format", "csv", "-o", str(out)]) == 1
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert ("IND604", "23", "6") in {(r["code"], r["row"], r["column"]) for r in rows}
    assert capsys.readouterr().out == ""


# -- SARIF -------------------------------------------------------------------------------------------


def test_sarif_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(SEED), "--format", "sarif"]) == 1
    log = json.loads(capsys.readouterr().out)
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert ids == sorted(set(ids))
    results = run["results"]
    assert {r["ruleId"] for r in results} == set(ids)
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
    (mismatch,) = [r for r in results if r["ruleId"] == "IND604"]
    region = mismatch["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (23, 6)
    assert mismatch["level"] == "error"
    assert mismatch["properties"]["cell"] == "F23"
    assert "建议：" in mismatch["message"]["text"]
    rule604 = rules[ids.index("IND604")]
    assert rule604["name"] == "lint.target-unit-mismatch"
    assert rule604["helpUri"].endswith("#ind604")
    assert rule604["properties"]["source"]


def test_sarif_form_wide_finding_has_no_region() -> None:
    d = diagnostic("IND611", level="一级指标", name="成本指标")
    (result,) = sarif_report([("a.tsv", [d])])["runs"][0]["results"]
    assert result["locations"] == [{"physicalLocation": {"artifactLocation": {"uri": "a.tsv"}}}]
    assert result["level"] == "warning"


# -- XLSX --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("xlsx") / "审核意见.xlsx"
    assert main(["check", str(SEED), "--format", "xlsx", "-o", str(out)]) == 1
    return out


def test_xlsx_comments_and_fills_on_the_findings_cells(seed_workbook: Path) -> None:
    wb = load_workbook(seed_workbook)
    assert wb.sheetnames == ["xiaoguwei-declared", FINDINGS_SHEET]
    form = wb["xiaoguwei-declared"]
    # the form as read: the cells are where the file has them
    assert form["F23"].value == "4个以上"
    assert form["D23"].value == "室内外应急避难场所的服务覆盖率"
    error = form["F23"]
    assert error.comment is not None
    assert "[IND604 错误]" in error.comment.text
    assert "建议：" in error.comment.text
    assert error.fill.start_color.rgb.endswith(FILLS[Severity.ERROR])
    warning = form["D45"]  # 志愿者队伍满意度: no survey method
    assert warning.comment is not None
    assert "IND638" in warning.comment.text
    assert warning.fill.start_color.rgb.endswith("FFEB9C")
    info = form["A22"]  # a realigned row: two notes on one cell
    assert info.comment is not None
    assert info.comment.text.count("[IND503 提示]") == 2
    assert info.fill.start_color.rgb.endswith("DDEBF7")
    untouched = form["D24"]
    assert untouched.comment is None
    assert untouched.fill.fill_type is None


def test_xlsx_findings_sheet_filters_freezes_links_and_prints(seed_workbook: Path) -> None:
    wb = load_workbook(seed_workbook)
    sheet = wb[FINDINGS_SHEET]
    header = [c.value for c in sheet[1]]
    assert header[:9] == ["文件", "代码", "严重程度", "行", "列", "单元格", "三级指标", "问题", "建议"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:K{sheet.max_row}"
    assert sheet.print_title_rows == "$1:$1"
    assert (sheet.page_setup.orientation, sheet.page_setup.paperSize) == ("landscape", 9)
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    codes = [r[1] for r in rows]
    assert "IND604" in codes
    assert "IND701" in codes
    mismatch = next(row for row in sheet.iter_rows(min_row=2) if row[1].value == "IND604")
    assert mismatch[5].value == "F23"
    assert mismatch[5].hyperlink is not None
    assert mismatch[5].hyperlink.location == "'xiaoguwei-declared'!F23"
    form = wb["xiaoguwei-declared"]
    assert form.page_setup.orientation == "landscape"


def test_xlsx_text_is_never_a_formula(tmp_path: Path) -> None:
    example = load_example("rows:\n  - [产出指标, 质量指标, '=1+1', '=SUM(A1)', '=2*3']\n")
    form_path = tmp_path / "hostile.json"
    form_path.write_text(form_from_example(example).model_dump_json(), encoding="utf-8")
    out = tmp_path / "out.xlsx"
    main(["check", str(form_path), "--format", "xlsx", "-o", str(out)])
    wb = load_workbook(out)
    form = wb[wb.sheetnames[0]]
    for ref, text in (("C2", "=1+1"), ("D2", "=SUM(A1)"), ("E2", "=2*3")):
        assert form[ref].value == text
        assert form[ref].data_type == "s"
    for row in wb[FINDINGS_SHEET].iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f"


def test_xlsx_of_a_json_form_with_control_characters_and_far_locations(tmp_path: Path) -> None:
    """A form model claims cells beyond any sheet and texts XML cannot hold: the workbook is written,
    the far cells left out of the form sheet, the findings all listed."""
    row_yaml = '  - [产出指标, 质量指标, "合格\\x00率\\x1b[31m", null, "95%\\x07以上"]'
    example = load_example("rows:\n" + row_yaml + "\n")
    form = form_from_example(example)
    row = form.indicators[0]
    assert row.level3 is not None
    far = Location(source="far.json", row=11_220_936_493, column=21_340_258)
    moved = row.model_copy(update={"level3": row.level3.model_copy(update={"location": far})})
    form = form.model_copy(update={"indicators": (moved,)})
    form_path = tmp_path / "far.json"
    form_path.write_text(form.model_dump_json(), encoding="utf-8")
    out = tmp_path / "out.xlsx"
    assert main(["check", str(form_path), "--format", "xlsx", "-o", str(out)]) in (0, 1)
    wb = load_workbook(out)
    sheet = wb[wb.sheetnames[0]]
    assert sheet.max_row < 100
    assert sheet.max_column < 100
    texts = [c.value for r in sheet.iter_rows() for c in r if isinstance(c.value, str)]
    assert "95%以上" in texts  # the BEL dropped
    findings = list(wb[FINDINGS_SHEET].iter_rows(min_row=2, values_only=True))
    assert findings
    for line in findings:
        for value in line:
            assert not isinstance(value, str) or not any(ord(ch) < 32 and ch not in "\t\n\r" for ch in value)


def test_xlsx_needs_an_output_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(SEED), "--format", "xlsx"]) == 2
    assert "-o" in capsys.readouterr().err


def test_xlsx_lists_an_unreadable_form_in_the_findings_only(tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    out = tmp_path / "out.xlsx"
    assert main(["check", str(SEED), str(missing), "--format", "xlsx", "-o", str(out)]) == 1
    wb = load_workbook(out)
    assert wb.sheetnames == ["xiaoguwei-declared", FINDINGS_SHEET]
    files = {row[0].value for row in wb[FINDINGS_SHEET].iter_rows(min_row=2)}
    assert "missing.txt" in files


@pytest.mark.parametrize(
    ("name", "taken", "title"),
    [
        ("form", set(), "form"),
        ("a/b:c*d?[e]", set(), "a_b_c_d__e_"),
        ("x" * 40, set(), "x" * 31),
        ("form", {"form"}, "form-2"),
        (FINDINGS_SHEET, set(), f"{FINDINGS_SHEET}-2"),
    ],
)
def test_sheet_titles(name: str, taken: set[str], title: str) -> None:
    assert sheet_title(name, set(taken)) == title


def test_grid_of_a_json_form_is_its_cells(tmp_path: Path) -> None:
    example = load_example("rows:\n  - [产出指标, 数量指标, 甲, 指标值=甲, 1个]\n")
    form = form_from_example(example)
    path = tmp_path / "form.json"
    path.write_text(form.model_dump_json(), encoding="utf-8")
    grid = source_grid(str(path), form)
    assert grid == cells_grid(form)
    assert grid[1][:5] == ["产出指标", "数量指标", "甲", "指标值=甲", "1个"]


def test_grid_of_a_text_form_is_the_file() -> None:
    from indicators.forms import read_form

    grid = source_grid(str(SEED), read_form(SEED))
    assert grid[22][5] == "4个以上"
