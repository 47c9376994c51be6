"""`indicators formula` commands: parse, eval, table, solve, equiv and latex.

    indicators formula parse TEXT [--format text|json | --json]
    indicators formula eval TEXT --var NAME=VALUE ... [--json] [--places N]
    indicators formula table FILE [--json]
    indicators formula solve TEXT --for NAME --target N [--compare ge|gt|le|lt|eq] [--var NAME=VALUE ...]
                             [--whole | --not-whole] [--json]
    indicators formula equiv A B [--ignore-unit] [--json]
    indicators formula latex TEXT [--json]
    indicators formula compile TEXT [--show] [--json]

Exit codes: 0 ok, 1 invalid input (the rendered diagnostic goes to stderr), 2 usage. ``solve`` exits 1
when no value meets the target; ``equiv`` exits 0 when the formulas are equivalent, 1 when they are
not (or when that cannot be decided). Symbolic analysis loads sympy only when these commands run.
"""

from __future__ import annotations

import argparse
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from indicators.diagnostics import display_width

if TYPE_CHECKING:
    from indicators.formula import Equivalence, Evaluation, Formula, Requirement

from indicators.cli.output import EXIT_INVALID, EXIT_OK, EXIT_USAGE, UsageError, add_format, emit

#: the most decimal places ``--places`` accepts (``indicators.formula.evaluator.MAX_PLACES``)
MAX_PLACES = 20

