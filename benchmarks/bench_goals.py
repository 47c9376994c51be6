"""The speed goals: every path people use against its floor, measured in the same run; writes
docs/performance.md. Run with ``make bench`` (``python -m benchmarks``); never part of the tests."""

from __future__ import annotations

import ast
import csv
import datetime
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from benchmarks.harness import Figure, interleaved, interleaved_processes, machine
from indicators.formula import Formula, evaluate, parse_formula, to_callable
from indicators.formula import parser as formula_parser
from indicators.formula.compile_py import to_batch
from indicators.formula.nodes import Call, Comparison, Negate, Node, Product, Sum, Variable
from indicators.formula.printer import to_text

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "xiaoguwei-declared.txt"
DOC = ROOT / "docs" / "performance.md"

FORMULAS = [
    "指标值=已覆盖应急避难场所的村(社区)/辖区村(社区)总数*100%",
    "指标值=(可回收物回收量+其他垃圾处理量×0.8+厨余垃圾资源化利用量×0.9)/四类垃圾处理总量×100%",
    "指标值=办结工单/呈办工单*100%",
    "指标值=党员参与志愿服务人次",
    "指标值=报送及时 按时完成经济统计报表报送工作即为报送及时(可参考国家统计局联网直报平台的截止时间)",
    "IF(完成数>=计划数, 100%, ROUND(完成数/计划数*100%, 2))",
    "资金到位率=实际到位资金（万元）/计划到位资金（万元）×100%",
    "发生数/常住人口×10万",
]
GARBAGE = FORMULAS[1]
NAMES = ("可回收物回收量", "其他垃圾处理量", "厨余垃圾资源化利用量", "四类垃圾处理总量")
ROW = {NAMES[0]: Decimal(1250), NAMES[1]: Decimal(3100), NAMES[2]: Decimal(2400), NAMES[3]: Decimal(7000)}
_8, _9, _100 = Decimal("0.8"), Decimal("0.9"), Decimal(100)


def hand_written(row: dict[str, Decimal]) -> Decimal:
    """The floor: the formula as a programmer would write it for Decimal values."""
    return (row[NAMES[0]] + row[NAMES[1]] * _8 + row[NAMES[2]] * _9) / row[NAMES[3]] * _100


# --- the ASCII-renamed formula: the floor of parsing ---------------------------------------------------


def ascii_text(formula: Formula) -> str:
    """The same formula with ASCII names, ``%`` as ``*0.01`` and a comment for the note: valid Python."""
    names: dict[str, str] = {}

    def rename(node: Node) -> Node:
        match node:
            case Variable(name=name):
                return Variable(names.setdefault(name, f"a{len(names)}"))
            case Negate(operand=operand):
                return Negate(rename(operand))
            case Sum(operands=operands, operators=operators):
                return Sum(tuple(rename(o) for o in operands), operators)
            case Product(operands=operands, operators=operators):
                return Product(tuple(rename(o) for o in operands), operators)
            case Comparison(op=op, left=left, right=right):
                return Comparison(op, rename(left), rename(right))
            case Call(function=function, args=args):
                return Call(function, tuple(rename(a) for a in args))
            case _:
                return node

    body = to_text(rename(formula.expr)) if formula.expr is not None else "a0"
    body = body.replace("%", "*0.01").replace("‰", "*0.001")
    body = re.sub(r"(?<![<>!=])=(?!=)", "==", body)
    text = f"v={body}" if formula.lhs else body
    if formula.note:
        text += "  # " + "x" * len(formula.note)
    ast.parse(text)
    return text


# --- the rows of the table ------------------------------------------------------------------------------


def _parse() -> Figure:
    floors = [ascii_text(parse_formula(t)) for t in FORMULAS]

    def work() -> None:
        for text in FORMULAS:
            formula_parser.parse_uncached(text)

    def floor() -> None:
        for text in floors:
            ast.parse(text)

    w, f, ratio, low, high = interleaved(work, floor)
    n = len(FORMULAS)
    cached = interleaved(lambda: [parse_formula(t) for t in FORMULAS], floor, rounds=5)[0] / n
    return Figure("parse one formula (no cache)", w / n, f / n, ratio, low, high, "≤ 8×", ratio <= 8,
                  note=f"floor: `ast.parse` of the ASCII-renamed formula; the {n} formulas of the table "
                       f"in turn. With `parse_formula`'s cache (the same text again): {cached * 1e6:.2g} µs")


