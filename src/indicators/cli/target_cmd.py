"""`indicators target` commands: parse a target, check an actual value against it.

    indicators target parse TEXT [--unit U] [--level1 L] [--level2 L] [--indicator NAME] [--format F|--json]
    indicators target check TARGET ACTUAL [--baseline V] [--unit U] [--level1 L] [--level2 L]
                            [--indicator NAME] [--format text|json|--json]

``check`` exits 0 when the target is met; 1 when it is not met, not comparable or needs a baseline, or
when the target or the actual value cannot be read; 2 for a usage error. The notes on how the texts
were read (a restated actual IND218, a completion word IND220, a month read as a deadline IND227 …) go
to stderr in text output and into ``diagnostics`` in JSON (:class:`indicators.documents.OutcomeDocument`;
``parse``: :class:`~indicators.documents.TargetDocument`).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from indicators.diagnostics import Diagnostic
    from indicators.target import Outcome, Target

from indicators.cli.output import EXIT_INVALID, EXIT_OK, EXIT_USAGE, add_format


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add the `target` command family to the top-level parser."""
    family = sub.add_parser(
        "target", help="解析指标值、判断实际完成值是否达到指标值",
        description="解析指标值（年度指标值），判断实际完成值是否达到指标值。",
    )
    family.set_defaults(handler=lambda args: _usage(family))
    commands = family.add_subparsers(dest="target_command", metavar="SUBCOMMAND", parser_class=type(family))

    p = commands.add_parser("parse", help="解析指标值：类型、比较方向、数值与单位、规范写法")
    p.add_argument("text", metavar="TEXT", help="指标值文本，如 '95%%以上'、'控制在100万元以内'、'良以上'")
    _common(p)
    p.set_defaults(handler=_parse)

    c = commands.add_parser("check", help="判断实际完成值是否达到指标值")
    c.add_argument("target", metavar="TARGET", help="指标值文本，如 '95%%以上'")
    c.add_argument("actual", metavar="ACTUAL", help="实际完成值，如 '96.5%%'、'合格'、'达成'")
    c.add_argument("--baseline", metavar="V", default=None,
                   help="基期值（如上年值），用于“较上年提高”等相对目标")
    _common(c)
    c.set_defaults(handler=_check)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--unit", metavar="U", default=None,
                   help="计量单位栏的单位，用于未写单位的数值，如 %%、万元")
    p.add_argument("--level1", metavar="L", default=None,
                   help="一级指标（产出/效益/满意度/成本），决定未写比较方向的数值按 ≥ 还是 ≤ 理解")
    p.add_argument("--level2", metavar="L", default=None,
                   help="二级指标（如产出下的“成本指标”），成本指标的数值未写比较方向时按 ≤ 理解；"
                        "“时效指标”下单独的月份按该月底前完成理解")
    p.add_argument("--indicator", metavar="NAME", default=None,
                   help="三级指标名称，如“项目完工时限”（时效类：月份按截止时间理解）、“服务周期”（按期间理解）、"
                        "“验收合格率”（比率）")
    add_format(p)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return EXIT_USAGE


def target_json(target: Target) -> dict[str, Any]:
    """The JSON of a parsed target (:class:`indicators.documents.TargetDocument`)."""
    from indicators.cli.output import document
    from indicators.documents import target_document

    data: dict[str, Any] = document(target_document(target))
    return data


def outcome_json(outcome: Outcome, notes: tuple[Diagnostic, ...] = ()) -> dict[str, Any]:
    """The JSON of a check (:class:`indicators.documents.OutcomeDocument`): outcome, achievement (exact
    decimal string or null), explanation, and the diagnostics (``notes`` on the target first)."""
    from indicators.cli.output import document
    from indicators.documents import outcome_document

    data: dict[str, Any] = document(outcome_document(outcome, notes))
    return data


def _describe(target: Target) -> str:
    lines = [f"类型: {target.kind.value}", f"规范写法: {target.canonical()}"]
    if target.comparator:
        lines.append(f"比较: {target.comparator}{'（默认）' if target.default_comparator else ''}")
    if target.bound is not None:
        lines.append(f"数值: {target.bound}")
    if target.lower is not None and target.upper is not None:
        lines.append(f"区间: {target.lower} 至 {target.upper}")
    if target.unit:
        lines.append(f"单位: {target.unit}")
    if target.grade:
        better = "及以上" if target.grade.or_better else ""
        lines.append(f"等级: {target.grade.level}（{target.grade.scale}）{better}")
    lines.append(f"方向: {target.direction.value}")
    lines.append(f"可衡量: {'是' if target.measurable else '否'}")
    if target.subject:
        lines.append(f"主语: {target.subject}")
    from indicators.target.parser import describe_reading

    reading = describe_reading(target)
    if reading:
        lines.append(f"时间读法: {reading}")
    return "\n".join(lines)


def _check_unit(unit: str | None) -> None:
    """An explicit ``--unit`` must name a unit (a form's unit column is read leniently instead)."""
    if unit is None:
        return
    from indicators.codes import diagnostic
    from indicators.errors import UnitError
    from indicators.units import is_unit

    if not is_unit(unit.replace("百分比", "%")):
        raise UnitError(diagnostic("IND301", text=unit))


def _parse(args: argparse.Namespace) -> int:
    from indicators.cli.output import emit
    from indicators.cli.render import print_diagnostics
    from indicators.target import parse_target

    _check_unit(args.unit)
    target = parse_target(args.text, unit=args.unit, level1=args.level1, level2=args.level2,
                          indicator=args.indicator)
    if args.json:
        emit(target_json(target))
    else:
        print(_describe(target))
        print_diagnostics(target.warnings)
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from indicators.cli.output import emit
    from indicators.cli.render import print_diagnostics
    from indicators.target import parse_actual, parse_target

    _check_unit(args.unit)
    target = parse_target(args.target, unit=args.unit, level1=args.level1, level2=args.level2,
                          indicator=args.indicator)
    actual = parse_actual(args.actual, unit=args.unit)
    baseline = parse_actual(args.baseline, unit=args.unit) if args.baseline is not None else None
    outcome = target.evaluate(actual, baseline)
    if args.json:
        emit(outcome_json(outcome, target.warnings))
    else:
        print(f"{outcome.status.label} ({outcome.status.value})")
        print(outcome.explanation)
        if outcome.achievement is not None and "完成度" not in outcome.explanation:
            from decimal import ROUND_HALF_UP, Decimal

            shown = (outcome.achievement * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            print(f"完成度：{shown}%（精确值见 --json）")
        print_diagnostics((*target.warnings, *outcome.diagnostics))
    return EXIT_OK if outcome.met else EXIT_INVALID