#: the columns of a formula table file (TSV with a header row)
TABLE_COLUMNS = ("三级指标", "计算公式", "示例取值")


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add the `formula` command family to the top-level parser."""
    family = sub.add_parser(
        "formula", help="解析、计算指标的计算公式",
        description="解析、计算绩效指标的计算公式。以“-”开头的公式写在 -- 之后，如 formula parse -- '-a+b'。"
    )
    family.set_defaults(handler=lambda args: _usage(family))
    commands = family.add_subparsers(dest="formula_command", metavar="SUBCOMMAND", parser_class=type(family))

    p = commands.add_parser("parse", help="解析公式：类型、变量、规范写法、语法树")
    p.add_argument("text", metavar="TEXT", help="公式文本，如 '指标值=办结工单/呈办工单*100%%'")
    add_format(p)
    p.set_defaults(handler=_parse)

    e = commands.add_parser("eval", help="按给定变量值计算公式")
    e.add_argument("text", metavar="TEXT", help="公式文本")
    e.add_argument("--var", action="append", default=[], metavar="NAME=VALUE",
                   help="变量取值，可重复，如 --var 办结工单=290")
    e.add_argument("--places", type=_places, default=2, metavar="N",
                   help=f"显示的小数位数，0 至 {MAX_PLACES}（默认 2，四舍五入）")
    add_format(e)
    e.set_defaults(handler=_eval)

    t = commands.add_parser(
        "table", help="逐行解析并计算 TSV 文件中的公式（列：三级指标、计算公式、示例取值）"
    )
    t.add_argument("file", metavar="FILE", help="TSV 文件；示例取值列可省略，写作 名称=数值;名称=数值")
    add_format(t)
    t.set_defaults(handler=_table)

    s = commands.add_parser("solve", help="反推变量：达到目标值时某个变量应取多少")
    s.add_argument("text", metavar="TEXT", help="公式文本，如 '指标值=办结工单/呈办工单*100%%'")
    s.add_argument("--for", dest="name", required=True, metavar="NAME", help="要求解的变量，如 办结工单")
    s.add_argument("--target", required=True, metavar="N",
                   help="目标值，按公式的单位填写：百分比公式写 95 或 95%%（比值公式写 0.95 或 95%%）")
    s.add_argument("--compare", choices=("eq", "ge", "gt", "le", "lt"), default="eq",
                   help="目标的比较方向：eq 恰好等于（默认），ge 不低于（如“95%%以上”），gt 高于，"
                        "le 不高于，lt 低于")
    s.add_argument("--var", action="append", default=[], metavar="NAME=VALUE",
                   help="其他变量的取值，可重复，如 --var 呈办工单=2970")
    whole = s.add_mutually_exclusive_group()
    whole.add_argument("--whole", dest="whole", action="store_const", const=True, default=None,
                       help="该变量是计数，结果取整数（默认按名称判断，如“…数”“…工单”“…人次”）")
    whole.add_argument("--not-whole", dest="whole", action="store_const", const=False,
                       help="该变量不是计数，结果不取整")
    add_format(s)
    s.set_defaults(handler=_solve)

    q = commands.add_parser("equiv", help="判断两个公式是否等价（化简后比较）")
    q.add_argument("left", metavar="A", help="第一个公式")
    q.add_argument("right", metavar="B", help="第二个公式")
    q.add_argument("--ignore-unit", action="store_true",
                   help="只比较数值，不比较单位（a/b 与 a/b*100%% 视为等价）")
    add_format(q)
    q.set_defaults(handler=_equiv)

    x = commands.add_parser("latex", help="把公式写成 LaTeX")
    x.add_argument("text", metavar="TEXT", help="公式文本")
    add_format(x)
    x.set_defaults(handler=_latex)

    c = commands.add_parser("compile", help="把公式编译为 Python 函数（批量计算用），--show 显示生成的源代码")
    c.add_argument("text", metavar="TEXT", help="公式文本")
    c.add_argument("--show", action="store_true", help="显示由语法树生成的 Python 源代码")
    add_format(c)
    c.set_defaults(handler=_compile)


def _places(text: str) -> int:
    """``--places``: a whole number from 0 to ``MAX_PLACES`` (argparse turns the error into exit 2)."""
    try:
        places = int(text)
    except ValueError:
        places = -1
    if not 0 <= places <= MAX_PLACES:
        raise argparse.ArgumentTypeError(f"小数位数应为 0 至 {MAX_PLACES} 的整数，而不是“{text}”")
    return places


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return EXIT_USAGE


def _parse(args: argparse.Namespace) -> int:
    from indicators.cli.render import print_diagnostics
    from indicators.documents import formula_document
    from indicators.formula import parse_formula

    formula = parse_formula(args.text)
    if args.json:
        emit(formula_document(formula))
    else:
        print(_describe(formula))
    print_diagnostics(formula.warnings)
    return EXIT_OK


def _evaluation_json(result: Evaluation, places: int = 2) -> dict[str, Any]:
    """``Evaluation.to_dict()`` with diagnostics in the CLI's diagnostic JSON shape."""
    from indicators.cli.render import diagnostic_json

    data = result.to_dict(places)
    data["diagnostics"] = [diagnostic_json(d) for d in result.diagnostics]
    return data


def _describe(formula: Formula) -> str:
    lines = [
        f"类型: {formula.kind.label} ({formula.kind.value})",
        f"变量: {'、'.join(formula.variables()) or '—'}",
        f"规范写法: {formula.canonical()}",
    ]
    if formula.unit:
        lines.append(f"单位: {formula.unit}")
    if formula.alternatives:
        lines.append(f"可选值: {' / '.join(formula.alternatives)}")
    if formula.note:
        lines.append(f"说明: {formula.note}")
    if formula.definitions:
        lines.append("定义: " + "；".join(f"{name}：{meaning}" for name, meaning in formula.definitions))
    if formula.is_arithmetic and (units := formula.variable_units()):
        lines.append("变量单位: " + "；".join(f"{name}：{unit}" for name, unit in units.items()))
    if formula.expr is not None:
        from indicators.formula.nodes import outline

        lines.append("语法树:")
        lines.extend("  " + line for line in outline(formula.expr))
    return "\n".join(lines)