def _compiled() -> Figure:
    function = to_callable(parse_formula(GARBAGE))
    w, f, ratio, low, high = interleaved(lambda: function(ROW), lambda: hand_written(ROW))
    return Figure("one evaluation, compiled (`to_callable`)", w, f, ratio, low, high, "≤ 2×", ratio <= 2,
                  note="floor: a hand-written Decimal function of the same formula")


def _evaluate() -> Figure:
    formula = parse_formula(GARBAGE)
    w, f, ratio, low, high = interleaved(lambda: evaluate(formula, ROW), lambda: hand_written(ROW))
    return Figure("one evaluation, `evaluate()` with Decimal inputs", w, f, ratio, low, high, "≤ 20×",
                  ratio <= 20, note="floor: the same hand-written function")


def _rows(count: int) -> list[dict[str, Decimal]]:
    out = []
    for i in range(count):
        a, b, c = Decimal(1000 + i % 500), Decimal(3000 + i % 700), Decimal(2000 + i % 900)
        out.append({NAMES[0]: a, NAMES[1]: b, NAMES[2]: c, NAMES[3]: a + b + c + Decimal(i % 300)})
    return out


def _closure_batch() -> Figure:
    rows = _rows(100_000)  # 10 passes: 10⁶ evaluations without holding 10⁶ rows
    many = to_batch(parse_formula(GARBAGE))

    def work() -> None:
        for _ in range(10):
            many(rows)

    def floor() -> None:
        for _ in range(10):
            [hand_written(row) for row in rows]

    w, f, ratio, low, high = interleaved(work, floor, rounds=5, seconds=0.0)
    million = 1_000_000
    return Figure("10⁶ rows, exact compiled batch (`to_batch`)", w / million, f / million, ratio, low, high,
                  "≤ 1.5×", ratio <= 1.5, note=f"{million / w:,.0f} rows/s against {million / f:,.0f} rows/s "
                                               "for a hand-written Decimal function in a list comprehension")


def _write_big_csv(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["单位", *NAMES])
        for i in range(count):
            a, b, c = 1000 + i % 500, 3000 + i % 700, 2000 + i % 900
            total = a + b + c + i % 300 if i % 1000 else 0  # one row in 1000 has a zero divisor
            writer.writerow([f"单位{i}", f"{a:,}", b, c, total])


_FLOOR_SCRIPT = """
import duckdb, sys
cells = ", ".join(f"TRY_CAST(replace(\\"{n}\\", ',', '') AS DECIMAL(38, 10)) AS \\"{n}\\""
                  for n in sys.argv[3:])
a, b, c, d = (f'"{n}"' for n in sys.argv[3:])
duckdb.connect().execute(
    f"COPY (SELECT \\"单位\\", ({a} + {b} * 0.8 + {c} * 0.9) / NULLIF({d}, 0) * 100 AS v FROM "
    f"(SELECT \\"单位\\", {cells} FROM read_csv('{sys.argv[1]}', all_varchar = true))) TO '{sys.argv[2]}'"
)
"""


def _batch_cli(folder: Path) -> tuple[Figure, Figure]:
    source = folder / "rows.csv"
    _write_big_csv(source, 1_000_000)
    work = [sys.executable, "-m", "indicators", "batch", "eval", GARBAGE, "--csv", str(source),
            "--key", "单位", "-o", str(folder / "out.parquet"), "--no-progress"]
    floor = [sys.executable, "-c", _FLOOR_SCRIPT, str(source), str(folder / "floor.parquet"), *NAMES]
    w, f, ratio, low, high, work_mem, floor_mem = interleaved_processes(work, floor, rounds=3)
    time_row = Figure("`batch eval` CLI, 10⁶-row CSV → Parquet", w, f, ratio, low, high, "≤ 4×", ratio <= 4,
                      unit="s", note="floor: a Python script of one DuckDB `COPY` computing the formula in "
                                     "DOUBLE (not exact); the CLI computes in exact DECIMAL(38, 10)")
    mb = 2**20
    memory_row = Figure("`batch eval` CLI, peak memory", work_mem, floor_mem, work_mem / floor_mem,
                        None, None, "< 300 MB", work_mem < 300 * mb, unit="s",
                        note=f"{work_mem / mb:.0f} MB against {floor_mem / mb:.0f} MB for the script")
    return time_row, memory_row


