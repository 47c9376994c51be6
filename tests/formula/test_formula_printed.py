"""Formulas as budget offices and statistics manuals print them: every rule of the preparation step
(docs/formula-language.md, "Reading printed formulas"), with the variables, kind and info diagnostics,
and what must stay an error."""

from __future__ import annotations

import re
from decimal import Decimal, localcontext

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from tests.formula.strategies import asts

from indicators.errors import FormulaSyntaxError
from indicators.formula import FormulaKind, evaluate, parse_formula, to_callable
from indicators.formula.nodes import Node, Variable, walk
from indicators.formula.prepare import prepare
from indicators.formula.printer import to_text

K = FormulaKind

Names = tuple[str, ...]
#: (text, variables, kind, codes of the info and warning diagnostics, in order)
Case = tuple[str, Names, FormulaKind, Names]


def _check(text: str, variables: Names, kind: FormulaKind, codes: Names) -> None:
    formula = parse_formula(text)
    assert formula.variables() == variables
    assert formula.kind is kind
    assert tuple(w.code for w in formula.warnings) == codes
    for warning in formula.warnings:  # every diagnostic points into the text as written
        assert warning.span is not None
        assert warning.text == text
        assert 0 <= warning.span.start <= warning.span.end <= len(text)


def _ids(cases: list[Case]) -> list[str]:
    return [c[0] for c in cases]


# --- sentence punctuation, footnote marks and notes at the end --------------------------------------

ENDINGS: list[Case] = [
    ("完成数/计划数×100%。", ("完成数", "计划数"), K.PERCENTAGE, ()),
    ("完成数/计划数*100%.", ("完成数", "计划数"), K.PERCENTAGE, ()),
    ("实际完成数/计划数×100%．", ("实际完成数", "计划数"), K.PERCENTAGE, ()),
    ("已办结件数/受理件数×100%. 数据来源：政务服务系统", ("已办结件数", "受理件数"), K.PERCENTAGE, ()),
    ("办结工单/呈办工单×100%[2]", ("办结工单", "呈办工单"), K.PERCENTAGE, ("IND139",)),
    ("覆盖人口/常住人口×100%［1］。", ("覆盖人口", "常住人口"), K.PERCENTAGE, ("IND139",)),
    ("受益户数/总户数×100%〔注1〕", ("受益户数", "总户数"), K.PERCENTAGE, ("IND139",)),
    ("合格件数/抽检件数×100%①", ("合格件数", "抽检件数"), K.PERCENTAGE, ("IND139",)),
    ("合格件数/抽检件数¹", ("合格件数", "抽检件数"), K.RATIO, ("IND139",)),
    ("参保人数/应参保人数×100%（按户籍人口统计）", ("参保人数", "应参保人数"), K.PERCENTAGE, ()),
    ("a/b×100%；其中a为实际完成数", ("a", "b"), K.PERCENTAGE, ()),
    ("a/b×100%——以上年度统计数据为准", ("a", "b"), K.PERCENTAGE, ()),
]


@pytest.mark.parametrize(("text", "variables", "kind", "codes"), ENDINGS, ids=_ids(ENDINGS))
def test_endings(text: str, variables: Names, kind: FormulaKind, codes: Names) -> None:
    _check(text, variables, kind, codes)


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("完成数/计划数×100%。", None),
        ("完成数/计划数*100%.", None),
        ("已办结件数/受理件数×100%. 数据来源：政务服务系统", "数据来源：政务服务系统"),
        ("办结工单/呈办工单×100%[2]", "[2]"),
        ("受益户数/总户数×100%〔注1〕", "〔注1〕"),
        ("a/b×100%——以上年度统计数据为准", "以上年度统计数据为准"),
    ],
    ids=str,
)
def test_the_ending_is_kept_as_the_note(text: str, note: str | None) -> None:
    assert parse_formula(text).note == note


def test_a_footnote_mark_is_reported_where_it_stands() -> None:
    formula = parse_formula("办结工单/呈办工单×100%[2]")
    [info] = formula.warnings
    assert info.severity == "info"
    assert info.message == "末尾的“[2]”按脚注标记理解，作为说明"
    assert info.span is not None
    assert (info.span.start, info.span.end) == (14, 17)


@pytest.mark.parametrize(
    ("text", "code", "column"),
    [
        ("a/b.c", "IND101", 4),  # a full stop inside the formula is still a stray character
        ("1.2.3", "IND101", 4),
        ("PM2.5达标天数/365", "IND101", 4),
        ("a/b*100%（说明）+1", "IND102", 9),  # a note in parentheses cannot hide what follows
        ("办结工单/*100%。", "IND102", 6),
        ("a/b×100%[2]+1", "IND102", 9),  # not at the end: no footnote
        ("a/b×100%[2]×c", "IND102", 9),
    ],
    ids=str,
)
def test_endings_that_stay_errors(text: str, code: str, column: int) -> None:
    with pytest.raises(FormulaSyntaxError) as info:
        parse_formula(text)
    assert info.value.diagnostic.code == code
    assert info.value.diagnostic.span is not None
    assert info.value.diagnostic.span.column == column


# --- every bracket family groups; a bracketed qualifier stays in the name ---------------------------

