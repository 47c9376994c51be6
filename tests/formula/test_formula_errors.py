"""Malformed formulas: the error code and the column it points at, and the limits."""

from __future__ import annotations

import pytest

from indicators.errors import FormulaSyntaxError, IndicatorsError, LimitExceededError
from indicators.formula import FormulaKind, FormulaLimitError, parse_formula
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
    ("==a/b", "IND102", 2),  # a leading = is allowed, a second one is not
    ("a**b", "IND102", 3),
    ("a+*b", "IND102", 3),
    ("a×÷b", "IND102", 3),
    ("a+b=c", "IND102", 4),  # the left side of = must be a name
    ("指标值=a/b*100%=95%", "IND102", 13),  # a target written after a second =
    ("a>b>c", "IND102", 4),  # one comparison at most
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
    ("PM2.5达标天数/365", "IND101", 4),  # "." is never part of a name
    ("", "IND106", 1),
    ("   ", "IND106", 1),
    ("“”", "IND106", 1),
    ("FOO(a+b)", "IND107", 1),
    ("村(a+b)", "IND107", 1),
    ("x*总数(a/b)", "IND107", 3),
    ("COUNT(c)", "IND107", 1),  # a spreadsheet function the language does not have, not a name
    ("SUM(a,b)/count（c）", "IND107", 10),
    ("a*INT(b)", "IND107", 3),
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
    # a comma between digits is a malformed number, never the start of a note
    ("a*1,0000", "IND118", 3),
    ("a/1,00", "IND118", 3),
    ("1,000,00", "IND118", 1),
    ("１，０００", "IND118", 1),
    ("指标值=a/b*100%（说明）+1", "IND102", 13),
    ("指标值=≥95%", "IND102", 5),
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


@pytest.mark.parametrize(
    ("text", "message", "hint"),
    [
        ("a*1,0000", "数字“1,0000”中的逗号有误：千位分隔符“,”后应恰好是三位数字", "1,152.50"),
        ("１，０００", "数字“１，０００”中的逗号有误：全角逗号“，”不能用作千位分隔符", "半角逗号"),
        ("a/b*100%以上", "公式在“以上”处有误：此处应为运算符（+ - × ÷）或公式结束", "年度指标值的写法"),
        ("指标值=≥95%", "公式在“≥”处有误：此处应为数值、名称、函数或左括号", "“年度指标值”栏"),
        ("a/b*100%≥c≥d", "公式在“≥”处有误：此处应为公式结束", "在公式中用一次"),
        (
            "已完成户数/计划户数%",
            "公式在“%”处有误：此处应为运算符（+ - × ÷）或公式结束",
            "写成“已完成户数/计划户数×100%”",
        ),
        ("a/b*100%（说明）+1", "公式在“（”处有误：此处应为运算符（+ - × ÷）或公式结束", "说明文字"),
        ("(a+b)(c+d)", "公式在“(”处有误：此处应为运算符（+ - × ÷）或公式结束", "乘号"),
        ("a/b.c", "公式中出现无法识别的字符“.”", "此处应为运算符（+ - × ÷）或公式结束"),
        ("(a b)", "公式在“b”处有误：此处应为右括号“)”", None),
        ("办结\u200b工单/呈办工单", "公式中出现无法识别的字符“\u200b”", "看不见的字符（U+200B）"),
        ("\ufeff指标值=a/b", "公式中出现无法识别的字符“\ufeff”", "看不见的字符（U+FEFF）"),
    ],
    ids=lambda v: str(v),
)
def test_messages_and_hints(text: str, message: str, hint: str | None) -> None:
    with pytest.raises(FormulaSyntaxError) as info:
        parse_formula(text)
    diag = info.value.diagnostic
    assert diag.message == message
    if hint is None:
        assert diag.hint is None
    else:
        assert diag.hint is not None
        assert hint in diag.hint


def test_errors_are_value_errors_of_the_project() -> None:
    with pytest.raises(ValueError, match="公式") as info:
        parse_formula("a/")
    assert isinstance(info.value, IndicatorsError)


def test_multi_line_position() -> None:
    with pytest.raises(FormulaSyntaxError) as info:
        parse_formula("a\n/*b")
    assert info.value.diagnostic.span is not None
    assert info.value.diagnostic.span.line == 2


@pytest.mark.parametrize(
    ("text", "column"),
    [("指标值=完成数/计划数×100", 13), ("100*a/b", 1), ("(a-b)/b*100.0", 9)],
    ids=str,
)
def test_a_ratio_times_a_bare_hundred_warns(text: str, column: int) -> None:
    formula = parse_formula(text)
    assert formula.kind is FormulaKind.RATIO
    [warning] = formula.warnings
    assert (warning.code, warning.severity) == ("IND120", "warning")
    assert warning.message.startswith("比值乘以“100")
    assert warning.span is not None
    assert warning.span.column == column


@pytest.mark.parametrize("text", ["a/b*100%", "a*100", "a/b/100", "a/b*1000", "a/b"], ids=str)
def test_no_hundred_warning_without_a_bare_hundred_factor(text: str) -> None:
    assert "IND120" not in [w.code for w in parse_formula(text).warnings]


def test_note_that_looks_like_formula_warns() -> None:
    formula = parse_formula("指标值=2024 年完成数/计划数")  # a number, then a space: the rest is a note
    assert [w.code for w in formula.warnings] == ["IND117"]
    assert formula.note == "年完成数/计划数"


@pytest.mark.parametrize(
    ("expected", "words"),
    [
        ({"NAME", "NUMBER"}, "数值、名称、函数或左括号"),
        ({"ADD_OP", "MUL_OP", "RPAR"}, "运算符（+ - × ÷）或右括号“)”"),
        ({"$END"}, "公式结束"),
        ({"ADD_OP", "MUL_OP", "NOTE", "NOTE_MARK"}, "运算符（+ - × ÷）或公式结束"),
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
