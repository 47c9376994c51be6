"""`indicators score-batch`: a long table of year-end results (one row per unit × indicator × period) scored
in DuckDB, or its SQL for a warehouse.

    indicators score-batch TABLE [--out FILE.parquet|.csv] [--policy NAME|PATH] [--format text|json | --json]
                                 [--progress | --no-progress]
    indicators score-batch TABLE --emit-sql postgres|spark|trino|duckdb [--table NAME] [--policy NAME|PATH]

Plainly numeric rows are scored in exact DECIMAL SQL; the others (qualitative, unreadable, other units,
weights to split) by the Python scorer, with the same results as ``indicators score``. With ``--out`` the
lines go to the file and the totals of each unit × period beside it (``FILE.totals.parquet``), from file to
file in DuckDB; without it everything is printed. Exit codes: 0 scored (warnings allowed), 1 an input
could not be read or a line has an error, 2 usage. Reference: docs/batch.md ("score-batch").
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from indicators.cli.output import EXIT_INVALID, EXIT_OK, add_format

if TYPE_CHECKING:
    from indicators.scoring.batch import ScoreBatchResult
    from indicators.scoring.policy import Policy

EMIT_DIALECTS = ("postgres", "spark", "trino", "duckdb")


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add the `score-batch` command to the top-level parser."""
    p = sub.add_parser(
        "score-batch",
        help="批量绩效自评：对长表（单位 × 指标 × 年度）逐行评分（DuckDB），或输出数据仓库 SQL",
        description="对长表（每行一个单位的一个指标在一个年度的实际完成值）逐行计算得分和各单位总分："
        "数值行在 DuckDB 中以精确的 DECIMAL SQL 计算，"
        "其余行（定性、无法识别、单位不同等）按 indicators score "
        "的方法在 Python 中计算。需要 pip install 'indicators[batch]'。方法见 docs/batch.md。",
    )
    p.add_argument(
        "table", metavar="TABLE", help="长表：CSV（第一行为列名；UTF-8、GB18030 等编码均可）或 Parquet 文件"
    )
    p.add_argument(
        "--out", metavar="FILE", help="把逐行得分写入 .parquet 或 .csv 文件（总分写入 FILE.totals.*）"
    )
    p.add_argument(
        "--policy", default="default", metavar="NAME|PATH", help="评分规则名或文件（默认 project-2020）"
    )
    p.add_argument(
        "--emit-sql",
        metavar="DIALECT",
        help=f"不计算，输出在数据仓库中评分的 SQL（{'、'.join(EMIT_DIALECTS)} 等）",
    )
    p.add_argument(
        "--table",
        dest="sql_table",
        default="indicators_input",
        metavar="NAME",
        help="--emit-sql 查询的表名（默认 indicators_input）",
    )
    add_format(p)
    p.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="写入文件时显示进度条（默认：在终端上显示）",
    )
    p.set_defaults(handler=_run)


def _policy(name: str) -> Policy:
    from indicators.codes import diagnostic
    from indicators.scoring import available_policies, load_policy
    from indicators.scoring.batch import ScoreBatchError
    from indicators.scoring.policy import ALIASES

    looks_like_path = (
        any(ch in name for ch in "/\\") or name.endswith((".yaml", ".yml")) or Path(name).is_file()
    )
    if not looks_like_path and name not in available_policies() and name not in ALIASES:
        shown = "、".join(available_policies())
        raise ScoreBatchError(
            diagnostic("IND852", name=name, hint=f"可用的评分规则：{shown}；或给出规则文件的路径")
        )
    return load_policy(name)


def _run(args: argparse.Namespace) -> int:
    from indicators.cli.batch_cmd import progress_bar
    from indicators.scoring.batch import emit_sql, score_table

    policy = _policy(args.policy)
    if args.emit_sql:
        print(emit_sql(Path(args.table), args.emit_sql, policy=policy, table=args.sql_table))
        return EXIT_OK
    show = bool(args.out) and (sys.stderr.isatty() if args.progress is None else args.progress)
    with progress_bar(show, Path(args.table).name) as progress:
        result = score_table(Path(args.table), policy=policy, out=args.out, progress=progress)
    if args.json:
        from indicators.cli.output import emit

        emit(_document(result, policy))
    elif not args.out:
        sys.stdout.write(_text(result))
    if args.out:
        written = "、".join(str(p) for p in result.outputs)
        codes = "；".join(f"{code} {count} 行" for code, count in result.codes)
        print(
            f"已评分 {result.rows} 行（SQL {result.sql_rows} 行，Python {result.python_rows} 行），"
            f"{len(result.totals)} 个单位×年度，写入 {written}" + (f"；未计分：{codes}" if codes else ""),
            file=sys.stderr,
        )
    return EXIT_INVALID if _has_errors(result) else EXIT_OK


def _has_errors(result: ScoreBatchResult) -> bool:
    from indicators.codes import lookup
    from indicators.diagnostics import Severity

    return any(lookup(code).severity is Severity.ERROR for code, _ in result.codes)


def _document(result: ScoreBatchResult, policy: Policy) -> dict[str, Any]:
    from dataclasses import asdict

    return {
        "policy": policy.name,
        "rows": result.rows,
        "sql_rows": result.sql_rows,
        "python_rows": result.python_rows,
        "codes": dict(result.codes),
        "outputs": [str(p) for p in result.outputs],
        "totals": [asdict(t) for t in result.totals],
        "lines": None if result.lines is None else [asdict(line) for line in result.lines],
    }


def _cell(value: object) -> str:
    if value is None:
        return ""
    return f"{value:f}" if hasattr(value, "is_finite") else str(value)


def _points(value: object) -> str:
    """A weight as people write it (``20``, ``3.58``), not DECIMAL's ``20.0000``."""
    from decimal import Decimal

    from indicators.units import format_short

    return format_short(value) if isinstance(value, Decimal) else _cell(value)


def _text(result: ScoreBatchResult) -> str:
    out: list[list[str]] = []
    if result.lines is not None:
        out.append(["行", "单位", "年度", "三级指标", "结果", "完成度", "分值", "得分", "代码"])
        out += [
            [
                _cell(x.row),
                _cell(x.unit),
                _cell(x.period),
                _cell(x.indicator),
                _cell(x.verdict),
                _cell(x.achievement),
                _points(x.weight),
                _cell(x.score),
                _cell(x.code),
            ]
            for x in result.lines
        ]
        out.append([])
    out.append(["单位", "年度", "行数", "分值合计", "总分", "折算总分", "等级"])
    out += [
        [
            _cell(t.unit),
            _cell(t.period),
            str(t.rows),
            _points(t.weight_total),
            _cell(t.total),
            _cell(t.scaled_total),
            t.grade,
        ]
        for t in result.totals
    ]
    return "".join("\t".join(cells) + "\n" for cells in out)
