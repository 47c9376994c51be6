"""``docs/lint-rules.md``, generated from the rules' docstrings (a test keeps the page current).

Regenerate with ``python -m indicators.lint.docs > docs/lint-rules.md``.
"""

from __future__ import annotations

import inspect
from typing import Any

from indicators.lint.base import all_rules
from indicators.lint.examples import load_example
from indicators.lint.rules import budget

_GROUPS = {
    "spending": "部门预算支出",
    "development": "事业发展性支出",
    "income": "收入来源",
    "level": "按预算级次划分",
    "other": "其他",
}
_ROW_FIELDS = (
    ("level1", "一级指标"),
    ("level2", "二级指标"),
    ("level3", "三级指标"),
    ("formula", "计算公式"),
    ("target", "年度指标值"),
    ("unit", "计量单位"),
)

INTRO = """\
# Lint rules

`indicators check FORM...` reads each declared form (绩效目标申报表) and reports every defect a careful
finance reviewer would find: each finding has a stable code and slug, a severity, the cell it is about
(row and column), a span inside the cell's text, a Chinese message quoting the text, a hint and, for a
finding about an indicator row, the level-3 name (三级指标). The findings of the import itself (a row
realigned, a cell that fits nowhere: IND5xx) and the notes the formula and target parsers attach to cells
they could read (IND117, IND205-IND208, IND213, IND301 …; see [diagnostics.md](diagnostics.md)) are
reported with the lint findings. The same list is available from Python:

```python
from indicators.forms import read_form
from indicators.lint import lint_form, read_prior

findings = lint_form(read_form("examples/xiaoguwei-declared.txt"), prior=read_prior("prior.csv"))
```

This page is generated from the rules' docstrings (`python -m indicators.lint.docs > docs/lint-rules.md`);
every bad and good example below is run by the tests.

## Running

```
indicators check FORM... [--format text|json] [--select ...] [--ignore ...] [--prior FILE] [--catalog DIR]
                         [--sheet NAME]
```

- `--select` / `--ignore` take a code (`IND603`), a code prefix (`IND6`, `IND60`), a slug
  (`lint.target-vague`), a slug group (`budget`, `lint.target`, `form`) or a slug pattern
  (`lint.target-*`), comma-separated or repeated; `ALL` selects everything. Without `--select` every
  rule runs; `--ignore` then removes codes. An entry that matches no code is a usage error (IND690).
  Selection applies to the import findings too (`--ignore IND503` hides realignment notes).
- `--prior FILE`: last year's values, for the catalog's guidance rules (IND613). CSV (or tab-separated)
  with two columns, level-3 name or catalog code and value, and an optional header row; or JSON, an
  object `{"name": "value"}` or a list of objects with `name`/`code` and `value`.
- `--catalog DIR`: a catalog directory layered over the bundled one (repeatable; the environment
  variable `INDICATORS_CATALOG` adds more). The catalog gives the taxonomy, grade scales, guidance rules
  and definitions used by IND608, IND611-IND614 and IND616.
- `--sheet NAME`: the worksheet of an XLSX form to check (default: the first visible sheet holding an
  indicator table; another sheet with a table gives the IND507 note). Text, CSV and JSON forms ignore it.

Exit codes: `0` no errors found (warnings and info may be present), `1` at least one error or a form
file that cannot be read (the reason is printed, never a traceback), `2` usage error.

### Text output

One line per finding, `path:row:col: CODE 严重程度 message`, then an indented hint line (`建议：…`);
form-wide findings without a cell print `path: CODE …`. Colours are used only when standard output is a
terminal. A summary line closes the output: `共检查 1 个文件：3 个错误，4 个警告，11 个提示`.

### JSON output

`--format json` prints one object; `indicators check examples/xiaoguwei-declared.txt --select IND604
--format json` gives:

```json
{
  "version": 1,
  "files": [{"file": "examples/xiaoguwei-declared.txt", "errors": 1, "warnings": 0, "info": 0}],
  "diagnostics": [
    {
      "file": "examples/xiaoguwei-declared.txt",
      "code": "IND604",
      "slug": "lint.target-unit-mismatch",
      "severity": "error",
      "message": "指标值“4个以上”与计算公式不相容：指标的计量单位是“%”，而指标值“4个以上”的单位是“个”，…",
      "hint": "计算公式为百分比类（单位%），指标值应与之相符",
      "row": 23,
      "column": 6,
      "cell": "F23",
      "sheet": null,
      "indicator": "室内外应急避难场所的服务覆盖率",
      "span": {"start": 0, "end": 4, "line": 1, "column": 1, "end_line": 1, "end_column": 5},
      "text": "4个以上",
      "fix": null,
      "data": {"formula_kind": "percentage", "formula_unit": "%", "target_kind": "numeric"}
    }
  ],
  "summary": {"files": 1, "errors": 1, "warnings": 0, "info": 0}
}
```

Every item carries `file`, `code`, `slug`, `severity` (`error`, `warning` or `info`), `message`, `hint`,
`row`, `column`, `cell`, `sheet`, `indicator` (the level-3 name, `null` for form-wide findings), `span`
(0-based offsets inside `text`, 1-based line and column; `null` when there is no cell text), `text`
(the whole cell text), `fix` (a replacement text, when one is known) and `data` (the figures behind the
finding, e.g. the budget totals as exact decimal strings). A form that cannot be read gives an item
with its code (IND501 …) and `row: null`.
"""


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return str(value).replace("|", "\\|").replace("\n", " ")


