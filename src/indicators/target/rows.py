"""What an indicator row says about how its target is read: the indicator name and the level-2 name.

A month written alone (``2024年11月``) is a deadline on a row that measures timeliness or completion
(项目完工时限, 资金拨付及时性, 工程进度, level-2 时效指标): completed in September meets it. On a row that
measures a span (服务周期, 实施期) it is the period of that month, as it is when the row says nothing.
See docs/target-language.md, "Deadlines on 时效 rows".
"""

from __future__ import annotations

from typing import Literal

from indicators.text import normalize_name

TimeRule = Literal["deadline", "period"]

#: words of an indicator name that make a month a period (the row measures a span)
PERIOD_WORDS = (
    "周期", "实施期", "服务期", "运营期", "建设期", "执行期", "期间", "时段", "起止时间", "实施时间段",
)
#: words of an indicator name that make a month a deadline ("done by then")
DEADLINE_WORDS = (
    "时效", "完工", "竣工", "时限", "及时", "进度", "完成时间", "截止", "期限", "按时", "按期", "如期",
    "交付时间", "验收时间", "办结时间", "到位时间", "拨付时间", "发放时间", "上线时间",
)
#: level-2 names of the timeliness category
DEADLINE_LEVEL2 = ("时效",)
#: words of an indicator name that make it a rate (a share that cannot exceed 100%)
RATE_ENDINGS = ("率", "比例", "占比", "覆盖面")


def time_rule(indicator: str | None, level2: str | None) -> TimeRule | None:
    """``deadline``, ``period`` or None (the row does not say) for a month or a date as the target."""
    name = normalize_name(indicator) if indicator else ""
    if any(word in name for word in PERIOD_WORDS):
        return "period"
    if any(word in name for word in DEADLINE_WORDS):
        return "deadline"
    group = normalize_name(level2) if level2 else ""
    if any(word in group for word in DEADLINE_LEVEL2):
        return "deadline"
    return None


def is_rate(indicator: str | None) -> bool:
    """True when the indicator name says it measures a rate (完成率, 覆盖率, 及时率, 占比)."""
    if not indicator:
        return False
    name = normalize_name(indicator)
    return name.endswith(RATE_ENDINGS) or "率" in name[-4:]
