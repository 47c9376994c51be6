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
    "project": "项目资金",
    "other": "其他",
}
_ROW_FIELDS = (
    ("level1", "一级指标"),
    ("level2", "二级指标"),
    ("level3", "三级指标"),
    ("formula", "计算公式"),
    ("target", "年度指标值"),
    ("unit", "计量单位"),
    ("operator", "指标性质"),
    ("remark", "备注"),
    ("standard", "评（扣）分标准"),
)
#: columns shown only when an example fills them
_OPTIONAL_FIELDS = frozenset({"unit", "operator", "remark", "standard"})

INTRO = """\
# Lint rules

`indicators check FORM...` reads each declared form (绩效目标申报表) and reports the defects a careful
finance reviewer (财政局 审核) returns forms for, and nothing a careful reviewer would not raise: every
error-level rule is tested on real-looking rows that must not raise it, and each rule below states what it
never fires on and where it comes from. Each finding has a stable code and slug, a severity, the cell it is
about (row and column), a span inside the cell's text, a Chinese message quoting the text, a hint and, for
a finding about an indicator row, the level-3 name (三级指标). The findings of the import itself (a row
realigned, a cell that fits nowhere: IND5xx) and the notes the formula and target parsers attach to cells
they could read (IND117, IND205-IND208, IND213, IND221-IND227, IND301, IND303 …; see
[diagnostics.md](diagnostics.md)) are reported with the lint findings. The same list is available from
Python:

```python
from indicators.forms import read_form
from indicators.lint import lint_form, read_prior

findings = lint_form(read_form("examples/xiaoguwei-declared.txt"), prior=read_prior("prior.csv"))
```

This page is generated from the rules' docstrings (`python -m indicators.lint.docs > docs/lint-rules.md`);
every bad and good example below is run by the tests. `indicators explain CODE` prints a rule's section.

## Running

```
indicators check FORM... [--format text|json|csv|sarif|xlsx] [-o FILE] [--select ...] [--ignore ...]
                         [--prior FILE] [--catalog DIR] [--sheet NAME] [--template NAME|FILE]
                         [--config FILE | --isolated]
indicators explain CODE
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
- `--template NAME|FILE`: the template whose required categories IND611 checks (see "Templates"):
  `department`, `project`, `xiaoguwei`, or a template file. Default: the template of the form's type.
- `--config FILE`: the configuration (see "Configuration"); without it, the nearest `indicators.toml`,
  or `pyproject.toml` with a `[tool.indicators]` table, in the current directory or a parent is read.
  `--isolated` reads none.
- `--format` / `-o FILE`: the output (see "Output"); `-o` writes to a file instead of standard output,
  and is required for `xlsx`.

Exit codes: `0` no errors found (warnings and info may be present), `1` at least one error or a form
file that cannot be read (the reason is printed, never a traceback), `2` usage error.

## Output

### Text output

One line per finding, `path:row:col: CODE 严重程度 message`, then an indented hint line (`建议：…`);
form-wide findings without a cell print `path: CODE …`. Colours are used only when standard output is a
terminal. A summary line closes the output: `共检查 1 个文件：3 个错误，4 个警告，11 个提示`.

### JSON output

`--format json` prints one object; `indicators check examples/xiaoguwei-declared.txt --select IND604
--format json` gives:

```json
{
  "schema_version": 1,
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

### CSV output

`--format csv` writes one record per finding with the columns `file`, `code`, `slug`, `severity`, `row`,
`column`, `cell`, `sheet`, `indicator`, `message`, `hint`, `text`, `fix` (the JSON fields), in UTF-8 with a
byte-order mark (Excel and WPS then read the Chinese text) and CR LF line ends. A spreadsheet reads a cell
that starts with `=`, `+`, `-`, `@`, a tab or a carriage return as a formula, so such a text is written with
a leading `'` (`=SUM(A1)` → `'=SUM(A1)`, `-5%` → `'-5%`), as OWASP recommends against CSV injection; the
`'` is not part of the finding.

### SARIF output

`--format sarif` writes a SARIF 2.1.0 log, which CI systems and editors show as annotations: one run of
the tool `indicators`, a rule per code found (`id` the code, `name` the slug, the rule's summary and
explanation, its `source`, `helpUri` its section of this page), and per finding the level (`error`,
`warning`, `note`), the message with its hint, and the form file with a region whose `startLine` is the
form's row and `startColumn` its column (for a text or CSV form the field number, not a character offset).
The cell name, sheet, level-3 name, slug and fix are kept in the result's `properties`.

### XLSX output: 审核意见

`indicators check FORM --format xlsx -o 审核意见.xlsx` writes a workbook a reviewer can print and send back.
For each form, a sheet holds the form as read (the sheet it was read from, every cell where the findings
say it is); each finding is a comment on its cell, and the cell is filled by the worst severity on it
(error red, warning yellow, info blue). The last sheet, 审核意见, lists every finding (文件, 代码, 严重程度,
行, 列, 单元格, 三级指标, 问题, 建议, 原文, 标识) with filters, a frozen header row and a link from each cell
name to the cell. Both print on A4 landscape, one page wide, the findings' header row on every page. Every
text is stored as text (the string data type): a cell that starts with `=` is never a formula.

## Templates

Which categories a form must list is a property of its template, not of the taxonomy. The templates are
`catalog/templates/*.yaml`:

| template | form type | requires | source |
|---|---|---|---|
| `project` | 项目支出 | 产出, 效益, 满意度, 成本 (level-2 optional) | 财预〔2021〕101号 附件2 |
| `department` | 部门整体支出 | 产出, 效益, 满意度 (成本, level-2 optional) | published 部门整体 tables |
| `xiaoguwei` | 部门整体支出 | the four level-1, every level-2 the seed prints | the seed (by name only) |

The form type (`Form.form_type`: stated by the title, inferred from the blocks above the table, or, for a
bare indicator table, 项目支出) picks the template of its name; `--template` or `template = …` in the
configuration names another one or a file. A template file:

```yaml
name: street-office                 # a-z, digits, - and _
title: 街道部门整体支出绩效目标表
form_type: department               # department or project
source: 某区财政局 2024 年模板
categories:
  - level1: 产出指标                # the taxonomy's names (variants on forms are recognised)
    level2: [数量指标, 质量指标, 时效指标]   # the level-2 categories a form must list
  - level1: 成本指标
    required: false                 # listed by the template, not required
```

## Configuration

`indicators.toml` (top-level keys), or the same keys under `[tool.indicators]` in `pyproject.toml`:

```toml
select = ["ALL"]                  # as --select; --select on the command line replaces it
ignore = ["IND618"]               # as --ignore; --ignore adds to it
template = "department"           # as --template
overshoot = 1.3                   # IND637: a computed value this many times the target is an overshoot

[severity]                        # severity overrides, by code or slug
IND611 = "info"
"lint.target-vague" = "error"

[[suppress]]                      # findings not to report, each with its reason
codes = ["IND615"]                # codes, code prefixes or slugs
file = "forms/*.txt"              # optional: a glob on the form's path (or its name)
row = 39                          # optional: the row
indicator = "社工站服务评估结果"    # optional: the level-3 name
reason = "原表如此，已与填报单位确认"
```

A configuration that cannot be used (an unknown key or code, a suppression without a reason) is a usage
error (IND641, exit 2). Severity overrides apply before the exit code is decided.

## Suppressions

A finding a reviewer has accepted is suppressed with its reason, as ruff's and sqlfluff's `noqa`: in the
configuration (`[[suppress]]`, above), or in the form itself, in any cell of the row (备注 is the usual
place):

```
noqa: IND605 理由：本指标按合同约定考核，可超过100%
免检：IND611、IND638 原因：上级模板未设满意度指标
```

The codes (codes, code prefixes or slugs, separated by commas, 、 or spaces) are not reported for that
row. A marker without a reason suppresses nothing and is reported (IND639, warning); a marker or a
configuration entry that suppresses nothing is noted (IND640, info), so that stale ones are removed.

## Word lists

The rules read words from data files, reviewed like code: `catalog/vague.yaml` (vague wording, shared
with the target language), `catalog/review.yaml` (things measured where less is better, direction markers,
survey methods, placeholders, rate and count name endings, words of time, grade standards, generic words
of key tasks) and `catalog/completion.yaml` (completion words). Each rule names the list it uses.
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
        fields = [
            (f, title) for f, title in _ROW_FIELDS if f not in _OPTIONAL_FIELDS or any(f in d for d in dicts)
        ]
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
                shown = amount
                if isinstance(amount, dict):
                    shown = "，".join(f"{k} {v}" for k, v in amount.items())
                out.append(f"| {_GROUPS.get(group, group)} | {_cell(label)} | {_cell(shown)} |")
    if data.get("tasks"):
        if out:
            out.append("")
        with_content = any(len(task) > 2 for task in data["tasks"])
        if with_content:
            out += ["| 年度重点工作任务 | 主要实施内容 | 拟投入的资金（万元） |", "|---|---|---|"]
        else:
            out += ["| 年度重点工作任务 | 拟投入的资金（万元） |", "|---|---|"]
        for name, funds, *content in data["tasks"]:
            middle = f" {_cell(content[0] if content else None)} |" if with_content else ""
            out.append(f"| {_cell(name)} |{middle} {_cell(funds)} |")
    if data.get("annual_goal") or data.get("form_type"):
        if out:
            out.append("")
        out += ["| 表头 | 内容 |", "|---|---|"]
        if data.get("form_type"):
            kind = "部门整体支出" if data["form_type"] == "department" else "项目支出"
            out.append(f"| 表格类型 | {kind} |")
        if data.get("annual_goal"):
            out.append(f"| 年度目标 | {_cell(data['annual_goal'])} |")
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
        "IND704 (`budget.rounding-difference`, info) is emitted by the budget rules instead of an",
        "error when the difference is at most 0.01 万元, and IND705 (`budget.balanced`, info) when the",
        "identity holds, with the same figures; IND410 (`catalog.rule-needs-prior`, info) by IND613",
        "when last year's value is missing. IND639 and IND640 are about suppressions (see",
        "\"Suppressions\"), IND641 about the configuration, IND642 an unknown code given to",
        "`indicators explain`, IND690 an unknown `--select`/`--ignore` entry.",
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
        out += ["Never fires on:", "", *(f"- {item}" for item in doc.never), ""]
        out += [f"Source: {doc.source}", ""]
        out += ["Bad:", "", render_example(doc.bad), "", "Good:", "", render_example(doc.good), ""]
    return "\n".join(out).rstrip("\n") + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