BRACKETS: list[Case] = [
    ("[可回收物+其他垃圾]/垃圾总量", ("可回收物", "其他垃圾", "垃圾总量"), K.RATIO, ()),
    ("【完成数-计划数】/计划数×100%", ("完成数", "计划数"), K.PERCENTAGE, ()),
    ("〔办结工单〕/呈办工单", ("办结工单", "呈办工单"), K.RATIO, ()),
    ("{本年数-上年数}/上年数×100%", ("本年数", "上年数"), K.PERCENTAGE, ()),
    ("｛本年数－上年数｝／上年数×100%", ("本年数", "上年数"), K.PERCENTAGE, ()),
    ("［甲+乙］×丙", ("甲", "乙", "丙"), K.QUANTITY, ()),
    ("〖新建数+改建数〗/计划数", ("新建数", "改建数", "计划数"), K.RATIO, ()),
    ("【新建数+改建数]/计划数", ("新建数", "改建数", "计划数"), K.RATIO, ()),  # mixed families
    ("[本年数-(上年数+调整数)]/上年数", ("本年数", "上年数", "调整数"), K.RATIO, ()),  # nested
    ("{[甲+乙]×丙}/丁", ("甲", "乙", "丙", "丁"), K.RATIO, ()),
    # a bracket that touches a name and holds only name characters is a qualifier, as ( ) is
    ("村【社区】数/总数", ("村【社区】数", "总数"), K.RATIO, ()),
    ("已覆盖村〔社区〕/辖区村〔社区〕总数×100%", ("已覆盖村〔社区〕", "辖区村〔社区〕总数"),
     K.PERCENTAGE, ()),
    ("【区级】村数/全区村数", ("【区级】村数", "全区村数"), K.RATIO, ()),
    ("财预〔2020〕10号文件数/文件总数", ("财预〔2020〕10号文件数", "文件总数"), K.RATIO, ()),
]


@pytest.mark.parametrize(("text", "variables", "kind", "codes"), BRACKETS, ids=_ids(BRACKETS))
def test_brackets(text: str, variables: Names, kind: FormulaKind, codes: Names) -> None:
    _check(text, variables, kind, codes)


def test_a_group_in_any_bracket_is_the_same_tree() -> None:
    expected = parse_formula("(完成数-计划数)/计划数*100%").expr
    for opening, closing in ("[]", "【】", "〔〕", "{}", "［］", "｛｝", "〖〗", "（]"):
        assert parse_formula(f"{opening}完成数-计划数{closing}/计划数*100%").expr == expected


@pytest.mark.parametrize(
    ("text", "column"),
    [("[a+b/c", 1), ("a+b]/c", 4), ("【a+b/c", 1), ("((a+b]", 1), ("a/〔b+c", 3), ("｝", 1)],
    ids=str,
)
def test_unbalanced_brackets_of_any_family(text: str, column: int) -> None:
    with pytest.raises(FormulaSyntaxError) as info:
        parse_formula(text)
    assert info.value.diagnostic.code == "IND104"
    assert info.value.diagnostic.span is not None
    assert info.value.diagnostic.span.column == column


# --- look-alike operators ---------------------------------------------------------------------------

OPERATORS: list[Case] = [
    ("指标值﹦完成数/计划数×100%", ("完成数", "计划数"), K.PERCENTAGE, ("IND132",)),
    ("指标值═完成数/计划数", ("完成数", "计划数"), K.RATIO, ("IND132",)),
    ("实际数—计划数", ("实际数", "计划数"), K.QUANTITY, ("IND132",)),
    ("(实际数–计划数)/计划数×100%", ("实际数", "计划数"), K.PERCENTAGE, ("IND132",)),
    # one note per character, not per occurrence
    ("实际数‐计划数‐调减数", ("实际数", "计划数", "调减数"), K.QUANTITY, ("IND132",)),
    ("（实际数－计划数）／计划数×100%", ("实际数", "计划数"), K.PERCENTAGE, ()),  # full width: no note
    ("数量∙单价", ("数量", "单价"), K.QUANTITY, ("IND132",)),
    ("数量•单价", ("数量", "单价"), K.QUANTITY, ("IND132",)),
    ("完成数∕计划数", ("完成数", "计划数"), K.RATIO, ("IND132",)),
    ("数量·单价", ("数量", "单价"), K.QUANTITY, ()),
    ("完成数÷计划数×100%", ("完成数", "计划数"), K.PERCENTAGE, ()),
    # x and X between operands
    ("数量 X 2", ("数量",), K.QUANTITY, ("IND132",)),
    ("单价 x 数量", ("单价", "数量"), K.QUANTITY, ("IND132",)),
    ("单价x2", ("单价",), K.QUANTITY, ("IND132",)),
    ("单价 x2", ("单价",), K.QUANTITY, ("IND132",)),
    ("3x补助人数", ("补助人数",), K.QUANTITY, ("IND132",)),
    ("完成数/计划数ｘ100%", ("完成数", "计划数"), K.PERCENTAGE, ("IND132",)),
    # ... but a lone x inside a name stays, with a warning; x in a Latin word is just a letter
    ("单价x数量", ("单价x数量",), K.QUANTITY, ("IND133",)),
    ("X射线检查人数/总人数", ("X射线检查人数", "总人数"), K.RATIO, ()),
    ("Excel报表数/总数", ("Excel报表数", "总数"), K.RATIO, ()),
    ("box2数量", ("box2数量",), K.QUANTITY, ()),
    # 一 is a character of names, never a minus, unless it stands alone between spaces
    ("一般公共预算支出/预算数×100%", ("一般公共预算支出", "预算数"), K.PERCENTAGE, ()),
    ("统一采购金额/采购总额", ("统一采购金额", "采购总额"), K.RATIO, ()),  # money over money: a share
    ("第一季度完成数/全年计划数", ("第一季度完成数", "全年计划数"), K.RATIO, ()),
    ("完成数 一 计划数", ("完成数", "计划数"), K.QUANTITY, ("IND132",)),
    # the summation sign: the sum of a name's values
    ("培训人次=∑每期培训人数", ("每期培训人数",), K.QUANTITY, ()),
    ("∑各项得分/项目数", ("各项得分", "项目数"), K.RATIO, ()),
    ("Σ各项得分/项目数", ("各项得分", "项目数"), K.RATIO, ()),
    ("Σ(可回收物+其他垃圾)/垃圾总量×100%", ("可回收物", "其他垃圾", "垃圾总量"), K.PERCENTAGE, ()),
    ("ΣX射线检查人数", ("ΣX射线检查人数",), K.QUANTITY, ()),  # Greek letters of a Latin name stay
]


