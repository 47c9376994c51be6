"""`indicators batch` commands: a formula as SQL, and a formula over every row of a CSV file.

    indicators batch sql FORMULA [--dialect duckdb|postgres|mysql|tsql|oracle|hive|spark|...]
                                 [--column NAME=col ...] [--format text|json | --json]
    indicators batch eval FORMULA --csv FILE [--column NAME=col ...] [--key COL]
                                  [--format text|csv|json | --json] [-o OUT]

Exit codes: 0 ok (``eval``: every row computed), 1 invalid input or rows that could not be computed
(their diagnostics go to stderr), 2 usage. duckdb and sqlglot are imported only when these commands
run; when they are missing the error says ``pip install 'indicators[batch]'``. Reference: docs/batch.md.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from indicators.formula.batch import BatchRow

from indicators.cli.output import EXIT_INVALID, EXIT_OK, EXIT_USAGE, add_format

DIALECTS = ("duckdb", "postgres", "mysql", "tsql", "oracle", "hive", "spark", "bigquery", "snowflake",
            "sqlite", "trino", "clickhouse", "redshift", "databricks")


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add the `batch` command family to the top-level parser."""
    family = sub.add_parser(
        "batch", help="批量计算：把公式转为 SQL，或对 CSV 的每一行计算指标值",
        description="批量计算：把公式转为 SQL（DuckDB 及各类数据仓库），或对 CSV 文件的每一行计算指标值。"
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

    e = commands.add_parser("eval", help="对 CSV 文件的每一行计算指标值（DuckDB）")
    e.add_argument("formula", metavar="FORMULA", help="公式文本")
    e.add_argument("--csv", required=True, metavar="FILE", help="UTF-8 CSV 文件，第一行为列名")
    e.add_argument("--column", action="append", default=[], metavar="NAME=col",
                   help="变量对应的列名，可重复（默认列名即变量名）")
    e.add_argument("--key", metavar="COL", help="每行的标识列，如 单位 或 月份，随结果输出")
    add_format(e, ("text", "csv", "json"))
    e.add_argument("-o", "--output", metavar="OUT", help="写入文件（默认输出到屏幕）")
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

    formula = parse_formula(args.formula)
    rows = evaluate_table(formula, Path(args.csv), columns=_columns(args.column), key=args.key)
    if args.format == "json":
        data = {
            "formula": formula.text,
            "canonical": formula.canonical(),
            "unit": rows[0].unit if rows else None,
            "rows": [dict(r.to_dict(), diagnostics=[diagnostic_json(d) for d in r.diagnostics])
                     for r in rows],
        }
        text = dumps(data) + "\n"
    elif args.format == "csv":
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
        print(d.render() if d.location is not None else f"{args.csv}: {d.render()}", file=sys.stderr)
    return EXIT_INVALID if problems else EXIT_OK


def _csv(rows: list[BatchRow], key: str | None) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["行", key or "键", "指标值", "单位", "说明"])
    for r in rows:
        value = "" if r.value is None else f"{r.value:f}"
        notes = "；".join(d.message for d in r.diagnostics)
        writer.writerow([r.row, r.key or "", value, r.unit or "", notes])
    return buffer.getvalue()
