"""`indicators score`: year-end self-evaluation (绩效自评) of a declared form against its actual values.

    indicators score FORM [--actuals FILE] [--budget-executed X --budget-total Y] [--policy NAME|PATH]
                     [--prior FILE] [--format text|json|markdown|xlsx | --json] [-o OUT] [--explain]

The policy follows the form's type (项目支出: project-2020, 部门整体: department) unless ``--policy`` names
one. ``--actuals`` may be left out for a self-evaluation table (绩效自评表) that carries its own 实际完成值
column. Exit codes: 0 scored (warnings allowed), 1 unreadable input or an error on some line, 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from indicators.catalog import Catalog

from indicators.cli.output import EXIT_INVALID, EXIT_OK, UsageError, add_format

FORMATS = ("text", "json", "markdown", "xlsx")


def _amount(text: str) -> Decimal:
    from indicators.scoring.actuals import parse_amount

    value = parse_amount(text)
    if value is None:
        raise argparse.ArgumentTypeError(f"“{text}”不是有效的金额（如 1234.56 或 1,234.56万元）")
    return value


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add the `score` command to the top-level parser."""
    p = sub.add_parser(
        "score",
        help="绩效自评：按实际完成值计算各指标得分、总分与等级",
        description="按评分规则计算绩效自评得分：项目支出表按财预〔2020〕10号（project-2020），"
        "部门整体表按 department 规则，可用 --policy 指定。方法见 docs/scoring.md。",
    )
    p.add_argument("form", metavar="FORM", help="绩效目标申报表（文本、CSV、XLSX 或导出的 JSON）")
    p.add_argument(
        "--actuals",
        metavar="FILE",
        help="实际完成值文件（CSV、XLSX 或 JSON）；绩效自评表自带“实际完成值”栏时可省略",
    )
    p.add_argument("--budget-total", type=_amount, metavar="Y", help="全年预算数（万元，可写“元”）")
    p.add_argument("--budget-executed", type=_amount, metavar="X", help="全年执行数（万元，可写“元”）")
    p.add_argument("--budget-initial", type=_amount, metavar="Z", help="年初预算数（万元，可写“元”）")
    p.add_argument(
        "--policy",
        metavar="NAME|PATH",
        help="评分规则名或文件（默认按表格类型：项目支出 project-2020，部门整体 department）",
    )
    p.add_argument("--prior", metavar="FILE", help="上年实际值文件（格式同 --actuals），用于相对目标")
    add_format(p, FORMATS)
    p.add_argument("-o", "--output", metavar="OUT", help="输出文件（xlsx 格式必填）")
    p.add_argument("--explain", action="store_true", help="逐行列出所用规则与算式")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from indicators.diagnostics import Severity
    from indicators.forms import FormKind, read_form
    from indicators.scoring import (
        BudgetExecution,
        load_policy,
        policy_for,
        prior_values,
        read_actuals,
        score_form,
    )
    from indicators.scoring.writers import to_json, to_markdown, to_text, write_xlsx

    if args.format == "xlsx" and not args.output:
        raise UsageError("--format xlsx 需要用 -o 指定输出文件")
    chosen = load_policy(args.policy) if args.policy else None
    form = read_form(args.form)
    policy = chosen or policy_for(str(form.form_type))
    if args.actuals is None and form.kind is not FormKind.SELF_EVALUATION:
        raise UsageError("该表没有“实际完成值”栏，请用 --actuals 指定实际完成值文件")
    actuals = read_actuals(args.actuals) if args.actuals is not None else None
    prior: dict[str, str] | None = None
    if args.prior:
        prior, prior_findings = prior_values(form, read_actuals(args.prior))
        for d in prior_findings:
            print(d.render(), file=sys.stderr)
    budget = None
    if args.budget_total is not None or args.budget_executed is not None or args.budget_initial is not None:
        budget = BudgetExecution(
            total=args.budget_total, executed=args.budget_executed, initial=args.budget_initial
        )
    catalog = _catalog()
    sheet = score_form(form, actuals, policy=policy, budget=budget, prior=prior, catalog=catalog)
    has_error = any(d.severity is Severity.ERROR for d in sheet.all_diagnostics())
    if args.format == "xlsx":
        try:
            write_xlsx(sheet, Path(args.output))
        except OSError as exc:
            return _cannot_write(args.output, exc)
        print(f"已写入 {args.output}：总分 {sheet.total}，等级 {sheet.grade}")
        for d in sheet.all_diagnostics():
            print(d.render(), file=sys.stderr)
        return EXIT_INVALID if has_error else EXIT_OK
    if args.format == "json":
        text = to_json(sheet)
    elif args.format == "markdown":
        text = to_markdown(sheet, explain=args.explain)
    else:
        text = to_text(sheet, explain=args.explain, color=args.output is None and sys.stdout.isatty())
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            return _cannot_write(args.output, exc)
    else:
        sys.stdout.write(text)
    return EXIT_INVALID if has_error else EXIT_OK


def _cannot_write(output: str, exc: OSError) -> int:
    print(f"indicators score: 无法写入 {output}：{exc.strerror or exc}", file=sys.stderr)
    return EXIT_INVALID


def _catalog() -> Catalog | None:
    """The bundled catalog (plus INDICATORS_CATALOG), used to match actuals keyed by code or alias.

    An invalid user catalog is reported and scoring goes on matching by name only.
    """
    from indicators.catalog import load_catalog
    from indicators.errors import CatalogError

    try:
        return load_catalog()
    except CatalogError as exc:
        print(exc.render(), file=sys.stderr)
        return None
