"""`indicators catalog` commands: list, show, search and validate the indicator catalog.

Every command reads the bundled catalog, the directories in ``INDICATORS_CATALOG`` and those given
with ``--catalog DIR`` (repeatable, before or after the command name), later ones overriding earlier
ones by code. ``validate`` exits 1 when it finds an error; ``validate DIR`` reports DIR's problems
only. An empty name or search word is a usage error (exit 2).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from indicators.diagnostics import Severity, display_width

if TYPE_CHECKING:
    from indicators.catalog import Catalog, Entry

from indicators.cli.output import EXIT_INVALID, EXIT_OK, EXIT_USAGE, UsageError, add_format, emit


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add the `catalog` command family to the top-level parser."""
    # --catalog is accepted before the command name (catalog --catalog D list) and after it
    common = argparse.ArgumentParser(add_help=False)
    _catalog_option(common, "catalog_dirs")
    parser = sub.add_parser(
        "catalog",
        help="指标库：列出、查看、搜索、检查标准三级指标",
        description="指标库：列出、查看、搜索、检查标准三级指标。",
    )
    _catalog_option(parser, "catalog_dirs_top")
    parser.set_defaults(handler=lambda _args: _usage(parser))
    cmds = parser.add_subparsers(dest="catalog_command", metavar="COMMAND", parser_class=type(parser))

    p = cmds.add_parser("list", parents=[common], help="列出指标", description="列出指标库中的指标。")
    p.add_argument("--set", dest="set_name", metavar="S", help="只列出该指标集（如 street-office）")
    p.add_argument("--level1", metavar="L", help="只列出该一级指标（如 产出指标）")
    add_format(p)
    p.set_defaults(handler=_list)

    p = cmds.add_parser(
        "show", parents=[common], help="查看一个指标", description="按编码或名称查看一个指标。"
    )
    p.add_argument("query", metavar="CODE|NAME", help="指标编码或三级指标名称")
    add_format(p)
    p.set_defaults(handler=_show)

    p = cmds.add_parser(
        "search", parents=[common], help="搜索指标", description="按关键词搜索名称、别名和公式。"
    )
    p.add_argument("words", nargs="+", metavar="WORDS", help="关键词（多个词须同时出现）")
    add_format(p)
    p.set_defaults(handler=_search)

    p = cmds.add_parser(
        "validate",
        parents=[common],
        help="检查指标库",
        description="检查指标库：公式与指标值可解析、单位一致、编码唯一、二级指标归属正确、规则字段存在。",
    )
    p.add_argument(
        "directory",
        nargs="?",
        type=Path,
        metavar="DIR",
        help="要检查的指标库目录：叠加在内置指标库之上检查，只报告该目录的问题"
        "（不给时检查内置指标库及 --catalog、INDICATORS_CATALOG 指定的目录）",
    )
    add_format(p)
    p.set_defaults(handler=_validate)


def _catalog_option(parser: argparse.ArgumentParser, dest: str) -> None:
    parser.add_argument(
        "--catalog",
        dest=dest,
        action="append",
        type=Path,
        default=None,
        metavar="DIR",
        help="用户指标库目录（sets/*.yaml 与可选的 taxonomy.yaml），叠加在内置指标库之上；可重复",
    )


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return EXIT_USAGE


def _dirs(args: argparse.Namespace) -> list[Path]:
    return [*(getattr(args, "catalog_dirs_top", None) or []), *(getattr(args, "catalog_dirs", None) or [])]


def _load(args: argparse.Namespace) -> Catalog:
    from indicators.catalog import load_catalog

    return load_catalog(*_dirs(args))


# --- list ---------------------------------------------------------------------------------------------


def _list(args: argparse.Namespace) -> int:
    from indicators.documents import CatalogEntries

    for option, value in (("--set", args.set_name), ("--level1", args.level1)):
        if value is not None and not value.strip():
            raise UsageError(f"{option} 的取值不能为空")
    catalog = _load(args)
    if args.set_name is not None and args.set_name not in catalog.sets:
        return _unknown("指标集", args.set_name, known=list(catalog.sets))
    entries = catalog.list(set=args.set_name, level1=args.level1)
    if args.level1 is not None and not entries and catalog.taxonomy.canonical_level1(args.level1) is None:
        return _unknown("一级指标", args.level1, known=[r.name for r in catalog.taxonomy.records])
    if args.json:
        emit(CatalogEntries(entries=entries))
        return EXIT_OK
    rows = [(e.code, *_categories(catalog, e), e.name, e.target or "—") for e in entries]
    _table(("编码", "一级指标", "二级指标", "三级指标", "默认指标值"), rows)
    print(f"共 {len(entries)} 个指标")
    return EXIT_OK


# --- show ---------------------------------------------------------------------------------------------