TRAILING_TARGETS: list[tuple[str, str, str]] = [
    ("完成数/计划数×100%≥95%", "完成数/计划数*100%", "≥95%"),
    ("实际完成数÷计划数 ≥ 95%以上", "实际完成数/计划数", "≥ 95%以上"),
    ("完成数/计划数*100%>=90%", "完成数/计划数*100%", ">=90%"),
    ("(a+b)/c＜3天", "(a+b)/c", "＜3天"),
]


@pytest.mark.parametrize(
    ("text", "formula", "target"), TRAILING_TARGETS, ids=[t[0] for t in TRAILING_TARGETS]
)
def test_a_target_after_the_formula_is_a_note(text: str, formula: str, target: str) -> None:
    parsed = parse_formula(text)
    assert parsed.canonical() == formula
    (found,) = [w for w in parsed.warnings if w.code == "IND142"]
    assert f"“{target}”" in found.message
    assert found.span is not None
    assert text[found.span.start : found.span.end].strip() == target


@pytest.mark.parametrize("text", ["a>b>c", "a==b==c", "完成数≥95%≥计划数"])
def test_a_comparison_that_is_neither_a_criterion_nor_a_trailing_target_is_an_error(text: str) -> None:
    with pytest.raises(FormulaSyntaxError):
        parse_formula(text)


CRITERIA: list[tuple[str, str, tuple[str, ...]]] = [
    ("完成值≥目标值", "完成值>=目标值", ("完成值", "目标值")),
    ("指标值=实际完成数≥计划数", "实际完成数>=计划数", ("实际完成数", "计划数")),
    ("完成数>计划数×100%", "完成数>计划数*100%", ("完成数", "计划数")),
    ("实际支出≤预算数", "实际支出<=预算数", ("实际支出", "预算数")),
]


@pytest.mark.parametrize(("text", "printed", "names"), CRITERIA, ids=[c[0] for c in CRITERIA])
def test_a_comparison_of_two_expressions_is_a_yes_no_criterion(
    text: str, printed: str, names: tuple[str, ...]
) -> None:
    formula = parse_formula(text)
    assert formula.kind is FormulaKind.BOOLEAN
    assert formula.canonical() == printed
    assert formula.variables() == names
    assert parse_formula(printed).canonical() == printed
    assert not evaluate(formula, dict.fromkeys(names, 1)).ok  # a criterion, not a value (IND114)


def test_a_condition_inside_if_is_not_a_target() -> None:
    assert parse_formula("IF(a>=b,1,0)").canonical() == "IF(a>=b, 1, 0)"


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("∑每期培训人数", "SUM(每期培训人数)"),
        ("Σ各项得分/项目数", "SUM(各项得分)/项目数"),
        ("∑(a+b)/c", "SUM(a+b)/c"),
    ],
)
def test_the_summation_sign_is_a_sum(text: str, printed: str) -> None:
    formula = parse_formula(text)
    assert formula.canonical() == printed
    assert parse_formula(printed).expr == formula.expr


@pytest.mark.parametrize(("text", "variables", "kind", "codes"), OPERATORS, ids=_ids(OPERATORS))
def test_look_alike_operators(
    text: str, variables: Names, kind: FormulaKind, codes: Names
) -> None:
    _check(text, variables, kind, codes)


@pytest.mark.parametrize(
    ("text", "column", "message"),
    [
        ("数量 X 2", 4, "“X”按乘号理解"),
        ("完成数 一 计划数", 5, "“一”按减号理解"),
        ("指标值﹦a/b", 4, "“﹦”按等号理解"),
        ("实际数—计划数", 4, "“—”按减号理解"),
    ],
    ids=str,
)
def test_the_reading_of_an_operator_is_reported_at_it(text: str, column: int, message: str) -> None:
    [info] = parse_formula(text).warnings
    assert (info.code, info.severity, info.message) == ("IND132", "info", message)
    assert info.span is not None
    assert info.span.column == column


def test_a_letter_x_read_in_a_name_warns() -> None:
    [warning] = parse_formula("单价x数量").warnings
    assert warning.severity == "warning"
    assert warning.message == "名称“单价x数量”中的“x”未按乘号理解"
    assert warning.span is not None
    assert warning.span.column == 3


def test_operators_in_a_note_are_not_reported() -> None:
    formula = parse_formula("a/b×100% 说明：按 x 年—y 年计")
    assert formula.note == "说明：按 x 年—y 年计"
    assert formula.warnings == ()


# --- scale words and rates per 1000, 万, 10万 ---------------------------------------------------------

