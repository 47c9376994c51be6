"""Form import speed: the seed text form, and a generated 2,000-row CSV and workbook (with and without
formulas).

Run with ``make bench`` (``python -m benchmarks``); the figures are printed, never asserted.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from indicators.forms import read_form

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "xiaoguwei-declared.txt"
HEADER = ["一级指标", "二级指标", "三级指标", "计算公式", "年度指标值"]


def _rows(count: int) -> list[list[str]]:
    rows = [HEADER]
    for i in range(count):
        if i % 50 == 7:  # a row shifted one column to the right
            rows.append(["", "", "", f"指标{i}", f"指标值=完成数{i}/计划数{i}*100%", "95%以上"])
        else:
            rows.append(["产出指标", "数量指标", f"指标{i}", f"指标值=完成数{i}/计划数{i}*100%", "95%以上"])
    return rows


def _time(label: str, action: Callable[[], object], repeat: int) -> None:
    start = time.perf_counter()
    for _ in range(repeat):
        action()
    elapsed = (time.perf_counter() - start) / repeat
    print(f"  {label:<40} {elapsed * 1000:9.1f} ms")


def run() -> None:
    print("forms: read_form")
    read_form(SEED, use_parsers=False)  # warm up caches (taxonomy)
    _time("seed text form (shape rules)", lambda: read_form(SEED, use_parsers=False), 20)
    _time("seed text form (with parsers)", lambda: read_form(SEED), 5)
    with tempfile.TemporaryDirectory() as tmp:
        rows = _rows(2000)
        csv_path = Path(tmp) / "big.csv"
        lines = [",".join(r + [""] * (6 - len(r))) for r in rows]
        csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        _time("2,000-row CSV", lambda: read_form(csv_path, use_parsers=False), 3)
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        assert ws is not None
        for row in rows:
            ws.append(row)
        xlsx_path = Path(tmp) / "big.xlsx"
        wb.save(xlsx_path)
        _time("2,000-row XLSX", lambda: read_form(xlsx_path, use_parsers=False), 3)
        # a 序号 column of formulas: the workbook is loaded a second time to find formulas without values
        ws.insert_cols(1)
        ws["A1"] = "序号"
        for r in range(2, ws.max_row + 1):
            ws.cell(row=r, column=1, value="=ROW()-1")
        formulas_path = Path(tmp) / "formulas.xlsx"
        wb.save(formulas_path)
        _time("2,000-row XLSX with formulas", lambda: read_form(formulas_path, use_parsers=False), 3)


if __name__ == "__main__":
    run()
