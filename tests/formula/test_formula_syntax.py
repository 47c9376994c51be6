"""The formula language beyond the seed: the name rule, operators, numbers, notes, quotes, functions."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from indicators import resources
from indicators.formula import FormulaKind, parse_formula
from indicators.formula.functions import FUNCTIONS, all_words, resolve
from indicators.formula.nodes import Call, Comparison, Negate, Number, Product, Sum, Variable

K = FormulaKind


# --- the name rule -------------------------------------------------------------------------------

NAMES = [
    # qualifier inside or at the end of a name: part of the name
    ("已覆盖的村(社区)/辖区村(社区)总数*100%", ("已覆盖的村(社区)", "辖区村(社区)总数")),
    # full-width parentheses behave the same
    ("已覆盖的村（社区）/辖区村（社区）总数", ("已覆盖的村（社区）", "辖区村（社区）总数")),
    # a name may start with a qualifier
    ("(次干道)道路清扫保洁数量/应清扫道路数量", ("(次干道)道路清扫保洁数量", "应清扫道路数量")),
    ("颐康服务中心(站)评估等级", ("颐康服务中心(站)评估等级",)),
    # several qualifiers
    ("(区级)村(社区)(居委)数量/总数", ("(区级)村(社区)(居委)数量", "总数")),
    # parentheses that hold operators group
    ("(可回收物回收量+其他垃圾处理量)/总量", ("可回收物回收量", "其他垃圾处理量", "总量")),
    # parentheses that hold a name but stand alone group too
    ("(办结工单)/呈办工单", ("办结工单", "呈办工单")),
    ("a*(b)", ("a", "b")),
    ("((次干道)道路)/总数", ("(次干道)道路", "总数")),
    # quotes, digits, 、 and Latin letters belong to names
    ("“12345”热线工单办结数/“12345”热线工单总数", ("“12345”热线工单办结数", "“12345”热线工单总数")),
    ("12345热线工单办结数/工单总数", ("12345热线工单办结数", "工单总数")),
    ("新增“四上”企业数量", ("新增“四上”企业数量",)),
    ("走访、慰问人数/摸查人数", ("走访、慰问人数", "摸查人数")),
    ("GDP增长量/GDP总量*100%", ("GDP增长量", "GDP总量")),
    ("2024年度完成数/2023年度完成数", ("2024年度完成数", "2023年度完成数")),
    # a qualifier of digits
    ("(2024)年度任务数/计划数", ("(2024)年度任务数", "计划数")),
    # a function word inside a name is just part of the name
    ("月平均(人)数/最大值", ("月平均(人)数", "最大值")),
    # a function word followed by a qualifier that continues the name is a name
    ("平均(人均)工资/最低工资", ("平均(人均)工资", "最低工资")),
    ("SUM(a)b/2", ("SUM(a)b",)),
    # a spreadsheet word with a qualifier is a name when more name follows, or when it is no function
    ("COUNT(c)数/总数", ("COUNT(c)数", "总数")),
    ("GDP(亿元)/人口", ("GDP(亿元)", "人口")),
    # a unit in parentheses qualifies a name; a percentage in parentheses alone is a group
    ("完成率(%)=a/b*100%", ("a", "b")),
    ("a*(100%)", ("a",)),
    ("(5%)增长数/总数", ("(5%)增长数", "总数")),
    # function words without parentheses are names
    ("SUM/AVG", ("SUM", "AVG")),
    ("求和数/平均数", ("求和数", "平均数")),
]


@pytest.mark.parametrize(("text", "variables"), NAMES, ids=[n[0] for n in NAMES])
def test_name_rule(text: str, variables: tuple[str, ...]) -> None:
    assert parse_formula(text).variables() == variables


@pytest.mark.parametrize(
    ("text", "function", "args"),
    [
        ("SUM(村(社区)数, b)", "SUM", ("村(社区)数", "b")),
        ("求和(村(社区), 街道(镇))", "SUM", ("村(社区)", "街道(镇)")),
        ("MAX(a)", "MAX", ("a",)),
        ("最大(社区)", "MAX", ("社区",)),
        ("平均（a，b）", "AVG", ("a", "b")),
        ("average(a, b)", "AVG", ("a", "b")),
        ("Round (a, 2)", "ROUND", ("a",)),
    ],
    ids=lambda v: str(v),
)
def test_functions_never_capture_names(text: str, function: str, args: tuple[str, ...]) -> None:
    expr = parse_formula(text).expr
    assert isinstance(expr, Call)
    assert expr.function == function
    assert tuple(a.name for a in expr.args if isinstance(a, Variable)) == args


def test_group_versus_qualifier_tree() -> None:
    grouped = parse_formula("(a+b)/c").expr
    assert isinstance(grouped, Product)
    assert isinstance(grouped.operands[0], Sum)
    qualified = parse_formula("a(b)/c").expr
    assert isinstance(qualified, Product)
    assert qualified.operands[0] == Variable("a(b)")


# --- operators and numbers -----------------------------------------------------------------------

SAME_TREE = [
    ("a/b*100%", "a／b＊100％"),
    ("a/b*100%", "a÷b×100%"),
    ("a*b", "a·b"),
    ("a+b-c", "a＋b－c"),
    ("(a+b)/c", "（a+b）/c"),
    ("a/b*100%", "  a / b * 100 %  "),
    ("a/b*100%", "a\u00a0/\u2002b * 100%"),  # no-break and other Unicode spaces, as pasted from Word
    ("a*3‰", "a*３‰"),
    ("a*1152.50", "a*1,152.50"),
    ("a*1152.5", "a*１，１５２．５".replace("，", ",")),
    ("-a+b", "−a+b"),
    ("a-(-b)", "a--b"),
    ("a", "+a"),
    ("a/b*100%", "指标值=a/b*100%"),
    ("a/b*100%", "指标值＝a/b*100%"),
    ("a/b*100%", "指标值：a/b*100%"),
    ("a/b*100%", "完成率=a/b*100%"),
    ("SUM(a, b)", "求和(a，b)"),
    ("IF(a>=b, 1, 0)", "如果(a≥b, 1, 0)"),
    ("IF(a!=b, 1, 0)", "IF(a≠b,1,0)"),
    ("IF(a<=b, 1, 0)", "IF(a＜＝b,1,0)"),
]


@pytest.mark.parametrize(("canonical", "variant"), SAME_TREE, ids=[s[1] for s in SAME_TREE])
def test_spellings_give_the_same_tree(canonical: str, variant: str) -> None:
    assert parse_formula(variant).expr == parse_formula(canonical).expr
    assert parse_formula(variant).canonical() == canonical


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("100%", Decimal(100), "%"),
        ("0.5%", Decimal("0.5"), "%"),
        ("３‰", Decimal(3), "‰"),
        ("1,152.50", Decimal("1152.50"), None),
        ("12,345,678", Decimal(12345678), None),
        ("０.８", Decimal("0.8"), None),
        ("100％", Decimal(100), "%"),
    ],
    ids=lambda v: str(v),
)
def test_number_literals(text: str, value: Decimal, unit: str | None) -> None:
    expr = parse_formula(text).expr
    assert expr == Number(value, unit)


def test_precedence_and_unary_minus() -> None:
    expr = parse_formula("a+b*c-d/e").expr
    assert isinstance(expr, Sum)
    assert expr.operators == ("+", "-")
    assert isinstance(expr.operands[1], Product)
    neg = parse_formula("-a*b").expr
    assert isinstance(neg, Product)
    assert isinstance(neg.operands[0], Negate)
    long_chain = parse_formula("+".join(["a"] * 500)).expr
    assert isinstance(long_chain, Sum)
    assert len(long_chain.operands) == 500  # flat, not 500 levels deep


def test_comparisons_inside_if() -> None:
    expr = parse_formula("IF(完成数>=计划数, 100%, 完成数/计划数*100%)").expr
    assert isinstance(expr, Call)
    assert isinstance(expr.args[0], Comparison)
    assert expr.args[0].op == ">="


# --- notes, left sides, quotes -------------------------------------------------------------------

NOTES = [
    ("a/b*100% 说明文字", "说明文字"),
    ("a/b*100%，说明", "说明"),
    ("a/b*100%,说明", "说明"),
    ("a/b*100%；说明", "说明"),
    ("a/b*100%;说明", "说明"),
    ("a/b*100%。", None),
    ("a/b*100%。说明 (含括号", "说明 (含括号"),
    ("a/b*100%\n第二行说明", "第二行说明"),
    ("a/b*100%　全角空格后的说明", "全角空格后的说明"),
    ("a/b*100%\u00a0不换行空格后的说明", "不换行空格后的说明"),
    ("报送及时 按时完成即为及时", "按时完成即为及时"),
    ("a / b * 100 %", None),
    # a parenthesised explanation glued to the final per-cent sign
    ("a/b*100%（保留两位小数）", "（保留两位小数）"),
    ("指标值=a/b×100%(a为完成数，b为计划数)", "(a为完成数，b为计划数)"),
    ("a/b*100%（说明（含括号））。其他", "（说明（含括号））。其他"),
    ("a/b*1000‰（千分比）", "（千分比）"),
]


@pytest.mark.parametrize(("text", "note"), NOTES, ids=[n[0] for n in NOTES])
def test_trailing_notes(text: str, note: str | None) -> None:
    formula = parse_formula(text)
    assert formula.note == note
    assert formula.kind is K.STATE or formula.variables() == ("a", "b")


QUOTES = [
    ("“指标值=a/b*100%”", 1),
    ("\"指标值=a/b*100%\"", 1),
    ("“指标值=a/b*100%", 1),
    ("指标值=a/b*100%”", 1),
    ("“12345”热线办结数/总数", 0),
    ("“12345”热线办结数/“12345”热线总数", 0),
    ("新增“四上”企业数量", 0),
]


@pytest.mark.parametrize(("text", "warnings"), QUOTES, ids=[q[0] for q in QUOTES])
def test_stray_wrapping_quotes(text: str, warnings: int) -> None:
    formula = parse_formula(text)
    assert len(formula.warnings) == warnings
    assert all(w.code == "IND105" and w.severity == "warning" for w in formula.warnings)
    if warnings:
        assert formula.variables() == ("a", "b")
        assert formula.warnings[0].span is not None


DEFINITION_QUOTES = [
    # (text, kind, variables, alternatives, note)
    ("指标值=“保持/提升”", K.STATE, (), ("保持", "提升"), None),
    ("指标值=“是/否”", K.BOOLEAN, (), ("是", "否"), None),
    ("指标值=“a/b*100%”", K.PERCENTAGE, ("a", "b"), (), None),
    ("指标值=\"a/b*100%\" 说明", K.PERCENTAGE, ("a", "b"), (), "说明"),
    ("完成率(%)：“a/b”，说明", K.RATIO, ("a", "b"), (), "说明"),
    ("指标值=“a/b", K.RATIO, ("a", "b"), (), None),
    ("“指标值=“a/b””", K.RATIO, ("a", "b"), (), None),
]


@pytest.mark.parametrize(("text", "kind", "variables", "alternatives", "note"), DEFINITION_QUOTES,
                         ids=[q[0] for q in DEFINITION_QUOTES])
def test_quotes_around_the_definition_after_the_left_side(
    text: str, kind: FormulaKind, variables: tuple[str, ...], alternatives: tuple[str, ...], note: str | None
) -> None:
    formula = parse_formula(text)
    assert (formula.kind, formula.variables(), formula.alternatives, formula.note) == (
        kind, variables, alternatives, note)
    assert [w.code for w in formula.warnings] == ["IND105"]
    assert formula.warnings[0].message == "公式首尾有多余的引号，已忽略"


@pytest.mark.parametrize(
    ("text", "variables"),
    [
        ("指标值=“十四五”规划项目数", ("“十四五”规划项目数",)),
        ("指标值=“12345”热线工单数/工单总数", ("“12345”热线工单数", "工单总数")),
        ("IF(a=“b”, 1, 0)", ("a", "“b”")),
    ],
    ids=str,
)
def test_quotes_that_belong_to_a_name_stay(text: str, variables: tuple[str, ...]) -> None:
    formula = parse_formula(text)
    assert formula.variables() == variables
    assert formula.warnings == ()


# --- kinds ---------------------------------------------------------------------------------------

KINDS = [
    ("a/b*100%", K.PERCENTAGE, ()),
    ("100%*a/b", K.PERCENTAGE, ()),
    ("ROUND(a/b*100%, 1)", K.PERCENTAGE, ()),
    ("a/b*1000‰", K.PERCENTAGE, ()),
    ("a/b", K.RATIO, ()),
    ("(a-b)/b", K.RATIO, ()),
    ("a+b", K.QUANTITY, ()),
    ("a*2", K.QUANTITY, ()),
    ("a/100", K.QUANTITY, ()),
    ("项目支出+基本支出", K.AMOUNT, ()),
    ("项目总成本/服务人数", K.AMOUNT, ()),
    ("项目资金总额/维修工程数", K.AMOUNT, ()),  # money per repaired work stays money
    ("按《农田建设项目验收办法》规定组织验收", K.STATE, ()),
    ("验收合格项目数", K.QUANTITY, ()),
    ("一年内建成并投入使用", K.STATE, ()),
    ("本年度建成面积", K.QUANTITY, ()),
    ("更换管网长度/维修工程数", K.RATIO, ()),
    ("指标值=年度资金", K.AMOUNT, ()),
    ("指标值=项目总投资(万元)", K.AMOUNT, ()),
    ("指标值=培训人数", K.QUANTITY, ()),
    ("指标值=绿化面积", K.QUANTITY, ()),
    ("指标值=某项指标", K.QUANTITY, ()),
    ("指标值=按时完成", K.STATE, ()),
    ("指标值=全面落实", K.STATE, ()),
    ("指标值=是否按时完成", K.BOOLEAN, ()),
    ("指标值=有/无", K.BOOLEAN, ("有", "无")),
    ("指标值=达标/不达标", K.BOOLEAN, ("达标", "不达标")),
    ("指标值=提高/持平", K.STATE, ("提高", "持平")),
    ("指标值=优秀/良好/合格/不合格", K.GRADE, ("优秀", "良好", "合格", "不合格")),
    ("指标值=考核等次", K.GRADE, ()),
    ("群众满意度", K.SURVEY, ()),
    ("通过问卷调查了解", K.SURVEY, ()),
    ("完成数/计划数", K.RATIO, ()),  # words that merely contain 完成 are names, not alternatives
    # a single fixed word is a value, not a measured name
    ("指标值=是", K.BOOLEAN, ("是",)),
    ("否", K.BOOLEAN, ("否",)),
    ("指标值=无", K.BOOLEAN, ("无",)),
    ("指标值=优", K.GRADE, ("优",)),
    ("良好", K.GRADE, ("良好",)),
    ("指标值=保持", K.STATE, ("保持",)),
    # a single name: rates are measured, absences are states, 满意程度 is a survey
    ("指标值=按时完成率", K.QUANTITY, ()),
    ("指标值=信息公开率", K.QUANTITY, ()),
    ("指标值=垃圾无害化处理率", K.QUANTITY, ()),
    ("指标值=无害化处理率", K.QUANTITY, ()),
    ("指标值=无重大安全事故", K.STATE, ()),
    ("指标值=零事故", K.STATE, ()),
    ("指标值=未发生安全生产事故", K.STATE, ()),
    ("指标值=无人机数量", K.QUANTITY, ()),
    ("市民对空气质量改善的满意程度", K.SURVEY, ()),
    ("指标值=项目实际完成时间", K.QUANTITY, ()),  # a measured time, not the state 完成
    ("定性指标", K.STATE, ()),  # a qualitative indicator has no measured value
    # yes and no written with the same stem
    ("指标值=已完成/未完成", K.BOOLEAN, ("已完成", "未完成")),
    ("已达标/未达标", K.BOOLEAN, ("已达标", "未达标")),
    ("是/不是", K.BOOLEAN, ("是", "不是")),
    ("有/没有", K.BOOLEAN, ("有", "没有")),
    ("已完成/完成数", K.RATIO, ()),
]


@pytest.mark.parametrize(("text", "kind", "alternatives"), KINDS, ids=[k[0] for k in KINDS])
def test_kinds(text: str, kind: FormulaKind, alternatives: tuple[str, ...]) -> None:
    formula = parse_formula(text)
    assert formula.kind is kind
    assert formula.alternatives == alternatives
    assert (formula.expr is None) is bool(alternatives)
    assert formula.is_arithmetic is (kind.quantitative and not alternatives)


# --- the function table and the grammar agree ----------------------------------------------------


def test_grammar_lists_exactly_the_function_words() -> None:
    grammar = resources.grammar_text("formula.lark")
    line = next(li for li in grammar.splitlines() if li.startswith("FUNC"))
    words = set(re.findall(r"[A-Z]+|[\u4e00-\u9fff]+", line.split(":", 1)[1].split("[ \\t]")[0]))
    assert {w.upper() for w in words} == set(all_words())


def test_resolve_and_arity_text() -> None:
    assert resolve("求和") == "SUM"
    assert resolve("avg") == "AVG"
    assert resolve("村") is None
    assert FUNCTIONS["SUM"].arity_text() == "至少 1"
    assert FUNCTIONS["ROUND"].arity_text() == "1 至 2"
    assert FUNCTIONS["IF"].arity_text() == "3"


def test_spans_point_into_the_original_text() -> None:
    text = "指标值=已覆盖应急避难场所的村(社区)/辖区村(社区)总数*100%"
    formula = parse_formula(text)
    assert isinstance(formula.expr, Product)
    for operand in formula.expr.operands:
        assert operand.span is not None
        piece = text[operand.span.start : operand.span.end]
        assert piece in ("已覆盖应急避难场所的村(社区)", "辖区村(社区)总数", "100%")
    assert formula.body == text[4:]
    grouped = parse_formula("(a+b)/c").expr
    assert isinstance(grouped, Product)
    assert grouped.operands[0].span is not None
    assert (grouped.operands[0].span.start, grouped.operands[0].span.end) == (0, 5)


def test_canonical_with_left_side() -> None:
    formula = parse_formula("指标值=办结工单÷呈办工单×100%")
    assert formula.canonical() == "办结工单/呈办工单*100%"
    assert formula.canonical(lhs=True) == "指标值=办结工单/呈办工单*100%"
    assert formula.to_dict()["ast"]["type"] == "product"


def test_parser_is_built_once_in_strict_lalr_mode() -> None:
    from indicators.formula.parser import get_parser

    parser = get_parser()
    assert parser is get_parser()
    assert parser.options.parser == "lalr"
    assert parser.options.lexer == "contextual"
    assert parser.options.strict is True  # needs interegular installed (lark[interegular])


def test_the_reference_documents_every_function_word_and_code() -> None:
    from pathlib import Path

    from indicators.codes import CODES

    page = (Path(__file__).resolve().parents[2] / "docs" / "formula-language.md").read_text(encoding="utf-8")
    for function in FUNCTIONS.values():
        for word in (function.name, *function.aliases):
            assert f"`{word}`" in page, word
    for code in CODES:
        if code.startswith("IND1"):
            assert code in page, code


def test_outline_shows_every_node_type() -> None:
    from indicators.formula.nodes import outline

    expr = parse_formula("IF(a>=b, -SUM(c, 2), (d+e)*3%)").expr
    assert expr is not None
    assert outline(expr) == [
        "call IF",
        "  comparison >=",
        "    variable a",
        "    variable b",
        "  negate -",
        "    call SUM",
        "      variable c",
        "      number 2",
        "  product *",
        "    sum +",
        "      variable d",
        "      variable e",
        "    number 3%",
    ]


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("0¹\r0", "(0¹)"),
        ("绿化面积m² 说明", "(绿化面积m²)"),
        ("a+面积m² 说明", "a+(面积m²)"),
        ("面积m²/总面积m²×100%", "面积m²/总面积m²*100%"),
        ("完成数③ 说明", "(完成数③)"),
    ],
    ids=lambda v: v,
)
def test_a_name_ending_in_a_footnote_mark_prints_in_parentheses_at_the_end(text: str, canonical: str) -> None:
    formula = parse_formula(text)
    assert formula.canonical() == canonical
    again = parse_formula(formula.canonical())
    assert again.expr == formula.expr
    assert not any(w.code == "IND139" for w in again.warnings)  # not read as a footnote