def render_example(text: str) -> str:
    """An example as Markdown tables (indicator rows, budget block, key tasks, last year's values)."""
    data = load_example(text)
    out: list[str] = []
    rows = data.get("rows") or []
    if rows:
        dicts = [
            dict(r) if isinstance(r, dict) else dict(zip((f for f, _ in _ROW_FIELDS), r, strict=False))
            for r in rows
        ]
        fields = [(f, title) for f, title in _ROW_FIELDS if f != "unit" or any("unit" in d for d in dicts)]
        out.append("| " + " | ".join(title for _, title in fields) + " |")
        out.append("|" + "---|" * len(fields))
        for d in dicts:
            out.append("| " + " | ".join(_cell(d.get(f)) for f, _ in fields) + " |")
    if data.get("budget"):
        if out:
            out.append("")
        out += ["| 预算整体情况 | 项目 | 金额（万元） |", "|---|---|---|"]
        for group, items in data["budget"].items():
            for label, amount in (items or {}).items():
                out.append(f"| {_GROUPS.get(group, group)} | {_cell(label)} | {_cell(amount)} |")
    if data.get("tasks"):
        if out:
            out.append("")
        out += ["| 年度重点工作任务 | 拟投入的资金（万元） |", "|---|---|"]
        for name, funds in data["tasks"]:
            out.append(f"| {_cell(name)} | {_cell(funds)} |")
    if data.get("prior"):
        if out:
            out.append("")
        out += ["| 上年值（--prior）：三级指标或编码 | 上年值 |", "|---|---|"]
        for key, value in data["prior"].items():
            out.append(f"| {_cell(key)} | {_cell(value)} |")
    return "\n".join(out)


def markdown() -> str:
    """The whole page."""
    rules = all_rules()
    out = [INTRO]
    out += ["## Rules", "", "| code | slug | severity | what it finds |", "|---|---|---|---|"]
    for rule in rules:
        doc = rule.doc()
        out.append(f"| [{rule.code}](#{rule.code.lower()}) | `{rule.slug()}` | {rule.severity().value} | "
                   f"{_cell(doc.summary)} |")
    out += [
        "",
        "IND704 (`budget.rounding-difference`, info) is emitted by the three budget rules instead of an",
        "error when the difference is at most 0.01 万元, and IND705 (`budget.balanced`, info) when the",
        "identity holds, with the same figures; IND410 (`catalog.rule-needs-prior`, info) by IND613",
        "when last year's value is missing.",
        "",
        "## Budget identities",
        "",
        inspect.cleandoc(budget.__doc__ or "").split("\n", 1)[1].strip(),
        "",
    ]
    for rule in rules:
        doc = rule.doc()
        row = rule.row()
        out += [
            f"## {rule.code}",
            "",
            f"`{rule.slug()}` · {rule.severity().value} · message: {row.message}",
            "",
            doc.summary,
            "",
        ]
        if doc.body:
            out += [doc.body, ""]
        if row.hint:
            out += [f"Hint: {row.hint}", ""]
        out += ["Bad:", "", render_example(doc.bad), "", "Good:", "", render_example(doc.good), ""]
    return "\n".join(out).rstrip("\n") + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