SCALES: list[Case] = [
    ("发病人数/常住人口数×10万", ("发病人数", "常住人口数"), K.RATE, ("IND138",)),
    ("发病人数/常住人口数×10 万", ("发病人数", "常住人口数"), K.RATE, ("IND138",)),
    ("发病人数/常住人口数×十万", ("发病人数", "常住人口数"), K.RATE, ("IND138",)),
    ("发病人数/常住人口数×100000", ("发病人数", "常住人口数"), K.RATE, ("IND138",)),
    ("孕产妇死亡数/活产数×100000/10万", ("孕产妇死亡数", "活产数"), K.RATE, ("IND138",)),
    ("新发病例数/(常住人口数/10万)", ("新发病例数", "常住人口数"), K.RATE, ("IND138",)),
    ("10万*死亡人数/常住人口数", ("死亡人数", "常住人口数"), K.RATE, ("IND138",)),
    ("交通事故次数/机动车保有量×1万", ("交通事故次数", "机动车保有量"), K.RATE, ("IND138",)),
    ("交通事故次数/机动车保有量×10000", ("交通事故次数", "机动车保有量"), K.RATE, ("IND138",)),
    ("婴儿死亡数/活产数×1000", ("婴儿死亡数", "活产数"), K.RATE, ("IND138",)),
    ("婴儿死亡数/活产数×1000‰", ("婴儿死亡数", "活产数"), K.PERCENTAGE, ()),
    ("死亡人数/总人口×100万", ("死亡人数", "总人口"), K.RATE, ("IND138",)),
    # a bare 100 stays a ratio with its warning
    ("完成数/计划数×100", ("完成数", "计划数"), K.RATIO, ("IND120",)),
    # scale words are numbers; a factor that is not a base, or money, is no rate
    ("人口数/10万", ("人口数",), K.QUANTITY, ()),
    ("完成数/计划数×1.5万", ("完成数", "计划数"), K.RATIO, ()),
    ("项目支出(万元)×10000", ("项目支出(万元)",), K.AMOUNT, ()),
    ("支出金额/服务人数×10000", ("支出金额", "服务人数"), K.AMOUNT, ()),
    ("1000/服务人数", ("服务人数",), K.RATIO, ()),
    ("补助金额+1亿", ("补助金额",), K.AMOUNT, ()),
    # a scale word followed by more name is a name
    ("10万元以上项目数/项目总数", ("10万元以上项目数", "项目总数"), K.RATIO, ()),
    ("每10万人口床位数", ("每10万人口床位数",), K.QUANTITY, ()),
]


@pytest.mark.parametrize(("text", "variables", "kind", "codes"), SCALES, ids=_ids(SCALES))
def test_scales(text: str, variables: Names, kind: FormulaKind, codes: Names) -> None:
    _check(text, variables, kind, codes)


@pytest.mark.parametrize(
    ("text", "value"),
    [("10万", "100000"), ("1.5亿", "150000000"), ("10 万", "100000"), ("十万", "100000"),
     ("千万", "10000000"), ("１０万", "100000"), ("1,000万", "10000000"), ("0.5万", "5000")],
    ids=str,
)
def test_numbers_with_a_scale_word(text: str, value: str) -> None:
    formula = parse_formula(f"a*{text}")
    assert formula.canonical() == f"a*{value}"


@pytest.mark.parametrize(
    ("text", "unit", "label"),
    [
        ("发病人数/常住人口数×10万", "/10万", "十万分率"),
        ("交通事故次数/机动车保有量×1万", "‱", "万分率"),
        ("婴儿死亡数/活产数×1000", "‰", "千分率"),
        ("死亡人数/总人口×100万", "/100万", "百万分率"),
    ],
    ids=str,
)
def test_a_rate_names_its_base(text: str, unit: str, label: str) -> None:
    formula = parse_formula(text)
    assert formula.unit == unit
    assert formula.kind.label == "分率"
    [info] = formula.warnings
    assert info.message.endswith(f"按{label}（{unit}）理解")
    assert formula.is_arithmetic


def test_a_rate_is_computed_exactly_in_its_base() -> None:
    formula = parse_formula("发病人数/常住人口数×10万")
    result = evaluate(formula, {"发病人数": "37", "常住人口数": "1,234,567"})
    assert result.ok
    assert result.unit == "/10万"
    with localcontext(prec=48):  # the evaluator's precision (Limits.decimal_precision)
        assert result.value == Decimal(37) * 100000 / Decimal(1234567)
    assert result.display() == "3.00/10万"
    quantity = result.quantity()
    assert quantity is not None
    with localcontext(prec=48):  # scaled exactly, whatever the caller's precision
        assert quantity.magnitude == result.value / 100000
    assert to_callable(formula)({"发病人数": Decimal(37), "常住人口数": Decimal(1234567)}) == result.value


@pytest.mark.parametrize(
    "text",
    ["孕产妇死亡数/活产数×100000/10万", "孕产妇死亡数/活产数×10万", "孕产妇死亡数/(活产数/10万)",
     "10万×孕产妇死亡数/活产数"],
    ids=str,
)
def test_every_way_of_writing_per_ten_thousand_gives_the_same_value(text: str) -> None:
    result = evaluate(parse_formula(text), {"孕产妇死亡数": 2, "活产数": 12000})
    assert (result.ok, result.unit, result.display()) == (True, "/10万", "16.67/10万")


def test_the_manuals_factor_with_its_unit_is_one_factor() -> None:
    formula = parse_formula("孕产妇死亡数/活产数×100000/10万")
    assert formula.canonical() == "孕产妇死亡数/活产数*100000"
    assert formula.body == "孕产妇死亡数/活产数×100000/10万"
    # the same shape with a quantity is plain arithmetic: ×100000/100000 is ×1
    plain = parse_formula("服务人次×100000/10万")
    assert plain.kind is K.QUANTITY
    assert plain.canonical() == "服务人次*100000/100000"


