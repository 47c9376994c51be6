"""`indicators audit`: recompute every score of completed self-evaluation tables (绩效自评表).

    indicators audit TABLE... [--policy NAME|PATH] [--format text|json|xlsx|csv | --json] [-o OUT]

TABLE is a file (XLSX, CSV, tab text), a directory (its tables, sorted by name) or a glob pattern
(``'2024/*.xlsx'``). With more than one table on a terminal a progress bar runs on standard error.
Exit codes: 0 no error-level finding, 1 some error-level finding (or a table that cannot be read),
2 usage error.
"""

from __future__ import annotations

import argparse
import glob
import sys
from pathlib import Path
from typing import Any

from indicators.cli.output import EXIT_INVALID, EXIT_OK, UsageError, add_format

FORMATS = ("text", "json", "xlsx", "csv")
#: the files a directory contributes
TABLE_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".tsv", ".txt", ".json")


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add the `audit` command to the top-level parser."""
    p = sub.add_parser(
        "audit",
        help="审核已填报的绩效自评表：逐行复核得分并说明差异",
        description="逐行复核绩效自评表的得分：填报得分、复核得分、差异及发现。方法见 docs/audit.md。",
    )
    p.add_argument("tables", nargs="+", metavar="TABLE", help="自评表文件、目录或通配符（如 'data/*.xlsx'）")
    p.add_argument(
        "--policy",
        metavar="NAME|PATH",
        help="评分规则名或文件（默认按表格类型：项目支出 project-2020，部门整体 department）",
    )
    add_format(p, FORMATS)
    p.add_argument("-o", "--output", metavar="OUT", help="输出文件（xlsx 格式必填）")
    p.set_defaults(handler=run)


def expand(tables: list[str]) -> tuple[list[Path], list[str]]:
    """The files named: a file as given, a directory's tables (recursively, sorted), a glob's matches.
    Returns the files and the arguments that name none."""
    files: list[Path] = []
    empty: list[str] = []
    for arg in tables:
        path = Path(arg)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in TABLE_SUFFIXES)
        elif path.exists():
            found = [path]
        elif glob.has_magic(arg):
            found = sorted(Path(p) for p in glob.glob(arg, recursive=True) if Path(p).is_file())
        else:
            found = [path]  # reported by the audit as unreadable
        if not found:
            empty.append(arg)
        files.extend(p for p in found if p not in files)
    return files, empty


def run(args: argparse.Namespace) -> int:
    from indicators.scoring import load_policy
    from indicators.scoring.audit.writers import to_csv, to_json, to_text, write_xlsx

    if args.format == "xlsx" and not args.output:
        raise UsageError("--format xlsx 需要用 -o 指定输出文件")
    policy = load_policy(args.policy) if args.policy else None
    files, empty = expand(args.tables)
    if not files:
        raise UsageError("、".join(f"“{arg}”" for arg in empty) + "中没有找到表格文件")
    for arg in empty:
        print(f"indicators audit: “{arg}”中没有找到表格文件", file=sys.stderr)
    report = _with_progress(files, policy)
    has_error = any(t.has_error for t in report.tables) or bool(empty)
    if args.format == "xlsx":
        try:
            write_xlsx(report, Path(args.output))
        except OSError as exc:
            return _cannot_write(args.output, exc)
        print(
            f"已写入 {args.output}：{report.summary.tables} 张表，"
            f"{report.summary.tables_with_errors} 张有错误"
        )
        return EXIT_INVALID if has_error else EXIT_OK
    if args.format == "json":
        text = to_json(report)
    elif args.format == "csv":
        text = to_csv(report)
    else:
        text = to_text(report, color=args.output is None and sys.stdout.isatty())
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8-sig" if args.format == "csv" else "utf-8")
        except OSError as exc:
            return _cannot_write(args.output, exc)
    else:
        sys.stdout.write(text)
    return EXIT_INVALID if has_error else EXIT_OK


def _with_progress(files: list[Path], policy: Any) -> Any:
    """Audit the files; a rich progress bar on standard error when it is a terminal and there are several."""
    from indicators.scoring.audit import audit_paths

    if len(files) < 2 or not sys.stderr.isatty():
        return audit_paths(files, policy=policy)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("审核自评表"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("audit", total=len(files))
        return audit_paths(files, policy=policy, progress=lambda _: progress.advance(task))


def _cannot_write(output: str, exc: OSError) -> int:
    print(f"indicators audit: 无法写入 {output}：{exc.strerror or exc}", file=sys.stderr)
    return EXIT_INVALID