def _eval(args: argparse.Namespace) -> int:
    from indicators.cli.render import print_diagnostics
    from indicators.documents import evaluation_document
    from indicators.formula import evaluate, parse_formula

    values = _read_vars(args.var)
    formula = parse_formula(args.text)
    result = evaluate(formula, values)
    print_diagnostics(formula.warnings)
    if args.json:
        emit(evaluation_document(formula, result, args.places))
    elif result.ok:
        print(result.display(args.places))
    if not result.ok or not args.json:  # a warning (a rounded result, IND030) on stderr
        print_diagnostics(result.diagnostics)
    if not result.ok:
        return EXIT_INVALID
    return EXIT_OK


def _read_vars(items: list[str]) -> dict[str, str]:
    """``--var NAME=VALUE`` options as a dict; a usage error when one is malformed."""
    values: dict[str, str] = {}
    for item in items:
        name, sep, value = _split_assignment(item)
        if not sep or not name:
            raise UsageError(f"--var 应写作 名称=数值，而不是“{item}”")
        values[name] = value
    return values


def _solve(args: argparse.Namespace) -> int:
    from indicators.cli.render import print_diagnostics
    from indicators.formula import Requirement, is_count_name, parse_formula, required, solve_for

    values = _read_vars(args.var)
    formula = parse_formula(args.text)
    print_diagnostics(formula.warnings)
    answer: Requirement | None
    whole = args.whole
    if args.compare == "eq":  # the exact value: a count that comes out fractional is shown as it is
        value = solve_for(formula, args.name, args.target, values)
        name = _written_name(args.name, formula)
        answer = None if value is None else Requirement(name, value, "eq", value, True, False)
        if whole is None:
            whole = is_count_name(name)
    else:
        answer = required(formula, args.name, bound=args.target, comparator=args.compare, values=values,
                          whole=whole)
    if args.json:
        emit(_solve_json(formula, args, values, answer))
    elif answer is not None:
        print(answer.describe())
        if answer.side == "eq" and whole and answer.value != answer.value.to_integral_value():
            print("注意：该变量是计数，但没有整数取值恰好达到目标；"
                  "用 --compare ge（或 le）求至少（至多）需要多少")
    if answer is None:
        sign = {"eq": "=", "ge": "≥", "gt": ">", "le": "≤", "lt": "<"}[args.compare]
        target = args.target.strip()
        if formula.unit and not target.endswith(("%", "‰", "％")):
            target += formula.unit
        what = "整数取值" if whole and args.compare != "eq" else "取值"
        print(f"无解：{args.name}没有任何{what}能使公式的值{sign}{target}", file=sys.stderr)
        return EXIT_INVALID
    return EXIT_OK


def _written_name(name: str, formula: Formula) -> str:
    """The variable as the formula writes it (names match by ``normalize_name``)."""
    from indicators.text import normalize_name

    key = normalize_name(name, drop_suffix=False)
    return next((n for n in formula.variables() if normalize_name(n, drop_suffix=False) == key), name)


def _solve_json(
    formula: Formula, args: argparse.Namespace, values: dict[str, str], answer: Requirement | None
) -> dict[str, Any]:
    """The documented JSON shape of ``formula solve --json``."""
    return {
        "formula": formula.text,
        "canonical": formula.canonical(),
        "unit": formula.unit,
        "variable": answer.name if answer is not None else args.name,
        "target": args.target,
        "compare": args.compare,
        "values": values,
        "ok": answer is not None,
        "solution": answer.to_dict() if answer is not None else None,
    }


def _equiv(args: argparse.Namespace) -> int:
    from indicators.cli.render import print_diagnostics
    from indicators.formula import compare, parse_formula

    left, right = parse_formula(args.left), parse_formula(args.right)
    print_diagnostics((*left.warnings, *right.warnings))
    result = compare(left, right)
    print_diagnostics(result.notes)  # IND031: compared at sample points, not symbolically
    same = result.same_value is True and (result.same_unit or args.ignore_unit)
    if args.json:
        emit(_equiv_json(left, right, result, same))
    else:
        print(_equiv_text(result, same))
    return EXIT_OK if same else EXIT_INVALID


def _unit_word(unit: str | None) -> str:
    return unit or "无单位"


