"""Cell texts shared by the writers, so every format prints the same figures."""

from __future__ import annotations

from decimal import Decimal

from indicators.scoring.arithmetic import fmt
from indicators.scoring.sheet import ScoreLine, ScoreSheet

HEADERS = (
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分",
    "偏差原因分析及改进措施",
)


def number(value: Decimal) -> str:
    """Weights as written (``8``, ``3.58``); scores keep the policy's two decimals."""
    return fmt(value, 6)


def status(line: ScoreLine) -> str:
    return line.status.label + ("（超额）" if line.overshoot else "")


def cells(line: ScoreLine) -> tuple[str, ...]:
    """The eight cells of the 绩效自评表 layout for one line."""
    return (
        line.level1,
        line.level2,
        line.level3,
        line.target or "",
        line.actual or "",
        number(line.weight),
        str(line.score),
        line.deviation or "",
    )


def summary(sheet: ScoreSheet) -> list[str]:
    """Subtotal, total and grade lines (each total is the exact sum of the printed lines above it)."""
    out = [f"{s.level1} 小计：{s.score} / {number(s.weight)}" for s in sheet.subtotals if s.level2 is None]
    if sheet.scaled_total is not None:
        scaled = f"，折算为百分制 {sheet.scaled_total}"
        out.append(f"总分：{sheet.total} / {number(sheet.weight_total)}{scaled}　等级：{sheet.grade}")
    else:
        out.append(f"总分：{sheet.total} / {number(sheet.weight_total)}　等级：{sheet.grade}")
    return out

