"""`indicators batch` commands: a formula as SQL, and a formula over every row of a CSV or Parquet file.

    indicators batch sql FORMULA [--dialect duckdb|postgres|mysql|tsql|oracle|hive|spark|...]
                                 [--column NAME=col ...] [--format text|json | --json]
    indicators batch eval FORMULA (--csv FILE | --input FILE) [--column NAME=col ...] [--key COL]
                                  [--format text|csv|json|parquet | --json] [-o OUT]
                                  [--progress | --no-progress]
    indicators batch eval FORMULA --emit-sql DIALECT [--table NAME] [--column NAME=col ...] [--key COL]

``eval`` writing CSV or Parquet to a file (``-o``) runs in DuckDB from file to file: only the rows that
cannot be computed come back to Python, and a progress bar shows on a terminal. Text and JSON, and CSV
on the screen, are built in Python from every row (for tables that fit the screen). ``--emit-sql``
prints the query for a warehouse instead of computing.

Exit codes: 0 ok (``eval``: every row computed), 1 invalid input or rows that could not be computed
(their diagnostics go to stderr), 2 usage. duckdb and sqlglot are imported only when these commands
run; when they are missing the error says ``pip install 'indicators[batch]'``. Reference: docs/batch.md.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from indicators.formula.batch import BatchRow

from indicators.cli.output import EXIT_INVALID, EXIT_OK, EXIT_USAGE, UsageError, add_format

#: how many rows that could not be computed are listed on stderr when a file is written
SHOWN_FAILURES = 100
DIALECTS = ("duckdb", "postgres", "mysql", "tsql", "oracle", "hive", "spark", "bigquery", "snowflake",
            "sqlite", "trino", "clickhouse", "redshift", "databricks")


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add the `batch` command family to the top-level parser."""
    family = sub.add_parser(
        "batch", help="批量计算：把公式转为 SQL，或对 CSV、Parquet 表的每一行计算指标值",
        description="批量计算：把公式转为 SQL（DuckDB 及各类数据仓库），"
                    "或对 CSV、Parquet 文件的每一行计算指标值（写入文件时在 DuckDB 中从文件到文件计算）。"
                    "需要 pip install 'indicators[batch]'。",
    )
    family.set_defaults(handler=lambda args: _usage(family))
    commands = family.add_subparsers(dest="batch_command", metavar="SUBCOMMAND", parser_class=type(family))

    s = commands.add_parser("sql", help="把公式转为 SQL 表达式")
    s.add_argument("formula", metavar="FORMULA", help="公式文本，如 '指标值=办结工单/呈办工单*100%%'")
    s.add_argument("--dialect", default="duckdb", metavar="DIALECT",
                   help=f"SQL 方言（默认 duckdb），如 {'、'.join(DIALECTS[:7])} 等 sqlglot 支持的方言")
    s.add_argument("--column", action="append", default=[], metavar="NAME=col",
                   help="变量对应的列名，可重复，如 --column 办结工单=done（默认列名即变量名）")
    add_format(s)
    s.set_defaults(handler=_sql)

    e = commands.add_parser("eval", help="对 CSV 或 Parquet 文件的每一行计算指标值（DuckDB）")
    e.add_argument("formula", metavar="FORMULA", help="公式文本")
    source = e.add_mutually_exclusive_group()
    source.add_argument("--csv", metavar="FILE", help="CSV 文件，第一行为列名（UTF-8、GB18030 等编码均可）")
    source.add_argument("--input", metavar="FILE", help="CSV 或 Parquet 文件（按扩展名 .csv / .parquet）")
    source.add_argument("--emit-sql", metavar="DIALECT",
                        help="不计算，输出在数据仓库中计算的 SQL 查询（如 postgres、spark、trino）")
    e.add_argument("--table", default="indicators_input", metavar="NAME",
                   help="--emit-sql 查询的表名（默认 indicators_input）")
    e.add_argument("--column", action="append", default=[], metavar="NAME=col",
                   help="变量对应的列名，可重复（默认列名即变量名）")
    e.add_argument("--key", metavar="COL", help="每行的标识列，如 单位 或 月份，随结果输出")
    add_format(e, ("text", "csv", "json", "parquet"), default=None,
               help="输出格式（默认 text；-o 为 .csv 或 .parquet 文件时按扩展名）")
    e.add_argument("-o", "--output", metavar="OUT", help="写入文件（默认输出到屏幕）")
    e.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="写入文件时显示进度条（默认：在终端上显示）")
    e.set_defaults(handler=_eval)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return EXIT_USAGE


def _columns(pairs: list[str]) -> dict[str, str]:
    from indicators.codes import diagnostic
    from indicators.formula.batch import BatchError

    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, column = pair.partition("=")
        if not sep or not name.strip() or not column.strip():
            raise BatchError(diagnostic("IND130", detail=f"--column “{pair}”应写作 名称=列名",
                                        hint="如 --column 办结工单=done"))
        out[name.strip()] = column.strip()
    return out


def _sql(args: argparse.Namespace) -> int:
    from indicators.cli.render import print_diagnostics
    from indicators.formula import parse_formula
    from indicators.formula.compile_sql import to_sql

    formula = parse_formula(args.formula)
    sql = to_sql(formula, dialect=args.dialect, columns=_columns(args.column))
    if args.json:
        from indicators.cli.output import emit

        emit({"formula": formula.text, "canonical": formula.canonical(), "dialect": args.dialect, "sql": sql})
    else:
        print(sql)
    print_diagnostics(formula.warnings)
    return EXIT_OK


