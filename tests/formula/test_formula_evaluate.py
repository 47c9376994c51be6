"""Exact evaluation: Decimal and pint, percentages, and every way a value can fail to compute."""

from __future__ import annotations

from decimal import Decimal, localcontext

import pytest

from indicators import units
from indicators.formula import Evaluation, evaluate, parse_formula

GARBAGE = "(可回收物回收量+其他垃圾处理量×0.8+厨余垃圾资源化利用量×0.9)/四类垃圾处理总量×100%"
GARBAGE_VALUES = {
    "可回收物回收量": 1250, "其他垃圾处理量": 3100, "厨余垃圾资源化利用量": 2400, "四类垃圾处理总量": 7000,
}

CASES = [
    # (formula, values, exact value, unit, display)
    (GARBAGE, GARBAGE_VALUES, None, "%", "84.14%"),
    ("a/b*100%", {"a": 29, "b": 30}, None, "%", "96.67%"),
    ("a/b*100%", {"a": "2,936", "b": "3,012"}, None, "%", "97.48%"),
    ("a/b*100%", {"a": 1, "b": 8}, Decimal("12.5"), "%", "12.50%"),
    ("a/b*100%", {"a": 1, "b": 200}, Decimal("0.5"), "%", "0.50%"),  # 0.005 → 0.50%, half up
    ("a/b", {"a": 29, "b": 30}, None, None, "0.97"),
    ("a/b*1000‰", {"a": 3, "b": 1000}, Decimal(3), "‰", "3.00‰"),
    ("a+b", {"a": "3万元", "b": "5000元"}, Decimal("3.5"), "万元", "3.50万元"),
    ("a+b", {"a": Decimal("0.1"), "b": Decimal("0.2")}, Decimal("0.3"), None, "0.30"),
    ("a-b", {"a": 1, "b": 3}, Decimal(-2), None, "-2.00"),
    ("-a", {"a": "5"}, Decimal(-5), None, "-5.00"),
    ("a*1,000", {"a": "0.001"}, Decimal(1), None, "1.00"),
    ("a", {"a": "96.5%"}, Decimal("96.5"), "%", "96.50%"),
    ("SUM(a, b, c)", {"a": 1, "b": 2, "c": 3}, Decimal(6), None, "6.00"),
    ("AVG(a, b)", {"a": 1, "b": 2}, Decimal("1.5"), None, "1.50"),
    ("平均值(a, b, c)", {"a": 1, "b": 2, "c": 4}, None, None, "2.33"),
    ("MIN(a, b)", {"a": 1, "b": 2}, Decimal(1), None, "1.00"),
    ("最大(a, b)", {"a": 1, "b": 2}, Decimal(2), None, "2.00"),
    ("ABS(a-b)", {"a": 1, "b": 3}, Decimal(2), None, "2.00"),
    ("ROUND(a/b*100%, 1)", {"a": 29, "b": 30}, Decimal("96.7"), "%", "96.70%"),
    ("ROUND(a)", {"a": "2.5"}, Decimal(3), None, "3.00"),
    ("四舍五入(a, 0)", {"a": "-2.5"}, Decimal(-3), None, "-3.00"),
    ("IF(a>=b, 100%, a/b*100%)", {"a": 31, "b": 30}, Decimal(100), "%", "100.00%"),
    ("IF(a>=b, 100%, a/b*100%)", {"a": 15, "b": 30}, Decimal(50), "%", "50.00%"),
    ("IF(a=b, 1, 0)", {"a": 2, "b": 2}, Decimal(1), None, "1.00"),
    ("IF(a!=b, 1, 0)", {"a": 2, "b": 2}, Decimal(0), None, "0.00"),
    ("IF(a<b, 1, 0)", {"a": 1, "b": 2}, Decimal(1), None, "1.00"),
    ("IF(a>b, 1, 0)", {"a": 1, "b": 2}, Decimal(0), None, "0.00"),
    ("IF(a<=b, 1, 0)", {"a": 2, "b": 2}, Decimal(1), None, "1.00"),
    ("IF(a, 1, 0)", {"a": 0}, Decimal(0), None, "0.00"),
    ("a*b", {"a": 0.5, "b": 4}, Decimal(2), None, "2.00"),
    ("a-b", {"a": "0.001", "b": "0.002"}, Decimal("-0.001"), None, "0.00"),  # never "-0.00"
    # names match across full-width and half-width parentheses
    ("村(社区)数/总数", {"村（社区）数": 3, "总数": 4}, Decimal("0.75"), None, "0.75"),
]


