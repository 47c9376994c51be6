"""`indicators formula` commands: parse, eval and table.

    indicators formula parse TEXT [--json]
    indicators formula eval TEXT --var NAME=VALUE ... [--json] [--places N]
    indicators formula table FILE [--json]

Exit codes: 0 ok, 1 invalid input (the rendered diagnostic goes to stderr), 2 usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from indicators.diagnostics import display_width

if TYPE_CHECKING:
    from indicators.formula import Evaluation, Formula

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
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
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(handler=_parse)

    e = commands.add_parser("eval", help="按给定变量值计算公式")
    e.add_argument("text", metavar="TEXT", help="公式文本")
    e.add_argument("--var", action="append", default=[], metavar="NAME=VALUE",
                   help="变量取值，可重复，如 --var 办结工单=290")
    e.add_argument("--places", type=_places, default=2, metavar="N",
                   help=f"显示的小数位数，0 至 {MAX_PLACES}（默认 2，四舍五入）")
    e.add_argument("--json", action="store_true", help="以 JSON 输出")
    e.set_defaults(handler=_eval)

    t = commands.add_parser(
        "table", help="逐行解析并计算 TSV 文件中的公式（列：三级指标、计算公式、示例取值）"
    )
    t.add_argument("file", metavar="FILE", help="TSV 文件；示例取值列可省略，写作 名称=数值;名称=数值")
    t.add_argument("--json", action="store_true", help="以 JSON 输出")
    t.set_defaults(handler=_table)


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
    from indicators.cli.render import emit_json, print_diagnostics
    from indicators.formula import parse_formula

    formula = parse_formula(args.text)
    if args.json:
        emit_json(_formula_json(formula))
    else:
        print(_describe(formula))
    print_diagnostics(formula.warnings)
    return EXIT_OK


def _formula_json(formula: Formula) -> dict[str, Any]:
    """``Formula.to_dict()`` with warnings in the CLI's diagnostic JSON shape (flat row and column)."""
    from indicators.cli.render import diagnostic_json

    data = formula.to_dict()
    data["warnings"] = [diagnostic_json(w) for w in formula.warnings]
    return data


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
    if formula.expr is not None:
        from indicators.formula.nodes import outline

        lines.append("语法树:")
        lines.extend("  " + line for line in outline(formula.expr))
    return "\n".join(lines)


def _eval(args: argparse.Namespace) -> int:
    from indicators.cli.render import emit_json, print_diagnostics
    from indicators.formula import evaluate, parse_formula

    values: dict[str, str] = {}
    for item in args.var:
        name, sep, value = _split_assignment(item)
        if not sep or not name:
            print(f"indicators formula eval: 用法错误 (usage error): --var 应写作 名称=数值，而不是“{item}”",
                  file=sys.stderr)
            return EXIT_USAGE
        values[name] = value
    formula = parse_formula(args.text)
    result = evaluate(formula, values)
    print_diagnostics(formula.warnings)
    if args.json:
        emit_json({**_formula_json(formula), **_evaluation_json(result, args.places)})
    elif result.ok:
        print(result.display(args.places))
    if not result.ok:
        print_diagnostics(result.diagnostics)
        return EXIT_INVALID
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
    from indicators.cli.render import diagnostic_json, emit_json
    from indicators.codes import diagnostic
    from indicators.errors import IndicatorsError
    from indicators.formula import evaluate, parse_formula

    path = Path(args.file)
    content = _read_text(path)
    if isinstance(content, Exception):
        print(diagnostic("IND004", reason=f"{path}：{content}").render(), file=sys.stderr)
        return EXIT_INVALID
    rows = [line.split("\t") for line in content.splitlines() if line.strip()]
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
        emit_json(records)
    else:
        _print_table(records)
    return status


def _read_text(path: Path) -> str | ValueError:
    """The text of a table file: UTF-8, UTF-16 with a byte-order mark (Excel's "Unicode 文本") or GB18030
    (Excel's "文本文件" on Chinese Windows); a :class:`ValueError` with the reason in Chinese otherwise."""
    from indicators.limits import DEFAULT_LIMITS

    limit = DEFAULT_LIMITS.max_file_bytes
    try:
        if not path.exists():
            return ValueError("文件不存在")
        if path.is_dir():
            return ValueError("这是一个目录，不是文件")
        if path.stat().st_size > limit:
            return ValueError(f"文件过大（{path.stat().st_size} 字节，上限 {limit} 字节）")
        data = path.read_bytes()
    except OSError as exc:
        return ValueError(f"读取文件失败（{exc.strerror or type(exc).__name__}）")
    encodings = ("utf-16",) if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    return ValueError("不是文本文件（无法按 UTF-8、UTF-16 或 GB18030 解码）")


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
