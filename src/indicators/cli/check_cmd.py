"""``indicators check FORM...``: lint declared forms (docs/lint-rules.md).

Text output: ``path:row:col: CODE 严重程度 message`` and a hint line per finding, coloured only on a
terminal, then a summary line. JSON output: one object with ``files``, ``diagnostics`` and ``summary``.
Exit 0 when no errors, 1 when errors were found or a form could not be read, 2 on usage errors.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from indicators.diagnostics import Diagnostic, Severity

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
JSON_VERSION = 1

_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add the ``check`` command to the top-level parser."""
    p = sub.add_parser(
        "check",
        help="审核绩效目标申报表（lint）",
        description="审核绩效目标申报表：逐项列出问题（行、列、代码、说明、建议）。"
        "规则见 docs/lint-rules.md。",
    )
    p.add_argument("forms", nargs="+", metavar="FORM", help="申报表文件（文本、CSV、XLSX 或 JSON）")
    p.add_argument("--format", choices=("text", "json"), default="text", help="输出格式（默认 text）")
    p.add_argument(
        "--select", action="append", default=[], metavar="CODES",
        help="只运行这些规则：代码（IND603）、前缀（IND6）、标识或组（lint.target-*、budget），逗号分隔",
    )
    p.add_argument(
        "--ignore", action="append", default=[], metavar="CODES", help="不报告这些规则，写法同 --select"
    )
    p.add_argument("--prior", metavar="FILE", help="上年值文件（CSV 或 JSON：三级指标名称或编码 → 上年值）")
    p.add_argument(
        "--catalog", action="append", default=[], metavar="DIR",
        help="叠加在内置指标库之上的指标库目录（可重复）",
    )
    p.add_argument(
        "--sheet", metavar="NAME", help="XLSX 中要审核的工作表（默认：含绩效指标表的第一张可见工作表）"
    )
    p.set_defaults(handler=run)


def _usage_error(message: str) -> int:
    print(f"indicators check: 用法错误 (usage error): {message}", file=sys.stderr)
    return EXIT_USAGE


def run(args: argparse.Namespace) -> int:
    from indicators.catalog import load_catalog
    from indicators.errors import IndicatorsError
    from indicators.forms import read_form
    from indicators.lint import Selection, SelectorError, lint_form, read_prior

    try:
        Selection.of(args.select, args.ignore)
    except SelectorError as exc:
        return _usage_error(str(exc))
    for folder in args.catalog:
        if not Path(folder).is_dir():
            return _usage_error(f"指标库目录“{folder}”不存在")
    if args.prior is not None and not Path(args.prior).is_file():
        problem = "是一个目录，不是文件" if Path(args.prior).is_dir() else "不存在"
        return _usage_error(f"上年值文件“{args.prior}”{problem}")

    catalog = load_catalog(*(Path(d) for d in args.catalog))
    prior = read_prior(args.prior) if args.prior is not None else None

    results: list[tuple[str, list[Diagnostic]]] = []
    unreadable = False
    for path in args.forms:
        try:
            form = read_form(path, catalog=catalog, sheet=args.sheet)
        except IndicatorsError as exc:  # FormReadError, a limit exceeded: the file is reported, not raised
            unreadable = True
            if args.format == "json":
                print(f"{path}: {exc}", file=sys.stderr)
            results.append((path, list(exc.diagnostics)))
            continue
        results.append((path, lint_form(form, catalog=catalog, select=args.select, ignore=args.ignore,
                                        prior=prior)))

    if args.format == "json":
        from indicators.cli.render import emit_json

        emit_json(report_json(results))
    else:
        write_text(results, sys.stdout)
    errors = any(d.severity is Severity.ERROR for _, found in results for d in found)
    return EXIT_INVALID if errors or unreadable else EXIT_OK


def _counts(found: Sequence[Diagnostic]) -> dict[str, int]:
    return {
        "errors": sum(d.severity is Severity.ERROR for d in found),
        "warnings": sum(d.severity is Severity.WARNING for d in found),
        "info": sum(d.severity is Severity.INFO for d in found),
    }


def item_json(path: str, d: Diagnostic) -> dict[str, Any]:
    """The documented JSON shape of one finding."""
    loc = d.location
    return {
        "file": path,
        "code": d.code,
        "slug": d.slug,
        "severity": d.severity.value,
        "message": d.message,
        "hint": d.hint,
        "row": loc.row if loc else None,
        "column": loc.column if loc else None,
        "cell": loc.cell if loc else None,
        "sheet": loc.sheet if loc else None,
        "indicator": d.indicator,
        "span": d.span.model_dump(mode="json") if d.span else None,
        "text": d.text,
        "fix": d.fix,
        "data": d.model_dump(mode="json")["data"],
    }


def report_json(results: Sequence[tuple[str, list[Diagnostic]]]) -> dict[str, Any]:
    """The ``--format json`` object."""
    files = [{"file": path, **_counts(found)} for path, found in results]
    everything = [d for _, found in results for d in found]
    return {
        "version": JSON_VERSION,
        "files": files,
        "diagnostics": [item_json(path, d) for path, found in results for d in found],
        "summary": {"files": len(results), **_counts(everything)},
    }


def _where(path: str, d: Diagnostic) -> str:
    loc = d.location
    if loc is None or loc.row is None:
        return f"{path}:"
    return f"{path}:{loc.row}:{loc.column or 1}:"


def text_lines(path: str, d: Diagnostic) -> tuple[str, str | None]:
    """The finding line and its hint line."""
    head = f"{_where(path, d)} {d.code} {d.severity.label} {d.message}"
    return head, (f"    建议：{d.hint}" if d.hint else None)


def summary_line(results: Sequence[tuple[str, list[Diagnostic]]]) -> str:
    counts = _counts([d for _, found in results for d in found])
    return (
        f"共检查 {len(results)} 个文件：{counts['errors']} 个错误，{counts['warnings']} 个警告，"
        f"{counts['info']} 个提示"
    )


def write_text(results: Sequence[tuple[str, list[Diagnostic]]], out: TextIO) -> None:
    """Plain lines, or coloured with rich when ``out`` is a terminal."""
    if out.isatty():
        _write_rich(results, out)
        return
    for path, found in results:
        for d in found:
            head, hint = text_lines(path, d)
            print(head, file=out)
            if hint:
                print(hint, file=out)
    print(summary_line(results), file=out)


def _write_rich(results: Sequence[tuple[str, list[Diagnostic]]], out: TextIO) -> None:
    from rich.console import Console
    from rich.text import Text

    console = Console(file=out, highlight=False, soft_wrap=True)
    for path, found in results:
        for d in found:
            line = Text()
            line.append(_where(path, d), style="bold")
            line.append(" ")
            line.append(d.code, style=_STYLES[d.severity])
            line.append(f" {d.severity.label} ", style=_STYLES[d.severity])
            line.append(d.message)
            console.print(line)
            if d.hint:
                console.print(Text(f"    建议：{d.hint}", style="dim"))
    console.print(Text(summary_line(results), style="bold"))