def _equiv_text(result: Equivalence, same: bool) -> str:
    if result.same_value is True:
        if same and result.same_unit:
            return "等价"
        units = f"{_unit_word(result.left_unit)} 与 {_unit_word(result.right_unit)}"
        if same:
            return f"等价（数值相同；单位不同：{units}）"
        return f"不等价：数值相同，但指标值的单位不同（{units}）；只比较数值请加 --ignore-unit"
    if result.same_value is None:
        return "无法判定：未能证明两式相等，也未找到使两式不等的取值"
    if not result.counterexample:
        return "不等价"
    point = "，".join(f"{name}={value}" for name, value in result.counterexample.items())
    left = _short(result.left_value) + (result.left_unit or "")
    right = _short(result.right_value) + (result.right_unit or "")
    return f"不等价：例如 {point} 时，A = {left}，B = {right}"


def _short(value: Decimal | None) -> str:
    """A value for reading: exact when it has at most 6 decimals, else ``≈`` and 6 decimals (half up)."""
    if value is None:
        return "—"
    if value.as_tuple().exponent >= -6:  # type: ignore[operator]
        return f"{value:f}"
    return "≈" + f"{value.quantize(Decimal('0.000001'), rounding=ROUND_HALF_UP):f}"


def _equiv_json(left: Formula, right: Formula, result: Equivalence, same: bool) -> dict[str, Any]:
    """The documented JSON shape of ``formula equiv --json``."""

    def side(formula: Formula, value: object) -> dict[str, Any]:
        shown = None if value is None else f"{value}"
        return {"text": formula.text, "canonical": formula.canonical(), "unit": formula.unit, "value": shown}

    return {
        "equivalent": same,
        "same_value": result.same_value,
        "same_unit": result.same_unit,
        "counterexample": {k: f"{v}" for k, v in result.counterexample.items()} or None,
        "left": side(left, result.left_value),
        "right": side(right, result.right_value),
    }


def _compile(args: argparse.Namespace) -> int:
    from indicators.cli.render import print_diagnostics
    from indicators.formula import parse_formula
    from indicators.formula.compile_py import result_unit, to_source

    formula = parse_formula(args.text)
    source = to_source(formula)
    print_diagnostics(formula.warnings)
    if args.json:
        emit({"formula": formula.text, "canonical": formula.canonical(), "variables": formula.variables(),
              "unit": result_unit(formula), "source": source})
        return EXIT_OK
    if args.show:
        print(source, end="")
        return EXIT_OK
    names = "、".join(formula.variables()) or "无"
    print(f"已编译：{formula.canonical()}\n变量：{names}\n结果单位：{result_unit(formula) or '无（数值）'}")
    return EXIT_OK


def _latex(args: argparse.Namespace) -> int:
    from indicators.cli.render import print_diagnostics
    from indicators.formula import latex, parse_formula

    formula = parse_formula(args.text)
    print_diagnostics(formula.warnings)
    if args.json:
        emit({"formula": formula.text, "canonical": formula.canonical(), "latex": latex(formula)})
    else:
        print(latex(formula))
    return EXIT_OK


def _split_assignment(item: str) -> tuple[str, bool, str]:
    for i, ch in enumerate(item):
        if ch in "=＝":
            return item[:i].strip(), True, item[i + 1 :].strip()
    return item.strip(), False, ""


def parse_samples(text: str) -> dict[str, str]:
    """``名称=数值;名称=数值`` (also ``；``) → a dict; pieces without ``=`` are ignored."""
    out: dict[str, str] = {}
    for piece in text.replace("；", ";").split(";"):
        name, sep, value = _split_assignment(piece)
        if sep and name:
            out[name] = value
    return out


