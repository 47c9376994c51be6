"""The score sheet as a Markdown document."""

from __future__ import annotations

from indicators.scoring.sheet import ScoreSheet
from indicators.scoring.writers.common import HEADERS, cells, number, status, summary


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(sheet: ScoreSheet, *, explain: bool = False) -> str:
    headers = [*HEADERS, "状态"] + (["规则与算式"] if explain else [])
    out = [f"# {sheet.sheet_title}{('：' + sheet.title) if sheet.title else ''}", ""]
    out.append("| " + " | ".join(headers) + " |")
    out.append("|" + "|".join("---:" if h in ("分值", "得分") else "---" for h in headers) + "|")
    for line in sheet.lines:
        row = [*cells(line), status(line)]
        if explain:
            row.append(f"{line.rule}：{line.arithmetic}")
        out.append("| " + " | ".join(_escape(c) for c in row) + " |")
    out.append("")
    out.append("| 一级指标 | 二级指标 | 分值 | 得分 |")
    out.append("|---|---|---:|---:|")
    for s in sheet.subtotals:
        out.append(
            f"| {_escape(s.level1)} | {_escape(s.level2 or '小计')} | {number(s.weight)} | {s.score} |"
        )
    out.append("")
    out.extend(f"- {text}" for text in summary(sheet))
    diagnostics = sheet.all_diagnostics()
    if diagnostics:
        out.append("")
        out.append("## 提示")
        out.append("")
        out.extend(
            f"- `{d.code}` {_escape(d.indicator + '：' if d.indicator else '')}{_escape(d.message)}"
            for d in diagnostics
        )
    return "\n".join(out) + "\n"
