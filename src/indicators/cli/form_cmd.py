"""`indicators form` commands: show a form as read, or export it as JSON/YAML.

``indicators form show FILE [--format text|json | --json] [--sheet NAME]`` prints what the importer
understood — department, budget figures, key tasks, every indicator row with the cell each value came
from — and the import diagnostics (realigned rows, unplaced cells).
``indicators form export FILE [-o OUT] [--format json|yaml | --json]`` writes the
:class:`~indicators.forms.model.Form`; ``indicators form show OUT.json`` reads it back.

Exit codes: 0 read without errors, 1 unreadable file or import errors (e.g. an unreadable amount), 2 usage.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from indicators.diagnostics import Location
    from indicators.forms.model import Category, Cell, Form, IndicatorRow

from indicators.cli.output import EXIT_INVALID as _INVALID
from indicators.cli.output import EXIT_OK as _OK
from indicators.cli.output import EXIT_USAGE as _USAGE
from indicators.cli.output import UsageError, add_format

_GROUPS = {
    "spending": "部门预算支出",
    "income": "收入来源",
    "development": "事业发展性支出",
    "level": "按预算级次划分",
    "project": "项目资金",
    "other": "其他",
}
_FIELDS = (
    ("sequence", "序号"),
    ("formula", "计算公式"),
    ("standard", "评（扣）分标准"),
    ("period_target", "实施周期指标值"),
    ("target", "年度指标值"),
    ("unit", "计量单位"),
    ("operator", "指标性质"),
    ("actual", "实际完成值"),
    ("weight", "分值"),
    ("score", "得分"),
    ("deviation", "偏差原因"),
    ("remark", "备注"),
)
_EVIDENCE = {"title": "标题写明", "blocks": "按表头栏目推断", "default": "未写明，按默认"}
_INHERITED = {"level1": "一级指标", "level2": "二级指标"}


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add the `form` command family to the top-level parser."""
    form = sub.add_parser(
        "form",
        help="读取绩效目标申报表或自评表（txt/tsv/csv/xlsx/json），显示或导出",
        description="读取绩效目标申报表或自评表：显示读取结果，或导出为 JSON/YAML。",
    )
    family = form.add_subparsers(dest="form_command", metavar="SUBCOMMAND", parser_class=type(form))
    show = family.add_parser(
        "show",
        help="显示读取结果：部门、预算、重点任务、指标行及单元格位置、导入诊断",
        description="显示表格的读取结果，包括每个取值来自的单元格和导入时的诊断（错位修复等）。",
    )
    show.add_argument("file", metavar="FILE", help="表格文件：.txt .tsv .csv .xlsx .json .yaml")
    add_format(show)
    show.add_argument(
        "--sheet", metavar="NAME", help="XLSX 中要读取的工作表（默认：含“三级指标”的第一张可见工作表）"
    )
    show.set_defaults(handler=_show)
    export = family.add_parser(
        "export",
        help="导出为 JSON 或 YAML（可再读回）",
        description="把读取结果导出为 JSON（默认）或 YAML；导出的文件可以再用 form show、check 等命令读取。",
    )
    export.add_argument("file", metavar="FILE", help="表格文件")
    export.add_argument("-o", "--output", metavar="OUT", help="输出文件（默认：标准输出）")
    export.add_argument(
        "--format", choices=("json", "yaml"), default=None, help="输出格式（默认按 OUT 的扩展名，否则 json）"
    )
    export.add_argument("--json", action="store_true", help="以 JSON 输出（即 --format json）")
    export.add_argument("--sheet", metavar="NAME", help="XLSX 中要读取的工作表")
    export.set_defaults(handler=_export)
    form.set_defaults(handler=_usage(form))


def _usage(parser: argparse.ArgumentParser) -> Any:
    def handler(args: argparse.Namespace) -> int:
        parser.print_help(sys.stderr)
        return _USAGE

    return handler


def _read(args: argparse.Namespace) -> Form:
    from indicators.forms import read_form

    return read_form(args.file, sheet=args.sheet)


def _errors(form: Form) -> bool:
    return any(d.severity.value == "error" for d in form.diagnostics)


def _show(args: argparse.Namespace) -> int:
    form = _read(args)
    if args.json:
        from indicators.cli.output import emit

        emit(form)
    else:
        render_form(form, sys.stdout)
    return _INVALID if _errors(form) else _OK


def _export(args: argparse.Namespace) -> int:
    from indicators.cli.render import print_diagnostics

    if args.json and args.format == "yaml":
        raise UsageError("--json 与 --format yaml 不能同时使用")
    form = _read(args)
    fmt = "json" if args.json else args.format
    if fmt is None:
        fmt = "yaml" if args.output and args.output.lower().endswith((".yaml", ".yml")) else "json"
    text = dump_form(form, fmt)
    if args.output:
        try:
            with open(args.output, "w", encoding="utf-8") as out:
                out.write(text)
        except OSError as exc:
            print(f"无法写入 {args.output}：{exc.strerror or exc}", file=sys.stderr)
            return _INVALID
    else:
        sys.stdout.write(text)
    print_diagnostics([d for d in form.diagnostics if d.severity.value != "info"])
    return _INVALID if _errors(form) else _OK


def dump_form(form: Form, fmt: str = "json") -> str:
    """The form as JSON (``model_dump_json``) or YAML text, ending in a newline."""
    if fmt == "yaml":
        import yaml

        return str(yaml.safe_dump(form.model_dump(mode="json"), allow_unicode=True, sort_keys=False))
    return form.model_dump_json(indent=2) + "\n"