@pytest.mark.parametrize(("text", "values", "exact", "unit", "display"), CASES, ids=[c[0] for c in CASES])
def test_evaluate(
    text: str, values: dict[str, object], exact: Decimal | None, unit: str | None, display: str
) -> None:
    result = evaluate(parse_formula(text), values)  # type: ignore[arg-type]
    assert result.ok, result.diagnostics
    assert result.unit == unit
    assert result.display() == display
    assert isinstance(result.value, Decimal)
    if exact is not None:
        assert result.value == exact


def test_the_exact_value_is_kept() -> None:
    result = evaluate(parse_formula(GARBAGE), GARBAGE_VALUES)
    with localcontext() as ctx:
        ctx.prec = 48  # Limits.decimal_precision
        assert result.value == Decimal(5890) / Decimal(7000) * 100
    assert result.display(4) == "84.1429%"
    assert result.display(0) == "84%"
    assert result.to_dict()["value"].startswith("84.142857142857")


def test_ratio_and_percentage_compare_equal() -> None:
    ratio = evaluate(parse_formula("a/b"), {"a": "9667", "b": "10000"})
    percent = evaluate(parse_formula("a/b*100%"), {"a": "9667", "b": "10000"})
    assert ratio.value == Decimal("0.9667")
    assert percent.value == Decimal("96.67")
    assert ratio.quantity() == percent.quantity()
    assert units.quantity("0.9667") == units.quantity("96.67", "%")


FAILURES = [
    # (formula, values, code, the offending text the diagnostic points at)
    (GARBAGE, {**GARBAGE_VALUES, "四类垃圾处理总量": 0}, "IND110", "四类垃圾处理总量"),
    ("a/(b-c)", {"a": 1, "b": 2, "c": 2}, "IND110", "(b-c)"),
    ("a/b", {"a": 1, "b": "0%"}, "IND110", "b"),
    (GARBAGE, {"可回收物回收量": 1}, "IND111", "其他垃圾处理量"),
    ("a/b", {}, "IND111", "a"),
    ("a/b", {"a": "abc", "b": 1}, "IND112", "a"),
    ("a/b", {"a": "", "b": 1}, "IND112", "a"),
    ("a/b", {"a": True, "b": 1}, "IND112", "a"),
    ("a/b", {"a": Decimal("NaN"), "b": 1}, "IND112", "a"),
    ("a/b", {"a": [1], "b": 1}, "IND112", "a"),
    ("a/b", {"a": "3 光年", "b": 1}, "IND112", "a"),
    ("x*(a+b)", {"x": 1, "a": "3万元", "b": "5人"}, "IND113", "(a+b)"),
    ("a/b*100%", {"a": "3万元", "b": "5人"}, "IND119", "a/b*100%"),
    ("a/b*100%", {"a": "3个", "b": 4}, "IND119", "a/b*100%"),
    ("SUM(a, b)", {"a": "3万元", "b": "5人"}, "IND113", "SUM(a, b)"),
    ("IF(a>b, 1, 0)", {"a": "3万元", "b": "5人"}, "IND113", "a>b"),
    ("a*b", {"a": Decimal("1E+40"), "b": Decimal("1E+999990")}, "IND115", "a*b"),
]


@pytest.mark.parametrize(
    ("text", "values", "code", "where"), FAILURES, ids=[f"{f[0]}-{f[2]}" for f in FAILURES]
)
def test_not_computable(text: str, values: dict[str, object], code: str, where: str | None) -> None:
    from indicators.limits import Limits

    # powers of ten beyond the default limit, so that the product overflows the context
    wide = Limits(max_number_exponent=1_000_000)
    result = evaluate(parse_formula(text), values, limits=wide)  # type: ignore[arg-type]
    assert not result.ok
    assert result.value is None
    assert result.display() == "无法计算"
    assert result.quantity() is None
    assert {d.code for d in result.diagnostics} == {code}
    diag = result.diagnostics[0]
    assert diag.message.startswith(("无法计算", "变量"))
    if where is not None:
        assert diag.span is not None
        assert text[diag.span.start : diag.span.end] == where
        if code in ("IND110", "IND111"):
            assert where.strip("()") in diag.message


def test_a_percentage_of_a_quantity_with_a_unit_names_the_left_over_unit() -> None:
    result = evaluate(parse_formula("指标值=a/b*100%"), {"a": "3个", "b": 4})
    assert [d.code for d in result.diagnostics] == ["IND119"]
    assert result.diagnostics[0].message == "无法计算：百分比公式的结果带有单位“个”，分子与分母的单位应能相约"
    per_mille = evaluate(parse_formula("a/b*1000‰"), {"a": "3万元", "b": "5人"})
    assert "“万元 / 人”" in per_mille.diagnostics[0].message


