"""`indicators audit`: formats, many tables, exit codes, and text that a spreadsheet must not evaluate."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from indicators.cli.app import main
from indicators.spreadsheet import csv_text, looks_like_formula

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
HEADER = "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施"
CLEAN = [
    "产出指标\t数量指标\t结算完成率\t=100%\t100%\t50\t50\t",
    "效益指标\t社会效益指标\t乙\t≥90%\t95%\t30\t30\t",
    "满意度指标\t服务对象满意度指标\t丙\t≥90%\t95%\t10\t10\t",
    "预算执行率\t预算执行率\t预算执行率\t100%\t100%\t10\t10\t",
]


def write(path: Path, *rows: str) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_json_report_of_one_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", str(EXAMPLES / "selfeval-S14.tsv"), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["schema_version", "tables", "summary"]
    table = data["tables"][0]
    assert [r["row"] for r in table["rows"]] == list(range(2, 11))
    row = next(r for r in table["rows"] if r["level3"] == "资金到位及时率")
    assert (row["published_score"], row["recomputed_score"], row["difference"]) == ("7", "10.00", "-3.00")
    assert [f["code"] for f in row["findings"]] == ["IND831"]
    assert table["summary"]["findings_by_code"]["IND831"] == 1
    assert table["summary"]["recomputed_grade"] == "优"


def test_exit_code_1_when_an_error_level_finding_exists(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write(tmp_path / "bad.tsv", "产出指标\t数量指标\t甲\t≥100人次\t90人次\t50\t50\t原因", *CLEAN[1:])
    good = write(tmp_path / "good.tsv", *CLEAN)
    assert main(["audit", str(good)]) == 0
    assert main(["audit", str(good), str(bad)]) == 1
    out = capsys.readouterr().out
    assert "IND830" in out
    assert "共 2 张表（1 张有错误）" in out


def test_a_directory_and_a_glob(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "tables"
    (folder / "sub").mkdir(parents=True)
    for name in ("selfeval-S01.tsv", "selfeval-S45.tsv"):
        shutil.copy(EXAMPLES / name, folder / name)
    shutil.copy(EXAMPLES / "selfeval-S14.tsv", folder / "sub" / "selfeval-S14.tsv")
    (folder / "说明.md").write_text("不是表格", encoding="utf-8")
    assert main(["audit", str(folder), "--format", "json"]) == 0
    sources = [t["source"] for t in json.loads(capsys.readouterr().out)["tables"]]
    assert sources == ["selfeval-S01.tsv", "selfeval-S45.tsv", "selfeval-S14.tsv"]
    assert main(["audit", str(folder / "*.tsv"), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["summary"]["tables"] == 2
    # across tables: the largest total difference first (S45: the sum of its rows is its total)
    assert report["summary"]["by_difference"] == ["selfeval-S01.tsv", "selfeval-S45.tsv"]


def test_no_progress_bar_when_standard_error_is_not_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tables = [write(tmp_path / f"t{n}.tsv", *CLEAN) for n in range(3)]
    assert main(["audit", *map(str, tables)]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["audit", "no-such-dir/*.xlsx"], "没有找到表格文件"),
        (["audit", "x.tsv", "--format", "xlsx"], "需要用 -o"),
    ],
    ids=["empty glob", "xlsx without -o"],
)
def test_usage_errors(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == 2
    assert message in capsys.readouterr().err


def test_an_unreadable_table_is_reported_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing.tsv"
    assert main(["audit", str(missing), "--format", "json"]) == 1
    table = json.loads(capsys.readouterr().out)["tables"][0]
    assert [f["code"] for f in table["findings"]] == ["IND843"]


def test_csv_keeps_formula_like_text_as_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hostile = '产出指标\t数量指标\t=HYPERLINK("x")\t=100%\t100%\t50\t50\t@SUM(1)'
    path = write(tmp_path / "t.tsv", hostile, *CLEAN[1:])
    out = tmp_path / "report.csv"
    assert main(["audit", str(path), "--format", "csv", "-o", str(out)]) == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[0][:4] == ["表格", "行号", "一级指标", "二级指标"]
    first = rows[1]
    assert first[4] == '\'=HYPERLINK("x")'
    assert first[5] == "'=100%"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_xlsx_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "audit.xlsx"
    tables = [str(EXAMPLES / "selfeval-S14.tsv"), str(EXAMPLES / "selfeval-S45.tsv")]
    assert main(["audit", *tables, "--format", "xlsx", "-o", str(out)]) == 0
    assert "已写入" in capsys.readouterr().out
    book = load_workbook(out)
    assert book.sheetnames == ["汇总", "selfeval-S14", "selfeval-S45"]
    summary = book["汇总"]
    assert [c.value for c in summary[1]][:3] == ["表格", "读取行数", "复核行数"]
    assert summary.cell(row=2, column=1).value == "selfeval-S14.tsv"  # the largest difference first
    ws = book["selfeval-S14"]
    docked = next(r for r in range(2, 11) if ws.cell(row=r, column=4).value == "资金到位及时率")
    assert ws.cell(row=docked, column=10).value == -3
    assert ws.cell(row=docked, column=9).fill.start_color.rgb.endswith("FFF2CC")
    comment = ws.cell(row=docked, column=9).comment
    assert comment is not None
    assert "IND831" in comment.text
    clean = next(r for r in range(2, 11) if ws.cell(row=r, column=4).value == "学生满意度")
    assert ws.cell(row=clean, column=9).fill.fill_type is None


def test_xlsx_stores_formula_like_text_as_strings(tmp_path: Path) -> None:
    path = write(tmp_path / "t.tsv", "产出指标\t数量指标\t-负数名\t=100%\t100%\t50\t50\t+原因", *CLEAN[1:])
    out = tmp_path / "a.xlsx"
    assert main(["audit", str(path), "--format", "xlsx", "-o", str(out)]) == 0
    ws = load_workbook(out)["t"]
    assert (ws.cell(row=2, column=4).value, ws.cell(row=2, column=4).data_type) == ("-负数名", "s")
    assert (ws.cell(row=2, column=5).value, ws.cell(row=2, column=5).data_type) == ("=100%", "s")


@pytest.mark.parametrize(
    ("text", "formula"),
    [
        ("=1+1", True),
        ("+86 123", True),
        ("-5", True),
        ("@SUM(A1)", True),
        ("\tx", True),
        ("\rx", True),
        ("＝100%", False),
        ("100%", False),
        ("", False),
        ("达成", False),
    ],
    ids=repr,
)
def test_the_one_function_for_formula_like_text(text: str, formula: bool) -> None:
    assert looks_like_formula(text) is formula
    assert csv_text(text) == (f"'{text}" if formula else text)