def test_per_mille_as_a_rate_and_as_a_percentage_display_alike() -> None:
    values = {"婴儿死亡数": 3, "活产数": 700}
    rate = evaluate(parse_formula("婴儿死亡数/活产数×1000"), values)
    sign = evaluate(parse_formula("婴儿死亡数/活产数×1000‰"), values)
    assert rate.display() == sign.display() == "4.29‰"
    assert rate.quantity() == sign.quantity()


def test_a_rate_with_units_that_do_not_cancel_cannot_be_computed() -> None:
    result = evaluate(parse_formula("发病人数/常住人口数×10万"), {"发病人数": "3人", "常住人口数": "2万元"})
    assert not result.ok
    assert result.diagnostics[0].code in ("IND113", "IND119")


@pytest.mark.parametrize(
    ("target", "ok"),
    [("≤5‰", True), ("≤10", True), ("下降", True), ("100人以上", False), ("100万元", False)],
    ids=str,
)
def test_a_rate_takes_a_rate_target(target: str, ok: bool) -> None:
    from indicators.target import compatible, parse_target

    assert compatible(K.RATE, None, parse_target(target)).ok is ok


def test_a_rate_against_sql() -> None:
    duckdb = pytest.importorskip("duckdb")
    from indicators.formula import to_sql

    formula = parse_formula("发病人数/常住人口数×10万")
    sql = to_sql(formula)
    assert sql.index("100000") < sql.index("发病人数")  # the base first: the quotient is rounded once
    [(value,)] = duckdb.sql(f"SELECT {sql} FROM (SELECT 37 AS 发病人数, 1234567 AS 常住人口数)").fetchall()
    assert value == Decimal("2.9970021878")


# --- a name followed by its unit or qualifier in brackets -------------------------------------------

UNIT_NOTES: list[Case] = [
    ("地区生产总值(万元,可比价)/常住人口", ("地区生产总值(万元,可比价)", "常住人口"), K.AMOUNT, ("IND134",)),
    ("人均收入（元/人）/全省人均收入（元/人）×100%", ("人均收入（元/人）", "全省人均收入（元/人）"),
     K.PERCENTAGE, ("IND134", "IND134")),
    ("收入(元／人)/人数", ("收入(元／人)", "人数"), K.AMOUNT, ("IND134",)),
    ("新建道路长度(公里, 含改建)/计划长度(公里)×100%", ("新建道路长度(公里, 含改建)", "计划长度(公里)"),
     K.PERCENTAGE, ("IND134",)),
    ("常住人口(按户籍人口, 年末数)", ("常住人口(按户籍人口, 年末数)",), K.QUANTITY, ("IND134",)),
    ("GDP(亿元，现价)/人口(万人)", ("GDP(亿元，现价)", "人口(万人)"), K.AMOUNT, ("IND134",)),
    ("用水量(立方米)/服务人口", ("用水量(立方米)", "服务人口"), K.RATIO, ()),
    ("在校生人数(含借读生)/学位数×100%", ("在校生人数(含借读生)", "学位数"), K.PERCENTAGE, ()),
    ("面积(亩)×亩均产量", ("面积(亩)", "亩均产量"), K.QUANTITY, ()),
    ("用水量【立方米】/服务人口", ("用水量【立方米】", "服务人口"), K.RATIO, ()),
]


@pytest.mark.parametrize(("text", "variables", "kind", "codes"), UNIT_NOTES, ids=_ids(UNIT_NOTES))
def test_a_bracketed_unit_or_note_stays_in_the_name(
    text: str, variables: Names, kind: FormulaKind, codes: Names
) -> None:
    _check(text, variables, kind, codes)


def test_the_unit_in_the_brackets_is_the_variables_unit() -> None:
    formula = parse_formula(
        "地区生产总值(万元,可比价)/常住人口(万人)+用水量【立方米】+村(社区)数+收入（元/人）"
    )
    assert formula.variable_units() == {
        "地区生产总值(万元,可比价)": "万元", "常住人口(万人)": "万人", "用水量【立方米】": "立方米",
        "收入（元/人）": "元/人",
    }
    assert formula.to_dict()["variable_units"]["常住人口(万人)"] == "万人"
    scored = parse_formula("实际完成率(%)*权重(分)")
    assert scored.variable_units() == {"实际完成率(%)": "%", "权重(分)": "分"}
    assert parse_formula("村(社区)数/(区级)总数").variable_units() == {}  # qualifiers that name no unit


def test_the_bracketed_note_is_reported_with_its_name() -> None:
    [info] = parse_formula("地区生产总值(万元,可比价)/常住人口").warnings
    assert info.message == "括号内“万元,可比价”按变量“地区生产总值(万元,可比价)”的说明理解"
    assert info.span is not None
    assert (info.span.start, info.span.end) == (7, 13)


@pytest.mark.parametrize(
    ("text", "code", "column"),
    [
        ("FOO(a+b)", "IND107", 1),
        ("村(a+b)", "IND107", 1),  # not a unit, not a note, not an indicator's name
        ("合计(村数,户数)", "IND107", 1),  # words without a unit or qualifier word: a call
        ("完成数(a+b)*2", "IND107", 1),  # a sum in brackets, then an operator: a+b*2 was not printed
        ("总数(a, b)/c", "IND107", 1),
        ("SUM(a b)", "IND102", 7),  # a function's arguments are never a note
    ],
    ids=str,
)
def test_brackets_after_a_name_that_stay_errors(text: str, code: str, column: int) -> None:
    with pytest.raises(FormulaSyntaxError) as info:
        parse_formula(text)
    assert info.value.diagnostic.code == code
    assert info.value.diagnostic.span is not None
    assert info.value.diagnostic.span.column == column


