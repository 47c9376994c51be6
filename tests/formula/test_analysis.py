"""Symbolic analysis: AST → sympy, equivalence, solving, requirements, LaTeX, and the CLI commands."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from tests.formula.strategies import asts, evaluation_steps

from indicators.cli.app import EXIT_INVALID, EXIT_OK, EXIT_USAGE, main
from indicators.codes import lookup
from indicators.formula import (
    AnalysisError,
    FormulaKind,
    compare,
    equivalent,
    evaluate,
    is_count_name,
    latex,
    parse_formula,
    required,
    solve_for,
    to_sympy,
)
from indicators.formula.nodes import Call, Comparison, Node, Number, Sum, Variable, walk
from indicators.formula.printer import to_text

ROOT = Path(__file__).resolve().parents[2]
_SCALES = {None: Decimal(1), "%": Decimal("0.01"), "‰": Decimal("0.001")}
SEED = ROOT / "examples" / "xiaoguwei-formulas.tsv"


GONGDAN = "指标值=办结工单/呈办工单*100%"


def P(text: str) -> Any:
    return parse_formula(text)


# --- conversion ------------------------------------------------------------------------------------


def test_to_sympy_is_exact_and_names_are_the_chinese_names() -> None:
    import sympy

    expr = to_sympy(P("指标值=办结工单/呈办工单*100%"))
    a, b = sympy.Symbol("办结工单", real=True), sympy.Symbol("呈办工单", real=True)
    assert expr == a / b
    a = sympy.Symbol("a", real=True)
    assert to_sympy(P("a*0.8+3‰")) == a * sympy.Rational(4, 5) + sympy.Rational(3, 1000)
    assert to_sympy(P("1,152.50")) == sympy.Rational(2305, 2)
    assert to_sympy(Number(Decimal("0.1"))) == sympy.Rational(1, 10)  # from the Decimal, not a float


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        ("ROUND(a/b*100%, 1)", {"a": 2, "b": 3}, "0.667"),  # rounds 66.666…% to 66.7%, the evaluator's unit
        ("ROUND(a/b, 1)", {"a": 2, "b": 3}, "0.7"),
        ("ROUND(-2.5)", {}, "-3"),
        ("ROUND(2.5)", {}, "3"),
        ("ROUND(a)", {"a": Decimal("-2.4")}, "-2"),
        ("SUM(a, b, 1)", {"a": 2, "b": 3}, "6"),
        ("AVG(a, b)", {"a": 2, "b": 3}, "2.5"),
        ("MIN(a, b)-MAX(a, b)", {"a": 2, "b": 3}, "-1"),
        ("ABS(a-b)", {"a": 2, "b": 3}, "1"),
        ("IF(a>=b, 1, 2)", {"a": 2, "b": 3}, "2"),
        ("IF(a-b, 1, 2)", {"a": 3, "b": 3}, "2"),
        ("IF(a!=b, 50%, 0.3)+0", {"a": 2, "b": 3}, "0.5"),
        ("ROUND(IF(a=b, 12.34%, 0.1234), 1)", {"a": 2, "b": 2}, "0.123"),
        ("ROUND(IF(a=b, 12.34%, 0.1234), 1)", {"a": 2, "b": 3}, "0.1"),
        ("-(a-b)", {"a": 2, "b": 3}, "1"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_functions_have_faithful_equivalents(text: str, values: dict[str, Any], expected: str) -> None:
    import sympy

    formula = P(text)
    point = {sympy.Symbol(k, real=True): _rational(Decimal(v)) for k, v in values.items()}
    exact = to_sympy(formula).xreplace(point)
    assert exact == sympy.Rational(*Decimal(expected).as_integer_ratio())
    result = evaluate(formula, values)
    assert result.value is not None
    assert result.value * _SCALES[result.unit] == Decimal(expected)


# --- equivalence -----------------------------------------------------------------------------------

EQUIVALENT = [
    ("a/b*100%", "100%*a/b"),
    ("a/b*100%", "a*100%/b"),
    ("a/b*100%", "(a/b)*100%"),
    (GONGDAN, "“12345”热线工单办结率=100%*办结工单/呈办工单"),
    ("(a+b)/c", "a/c+b/c"),
    ("a-b-c", "a-(b+c)"),
    ("a*(b+c)", "a*b+a*c"),
    ("(a-b)/b*100%", "(a/b-1)*100%"),
    ("a/b/c", "a/(b*c)"),
    ("SUM(a, b)/2", "AVG(a, b)"),
    ("MAX(a, b)", "-MIN(-a, -b)"),
    ("MAX(a, b)", "IF(a>=b, a, b)"),
    ("ABS(a-b)", "ABS(b-a)"),
    ("ROUND(a/b*100%, 1)", "ROUND(100%*a/b, 1)"),
    ("a×0.8+b×0.9", "0.9*b+a*4/5"),
    ("已覆盖的村(社区)/辖区村(社区)总数*100%", "已覆盖的村（社区）/辖区村（社区）总数×100%"),
    ("a*0.5%", "a/200*100%"),
    ("a*0+b", "b"),
]
NOT_EQUIVALENT = [
    ("a/b", "b/a"),
    ("a/b*100%", "a/b*100"),
    ("(a+b)/c", "a+b/c"),
    ("a-b", "b-a"),
    ("ABS(a)", "a"),
    ("a/b*100%", "a/c*100%"),
    ("ROUND(a, 1)", "a"),
    ("SUM(a, b)", "AVG(a, b)"),
    ("IF(a>b, a, b)", "MIN(a, b)"),
]


@pytest.mark.parametrize(("a", "b"), EQUIVALENT, ids=[f"{a} ≡ {b}" for a, b in EQUIVALENT])
def test_equivalent(a: str, b: str) -> None:
    assert equivalent(P(a), P(b))
    assert equivalent(P(b), P(a))


@pytest.mark.parametrize(("a", "b"), NOT_EQUIVALENT, ids=[f"{a} ≢ {b}" for a, b in NOT_EQUIVALENT])
def test_not_equivalent(a: str, b: str) -> None:
    assert not equivalent(P(a), P(b))
    assert not equivalent(P(b), P(a))
    assert not equivalent(P(a), P(b), units=False)


def test_not_equivalent_comes_with_a_counterexample_in_each_formulas_unit() -> None:
    result = compare(P("a/b*100%"), P("a/c*100%"))
    assert result.same_value is False
    point = result.counterexample
    assert set(point) == {"a", "b", "c"}
    assert result.left_value is not None
    assert abs(result.left_value - point["a"] / point["b"] * 100) < Decimal("1e-20")
    assert result.right_value is not None


def test_a_ratio_and_a_percentage_have_the_same_value_but_not_the_same_unit() -> None:
    result = compare(P("a/b"), P("a/b*100%"))
    assert result.same_value is True
    assert not result.same_unit
    assert (result.left_unit, result.right_unit) == (None, "%")
    assert not equivalent(P("a/b"), P("a/b*100%"))
    assert equivalent(P("a/b"), P("a/b*100%"), units=False)
    assert equivalent(P("a*100%"), P("a*1000‰"), units=False)
    assert not equivalent(P("a*100%"), P("a*1000‰"))


def test_undecided_is_not_equivalent() -> None:
    # floor inside ROUND defeats simplification; the samples find no difference: neither proved nor refuted
    a, b = P("ROUND(a)+ROUND(b)"), P("ROUND(b)+ROUND(a)+ROUND(a-a)")
    result = compare(a, b)
    assert result.same_value in (True, None)
    assert equivalent(a, b) is (result.same_value is True)


# --- solving ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "target", "values", "expected"),
    [
        (GONGDAN, "办结工单", Decimal(95), {"呈办工单": 2970}, "2821.5"),
        (GONGDAN, "办结工单", "95%", {"呈办工单": "2,970"}, "2821.5"),
        (GONGDAN, "呈办工单", 95, {"办结工单": 2821}, "2969.47368421052631578947368421052631578947368421"),
        ("指标值=办结工单/呈办工单", "办结工单", Decimal("0.95"), {"呈办工单": 2970}, "2821.5"),
        ("指标值=办结工单/呈办工单", "办结工单", "95%", {"呈办工单": 2970}, "2821.5"),
        ("指标值=a/b*100", "a", 95, {"b": 200}, "190"),
        ("a*3‰", "a", 6, {}, "2"),  # 6‰
        ("a*3‰", "a", "0.6%", {}, "2"),
        ("(a-b)/b*100%", "a", 5, {"b": 200}, "210"),
        ("(可回收物回收量+其他垃圾处理量×0.8+厨余垃圾资源化利用量×0.9)/四类垃圾处理总量×100%",
         "其他垃圾处理量", 80,
         {"可回收物回收量": 1250, "厨余垃圾资源化利用量": 2400, "四类垃圾处理总量": 7000}, "2737.5"),
        ("a*a*a", "a", 8, {}, "2"),
        ("ABS(a)+a", "a", 4, {}, "2"),
        ("村（社区）/总数*100%", "村(社区)", 50, {"总数": 8}, "4"),
        ("指标值=党员参与志愿服务人次", "党员参与志愿服务人次", 126, {}, "126"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_solve_for(text: str, name: str, target: Any, values: dict[str, Any], expected: str) -> None:
    assert solve_for(P(text), name, target, values) == Decimal(expected)


def test_solve_for_ignores_a_value_given_for_the_variable_itself() -> None:
    formula = P("a/b*100%")
    assert solve_for(formula, "a", 50, {"a": 1, "b": 8}) == 4


@pytest.mark.parametrize(
    ("text", "name", "target", "values"),
    [
        ("a*0+5", "a", 6, {}),  # the formula does not reach the target for any value
        ("ABS(a)", "a", -1, {}),
        ("a/b*100%", "b", 0, {"a": 5}),  # a/b is never 0 when a is not
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_solve_for_without_a_solution_is_none(
    text: str, name: str, target: Any, values: dict[str, Any]
) -> None:
    assert solve_for(P(text), name, target, values) is None


def _seed_rows() -> list[tuple[str, str, dict[str, str]]]:
    rows = []
    for line in SEED.read_text(encoding="utf-8").splitlines()[1:]:
        name, text, samples = ([*line.split("\t"), "", ""])[:3]
        values = dict(piece.split("=", 1) for piece in samples.split(";") if "=" in piece)
        if P(text).is_arithmetic:
            rows.append((name, text, values))
    return rows


@pytest.mark.parametrize(("indicator", "text", "values"), _seed_rows(), ids=[r[0] for r in _seed_rows()])
def test_solve_recovers_every_seed_value(indicator: str, text: str, values: dict[str, str]) -> None:
    formula = P(text)
    result = evaluate(formula, values)
    assert result.ok
    assert result.value is not None
    for name in formula.variables():
        if len(formula.variables()) > 1 and formula.kind.value == "quantity":
            continue
        others = {k: v for k, v in values.items() if k != name}
        solved = solve_for(formula, name, result.value, others)
        assert solved is not None, name
        sample = Decimal(values[name].replace(",", ""))
        assert abs(solved - sample) <= Decimal("1e-25") * max(Decimal(1), sample), (indicator, name)


# --- requirements -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "bound", "comparator", "values", "expected"),
    [
        # the department's question: 呈办工单 2970, target ≥95%: at least 2822 (2821.5 rounded up)
        (GONGDAN, "办结工单", 95, "ge", {"呈办工单": 2970}, ("2822", "min", "2821.5", True)),
        (GONGDAN, "办结工单", 95, "≥", {"呈办工单": 2960}, ("2812", "min", "2812", True)),
        (GONGDAN, "办结工单", 95, "gt", {"呈办工单": 2960}, ("2813", "min", "2812", True)),
        (GONGDAN, "呈办工单", 95, "ge", {"办结工单": 2936},
         ("3090", "max", "3090.52631578947368421052631578947368421052631579", True)),
        ("指标值=安全隐患整改件数/安全隐患应整改总数*100%", "安全隐患整改件数", 100, "ge",
         {"安全隐患应整改总数": 290}, ("290", "min", "290", True)),
        ("指标值=投诉件数/受理件数*100%", "投诉件数", 5, "le", {"受理件数": 990},
         ("49", "max", "49.5", True)),
        ("指标值=投诉件数/受理件数*100%", "投诉件数", 5, "lt", {"受理件数": 1000},
         ("49", "max", "50", True)),
        # not a count: the exact boundary, strict or not
        ("辖区内绿化覆盖面积/辖区面积×100%", "辖区内绿化覆盖面积", 40, "ge", {"辖区面积": 720},
         ("288", "min", "288", True)),
        ("辖区内绿化覆盖面积/辖区面积×100%", "辖区内绿化覆盖面积", 40, "gt", {"辖区面积": 720},
         ("288", "min", "288", False)),
        ("辖区内绿化覆盖面积/辖区面积×100%", "辖区面积", 40, "le", {"辖区内绿化覆盖面积": 288},
         ("720", "min", "720", True)),
        # a count never goes below zero
        ("(本年完成数-上年完成数)/上年完成数*100%", "本年完成数", -150, "ge", {"上年完成数": 10},
         ("0", "min", "-5", True)),
        (GONGDAN, "办结工单", 95, "eq", {"呈办工单": 2960}, ("2812", "eq", "2812", True)),
        # the meeting values are one-sided even where the formula is flat: MAX(a, 1) ≤ 1 for every a ≤ 1
        ("MAX(a, 1)", "a", 1, "le", {}, ("1", "max", "1", True)),
        ("MIN(a, 1)", "a", Decimal("0.5"), "gt", {}, ("0.5", "min", "0.5", False)),
        ("1/a", "a", 0, "ge", {}, ("0", "min", "0", False)),
        # an irrational boundary: rounded to 34 digits, and up to a whole number for a count
        ("a*a*a", "a", 2, "ge", {}, ("1.25992104989487316476721060727822835057025146470", "min",
                                     "1.25992104989487316476721060727822835057025146470", True)),
        ("件数*件数*件数", "件数", 2, "ge", {},
         ("2", "min", "1.25992104989487316476721060727822835057025146470", True)),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_required(
    text: str, name: str, bound: Any, comparator: str, values: dict[str, Any],
    expected: tuple[str, str, str, bool],
) -> None:
    answer = required(P(text), name, bound=bound, comparator=comparator, values=values)
    assert answer is not None
    value, side, exact, inclusive = expected
    assert (answer.value, answer.side, answer.exact, answer.inclusive) == (
        Decimal(value), side, Decimal(exact), inclusive
    )
    assert answer.name == name
    assert answer.describe().startswith(name)


def test_required_describes_the_rounding() -> None:
    answer = required(P("指标值=办结工单/呈办工单*100%"), "办结工单", bound=Decimal(95), comparator="ge",
                      values={"呈办工单": 2970})
    assert answer is not None
    assert answer.whole
    assert answer.describe() == "办结工单至少为 2822（恰好达到目标时为 2821.5，按整数向上取整）"
    assert answer.to_dict()["value"] == "2822"


def test_required_whole_can_be_forced_either_way() -> None:
    formula = P("a/b*100%")
    kept = required(formula, "a", bound=95, comparator="ge", values={"b": 2970}, whole=False)
    assert kept is not None
    assert kept.value == Decimal("2821.5")
    assert not kept.whole
    assert kept.describe() == "a至少为 2821.5"
    rounded = required(formula, "a", bound=95, comparator="ge", values={"b": 2970}, whole=True)
    assert rounded is not None
    assert rounded.value == 2822
    strict = required(formula, "a", bound=95, comparator="gt", values={"b": 2970}, whole=False)
    assert strict is not None
    assert strict.describe() == "a应大于 2821.5"


@pytest.mark.parametrize(
    ("text", "name", "bound", "comparator", "values"),
    [
        (GONGDAN, "办结工单", 95, "eq", {"呈办工单": 2970}),  # 2821.5 is no count
        ("a*0+5", "a", 6, "ge", {}),  # never reached
        ("ABS(a)", "a", -1, "le", {}),
        ("指标值=投诉件数/受理件数*100%", "投诉件数", -5, "le", {"受理件数": 100}),  # no count below 0
        ("a*0+5", "a", 6, "eq", {}),
        ("件数+10", "件数", 5, "eq", {}),  # -5 is no count
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_required_without_an_answer_is_none(
    text: str, name: str, bound: Any, comparator: str, values: dict[str, Any]
) -> None:
    assert required(P(text), name, bound=bound, comparator=comparator, values=values) is None


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("办结工单", True),
        ("呈办工单", True),
        ("辖区村(社区)总数", True),
        ("已覆盖应急避难场所的村(社区)", True),
        ("党员参与志愿服务人次", True),
        ("安全隐患整改件数", True),
        ("本年度已完成的工作数量", True),
        ("登记在册严重精神障碍患者", True),
        ("服务对象(人)", True),
        ("招商引资活动举办次数", True),
        ("辖区面积", False),
        ("可回收物回收量", False),
        ("资金(万元)", False),
        ("项目数(%)", False),
        ("物价指数", False),
        ("折算系数", False),
        ("颐康服务中心(站)", False),
        ("ＡＢＣ企业", True),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_is_count_name(name: str, count: bool) -> None:
    assert is_count_name(name) is count


# --- LaTeX ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("指标值=办结工单/呈办工单*100%", r"\frac{\text{办结工单}}{\text{呈办工单}} \times 100\%"),
        ("(a+b)/c×100%", r"\frac{\text{a} + \text{b}}{\text{c}} \times 100\%"),
        ("a*(b-c)", r"\text{a} \times \left(\text{b} - \text{c}\right)"),
        ("a/b/c", r"\frac{\frac{\text{a}}{\text{b}}}{\text{c}}"),
        ("a*b/c", r"\frac{\text{a} \times \text{b}}{\text{c}}"),
        ("-a+3‰", r"-\text{a} + 3\text{‰}"),
        ("-(a+b)", r"-\left(\text{a} + \text{b}\right)"),
        ("完成率(%)_x*1", r"\text{完成率(\%)\_x} \times 1"),
        ("ABS(a)", r"\left|\text{a}\right|"),
        ("MAX(a, b)", r"\max\left(\text{a}, \text{b}\right)"),
        ("ROUND(a, 2)", r"\operatorname{ROUND}\left(\text{a}, 2\right)"),
        ("IF(a>=b, a, 0)",
         r"\begin{cases} \text{a} & \text{若 } \text{a} \geq \text{b} \\ 0 & \text{否则} \end{cases}"),
    ],
    ids=lambda v: v,
)
def test_latex(text: str, expected: str) -> None:
    assert latex(P(text)) == expected


# --- errors -----------------------------------------------------------------------------------------


def _raises(code: str, call: Any, *args: Any, **kwargs: Any) -> AnalysisError:
    with pytest.raises(AnalysisError) as info:
        call(*args, **kwargs)
    error = info.value
    assert isinstance(error, ValueError)
    assert error.diagnostic.code == code
    assert lookup(code).slug == error.diagnostic.slug
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error.diagnostic.message)
    assert error.diagnostic.hint
    return error


@pytest.mark.parametrize(
    "text",
    ["指标值=是/否符合", "指标值=按规定公开", "满意度", "颐康服务中心(站)评估等级", "指标值=保持/提升"],
)
def test_non_arithmetic_kinds_are_ind121(text: str) -> None:
    formula = P(text)
    error = _raises("IND121", to_sympy, formula)
    assert formula.kind.label in error.diagnostic.message
    _raises("IND121", latex, formula)
    _raises("IND121", equivalent, formula, P("a"))
    _raises("IND121", compare, P("a"), formula)
    _raises("IND121", solve_for, formula, "a", 1, {})
    _raises("IND121", required, formula, "a", bound=1, comparator="ge", values={})


@pytest.mark.parametrize(
    ("node", "fragment"),
    [
        (Comparison(">=", Variable("a"), Variable("b")), "IF 的条件"),
        (Call("MEDIAN", (Variable("a"),)), "MEDIAN"),
        (Call("IF", (Variable("a"),)), "IF"),
        (Call("ROUND", (Variable("a"), Variable("b"))), "小数位数"),
        (Call("ROUND", (Variable("a"), Number(Decimal("1.5")))), "小数位数"),
        (Call("ROUND", (Variable("a"), Number(Decimal(21)))), "小数位数"),
        (Call("IF", (Comparison("~", Variable("a"), Variable("b")), Variable("a"), Variable("b"))),
         "比较符号"),
    ],
    ids=lambda v: to_text(v) if isinstance(v, Comparison | Call) else None,
)
def test_nodes_without_a_faithful_form_are_ind122(node: Node, fragment: str) -> None:
    error = _raises("IND122", to_sympy, node)
    assert fragment in error.diagnostic.message


def test_ind122_points_into_the_formula_text() -> None:
    formula = P("a+ROUND(b, 2)")
    bad = Call("ROUND", (Variable("b"), Variable("c")), span=formula.expr.operands[1].span)
    inner = Sum((Variable("a"), bad), ("+",))
    error = _raises("IND122", to_sympy, replace(formula, expr=inner))
    assert error.diagnostic.text == "a+ROUND(b, 2)"
    assert error.diagnostic.span is not None
    assert error.diagnostic.span.start == 2
    assert error.diagnostic.message.startswith("公式中的“ROUND(b, 2)”无法做符号分析")


@pytest.mark.parametrize(
    ("text", "name", "target", "values", "fragment"),
    [
        ("a*a", "a", 4, {}, "多个取值"),
        ("a*0+5", "a", 5, {}, "任何取值"),
        ("a/b*100%", "a", 95, {"b": 0}, "除数为零"),
        ("ROUND(a/b*100%, 0)", "a", 95, {"b": 200}, "唯一取值"),
        ("MAX(a, 1)", "a", 1, {}, "无穷多个"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_no_unique_solution_is_ind123(text: str, name: str, target: Any, values: dict[str, Any],
                                      fragment: str) -> None:
    error = _raises("IND123", solve_for, P(text), name, target, values)
    assert fragment in error.diagnostic.message


@pytest.mark.parametrize(
    ("text", "comparator", "bound", "values", "fragment"),
    [
        ("a*0+5", "ge", 5, {}, "任何取值"),
        ("ABS(a-5)", "le", 1, {}, "多个取值"),
        ("(a-1)*(a-1)", "gt", 0, {}, "两侧"),
        ("MAX(a, 1)", "ge", 0, {}, "任何取值"),
        ("1/(a*(a-2))", "ge", 0, {}, "边界"),
        ("ROUND(a/b*100%, 0)", "ge", 95, {"b": 200}, "符号方法"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_requirement_without_one_bound_is_ind123(text: str, comparator: str, bound: Any,
                                                 values: dict[str, Any], fragment: str) -> None:
    error = _raises("IND123", required, P(text), "a", bound=bound, comparator=comparator, values=values)
    assert fragment in error.diagnostic.message


def test_unknown_variable_is_ind124_and_lists_the_variables() -> None:
    error = _raises("IND124", solve_for, P("指标值=办结工单/呈办工单*100%"), "办结", 95, {"呈办工单": 1})
    assert error.diagnostic.hint == "公式中的变量：办结工单、呈办工单"


def test_bad_comparator_and_bad_target_are_ind125() -> None:
    formula = P("a/b*100%")
    _raises("IND125", required, formula, "a", bound=95, comparator="about", values={"b": 1})
    for target in ("九十五", "95x", "", Decimal("NaN"), True):
        _raises("IND125", solve_for, formula, "a", target, {"b": 1})


def test_missing_and_unreadable_values_are_reported_together() -> None:
    formula = P("(a+b+c)/d*100%")
    error = _raises("IND112", solve_for, formula, "a", 95, {"b": "3万元", "d": Decimal("Infinity")})
    codes = [d.code for d in error.diagnostics]
    assert codes == ["IND112", "IND111", "IND112"]
    assert all(d.hint for d in error.diagnostics)


def test_without_sympy_the_analysis_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sympy", None)  # import sympy now raises ImportError
    error = _raises("IND126", to_sympy, P("a/b"))
    assert "pip install" in (error.diagnostic.hint or "")
    _raises("IND126", solve_for, P("a/b"), "a", 1, {"b": 1})


# --- evaluate and sympy agree ------------------------------------------------------------------------


_asts: st.SearchStrategy[Node] = asts
_positive = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(1000), places=2)


def _rational(value: Decimal) -> Any:
    import sympy

    return sympy.Rational(*value.as_integer_ratio())




def _digits(value: Any) -> int | None:
    """Significant digits of a terminating decimal; None when it does not terminate (or is not finite)."""
    if not value.is_Rational:
        return None
    q = int(value.q)
    for p in (2, 5):
        while q % p == 0:
            q //= p
    if q != 1:
        return None
    from decimal import localcontext

    with localcontext() as ctx:
        ctx.prec = 400
        exact = Decimal(int(value.p)) / Decimal(int(value.q))
        return len(exact.normalize().as_tuple().digits)  # normalize rounds to the context's precision


@settings(max_examples=300, deadline=None)
@given(_asts, st.data())
def test_evaluate_and_sympy_agree(tree: Node, data: st.DataObject) -> None:
    import sympy

    formula = parse_formula(to_text(tree))
    if not formula.is_arithmetic or formula.expr is None:
        event("not arithmetic")
        return
    values = {name: data.draw(_positive, label=name) for name in formula.variables()}
    point = {sympy.Symbol(n, real=True): _rational(v) for n, v in values.items()}
    result = evaluate(formula, values)
    if not result.ok:  # a zero divisor (sympy may cancel it: x/x is 1) or a number too long to round
        assert {d.code for d in result.diagnostics} <= {"IND110", "IND115"}
        event("not computable")
        return
    assert result.value is not None
    exact = to_sympy(formula).xreplace(point)
    scale = Decimal(1) if formula.kind is FormulaKind.RATE else _SCALES[result.unit]  # a rate: its own number
    computed = _rational(result.value) * _rational(scale)  # exact: no Decimal context
    steps = [to_sympy(step).xreplace(point) for step in evaluation_steps(formula.expr)]
    digits = [_digits(s) for s in steps]
    if all(d is not None and d <= 30 for d in digits):
        event("every step exact")
        assert computed == exact, (to_text(formula.expr), values)
        return
    # some step was rounded to 34 digits: only continuous formulas can be compared, within that rounding
    if any(isinstance(n, Call) and n.function in ("ROUND", "IF") for n in walk(formula.expr)):
        event("rounded step before a jump")
        return
    event("rounded steps")
    assert exact.is_Rational
    largest = max([abs(s) for s in steps if s.is_finite] + [sympy.Integer(1)])
    assert abs(computed - exact) <= largest * sympy.Rational(1, 10**25), (to_text(formula.expr), values)


# --- command line -----------------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err




def test_cli_solve_at_least(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "formula", "solve", GONGDAN, "--for", "办结工单", "--target", "95",
                       "--compare", "ge", "--var", "呈办工单=2970")
    assert code == EXIT_OK
    assert out.strip() == "办结工单至少为 2822（恰好达到目标时为 2821.5，按整数向上取整）"


def test_cli_solve_exact_value_with_percent_sign(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "formula", "solve", GONGDAN, "--for", "办结工单", "--target", "95%",
                       "--var", "呈办工单=2,970")
    assert code == EXIT_OK
    lines = out.splitlines()
    assert lines[0] == "办结工单应为 2821.5"
    assert "--compare ge" in lines[1]


def test_cli_solve_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "formula", "solve", GONGDAN, "--for", "呈办工单", "--target", "95",
                       "--compare", "ge", "--var", "办结工单=2936", "--json")
    assert code == EXIT_OK
    data = json.loads(out)
    assert data == {
        "schema_version": 1,
        "formula": GONGDAN,
        "canonical": "办结工单/呈办工单*100%",
        "unit": "%",
        "variable": "呈办工单",
        "target": "95",
        "compare": "ge",
        "values": {"办结工单": "2936"},
        "ok": True,
        "solution": {
            "variable": "呈办工单",
            "value": "3090",
            "side": "max",
            "exact": "3090.52631578947368421052631578947368421052631579",
            "inclusive": True,
            "whole": True,
            "text": "呈办工单至多为 3090（恰好达到目标时为 "
                    "3090.52631578947368421052631578947368421052631579，按整数向下取整）",
        },
    }


def test_cli_solve_without_a_solution_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "formula", "solve", GONGDAN, "--for", "办结工单", "--target", "95",
                         "--compare", "ge", "--var", "呈办工单=-10", "--whole")
    assert code == EXIT_INVALID
    assert out == ""
    assert "无解：办结工单没有任何整数取值能使公式的值≥95%" in err
    code, out, err = run(capsys, "formula", "solve", "a*0+5", "--for", "a", "--target", "6", "--json")
    assert code == EXIT_INVALID
    assert json.loads(out)["solution"] is None
    assert "无解" in err


def test_cli_solve_errors(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "formula", "solve", GONGDAN, "--for", "办结", "--target", "95")
    assert code == EXIT_INVALID
    assert "IND124" in err
    code, _, err = run(capsys, "formula", "solve", GONGDAN, "--for", "办结工单", "--target", "95")
    assert code == EXIT_INVALID
    assert "IND111" in err
    code, _, err = run(capsys, "formula", "solve", GONGDAN, "--for", "办结工单", "--target", "95",
                       "--var", "呈办工单")
    assert code == EXIT_USAGE
    assert "名称=数值" in err
    code, _, err = run(capsys, "formula", "solve", GONGDAN, "--target", "95")
    assert code == EXIT_USAGE
    code, _, err = run(capsys, "formula", "solve", GONGDAN, "--for", "办结工单", "--target", "95",
                       "--compare", "about")
    assert code == EXIT_USAGE


@pytest.mark.parametrize(
    ("a", "b", "extra", "exit_code", "text"),
    [
        ("a/b*100%", "100%*a/b", (), EXIT_OK, "等价"),
        ("a/b", "a/b*100%", (), EXIT_INVALID, "不等价：数值相同，但指标值的单位不同（无单位 与 %）"),
        ("a/b", "a/b*100%", ("--ignore-unit",), EXIT_OK, "等价（数值相同；单位不同：无单位 与 %）"),
        ("a/b*100%", "a/c*100%", (), EXIT_INVALID, "不等价：例如 a="),
        ("ROUND(a)+ROUND(b)", "ROUND(b)+ROUND(a)+ROUND(a-a)", (), None, ""),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_cli_equiv(capsys: pytest.CaptureFixture[str], a: str, b: str, extra: tuple[str, ...],
                   exit_code: int | None, text: str) -> None:
    code, out, _ = run(capsys, "formula", "equiv", a, b, *extra)
    if exit_code is None:  # proved, or reported as undecided
        assert (code, out.strip()) in ((EXIT_OK, "等价"), (EXIT_INVALID, out.strip()))
        assert code == EXIT_OK or out.startswith("无法判定")
        return
    assert code == exit_code
    assert out.startswith(text)


def test_cli_equiv_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "formula", "equiv", "a/b", "b/a", "--json")
    assert code == EXIT_INVALID
    data = json.loads(out)
    assert data["equivalent"] is False
    assert data["same_value"] is False
    assert data["same_unit"] is True
    point = {k: Decimal(v) for k, v in data["counterexample"].items()}
    assert abs(Decimal(data["left"]["value"]) - point["a"] / point["b"]) < Decimal("1e-20")
    assert set(data["left"]) == {"text", "canonical", "unit", "value"}
    code, out, _ = run(capsys, "formula", "equiv", "a/b*100%", "100%*a/b", "--json")
    assert code == EXIT_OK
    assert json.loads(out)["counterexample"] is None


def test_cli_equiv_errors(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "formula", "equiv", "是/否符合", "a")
    assert code == EXIT_INVALID
    assert "IND121" in err
    code, _, err = run(capsys, "formula", "equiv", "a/", "a")
    assert code == EXIT_INVALID
    assert "IND103" in err
    code, _, _ = run(capsys, "formula", "equiv", "a")
    assert code == EXIT_USAGE


def test_cli_latex(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "formula", "latex", GONGDAN)
    assert code == EXIT_OK
    assert out == "\\frac{\\text{办结工单}}{\\text{呈办工单}} \\times 100\\%\n"
    code, _, err = run(capsys, "formula", "latex", "满意度")
    assert code == EXIT_INVALID
    assert "IND121" in err


def test_sympy_is_loaded_only_when_analysis_runs() -> None:
    code = (
        "import sys; import indicators.formula; from indicators.cli.app import build_parser; "
        "build_parser().format_help(); print('sympy' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
