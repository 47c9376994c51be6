"""Written files keep hostile text as text (CSV injection, CWE-1236), read back the way a spreadsheet
reads them: CSV with the ``csv`` module, XLSX with openpyxl (data type ``s``, never ``f``)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from indicators.cli.app import main
from indicators.spreadsheet import FORMULA_LEADS

HOSTILE = ['=HYPERLINK("http://example.invalid","点此")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)",
           "\t=1+1", "\r=1+1"]
#: DuckDB's CSV sniffer refuses a table whose cells hold tabs and carriage returns
IN_TABLE = HOSTILE[:4]


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, _ = capsys.readouterr()
    return code, out


def _table(tmp_path: Path) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["单位", "a", "b"])
    for i, text in enumerate(IN_TABLE):
        writer.writerow([text, i + 1, 2 if i % 2 else 0])
    path = tmp_path / "hostile.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def _no_formula_cells(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_LEADS) or cell.lstrip("-").replace(".", "").isdigit(), cell


def test_batch_eval_csv_on_stdout_quotes_formula_like_keys(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(capsys, "batch", "eval", "a/b", "--csv", str(_table(tmp_path)), "--key", "单位",
                     "--format", "csv")
    assert code == 1  # rows dividing by zero
    rows = list(csv.reader(io.StringIO(out)))
    assert [r[1] for r in rows[1:]] == [f"'{t}" for t in IN_TABLE]
    _no_formula_cells(rows)


def test_batch_eval_csv_file_quotes_formula_like_keys(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("duckdb")
    out = tmp_path / "out.csv"
    _run(capsys, "batch", "eval", "a/b", "--csv", str(_table(tmp_path)), "--key", "单位", "-o", str(out))
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert [r[1] for r in rows[1:]] == [f"'{t}" for t in IN_TABLE]
    _no_formula_cells(rows)


def _form(tmp_path: Path) -> Path:
    lines = ["一级指标\t二级指标\t三级指标\t计算公式\t年度指标值\t计量单位"]
    for i, text in enumerate(t for t in HOSTILE if "\t" not in t and "\r" not in t):
        lines.append(f"产出指标\t数量指标\t{text}{i}\t\t={text}\t个")
    path = tmp_path / "form.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_check_csv_and_score_xlsx_keep_formula_like_cells_as_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    form = _form(tmp_path)
    report = tmp_path / "report.csv"
    _run(capsys, "check", str(form), "--format", "csv", "-o", str(report))
    with report.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) > 1
    assert any(cell.startswith("'=") for row in rows for cell in row)
    _no_formula_cells(rows)
    actuals = io.StringIO()
    writer = csv.writer(actuals, lineterminator="\n")
    writer.writerow(["三级指标", "实际完成值"])
    names = [t for t in HOSTILE if "\t" not in t and "\r" not in t]
    writer.writerows([f"{text}{i}", f"={text}"] for i, text in enumerate(names))
    (tmp_path / "actuals.csv").write_text(actuals.getvalue(), encoding="utf-8")
    sheet = tmp_path / "score.xlsx"
    _run(capsys, "score", str(form), "--actuals", str(tmp_path / "actuals.csv"), "--format", "xlsx",
         "-o", str(sheet))
    book = openpyxl.load_workbook(sheet)
    texts = [c for ws in book.worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith(FORMULA_LEADS)]
    assert texts  # the hostile names are there, as text
    assert {c.data_type for c in texts} == {"s"}
    assert all(c.data_type != "f" for ws in book.worksheets for row in ws.iter_rows() for c in row)


@pytest.mark.parametrize("encoding", ["utf-8:strict", "ascii:strict"])
def test_a_file_name_in_gbk_is_printed_under_a_strict_encoding(tmp_path: Path, encoding: str) -> None:
    import os
    import subprocess
    import sys

    name = os.fsencode(tmp_path) + b"/" + "表\x1b[2J".encode("gbk") + b".txt"  # not UTF-8: surrogates
    form = "一级指标\t二级指标\t三级指标\t年度指标值\n产出指标\t数量指标\t人数\x1b]0;x\x07\t≥\u202e5人\n"
    with open(name, "wb") as handle:
        handle.write(form.encode("utf-8"))
    env = {**os.environ, "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": encoding}
    done = subprocess.run([sys.executable, "-m", "indicators", "check", name], capture_output=True, env=env,
                          timeout=60, check=False)
    printed = (done.stdout + done.stderr).decode("ascii" if encoding.startswith("ascii") else "utf-8")
    assert done.returncode in (0, 1)
    assert "Traceback" not in printed
    assert "\\udc" in printed  # the name's bytes, escaped
    assert "\x1b" not in printed
    assert "\u202e" not in printed