# --- spaces inside names ----------------------------------------------------------------------------

SPACES: list[Case] = [
    ("办公经费 支出数/预算数×100%", ("办公经费 支出数", "预算数"), K.PERCENTAGE, ("IND141",)),
    ("指标值=已完成 项目数/计划项目数", ("已完成 项目数", "计划项目数"), K.RATIO, ("IND141",)),
    ("实际 到位 资金/计划资金", ("实际 到位 资金", "计划资金"), K.RATIO, ("IND141",)),
    ("村（社区） 数量/总数", ("村（社区） 数量", "总数"), K.RATIO, ("IND141",)),
    ("(办公 经费+公用 经费)/支出总额", ("办公 经费", "公用 经费", "支出总额"), K.RATIO,
     ("IND141", "IND141")),
    ("SUM(办公 经费, 公用 经费)", ("办公 经费", "公用 经费"), K.AMOUNT, ("IND141", "IND141")),
    ("办公　经费/预算数", ("办公　经费", "预算数"), K.AMOUNT, ("IND141",)),  # a full-width space
    # a space followed by text that does not continue the formula starts a note
    ("a/b*100% 说明文字", ("a", "b"), K.PERCENTAGE, ()),
    ("完成数/计划数 按季度统计 后汇总", ("完成数", "计划数"), K.RATIO, ()),
    # only between CJK characters: after a number or a Latin word the space still starts a note
    ("指标值=2024 年完成数/计划数", (), K.QUANTITY, ("IND117",)),
    ("GDP 增长量/GDP 总量", ("GDP",), K.QUANTITY, ("IND117",)),
]


@pytest.mark.parametrize(("text", "variables", "kind", "codes"), SPACES, ids=_ids(SPACES))
def test_spaces_in_names(text: str, variables: Names, kind: FormulaKind, codes: Names) -> None:
    _check(text, variables, kind, codes)


def test_a_state_and_its_note_stay_apart() -> None:
    formula = parse_formula("指标值=报送及时 按时完成报表报送工作即为报送及时(以平台截止时间为准)")
    assert (formula.kind, formula.note) == (K.STATE, "按时完成报表报送工作即为报送及时(以平台截止时间为准)")
    assert formula.warnings == ()


@pytest.mark.parametrize(
    "text",
    ["(办公经费 支出数)", "a+(办公 经费)", "-(办公 经费)", "x*(a-办公 经费)",
     "IF(办公 经费>1, 办公 经费, 0)"],
    ids=str,
)
def test_a_spaced_name_round_trips(text: str) -> None:
    formula = parse_formula(text)
    assert formula.expr is not None
    assert " " in formula.variables()[-1]
    assert parse_formula(formula.canonical()).expr == formula.expr


# --- quotes around names ----------------------------------------------------------------------------

QUOTED: list[Case] = [
    ('"办结工单"/"呈办工单"×100%', ("办结工单", "呈办工单"), K.PERCENTAGE, ("IND140", "IND140")),
    ("“办结工单”/“呈办工单”", ("办结工单", "呈办工单"), K.RATIO, ("IND140", "IND140")),
    ("‘已办结件数’/‘应办结件数’×100%", ("已办结件数", "应办结件数"), K.PERCENTAGE, ("IND140", "IND140")),
    ("「完成数」/「计划数」", ("完成数", "计划数"), K.RATIO, ("IND140", "IND140")),
    ('指标值="完成数"/计划数×100%', ("完成数", "计划数"), K.PERCENTAGE, ("IND140",)),
    ("SUM(“办公经费”, “公用经费”)", ("办公经费", "公用经费"), K.AMOUNT, ("IND140", "IND140")),
    # quotes that belong to the name stay
    ("“十四五”规划项目数/项目总数", ("“十四五”规划项目数", "项目总数"), K.RATIO, ()),
    ("新增“四上”企业数量", ("新增“四上”企业数量",), K.QUANTITY, ()),
    ("IF(类别=“甲”, 1, 0)", ("类别", "“甲”"), K.QUANTITY, ()),
]


@pytest.mark.parametrize(("text", "variables", "kind", "codes"), QUOTED, ids=_ids(QUOTED))
def test_quotes_around_names(text: str, variables: Names, kind: FormulaKind, codes: Names) -> None:
    _check(text, variables, kind, codes)


def test_the_quoted_name_is_reported_with_its_reading() -> None:
    first, _second = parse_formula("“办结工单”/“呈办工单”").warnings
    assert first.message == "名称两侧的引号不是名称的一部分：““办结工单””按“办结工单”理解"
    assert first.span is not None
    assert (first.span.start, first.span.end) == (0, 6)


# --- chained definitions, labels and definitions in the note ----------------------------------------

