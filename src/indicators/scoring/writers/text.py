"""The score sheet as a terminal table (rich), with ``--explain`` details and diagnostics."""

from __future__ import annotations

import io

from indicators.diagnostics import Severity
from indicators.scoring.sheet import ScoreSheet
from indicators.scoring.writers.common import HEADERS, cells, status, summary


def to_text(sheet: ScoreSheet, *, explain: bool = False, width: int = 140, color: bool = False) -> str:
    """A table of every line, the subtotals, total and grade; with ``explain`` the rule and arithmetic."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        force_terminal=color,
        color_system="standard" if color else None,
        highlight=False,
        soft_wrap=False,
    )
    title = sheet.sheet_title + (f"：{sheet.title}" if sheet.title else "")
    table = Table(title=Text(title), show_lines=False)
    for header in (*HEADERS[:7], "状态"):
        table.add_column(header, justify="right" if header in ("分值", "得分") else "left", overflow="fold")
    for line in sheet.lines:
        table.add_row(*(Text(c) for c in (*cells(line)[:7], status(line))))
    console.print(table)
    for text in summary(sheet):
        console.print(text, markup=False)
    if explain:
        console.print()
        console.print("评分说明（规则与算式）：")
        for n, line in enumerate(sheet.lines, start=1):
            console.print(f"{n:>3}. {line.level3} [{line.rule}] {line.explanation}", markup=False)
            console.print(f"     算式：{line.arithmetic}；得分 {line.score}", markup=False)
    diagnostics = sheet.all_diagnostics()
    if diagnostics:
        console.print()
        counts = {sev: sum(d.severity is sev for d in diagnostics) for sev in Severity}
        parts = "，".join(f"{n} 个{sev.label}" for sev, n in counts.items() if n)
        console.print(f"评分中发现的问题（{parts}）：")
        for d in diagnostics:
            console.print(d.render(), markup=False)
    return buffer.getvalue()