def _where(location: Location | None) -> str:
    if location is None:
        return ""
    parts = [p for p in (location.sheet, location.cell) if p]
    return f" [{'!'.join(parts)}]" if parts else ""


def _cell(cell: Cell | None, limit: int = 60) -> str:
    if cell is None:
        return "—"
    text = " ".join(cell.text.split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return (text or "（空）") + _where(cell.location)


_PROJECT_FIELDS = (
    ("name", "项目名称"),
    ("competent", "主管部门"),
    ("implementer", "实施单位"),
    ("leader", "项目负责人"),
    ("period", "实施期"),
    ("attribute", "项目属性"),
)


def _category(category: Category | None) -> str:
    if category is None:
        return "—"
    extras = [f"注：{category.note}"] if category.note else []
    if category.points is not None:
        extras.append(f"分值 {category.points}")
    unknown = "" if category.canonical is not None else "（未知类别）"
    return category.name + unknown + (f"（{'，'.join(extras)}）" if extras else "")


def _categories(row: IndicatorRow) -> str:
    """The level-1 / level-2 categories as the taxonomy names them, with notes and points."""
    if row.category1 is None and row.category2 is None:
        return ""
    return f"{_category(row.category1)} / {_category(row.category2)}"


def _render_row(row: IndicatorRow, out: TextIO) -> None:
    """One indicator row: its names, category, fields with their cells, the combined target."""
    names = " / ".join(_cell(c, 40) for c in (row.level1, row.level2, row.level3))
    where = f"第 {row.row} 行" if row.row is not None else f"#{row.index + 1}"
    print(f"  {where}  {names}", file=out)
    if row.level3 is None:
        print("      （只有类别，没有三级指标）", file=out)
    categories = _categories(row)
    if categories:
        print(f"      类别：{categories}", file=out)
    for name, label in _FIELDS:
        cell = getattr(row, name)
        shown_blank = name in {"formula", "target"} and row.level3 is not None
        if cell is not None and (not cell.empty or shown_blank):
            print(f"      {label}：{_cell(cell)}", file=out)
    combined = row.target_text()
    if combined is not None and (combined.operator is not None or combined.combined != combined.text):
        parts = [c for c in (combined.operator, combined.target, combined.unit_cell) if c is not None]
        cells = " + ".join(_where(c.location).strip(" []") for c in parts if c.location is not None)
        print(f"      合成指标值：{combined.combined}（{cells}）", file=out)
    if row.inherited:
        print(f"      沿用上一行：{'、'.join(_INHERITED.get(f, f) for f in row.inherited)}", file=out)
    for cell in row.others:
        print(f"      其他栏：{_cell(cell)}", file=out)
    for cell in row.extra:
        print(f"      未归栏：{_cell(cell)}", file=out)


def render_form(form: Form, out: TextIO) -> None:
    """The human-readable view of ``indicators form show``."""
    kind = "绩效自评表" if form.kind.value == "self_evaluation" else "绩效目标申报表"
    print(f"表格：{form.source or '（文本）'}（{form.form_type.label}{kind}）", file=out)
    evidence = _EVIDENCE[form.form_type_evidence.value]
    print(f"表格类型：{form.form_type.label}（{form.form_type.value}，{evidence}）", file=out)
    if form.title:
        print(f"标题：{form.title}", file=out)
    if form.department is not None:
        print(f"部门：{_cell(form.department)}", file=out)
    if form.project is not None:
        for name, label in _PROJECT_FIELDS:
            cell = getattr(form.project, name)
            if cell is not None:
                print(f"{label}：{_cell(cell)}", file=out)
    if form.budget:
        print("资金情况：" if form.form_type.value == "project" else "预算整体情况：", file=out)
        for item in form.budget:
            amount = "（空）" if item.amount is None else f"{item.amount} {item.unit}"
            where = _where(item.cell.location) if item.cell else ""
            measure = f"（{item.measure}）" if item.measure else ""
            print(f"  {_GROUPS[item.group.value]} / {item.label}{measure}：{amount}{where}", file=out)
    if form.overall_goal is not None:
        print(f"总体绩效目标：{_cell(form.overall_goal)}", file=out)
    if form.annual_goal is not None:
        print(f"年度绩效目标：{_cell(form.annual_goal)}", file=out)
    if form.goal_actual is not None:
        print(f"目标实际完成情况：{_cell(form.goal_actual)}", file=out)
    if form.tasks:
        print("年度重点工作任务：", file=out)
        for number, task in enumerate(form.tasks, start=1):
            funds = "" if task.funds is None else f"，{task.funds} 万元"
            print(f"  {number}. {_cell(task.name, 40)}{funds}", file=out)
    if form.other_tasks is not None:
        print(f"其他需完成的任务：{_cell(form.other_tasks)}", file=out)
    print(f"绩效指标（{len(form.indicators)} 行）：", file=out)
    for row in form.indicators:
        _render_row(row, out)
    if form.notes:
        print("其他文字：", file=out)
        for cell in form.notes:
            print(f"  {_cell(cell)}", file=out)
    print(f"导入诊断（{len(form.diagnostics)} 条）：", file=out)
    for d in form.diagnostics:
        print("  " + d.render().replace("\n", "\n  "), file=out)