CHAINS: list[Case] = [
    ("资金到位率=到位资金/计划资金×100%=实际到位资金/应到位资金×100%", ("到位资金", "计划资金"), K.PERCENTAGE,
     ("IND137",)),
    ("资金到位率=实际到位资金占计划资金的比例=到位资金/计划资金×100%", ("到位资金", "计划资金"), K.PERCENTAGE,
     ("IND136",)),
    ("指标值=资金到位率=到位资金/计划资金×100%", ("到位资金", "计划资金"), K.PERCENTAGE, ("IND136",)),
    ("预算执行率：实际支出数/全年预算数×100%", ("实际支出数", "全年预算数"), K.PERCENTAGE, ()),
    ("资金到位率(C/D)", ("C", "D"), K.RATIO, ("IND135",)),
    ("资金到位率（到位资金/计划资金×100%）", ("到位资金", "计划资金"), K.PERCENTAGE, ("IND135",)),
    ("单位成本【总成本/服务人数】", ("总成本", "服务人数"), K.AMOUNT, ("IND135",)),
    ("指标值=资金到位率(C/D)", ("C", "D"), K.RATIO, ("IND136", "IND135")),
    ("资金到位率(C/D)×100%", ("C", "D"), K.PERCENTAGE, ("IND135",)),
    ("资金到位率（到位资金/计划资金）*100%", ("到位资金", "计划资金"), K.PERCENTAGE, ("IND135",)),
    ("总数(a/b)*100%", ("a", "b"), K.PERCENTAGE, ("IND135",)),
    ("增长率【(本年数-上年数)/上年数】×100%", ("本年数", "上年数"), K.PERCENTAGE, ("IND135",)),
    ("资金到位率 (C/D)", ("C", "D"), K.RATIO, ("IND135",)),
    ("资金到位率\u3000（到位资金/计划资金）×100%", ("到位资金", "计划资金"), K.PERCENTAGE, ("IND135",)),
    ("指标值 = 单位成本 〔总成本/服务人数〕", ("总成本", "服务人数"), K.AMOUNT, ("IND136", "IND135")),
    ("合计数（A+B）", ("A", "B"), K.QUANTITY, ("IND135",)),
    # a bracket after a space that is a note on the name, not its formula
    ("在校生人数 (含借读生、休学生)", ("在校生人数",), K.QUANTITY, ()),
    ("常住人口 (按户籍人口统计)", ("常住人口",), K.QUANTITY, ()),
    ("资金到位率(C/D)，C为到位资金，D为计划资金", ("C", "D"), K.RATIO, ("IND135",)),
    ("=完成数/计划数×100%", ("完成数", "计划数"), K.PERCENTAGE, ()),
    ("：完成数/计划数", ("完成数", "计划数"), K.RATIO, ()),
    ("公式：完成数/计划数*100%", ("完成数", "计划数"), K.PERCENTAGE, ()),
    ("计算公式：完成数/计划数×100%", ("完成数", "计划数"), K.PERCENTAGE, ()),
    ("计算公式为完成数/计划数×100%", ("完成数", "计划数"), K.PERCENTAGE, ()),
    ("计算方法：完成数/计划数", ("完成数", "计划数"), K.RATIO, ()),
    ("资金到位率计算公式为：到位资金/计划资金×100%", ("到位资金", "计划资金"), K.PERCENTAGE, ()),
    ("指标值为完成数/计划数×100%", ("完成数", "计划数"), K.PERCENTAGE, ()),
    ("指标值：完成数/计划数*100%", ("完成数", "计划数"), K.PERCENTAGE, ()),
    ("完成数/计划数×100%×权重", ("完成数", "计划数", "权重"), K.PERCENTAGE, ()),
    ("（实际数-上年数）/上年数×100%", ("实际数", "上年数"), K.PERCENTAGE, ()),
    ("完成数/计划数×100百分比", ("完成数", "计划数"), K.PERCENTAGE, ()),
    ("到位资金/应到位资金×百分之百", ("到位资金", "应到位资金"), K.PERCENTAGE, ()),
    ("完成数÷计划数×百分之一百。", ("完成数", "计划数"), K.PERCENTAGE, ()),
    ("百分之百完成率", ("百分之百完成率",), K.QUANTITY, ()),  # a name that starts with the words
    ("发病人数/总人口×10000‱", ("发病人数", "总人口"), K.RATE, ("IND138",)),
    ("发病人数÷总人口×1万 ‱", ("发病人数", "总人口"), K.RATE, ("IND138",)),
    # words that only look like a label stay names
    ("算法是否合规", ("算法是否合规",), K.QUANTITY, ()),
    ("公式化率", ("公式化率",), K.QUANTITY, ()),
]


@pytest.mark.parametrize(("text", "variables", "kind", "codes"), CHAINS, ids=_ids(CHAINS))
def test_chains_and_labels(text: str, variables: Names, kind: FormulaKind, codes: Names) -> None:
    _check(text, variables, kind, codes)