def _show(args: argparse.Namespace) -> int:
    from indicators.documents import entry_document

    if not args.query.strip():
        raise UsageError("指标编码或名称不能为空")
    catalog = _load(args)
    match = catalog.lookup(args.query)
    if match is None:
        near = [m.entry.name for m in catalog.fuzzy(args.query, limit=3, threshold=Decimal("0.4"))]
        return _not_found(args.query, known=near)
    origin = catalog.origin(match.entry.code)
    if args.json:
        emit(entry_document(catalog, match))
        return EXIT_OK
    e = match.entry
    lines = [
        ("编码", e.code),
        ("指标集", e.set),
        ("一级指标", e.level1),
        ("二级指标", e.level2),
        ("三级指标", e.name),
        ("别名", "、".join(e.aliases)),
        ("计算公式", e.formula or ""),
        ("计量单位", e.unit or ""),
        ("类型", f"{e.kind.label}（{e.kind.value}）"),
        ("方向", f"{_DIRECTIONS[e.direction]}（{e.direction.value}）"),
        ("默认指标值", e.target or ""),
        ("等级序列", e.grade_scale or ""),
        ("来源", f"{e.source}（可信度：{_CONFIDENCE[e.confidence]}，{e.confidence.value}）"),
    ]
    if e.formula_source:
        confidence = e.formula_confidence or e.confidence
        sourced = f"{e.formula_source}（可信度：{_CONFIDENCE[confidence]}，{confidence.value}）"
        lines.append(("公式来源", sourced))
    for rule in e.rules:
        fallback = f"上年评估结果为{rule.threshold}及以上时须保持，低于{rule.threshold}时须提高"
        lines.append(("设置规则", rule.text or fallback))
    for note in e.notes:
        lines.append(("说明", note))
    if origin is not None:
        lines.append(("定义位置", f"{origin.source}:{origin.line}"))
    if match.method != "exact":
        how = "名称相似" if match.method == "fuzzy" else "名称写法不同"
        lines.append(("匹配", f"{how}：按“{match.via}”找到，相似度 {match.score}"))
    width = max(display_width(k) for k, _ in lines)
    for key, value in lines:
        if value:
            print(f"{key}{' ' * (width - display_width(key))}  {value}")
    return EXIT_OK


# --- search -------------------------------------------------------------------------------------------


def _search(args: argparse.Namespace) -> int:
    from indicators.documents import CatalogMatches, match_document

    if not any(w.strip() for w in args.words):
        raise UsageError("关键词不能为空")
    catalog = _load(args)
    matches = catalog.search(args.words)
    if args.json:
        emit(CatalogMatches(matches=[match_document(m) for m in matches]))
        return EXIT_OK
    if not matches:
        print(f"没有找到包含“{_quoted(' '.join(args.words))}”的指标", file=sys.stderr)
        return EXIT_OK
    rows = [(str(m.score), m.entry.code, _categories(catalog, m.entry)[1], m.entry.name) for m in matches]
    _table(("相关度", "编码", "二级指标", "三级指标"), rows)
    return EXIT_OK


# --- validate -----------------------------------------------------------------------------------------


def _validate(args: argparse.Namespace) -> int:
    from indicators.catalog import load_catalog
    from indicators.cli.render import diagnostic_json

    dirs = _dirs(args)
    if args.directory is not None:
        dirs.append(args.directory)
    catalog = load_catalog(*dirs, strict=False)
    entries, sets = len(catalog), len(catalog.sets)
    if args.directory is None:
        found = catalog.validate()
    else:  # report what DIR says; the layers below it are checked on their own
        layer = len(catalog.layers) - 1
        found = catalog.validate(layer=layer)
        mine = [e for e in catalog if (o := catalog.origin(e.code)) is not None and o.layer == layer]
        entries, sets = len(mine), len({e.set for e in mine})
    errors = [d for d in found if d.severity is Severity.ERROR]
    if args.json:
        emit({"ok": not errors, "entries": entries, "diagnostics": [diagnostic_json(d) for d in found]})
        return EXIT_INVALID if errors else EXIT_OK
    for d in found:
        print(d.render())
    warnings = len(found) - len(errors)
    if errors:
        print(f"指标库有误：{len(errors)} 个错误，{warnings} 个警告或提示", file=sys.stderr)
        return EXIT_INVALID
    print(f"指标库检查通过：{entries} 个指标，{sets} 个指标集，{warnings} 个警告或提示")
    return EXIT_OK


# --- helpers ------------------------------------------------------------------------------------------


_DIRECTIONS = {
    "higher": "正向，越高越好",
    "lower": "反向，越低越好",
    "range": "区间",
    "exact": "等于指标值",
    "none": "无方向",
}
_CONFIDENCE = {"C": "来源确认", "S": "仅有二手来源", "M": "官方文本的通行引述", "?": "推定"}
#: longest query quoted back in a message
_QUOTE_MAX = 40


def _quoted(text: str) -> str:
    text = text.strip()
    return text if len(text) <= _QUOTE_MAX else f"{text[:_QUOTE_MAX]}…"


def _not_found(name: str, *, known: list[str]) -> int:
    from indicators.cli.render import print_diagnostics
    from indicators.codes import diagnostic

    hint = f"相近的有：{'、'.join(known)}" if known else None
    print_diagnostics([diagnostic("IND414", name=_quoted(name), hint=hint)])
    return EXIT_INVALID


def _unknown(what: str, name: str, *, known: list[str]) -> int:
    from indicators.cli.render import print_diagnostics
    from indicators.codes import diagnostic

    hint = f"可用的{what}：{'、'.join(known)}" if known else None
    print_diagnostics([diagnostic("IND416", what=what, name=_quoted(name), hint=hint)])
    return EXIT_INVALID


def _categories(catalog: Catalog, entry: Entry) -> tuple[str, str]:
    """The entry's level-1 and level-2 by their canonical names (as written when the taxonomy lacks them)."""
    tax = catalog.taxonomy
    level1 = tax.canonical_level1(entry.level1) or entry.level1
    return level1, tax.canonical_level2(entry.level1, entry.level2) or entry.level2


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
    widths = [display_width(h) for h in header]
    for row in rows:
        widths = [max(w, display_width(c)) for w, c in zip(widths, row, strict=True)]
    for row in (header, *rows):
        cells = [c + " " * (w - display_width(c)) for c, w in zip(row, widths, strict=True)]
        print("  ".join(cells).rstrip())
