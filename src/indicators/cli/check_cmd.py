"""``indicators check FORM...``: lint declared forms (docs/lint-rules.md).

Text output: ``path:row:col: CODE 严重程度 message`` and a hint line per finding, coloured only on a
terminal, then a summary line. JSON output (``--format json`` or ``--json``): one object with
``schema_version``, ``files``, ``diagnostics`` and ``summary`` (:class:`indicators.documents.CheckReport`);
CSV, SARIF and an annotated XLSX workbook are written by :mod:`indicators.lint.writers`. The
configuration (``indicators.toml`` or ``[tool.indicators]``) is found as ruff finds its own.
Exit 0 when no errors, 1 when errors were found or a form could not be read, 2 on usage errors.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from indicators.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from indicators.forms.model import Form
    from indicators.lint.config import LintConfig
    from indicators.lint.templates import Template

from indicators.cli.output import EXIT_INVALID, EXIT_OK, UsageError, add_format

FORMATS = ("text", "json", "csv", "sarif", "xlsx")
#: a form checked: its path, the form (None when it could not be read) and the findings
Checked = tuple[str, "Form | None", list[Diagnostic]]

__all__ = ["FORMATS", "item_json", "register", "report_json", "run", "write_text"]



def __getattr__(name: str) -> object:
    """``JSON_VERSION``, from the linter's JSON writer when first asked (the linter loads with ``check``)."""
    if name == "JSON_VERSION":
        from indicators.lint.writers.jsonfile import JSON_VERSION

        return JSON_VERSION
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
    add_format(p, FORMATS,
               help="输出格式：text（默认）、json、csv、sarif，或 xlsx（在申报表上批注，须同时给出 -o）")
    p.add_argument("-o", "--output", metavar="FILE", help="写入文件（xlsx 必须给出；其他格式默认输出到屏幕）")
    p.add_argument(
        "--config", metavar="FILE",
        help="配置文件（indicators.toml，或含 [tool.indicators] 的 pyproject.toml；"
        "默认在当前目录及上级目录中查找）",
    )
    p.add_argument("--isolated", action="store_true", help="不读取任何配置文件")
    p.add_argument(
        "--template", metavar="NAME|FILE",
        help="按此模板检查必须设置的指标类别（内置 department、project，或 .yaml 模板文件；"
        "默认按表格类型选择）",
    )
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


def _config(args: argparse.Namespace) -> LintConfig:
    """The configuration given with --config, found from the current directory, or none (--isolated)."""
    from indicators.lint.config import LintConfig, find_config, read_config

    if args.isolated:
        return LintConfig()
    path = Path(args.config) if args.config is not None else find_config()
    if args.config is not None and not Path(args.config).is_file():
        raise UsageError(f"--config：配置文件“{args.config}”不存在")
    return read_config(path) if path is not None else LintConfig()


def _prepare(args: argparse.Namespace) -> tuple[LintConfig, Template | None]:
    from indicators.lint import Selection, SelectorError
    from indicators.lint.config import ConfigError
    from indicators.lint.templates import TemplateError, load_template

    try:
        config = _config(args)
        Selection.of(args.select or config.select, (*config.ignore, *args.ignore))
        name = args.template or config.template
        template = load_template(name) if name is not None else None
    except (SelectorError, ConfigError, TemplateError) as exc:
        raise UsageError(str(exc)) from exc
    for folder in args.catalog:
        if not Path(folder).is_dir():
            raise UsageError(f"--catalog：指标库目录“{folder}”不存在")
    if args.prior is not None and not Path(args.prior).is_file():
        problem = "是一个目录，不是文件" if Path(args.prior).is_dir() else "不存在"
        raise UsageError(f"--prior：上年值文件“{args.prior}”{problem}")
    if args.format == "xlsx" and not args.output:
        raise UsageError("--format xlsx 须用 -o 给出输出文件，如 -o 审核意见.xlsx")
    return config, template


def run(args: argparse.Namespace) -> int:
    from indicators.catalog import load_catalog
    from indicators.errors import IndicatorsError
    from indicators.forms import read_form
    from indicators.lint import lint_form, read_prior

    config, template = _prepare(args)
    catalog = load_catalog(*(Path(d) for d in args.catalog))
    prior = read_prior(args.prior) if args.prior is not None else None

    checked: list[Checked] = []
    for path in args.forms:
        try:
            form = read_form(path, catalog=catalog, sheet=args.sheet)
        except IndicatorsError as exc:  # FormReadError, a limit exceeded: the file is reported, not raised
            if args.format != "text":
                print(f"{path}: {exc}", file=sys.stderr)
            checked.append((path, None, list(exc.diagnostics)))
            continue
        found = lint_form(form, catalog=catalog, select=args.select, ignore=args.ignore, prior=prior,
                          config=config, template=template, path=path)
        checked.append((path, form, found))
    write_output(args, checked)
    unreadable = any(form is None for _, form, _ in checked)
    errors = any(d.severity is Severity.ERROR for _, _, found in checked for d in found)
    return EXIT_INVALID if errors or unreadable else EXIT_OK


def write_output(args: argparse.Namespace, checked: Sequence[Checked]) -> None:
    """Write the findings in the chosen format, to ``--output`` or standard output."""
    results = [(path, found) for path, _, found in checked]
    if args.format == "xlsx":
        from indicators.lint.writers.grid import source_grid
        from indicators.lint.writers.xlsx import write_workbook

        forms = [(path, source_grid(path, form) if form is not None else None, found)
                 for path, form, found in checked]
        write_workbook(forms, args.output)
        return
    out = open(args.output, "w", encoding="utf-8-sig" if args.format == "csv" else "utf-8",  # noqa: SIM115
               newline="") if args.output else sys.stdout
    try:
        if args.format == "json":
            from indicators.cli.output import emit
            from indicators.documents import check_report

            emit(check_report(results), out)
        elif args.format == "sarif":
            from indicators.cli.render import emit_json
            from indicators.lint.writers.sarif import sarif_report

            emit_json(sarif_report(results), out)
        elif args.format == "csv":
            from indicators.lint.writers.csvfile import write_csv

            write_csv(results, out)
        else:
            write_text(results, out)
    finally:
        if out is not sys.stdout:
            out.close()


def item_json(path: str, d: Diagnostic) -> dict[str, Any]:
    """The documented JSON shape of one finding (:mod:`indicators.lint.writers.jsonfile`)."""
    from indicators.lint.writers.jsonfile import item_json as build

    return build(path, d)


def report_json(results: Sequence[tuple[str, Sequence[Diagnostic]]]) -> dict[str, Any]:
    """The ``--format json`` object (:mod:`indicators.lint.writers.jsonfile`)."""
    from indicators.lint.writers.jsonfile import report_json as build

    return build(results)


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
    from indicators.lint.writers.jsonfile import counts as count

    counts = count([d for _, found in results for d in found])
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