def _table(args: argparse.Namespace) -> int:
    from indicators.cli.render import diagnostic_json
    from indicators.codes import diagnostic
    from indicators.errors import IndicatorsError
    from indicators.formula import evaluate, parse_formula

    path = Path(args.file)
    content = _read_text(path)
    if isinstance(content, Exception):
        print(diagnostic("IND004", reason=f"{path}：{content}").render(), file=sys.stderr)
        return EXIT_INVALID
    rows = _split_rows(content, path.suffix.lower())
    if not rows or tuple(c.strip() for c in rows[0][:2]) != TABLE_COLUMNS[:2]:
        reason = f"{path}: 第一行应为表头 {' '.join(TABLE_COLUMNS)}（以制表符分隔）"
        print(diagnostic("IND004", reason=reason).render(), file=sys.stderr)
        return EXIT_INVALID

    status = EXIT_OK
    records: list[dict[str, Any]] = []
    for number, row in enumerate(rows[1:], start=2):
        cells = [*row, "", "", ""]
        name, text, samples = cells[0].strip(), cells[1].strip(), cells[2].strip()
        record: dict[str, Any] = {"row": number, "name": name, "formula": text}
        try:
            formula = parse_formula(text)
        except IndicatorsError as exc:
            status = EXIT_INVALID
            record.update(kind=None, variables=[], value=None, display=f"错误 {exc.diagnostic.code}",
                          diagnostics=[diagnostic_json(d) for d in exc.diagnostics])
            print(f"{path}:{number}: {exc.render()}", file=sys.stderr)
            records.append(record)
            continue
        record.update(kind=formula.kind.value, kind_label=formula.kind.label,
                      variables=list(formula.variables()), canonical=formula.canonical())
        for warning in formula.warnings:
            print(f"{path}:{number}: {warning.render()}", file=sys.stderr)
        values = parse_samples(samples)
        if formula.is_arithmetic and not samples:
            record.update(ok=True, value=None, unit=None, display="—")
        elif formula.is_arithmetic:
            result = evaluate(formula, values)
            record.update(_evaluation_json(result))
            if not result.ok:
                status = EXIT_INVALID
                for d in result.diagnostics:
                    print(f"{path}:{number}: {d.render()}", file=sys.stderr)
        else:
            shown = "、".join(values.values()) or " / ".join(formula.alternatives) or "—"
            record.update(ok=True, value=None, unit=None, display=shown)
        records.append(record)

    if args.json:
        emit({"file": str(path), "rows": records})
    else:
        _print_table(records)
    return status


def _split_rows(content: str, suffix: str) -> list[list[str]]:
    """The non-blank rows of a table: tab text split without quoting (formulas hold quotes), CSV by the
    delimiter :func:`indicators.inputs.guess_delimiter` finds."""
    import csv
    import io

    from indicators.inputs import guess_delimiter

    delimiter = guess_delimiter(content, suffix)
    if delimiter == "\t":
        return [line.split("\t") for line in content.splitlines() if line.strip()]
    rows = csv.reader(io.StringIO(content), delimiter=delimiter)
    return [row for row in rows if any(c.strip() for c in row)]


def _read_text(path: Path) -> str | ValueError:
    """The text of a table file, read and decoded by :mod:`indicators.inputs` like every file the CLI
    reads; a :class:`ValueError` with the reason in Chinese otherwise."""
    from indicators.inputs import InputError, read_text

    try:
        _, decoded = read_text(path)
    except InputError as exc:
        return ValueError(exc.reason)
    return decoded.text


def _print_table(records: list[dict[str, Any]]) -> None:
    header = ("三级指标", "类型", "示例值", "变量")
    body = [
        (
            str(r["name"]),
            str(r.get("kind_label") or "错误"),
            str(r.get("display") or ""),
            "、".join(r.get("variables") or []) or "—",
        )
        for r in records
    ]
    widths = [max(display_width(row[i]) for row in (header, *body)) for i in range(3)]

    def line(cells: tuple[str, str, str, str]) -> str:
        padded = [c + " " * (w - display_width(c)) for c, w in zip(cells[:3], widths, strict=True)]
        return "  ".join([*padded, cells[3]]).rstrip()

    print(line(header))
    print("  ".join("-" * w for w in [*widths, 4]))
    for row in body:
        print(line(row))