@pytest.mark.parametrize(
    ("text", "lhs", "note", "definitions"),
    [
        ("资金到位率=到位资金/计划资金×100%=实际到位资金/应到位资金×100%", "资金到位率",
         "实际到位资金/应到位资金×100%", ()),
        ("资金到位率=实际到位资金占计划资金的比例=到位资金/计划资金×100%", "资金到位率", None,
         (("资金到位率", "实际到位资金占计划资金的比例"),)),
        ("资金到位率(C/D)", "资金到位率", None, ()),
        ("资金到位率(C/D)，C为到位资金，D为计划资金", "资金到位率", "C为到位资金，D为计划资金",
         (("C", "到位资金"), ("D", "计划资金"))),
        ("指标值=(A/B)×100%，A=实际到位资金，B=计划资金", "指标值", "A=实际到位资金，B=计划资金",
         (("A", "实际到位资金"), ("B", "计划资金"))),
        ("总数=A+B，其中：A为新建数，B为改建数", "总数", "其中：A为新建数，B为改建数",
         (("A", "新建数"), ("B", "改建数"))),
        ("完成率=a/b×100%（a为完成数，b为计划数）", "完成率", "（a为完成数，b为计划数）",
         (("a", "完成数"), ("b", "计划数"))),
        ("a/b×100%。式中：a表示完成数；b表示计划数", None, "式中：a表示完成数；b表示计划数",
         (("a", "完成数"), ("b", "计划数"))),
        ("计算公式：完成数/计划数", None, None, ()),
        ("资金到位率计算公式为：到位资金/计划资金×100%", "资金到位率", None, ()),
        ("完成数/计划数，说明：数据来源于统计年报", None, "说明：数据来源于统计年报", ()),
    ],
    ids=lambda v: str(v)[:30],
)
def test_left_side_note_and_definitions(
    text: str, lhs: str | None, note: str | None, definitions: tuple[tuple[str, str], ...]
) -> None:
    formula = parse_formula(text)
    assert (formula.lhs, formula.note, formula.definitions) == (lhs, note, definitions)
    assert formula.to_dict()["definitions"] == [{"name": n, "meaning": m} for n, m in definitions]


def test_the_chosen_side_is_named_in_the_message() -> None:
    formula = parse_formula("资金到位率=到位资金/计划资金×100%=实际到位资金/应到位资金×100%")
    [info] = formula.warnings
    assert info.message == ("等号后的第二个算式“实际到位资金/应到位资金×100%”作为说明，"
                            "计算公式取“到位资金/计划资金*100%”")
    label = parse_formula("资金到位率（到位资金/计划资金）").warnings[0]
    assert label.message == "“资金到位率”按指标名称理解，括号内的“到位资金/计划资金”为计算公式"
    assert label.hint == "写作“资金到位率=到位资金/计划资金”更清楚"


@pytest.mark.parametrize(
    ("text", "code", "column", "hint"),
    [
        ("指标值=a/b*100%=95%", "IND102", 13, "“95%”这类目标值"),
        ("完成数/计划数×100%=100%", "IND102", 13, "“100%”这类目标值"),
        ("a+b=c", "IND102", 4, "等号左边应是指标名称"),
        ("资金到位率(C-D)×100%", "IND107", 1, None),  # a difference in brackets, then an operator
        ("资金到位率=", "IND103", 7, None),
        ("==a/b", "IND102", 2, None),
    ],
    ids=str,
)
def test_chains_that_stay_errors(text: str, code: str, column: int, hint: str | None) -> None:
    with pytest.raises(FormulaSyntaxError) as info:
        parse_formula(text)
    diag = info.value.diagnostic
    assert (diag.code, diag.span.column if diag.span else None) == (code, column)
    if hint is not None:
        assert diag.hint is not None
        assert hint in diag.hint


# --- properties -------------------------------------------------------------------------------------

_printed = st.text(
    alphabet=st.sampled_from(list("甲乙村(社区)[]【】〔〕{}（）+-—*/×x X÷=﹦:：,，。.、“”\"' 　\n一10万%‰")),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(_printed)
def test_preparation_keeps_length_and_lines(text: str) -> None:
    prepared = prepare(text)
    assert len(prepared.work) == len(text)
    assert _lines(prepared.work) == _lines(text)
    try:
        formula = parse_formula(text)
    except FormulaSyntaxError as error:
        span = error.diagnostic.span
        assert span is None or span.end <= len(text)
        return
    for name in formula.variables():
        assert name in text  # names are taken from the text as written


def _lines(text: str) -> list[int]:
    return [i for i, ch in enumerate(text) if ch == "\n"]


_FOOTNOTE_AT_END = re.compile(r"[\[［〔【〖][0-9]{1,2}[)）\]］〕】〗}｝]$")
_FAMILIES = [("(", ")"), ("[", "]"), ("【", "】"), ("〔", "〕"), ("{", "}"), ("（", "）"), ("［", "］")]
_LOOK_ALIKES = {"*": ["*", "×", "∙", "•"], "/": ["/", "÷", "∕"], "-": ["-", "—", "－"]}


def _plain_names(tree: Node) -> list[str]:
    """The tree's names with every bracket written as ( ), to compare trees printed in other brackets."""
    table = str.maketrans({o: "(" for o, _ in _FAMILIES} | {c: ")" for _, c in _FAMILIES})
    return [n.name.translate(table) for n in walk(tree) if isinstance(n, Variable)]


@settings(max_examples=200, deadline=None)
@given(asts, st.data())
def test_any_bracket_family_and_look_alike_operator_reads_the_same(tree: Node, data: st.DataObject) -> None:
    text = to_text(tree)
    expected = parse_formula(text).expr
    assert expected is not None
    written = []
    for i, ch in enumerate(text):
        if ch == "(":
            opening, _ = data.draw(st.sampled_from(_FAMILIES))
            written.append(opening)
        elif ch == ")":
            written.append(data.draw(st.sampled_from([c for _, c in _FAMILIES])))
        elif ch in _LOOK_ALIKES and "--" not in text[max(i - 1, 0) : i + 2]:  # —— is a dash, not minus minus
            written.append(data.draw(st.sampled_from(_LOOK_ALIKES[ch])))
        else:
            written.append(ch)
    rewritten = "".join(written)
    assume(_FOOTNOTE_AT_END.search(rewritten) is None)  # 村[12] at the very end is a footnote mark
    printed = parse_formula(rewritten).expr
    assert printed is not None
    assert _plain_names(printed) == _plain_names(expected)
    assert [type(n) for n in walk(printed)] == [type(n) for n in walk(expected)]
