"""Malformed formulas: the error code and the column it points at, and the limits."""

from __future__ import annotations

import pytest

from indicators.errors import FormulaSyntaxError, IndicatorsError, LimitExceededError
from indicators.formula import FormulaLimitError, parse_formula
from indicators.formula.parser import HARD_MAX_DEPTH, expected_words
from indicators.limits import Limits

MALFORMED = [
    # (text, code, 1-based column of the caret)
    ("办结工单/*100%", "IND102", 6),
    ("a/", "IND103", 3),
    ("a+", "IND103", 3),
    ("指标值=", "IND103", 5),
    ("*a", "IND102", 1),
    ("/a", "IND102", 1),
    ("=a/b", "IND102", 1),
    ("a**b", "IND102", 3),
    ("a+*b", "IND102", 3),
    ("a×÷b", "IND102", 3),
    ("a=b=c", "IND102", 4),
    ("a>b", "IND102", 2),
    ("a==b", "IND102", 3),
    ("()", "IND102", 2),
    ("a/()", "IND102", 4),
    ("a%", "IND102", 2),
    ("100%%", "IND102", 5),
    ("a/b*100%以上", "IND102", 9),
    ("a/0.8厨余", "IND102", 6),
    ("SUM(a b)", "IND102", 7),
    ("SUM(a,,b)", "IND102", 7),
    ("SUM(a,)", "IND102", 7),
    ("IF(a>>b,1,0)", "IND102", 6),
    ("(a+b", "IND104", 1),
    ("a/(b+c", "IND104", 3),
    ("((a)", "IND104", 1),
    ("a+b)", "IND104", 4),
    ("a)/b", "IND104", 2),
    (")", "IND104", 1),
    ("（", "IND104", 1),
    ("a#b", "IND101", 2),
    ("a/b@", "IND101", 4),
    ("$a", "IND101", 1),
    ("1.2.3", "IND101", 4),
    ("a..b", "IND101", 2),
    ("", "IND106", 1),
    ("   ", "IND106", 1),
    ("“”", "IND106", 1),
    ("FOO(a+b)", "IND107", 1),
    ("村(a+b)", "IND107", 1),
    ("x*总数(a/b)", "IND107", 3),
    ("SUM()", "IND108", 1),
    ("ABS(a, b)", "IND108", 1),
    ("IF(a, b)", "IND108", 1),
    ("IF(a>b, 1, 0, 2)", "IND108", 1),
    ("四舍五入(a, 1, 2)", "IND108", 1),
    ("SUM(a>b)", "IND109", 5),
    ("IF(1, a>b, 0)", "IND109", 7),
    ("ROUND(a, b)", "IND116", 10),
    ("ROUND(a, 1.5)", "IND116", 10),
    ("ROUND(a, 2%)", "IND116", 10),
    ("ROUND(a, 21)", "IND116", 10),
    ("a\n/*b", "IND102", 2),
]