def _eval(args: argparse.Namespace) -> int:
    from indicators.cli.output import dumps
    from indicators.cli.render import diagnostic_json, print_diagnostics
    from indicators.formula import parse_formula
    from indicators.formula.batch import evaluate_table

    if args.emit_sql:
        return _emit_sql(args)
    path = args.csv or args.input
    if path is None:
        raise UsageError("需要 --csv、--input 或 --emit-sql 之一")
    fmt = args.format or _format_of(args.output)
    if fmt == "parquet" and not args.output:
        raise UsageError("--format parquet 需要 -o 输出文件")
    if args.output and fmt in ("csv", "parquet"):
        return _eval_to_file(args, path, fmt)
    formula = parse_formula(args.formula)
    rows = evaluate_table(formula, Path(path), columns=_columns(args.column), key=args.key)
    if fmt == "json":
        data = {
            "formula": formula.text,
            "canonical": formula.canonical(),
            "unit": rows[0].unit if rows else None,
            "rows": [dict(r.to_dict(), diagnostics=[diagnostic_json(d) for d in r.diagnostics])
                     for r in rows],
        }
        text = dumps(data) + "\n"
    elif fmt == "csv":
        text = _csv(rows, args.key)
    else:
        lines = [["行", *([args.key] if args.key else []), "指标值"]]
        lines += [[str(r.row), *([r.key or ""] if args.key else []), r.display()] for r in rows]
        text = "".join("\t".join(cells) + "\n" for cells in lines)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    print_diagnostics(formula.warnings)
    problems = [d for r in rows for d in r.diagnostics]
    for d in problems:
        print(d.render() if d.location is not None else f"{path}: {d.render()}", file=sys.stderr)
    return EXIT_INVALID if problems else EXIT_OK


def _format_of(output: str | None) -> str:
    suffix = Path(output).suffix.lower() if output else ""
    return {".csv": "csv", ".parquet": "parquet"}.get(suffix, "text")


def _eval_to_file(args: argparse.Namespace, path: str, fmt: str) -> int:
    """CSV or Parquet from file to file in DuckDB; the rows that could not be computed on stderr."""
    from indicators.cli.render import print_diagnostics
    from indicators.formula import parse_formula
    from indicators.formula.batch import evaluate_to_file

    formula = parse_formula(args.formula)
    show = sys.stderr.isatty() if args.progress is None else args.progress
    with progress_bar(show, Path(path).name) as progress:
        summary = evaluate_to_file(formula, Path(path), Path(args.output), columns=_columns(args.column),
                                   key=args.key, fmt=fmt, progress=progress)
    print_diagnostics(formula.warnings)
    failed = summary.failed
    for row in failed[:SHOWN_FAILURES]:
        for d in row.diagnostics:
            print(f"{path}: {d.render()}", file=sys.stderr)
    if len(failed) > SHOWN_FAILURES:
        more = len(failed) - SHOWN_FAILURES
        print(f"{path}: 另有 {more} 行无法计算，见输出文件的“说明”列", file=sys.stderr)
    tail = f"，其中 {len(failed)} 行无法计算" if failed else ""
    print(f"已写入 {summary.rows} 行到 {args.output}{tail}", file=sys.stderr)
    return EXIT_INVALID if failed else EXIT_OK


@contextlib.contextmanager
def progress_bar(show: bool, label: str) -> Iterator[Callable[[float], None] | None]:
    """A rich progress bar on stderr while DuckDB works (or nothing)."""
    if not show:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TimeElapsedColumn

    with Progress(f"计算 {label}", BarColumn(), TaskProgressColumn(), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("batch", total=1.0)
        yield lambda share: bar.update(task, completed=share)


def _emit_sql(args: argparse.Namespace) -> int:
    """The query computing the formula for every row of a warehouse table, in the dialect asked for."""
    from sqlglot import exp

    from indicators.cli.render import print_diagnostics
    from indicators.formula import parse_formula
    from indicators.formula.compile_sql import to_expression

    formula = parse_formula(args.formula)
    value = to_expression(formula, dialect=args.emit_sql, columns=_columns(args.column))
    selected = [exp.column(args.key, quoted=True)] if args.key else []
    query = exp.select(*selected, exp.alias_(value, "指标值", quoted=True)).from_(
        exp.Table(this=exp.to_identifier(args.table, quoted=True)))
    print(query.sql(dialect=args.emit_sql.strip().lower()) + ";")
    print_diagnostics(formula.warnings)
    return EXIT_OK


def _csv(rows: list[BatchRow], key: str | None) -> str:
    """The rows as CSV; a text a spreadsheet would take for a formula gets a leading ``'``."""
    from indicators.spreadsheet import csv_text

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["行", key or "键", "指标值", "单位", "说明"])
    for r in rows:
        value = "" if r.value is None else f"{r.value:f}"
        notes = "；".join(d.message for d in r.diagnostics)
        writer.writerow([r.row, csv_text(r.key or ""), value, csv_text(r.unit or ""), csv_text(notes)])
    return buffer.getvalue()