def _cold_check() -> Figure:
    # as an installed package runs: with its bytecode (pip compiles it; the warm-up run writes it here),
    # not compiling every module from source on every start
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    work = [sys.executable, "-m", "indicators", "check", str(SEED)]
    floor = [sys.executable, "-c", "pass"]
    w, f, ratio, low, high, _, _ = interleaved_processes(work, floor, rounds=7, env=env)
    return Figure("cold `indicators check` on the seed form", w, f, ratio, low, high, "< 0.4 s wall", w < 0.4,
                  unit="s", note="floor: `python -c pass`; the grammar cache is warm, as after the first "
                                 "run; the bytecode is written by the warm-up run, as an installation has it")


def _check_rows(folder: Path) -> Figure:
    from indicators.forms import read_form
    from indicators.lint import lint_form

    count = 10_000
    path = folder / "big.tsv"
    lines = ["一级指标\t二级指标\t三级指标\t计算公式\t年度指标值"]
    for i in range(count):
        formula = f"指标值=整改件数{i % 50}/应整改总数*100%"
        lines.append(f"产出指标\t数量指标\t安全隐患整改完成率{i}\t{formula}\t{80 + i % 20}%以上")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    lint_form(read_form(SEED))  # parsers and catalog built
    times = []
    for _ in range(3):
        start = time.perf_counter()
        lint_form(read_form(path))
        times.append((time.perf_counter() - start) / count)
    per = statistics.median(times)
    return Figure("`check` per row at 10⁴ rows", per, None, None, None, None, "≤ 0.5 ms", per <= 0.0005,
                  unit="ms", note="reading the form and every rule, per row (median of 3)")


# --- the report ------------------------------------------------------------------------------------------


def _row(figure: Figure) -> str:
    if figure.name.endswith("peak memory"):
        work = f"{figure.work / 2**20:.0f} MB"
        floor = f"{figure.floor / 2**20:.0f} MB" if figure.floor else "—"
    else:
        work, floor = figure.shown(figure.work), figure.shown(figure.floor)
    ratio = "—" if figure.ratio is None else f"{figure.ratio:.1f}×"
    spread = "" if figure.low is None or figure.high is None else f"{figure.low:.1f}–{figure.high:.1f}×"
    met = "met" if figure.met else "**not met**"
    return f"| {figure.name} | {work} | {floor} | {ratio} | {spread} | {figure.goal} | {met} |"


def report(figures: list[Figure], seconds: float) -> str:
    today = datetime.date.today().isoformat()
    head = [
        "| path | work | floor (same run) | ratio | spread | goal | |",
        "|---|---|---|---|---|---|---|",
    ]
    notes = [f"- **{f.name}**: {f.note}" for f in figures if f.note]
    return "\n".join([*head, *(_row(f) for f in figures), "", *notes, "",
                      f"Measured {today} on {machine()}; the run took {seconds:.0f} s."])


def run() -> list[Figure]:
    started = time.perf_counter()
    steps: list[Callable[[], Figure | tuple[Figure, ...]]] = [_parse, _compiled, _evaluate, _closure_batch]
    figures: list[Figure] = []
    for step in steps:
        found = step()
        figures.extend(found if isinstance(found, tuple) else (found,))
        _print(figures[-1:] if not isinstance(found, tuple) else list(found))
    with tempfile.TemporaryDirectory() as folder:
        for found in (*_batch_cli(Path(folder)), _cold_check(), _check_rows(Path(folder))):
            figures.append(found)
            _print([found])
    table = report(figures, time.perf_counter() - started)
    _write(table)
    return figures


def _print(figures: list[Figure]) -> None:
    for figure in figures:
        print(_row(figure), flush=True)


_BEGIN, _END = "<!-- figures: begin (make bench) -->", "<!-- figures: end -->"


def _write(table: str) -> None:
    """Replace the figures between the markers of docs/performance.md."""
    text = DOC.read_text(encoding="utf-8") if DOC.is_file() else f"# Performance\n\n{_BEGIN}\n{_END}\n"
    if _BEGIN not in text or _END not in text:
        text += f"\n{_BEGIN}\n{_END}\n"
    before, rest = text.split(_BEGIN, 1)
    _, after = rest.split(_END, 1)
    DOC.write_text(f"{before}{_BEGIN}\n{table}\n{_END}{after}", encoding="utf-8")
    print(f"wrote {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    run()