@pytest.mark.parametrize(("text", "code", "column"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed(text: str, code: str, column: int) -> None:
    with pytest.raises(FormulaSyntaxError) as info:
        parse_formula(text)
    diag = info.value.diagnostic
    assert diag.code == code
    assert diag.span is not None
    assert diag.span.column == column
    assert diag.text == text
    assert diag.message
    rendered = info.value.render()
    assert code in rendered
    if text.strip():
        assert "^" in rendered


def test_the_acceptance_error_points_at_the_star() -> None:
    with pytest.raises(FormulaSyntaxError) as info:
        parse_formula("办结工单/*100%")
    diag = info.value.diagnostic
    assert diag.span is not None
    assert (diag.span.line, diag.span.column) == (1, 6)
    assert diag.message == "公式在“*”处有误：此处应为数值、名称、函数或左括号"
    assert diag.hint == "两个运算符之间缺少数值或名称"
    assert diag.render().splitlines()[1:3] == ["  办结工单/*100%", "  " + " " * 9 + "^"]


def test_errors_are_value_errors_of_the_project() -> None:
    with pytest.raises(ValueError, match="公式") as info:
        parse_formula("a/")
    assert isinstance(info.value, IndicatorsError)


def test_multi_line_position() -> None:
    with pytest.raises(FormulaSyntaxError) as info:
        parse_formula("a\n/*b")
    assert info.value.diagnostic.span is not None
    assert info.value.diagnostic.span.line == 2


def test_note_that_looks_like_formula_warns() -> None:
    formula = parse_formula("指标值=已完成 项目数/计划项目数")
    assert [w.code for w in formula.warnings] == ["IND117"]
    assert formula.note == "项目数/计划项目数"


@pytest.mark.parametrize(
    ("expected", "words"),
    [
        ({"NAME", "NUMBER"}, "数值、名称、函数或左括号"),
        ({"ADD_OP", "MUL_OP", "RPAR"}, "运算符（+ - × ÷）或右括号“)”"),
        ({"$END"}, "公式结束"),
        (set(), "公式的下一部分"),
    ],
    ids=str,
)
def test_expected_words(expected: set[str], words: str) -> None:
    assert expected_words(expected) == words


# --- limits --------------------------------------------------------------------------------------


def test_hundred_thousand_characters_fail_fast() -> None:
    with pytest.raises(FormulaSyntaxError) as info:
        parse_formula("a+" * 50_000)
    assert info.value.diagnostic.code == "IND001"
    assert isinstance(info.value, LimitExceededError)
    assert isinstance(info.value, FormulaLimitError)


@pytest.mark.parametrize(
    "text",
    [
        "(" * 10_000 + "a" + ")" * 10_000,
        "-" * 10_000 + "a",
        "SUM(" * 10_000 + "a" + ")" * 10_000,
        "（" * 10_000,
    ],
    ids=["parentheses", "signs", "calls", "unclosed"],
)
def test_ten_thousand_deep_fails_cleanly(text: str) -> None:
    with pytest.raises(FormulaSyntaxError) as info:
        parse_formula(text, limits=Limits(max_text_length=100_000))
    assert info.value.diagnostic.code == "IND002"
    with pytest.raises(FormulaSyntaxError) as info:  # with the default limits the length check comes first
        parse_formula(text)
    assert info.value.diagnostic.code == "IND001"


def test_depth_limit_is_configurable_and_capped() -> None:
    text = "(" * 10 + "a" + ")" * 10
    assert parse_formula(text).variables() == ("a",)
    with pytest.raises(FormulaSyntaxError) as info:
        parse_formula(text, limits=Limits(max_depth=5))
    assert info.value.diagnostic.code == "IND002"
    deep = "(" * (HARD_MAX_DEPTH + 1) + "a" + ")" * (HARD_MAX_DEPTH + 1)
    with pytest.raises(FormulaSyntaxError):
        parse_formula(deep, limits=Limits(max_depth=100_000, max_text_length=100_000))


def test_node_limit() -> None:
    with pytest.raises(FormulaSyntaxError) as info:
        parse_formula("+".join(["a"] * 60), limits=Limits(max_nodes=50))
    assert info.value.diagnostic.code == "IND003"


@pytest.mark.parametrize("pattern", ["a+b*-(", "SUM(a, -ABS(", "-(", "("], ids=str)
def test_the_deepest_accepted_tree_survives_every_walk(pattern: str) -> None:
    import json

    from indicators.formula import evaluate
    from indicators.formula.parser import HARD_MAX_AST_DEPTH

    generous = Limits(max_depth=10**6, max_text_length=10**6, max_nodes=10**6)
    deepest = None
    stopped_by = None
    for n in range(1, 200):
        text = pattern * n + "a" + ")" * (n * pattern.count("("))
        try:
            deepest = parse_formula(text, limits=generous)
        except FormulaLimitError as exc:
            stopped_by = exc.diagnostic
            break
    assert stopped_by is not None
    assert stopped_by.code == "IND002"
    assert str(HARD_MAX_DEPTH) in stopped_by.message or str(HARD_MAX_AST_DEPTH) in stopped_by.message
    assert deepest is not None
    assert deepest.expr is not None
    assert parse_formula(deepest.canonical(), limits=generous).expr == deepest.expr
    assert evaluate(deepest, {"a": 1, "b": 2}).ok
    assert json.loads(json.dumps(deepest.to_dict()))["kind"] == deepest.kind.value
    assert hash(deepest.expr) == hash(parse_formula(deepest.canonical(), limits=generous).expr)
