"""lint_form never raises on bad data: any cell text gives findings, not exceptions."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.diagnostics import Diagnostic, Location
from indicators.forms.model import BudgetGroup, BudgetItem, Cell, Form, IndicatorRow, KeyTask
from indicators.limits import Limits
from indicators.lint import lint_form

FRAGMENTS = [
    "指标值=", "/", "*100%", "×100%", "(", ")", "“", "”", "\"", "率", "满意度", "以上", "以下", "≥", "≤",
    "%", "个", "人次", "万元", "优", "良好", "合格", "分为", "、", "保持/提升", "是", "否", "及时", "。",
    "产出指标", "效益指标", "成本指标", "数量指标", "社会成本指标", "12345", "0", "99.5", "-", " ", "\n",
]
texts = st.one_of(
    st.none(),
    st.lists(st.sampled_from(FRAGMENTS), max_size=8).map("".join),
    st.text(max_size=30),
)


@st.composite
def rows(draw: st.DrawFn) -> list[IndicatorRow]:
    out = []
    for index in range(draw(st.integers(min_value=0, max_value=5))):
        cells = {}
        for column, field in enumerate(("level1", "level2", "level3", "formula", "target", "unit"), start=1):
            text = draw(texts)
            if text is not None:
                cells[field] = Cell(text=text, location=Location(row=index + 2, column=column))
        out.append(IndicatorRow(index=index, **cells))
    return out


amounts = st.one_of(st.none(), st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False))


@st.composite
def budgets(draw: st.DrawFn) -> list[BudgetItem]:
    labels = ["基本支出", "项目支出", "财政拨款", "其他资金", "区本级使用资金", "x"]
    return [
        BudgetItem(group=draw(st.sampled_from(list(BudgetGroup))), label=draw(st.sampled_from(labels)),
                   amount=draw(amounts))
        for _ in range(draw(st.integers(min_value=0, max_value=6)))
    ]


priors = st.dictionaries(st.text(max_size=8), texts.filter(bool))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows(), budgets(), st.lists(amounts, max_size=3), priors)
def test_lint_form_never_raises(
    indicator_rows: list[IndicatorRow],
    budget: list[BudgetItem],
    funds: list[Decimal | None],
    prior: dict[str, str],
) -> None:
    tasks = tuple(KeyTask(name=Cell(text=f"任务{i}"), funds=f) for i, f in enumerate(funds))
    form = Form(indicators=tuple(indicator_rows), budget=tuple(budget), tasks=tasks)
    found = lint_form(form, prior=prior, limits=Limits(max_text_length=20))
    assert all(isinstance(d, Diagnostic) for d in found)
    assert all(d.code[3] in "1234567" for d in found)
