"""The 指标性质 / 运算符号 column: the sign a form writes beside a bare-number target.

Real forms put the comparator in its own column (``≧`` beside ``95`` and ``%``), in symbols, words, or
the direction words 正向/反向; the 一体化 systems store it as a code (see docs/target-language.md).
"""

from __future__ import annotations

from indicators.target.model import COMPARATOR_SIGNS
from indicators.text import squash_spaces

#: what a 指标性质 cell says → the target language's comparator (or ``qualitative`` for 定性)
OPERATOR_WORDS: dict[str, str] = {
    **dict.fromkeys(("≥", "≧", ">=", "=>", "大于等于", "不低于", "不少于", "正向"), "ge"),
    **dict.fromkeys((">", "＞", "大于", "高于"), "gt"),
    **dict.fromkeys(("=", "＝", "═", "==", "等于"), "eq"),
    **dict.fromkeys(("≤", "≦", "<=", "=<", "小于等于", "不高于", "不超过", "反向"), "le"),
    **dict.fromkeys(("<", "＜", "小于", "低于"), "lt"),
    "定性": "qualitative",
}


def operator_comparator(text: str) -> str | None:
    """The comparator a 指标性质 cell names (``ge``, ``le`` …, ``qualitative``), or None (blank, 定量 …)."""
    return OPERATOR_WORDS.get(squash_spaces(text).removesuffix("指标"))


#: what a 指标值类型 cell says when it names the kind of indicator rather than a sign; 定量（其他）
#: (code 9 of the 一体化 systems, a value explained in words) is neither
_KIND_WORDS: dict[str, str] = {"定量": "quantitative", "定性": "qualitative"}


def operator_kind(text: str) -> str | None:
    """``quantitative`` for a 定量 cell, ``qualitative`` for 定性, else None (a sign, 定量（其他）, blank).

    A sign (``≥`` …) also makes an indicator quantitative, but says more: :func:`operator_comparator`
    reads it."""
    return _KIND_WORDS.get(squash_spaces(text).removesuffix("指标"))


def with_operator(target: str, operator: str | None) -> str:
    """``target`` preceded by the sign of a separate operator cell, when the target is a bare number."""
    comparator = operator_comparator(operator) if operator else None
    sign = COMPARATOR_SIGNS.get(comparator or "")
    text = target.strip()
    if sign and text[:1].isdigit():
        return sign + text
    return text
