"""Money in the blocks above the indicator table: amounts as exact Decimals, and the unit a label names.

``5,786.45``, ``1，234.56``, ``150万``, ``150万元``, ``1,500,000元``, ``０.５亿元`` are amounts; a dash or an
empty cell is no amount; anything else is unreadable (the caller reports IND506).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from indicators.forms.model import BudgetGroup
from indicators.text import nfkc, squash_spaces

_AMOUNT = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_NO_AMOUNT = frozenset({"-", "—", "--", "/", "无", "－"})
#: the factor that turns an amount in each money unit into 万元
TO_WAN = {"万元": Decimal(1), "元": Decimal("0.0001"), "千元": Decimal("0.1"), "亿元": Decimal(10000)}
#: money suffixes written after an amount, longest first, with the unit each one means
_MONEY_SUFFIXES = (
    ("万元", "万元"), ("千元", "千元"), ("亿元", "亿元"), ("元", "元"), ("万", "万元"), ("亿", "亿元"),
)


def parse_amount(text: str) -> tuple[Decimal | None, str | None]:
    """A money figure, thousands separators and a money suffix allowed → ``(amount, unit or None)``.

    A bare 万 or 亿 means 万元 or 亿元. An empty cell or a dash gives ``(None, "")``; unreadable text
    gives ``(None, None)``.
    """
    clean = squash_spaces(nfkc(text)).replace("，", ",")
    if not clean or clean in _NO_AMOUNT:
        return None, ""
    unit: str | None = None
    for suffix, meaning in _MONEY_SUFFIXES:
        if clean.endswith(suffix):
            clean, unit = clean[: -len(suffix)], meaning
            break
    if not _AMOUNT.match(clean):
        return None, None
    try:
        return Decimal(clean.replace(",", "")), unit
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
        return None, None


def budget_group(label: str) -> BudgetGroup | None:
    key = squash_spaces(nfkc(label))
    if "级次" in key:
        return BudgetGroup.LEVEL
    if "事业发展" in key and key.endswith("支出") and "其他" not in key:
        return BudgetGroup.DEVELOPMENT
    if "收入" in key:
        return BudgetGroup.INCOME
    if key in {"部门预算支出", "预算支出", "支出"}:
        return BudgetGroup.SPENDING
    return None


def is_unit_header(text: str) -> bool:
    key = squash_spaces(nfkc(text))
    return bool(key) and not any(ch.isdigit() for ch in key) and ("金额" in key or key.endswith("元)"))


def unit_of(text: str) -> str:
    """The money unit a header names in brackets (``预算金额（元）`` → 元); 万元 by default."""
    key = squash_spaces(nfkc(text))
    return next((unit for unit in TO_WAN if key.endswith(f"({unit})")), "万元")