@pytest.mark.parametrize(("places", "shown"), [(-3, "97%"), (0, "97%"), (20, None), (10**9, None)])
def test_display_places_are_bounded(places: int, shown: str | None) -> None:
    from indicators.formula.evaluator import MAX_PLACES

    result = evaluate(parse_formula("a/b*100%"), {"a": 29, "b": 30})
    text = result.display(places)
    if shown is not None:
        assert text == shown
    else:  # never more than MAX_PLACES decimals, and no exception for a huge request
        assert text == "96." + "6" * (MAX_PLACES - 1) + "7%"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"a": "3万元", "b": 2}, "无法计算：“万元”与“无单位”的数值不能相加减或比较"),
        ({"a": 1, "b": "2人"}, "无法计算：“无单位”与“人”的数值不能相加减或比较"),
        ({"a": "3人", "b": "2万元"}, "无法计算：“人”与“万元”的数值不能相加减或比较"),
    ],
    ids=str,
)
def test_unit_mismatch_messages_are_chinese(values: dict[str, object], message: str) -> None:
    result = evaluate(parse_formula("a+b"), values)  # type: ignore[arg-type]
    assert [d.message for d in result.diagnostics] == [message]


def test_a_value_longer_than_the_text_limit_is_refused() -> None:
    from indicators.limits import Limits

    result = evaluate(parse_formula("a/b*100%"), {"a": "9" * 100_000, "b": 3})
    [diag] = result.diagnostics
    assert (diag.code, diag.message) == ("IND001", "输入过长：100000 个字符，上限为 2000")
    assert diag.hint == "变量“a”的取值过长，请检查是否填错"
    assert diag.span is not None
    assert (diag.span.start, diag.span.end) == (0, 1)
    generous = Limits(max_text_length=5000, max_number_digits=3000, max_number_exponent=3000,
                      decimal_precision=3000)
    assert evaluate(parse_formula("a/b"), {"a": "9" * 3000, "b": 1}, limits=generous).ok
    [diag] = evaluate(parse_formula("a/b"), {"a": "9" * 51, "b": 1}).diagnostics
    assert (diag.code, diag.data) == ("IND003", {"limit": "max_number_digits", "size": 51, "max": 50})


def test_a_missing_value_hints_at_values_given_under_another_name() -> None:
    result = evaluate(parse_formula("办结工单/呈办工单*100%"), {"办结工单数": 2871, "呈办工单": 2970})
    [diag] = result.diagnostics
    assert diag.code == "IND111"
    assert diag.hint == "已提供但公式中没有的名称：办结工单数；请核对名称是否与公式一致"
    matched = evaluate(parse_formula("村(社区)数/总数"), {"村（社区）数": 3})  # a spelling of a used name
    assert [d.hint for d in matched.diagnostics] == [None]


def test_not_arithmetic_is_not_computable() -> None:
    for text in ("指标值=按规定公开", "指标值=是/否符合", "满意度", "指标值=颐康服务中心(站)评估等级"):
        result = evaluate(parse_formula(text), {})
        assert not result.ok
        assert result.diagnostics[0].code == "IND114"


def test_evaluation_is_immutable() -> None:
    result = Evaluation(True, Decimal(1), None)
    with pytest.raises(AttributeError):
        result.ok = False  # type: ignore[misc]


def test_quantities_are_accepted_as_values() -> None:
    values = {"a": units.quantity(3, "万元"), "b": "5000元"}
    result = evaluate(parse_formula("a+b"), values)  # type: ignore[arg-type]
    assert (result.value, result.unit) == (Decimal("3.5"), "万元")


def test_a_hand_built_comparison_outside_if_is_not_computable() -> None:
    from indicators.formula import Formula, FormulaKind
    from indicators.formula.nodes import Comparison, Variable

    formula = Formula(text="a>b", lhs=None, expr=Comparison(">", Variable("a"), Variable("b")),
                      kind=FormulaKind.QUANTITY)
    result = evaluate(formula, {"a": 1, "b": 2})
    assert not result.ok
    assert result.diagnostics[0].code == "IND109"


def test_every_missing_or_bad_value_is_reported_at_once() -> None:
    result = evaluate(parse_formula(GARBAGE), {"可回收物回收量": "很多"})
    assert [d.code for d in result.diagnostics] == ["IND112", "IND111", "IND111", "IND111"]
    assert [d.message for d in result.diagnostics[1:]] == [
        "无法计算：缺少变量“其他垃圾处理量”的取值",
        "无法计算：缺少变量“厨余垃圾资源化利用量”的取值",
        "无法计算：缺少变量“四类垃圾处理总量”的取值",
    ]
