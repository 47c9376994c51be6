"""Budget block arithmetic: the three identities, their figures, rounding and missing lines."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.diagnostics import Diagnostic, Severity
from indicators.lint import lint_form
from indicators.lint.examples import form_from_example
from indicators.lint.rules.budget import money

SEED_BUDGET = {
    "spending": {"基本支出": "5786.45", "项目支出": "9222.67"},
    "income": {"财政拨款": "17045.54", "其他资金": "30.00"},
    "development": {"财政专项资金": "0.00", "其他事业发展性支出": "2036.41"},
    "level": {"区本级使用资金": "17045.54", "拟用于对下转移支付资金": "0.00"},
}
SEED_TASKS = [
    ["社工服务站购买服务经费", "32.40"],
    ["教育补助经费", "90.00"],
    ["市政环卫保洁及绿化养护经费", "1152.50"],
    ["安保经费", "145.00"],
    ["长者长寿保健金财政补贴项目", "90.05"],
    ["镇街、村居级社区养老服务设施运营和奖励经费", "54.95"],
]


def budget_findings(example: dict[str, Any]) -> list[Diagnostic]:
    return lint_form(form_from_example(example), select=["budget"])


def test_seed_figures_give_the_income_spending_gap() -> None:
    found = budget_findings({"budget": SEED_BUDGET, "tasks": SEED_TASKS})
    assert [d.code for d in found] == ["IND701", "IND705", "IND705"]
    levels, tasks = found[1], found[2]
    assert levels.message == (
        "按预算级次划分的资金与财政拨款核对相符：按预算级次划分合计 17,045.54 万元"
        "（区本级使用资金 17,045.54 + 拟用于对下转移支付资金 0.00）"
        "= 财政拨款 17,045.54 万元（财政拨款 17,045.54）"
    )
    assert "重点工作任务资金合计 1,564.90 万元" in tasks.message
    assert "未超过项目支出 9,222.67 万元，余 7,657.77 万元" in tasks.message
    d = found[0]
    assert d.severity is Severity.ERROR
    assert "支出合计 17,045.53 万元" in d.message
    assert "收入合计 17,075.54 万元" in d.message
    assert "相差 30.01 万元" in d.message
    assert d.data["difference"] == "-30.01"
    assert d.data["lines"]["其他事业发展性支出"] == "2036.41"
    assert d.hint is not None
    assert "其他资金" in d.hint
    assert d.location is not None
    assert d.location.row == 101


@pytest.mark.parametrize(
    ("spending", "income", "codes"),
    [
        ({"基本支出": "100.00"}, {"财政拨款": "100.00"}, ["IND705"]),
        ({"基本支出": "100.00"}, {"财政拨款": "100.01"}, ["IND704"]),
        ({"基本支出": "100.01"}, {"财政拨款": "100.00"}, ["IND704"]),
        ({"基本支出": "100.00"}, {"财政拨款": "100.02"}, ["IND701"]),
        ({"基本支出": "1,000.00", "项目支出": "500"}, {"财政拨款": "1500"}, ["IND705"]),
        ({"基本支出": None, "项目支出": "500"}, {"财政拨款": "500"}, ["IND705"]),
    ],
    ids=["equal", "one-cent-short", "one-cent-over", "two-cents", "thousands-separator", "blank-line"],
)
def test_income_spending(spending: dict[str, Any], income: dict[str, Any], codes: list[str]) -> None:
    found = budget_findings({"budget": {"spending": spending, "income": income}})
    assert [d.code for d in found] == codes


def test_rounding_is_info_and_names_what_is_compared() -> None:
    found = budget_findings({"budget": {"spending": {"基本支出": "1.00"}, "income": {"财政拨款": "1.01"}}})
    assert found[0].severity is Severity.INFO
    assert found[0].message.startswith("支出合计与收入合计存在舍入差额")


def test_no_budget_block_no_findings() -> None:
    assert budget_findings({"rows": [["产出指标", "数量指标", "x", "指标值=x", "1个"]]}) == []


def test_one_sided_block_is_not_compared() -> None:
    assert budget_findings({"budget": {"spending": {"基本支出": "100"}}}) == []


@pytest.mark.parametrize(
    ("level", "codes"),
    [
        ({"区本级使用资金": "17045.54", "拟用于对下转移支付资金": "0.00"}, ["IND705"]),
        ({"区本级使用资金": "17045.53", "拟用于对下转移支付资金": "0.00"}, ["IND704"]),
        ({"区本级使用资金": "16045.54", "拟用于对下转移支付资金": "0.00"}, ["IND702"]),
        ({"区本级使用资金": None}, []),
    ],
    ids=["equal", "rounding", "missing-thousand", "blank"],
)
def test_level_split(level: dict[str, Any], codes: list[str]) -> None:
    found = budget_findings({"budget": {"income": {"财政拨款": "17045.54"}, "level": level}})
    assert [d.code for d in found] == codes


def test_level_split_prints_the_figures() -> None:
    level = {"区本级使用资金": "60", "拟用于对下转移支付资金": "30"}
    found = budget_findings({"budget": {"income": {"财政拨款": "100"}, "level": level}})
    expected = "按预算级次划分合计 90.00 万元（区本级使用资金 60.00 + 拟用于对下转移支付资金 30.00）"
    assert expected in found[0].message
    assert "财政拨款 100.00 万元" in found[0].message
    assert found[0].data["difference"] == "-10"


def test_a_blank_line_is_named_as_not_filled_in() -> None:
    level = {"区本级使用资金": None, "拟用于对下转移支付资金": "30"}
    found = budget_findings({"budget": {"income": {"财政拨款": "100"}, "level": level}})
    assert "（区本级使用资金（未填） + 拟用于对下转移支付资金 30.00）" in found[0].message


@pytest.mark.parametrize(
    ("projects", "tasks", "codes"),
    [
        ("9222.67", SEED_TASKS, ["IND705"]),
        ("100.00", [["甲", "60.00"], ["乙", "40.00"]], ["IND705"]),
        ("100.00", [["甲", "60.00"], ["乙", "40.01"]], ["IND704"]),
        ("100.00", [["甲", "60.00"], ["乙", "50.00"]], ["IND703"]),
        ("100.00", [["甲", None]], []),
    ],
    ids=["seed", "exactly-all", "one-cent-over", "ten-over", "no-funds"],
)
def test_tasks_against_projects(projects: str, tasks: list[list[Any]], codes: list[str]) -> None:
    found = budget_findings({"budget": {"spending": {"项目支出": projects}}, "tasks": tasks})
    assert [d.code for d in found] == codes


def test_tasks_excess_names_each_task() -> None:
    found = budget_findings(
        {"budget": {"spending": {"项目支出": "100"}}, "tasks": [["甲", "60.00"], ["乙", "50.00"]]}
    )
    assert "重点工作任务资金合计 110.00 万元（甲 60.00 + 乙 50.00）" in found[0].message
    assert "相差 10.00 万元" in found[0].message
    assert found[0].data["tasks"] == {"甲": "60.00", "乙": "50.00"}
    assert found[0].location is not None
    assert (found[0].location.row, found[0].location.column) == (201, 3)


def test_money_formats_to_the_cent() -> None:
    assert money(Decimal("17045.5")) == "17,045.50"
    assert money(Decimal("0")) == "0.00"


cents = st.integers(min_value=0, max_value=10**9).map(lambda n: Decimal(n).scaleb(-2))


@given(st.lists(cents, min_size=1, max_size=4), st.lists(cents, min_size=1, max_size=3))
def test_income_spending_classification_is_exact(spending: list[Decimal], income: list[Decimal]) -> None:
    example = {
        "budget": {
            "spending": {f"支出{i}": str(v) for i, v in enumerate(spending)},
            "income": {f"收入{i}": str(v) for i, v in enumerate(income)},
        }
    }
    found = lint_form(form_from_example(example), select=["IND701", "IND704"])
    diff = abs(sum(spending, Decimal(0)) - sum(income, Decimal(0)))
    expected = [] if diff == 0 else ["IND704"] if diff <= Decimal("0.01") else ["IND701"]
    assert [d.code for d in found] == expected
    if found:
        assert Decimal(found[0].data["difference"]).copy_abs() == diff


@pytest.mark.parametrize(
    ("unit", "amount", "codes"),
    [("元", "1000000", ["IND705"]), ("千元", "1000", ["IND705"]), ("亿元", "0.01", ["IND705"]),
     ("元", "1000100", ["IND704"]),
     ("元", "1100000", ["IND701"]), ("美元", "1000000", [])],
    ids=["元", "千元", "亿元", "元-one-cent", "元-ten-wan", "unknown-unit-not-compared"],
)
def test_amounts_in_other_money_units_are_converted(unit: str, amount: str, codes: list[str]) -> None:
    form = form_from_example({"budget": {"spending": {"基本支出": "100"}, "income": {"财政拨款": "0"}}})
    spending, income = form.budget
    income = income.model_copy(update={"amount": Decimal(amount), "unit": unit})
    found = lint_form(form.model_copy(update={"budget": (spending, income)}), select=["budget"])
    assert [d.code for d in found] == codes
