"""What an indicator measures, as decided from its formula (see docs/formula-language.md)."""

from __future__ import annotations

from enum import StrEnum


class FormulaKind(StrEnum):
    #: a ratio shown in per cent: ``a/b*100%``
    PERCENTAGE = "percentage"
    #: a ratio left as a plain number: ``a/b``
    RATIO = "ratio"
    #: a ratio per a base written as a bare factor: ``发病人数/常住人口数×10万`` (per 100,000),
    #: ``a/b×1000`` (per mille); the formula computes the number of the rate, ``Formula.unit`` names the base
    RATE = "rate"
    #: a count or other measured quantity: ``党员参与志愿服务人次``, ``a+b``
    QUANTITY = "quantity"
    #: money: a name or formula about 金额/资金/经费/成本/万元/元
    AMOUNT = "amount"
    #: a grade on an ordered scale: ``颐康服务中心(站)评估等级``, ``考核结果``
    GRADE = "grade"
    #: yes or no: ``是/否符合``
    BOOLEAN = "boolean"
    #: a state reached or not: ``按规定公开``, ``动态清零``, ``保持/提升``
    STATE = "state"
    #: measured by survey: ``通过问卷调查、访谈等方式了解满意度。``
    SURVEY = "survey"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def quantitative(self) -> bool:
        """True for kinds whose value is a number (定量)."""
        return self in _QUANTITATIVE


_QUANTITATIVE = frozenset(
    {FormulaKind.PERCENTAGE, FormulaKind.RATIO, FormulaKind.RATE, FormulaKind.QUANTITY, FormulaKind.AMOUNT}
)
#: the bases of a rate (``FormulaKind.RATE``): a bare factor → the unit its number is read in.
#: 1000 is per mille; 万分率 and 十万分率 have no sign in the unit registry and are read by their base.
RATE_UNITS: dict[int, str] = {1000: "‰", 10000: "‱", 100000: "/10万", 1000000: "/100万"}
#: the unit of a rate → its base
RATE_BASES: dict[str, int] = {unit: base for base, unit in RATE_UNITS.items()}
#: how each rate unit is named in messages
RATE_LABELS: dict[str, str] = {"‰": "千分率", "‱": "万分率", "/10万": "十万分率", "/100万": "百万分率"}


_LABELS = {
    FormulaKind.PERCENTAGE: "百分比",
    FormulaKind.RATIO: "比值",
    FormulaKind.RATE: "分率",
    FormulaKind.QUANTITY: "数量",
    FormulaKind.AMOUNT: "金额",
    FormulaKind.GRADE: "等级",
    FormulaKind.BOOLEAN: "是否",
    FormulaKind.STATE: "状态",
    FormulaKind.SURVEY: "调查",
}
