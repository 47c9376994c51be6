"""Realignment of shifted rows and headers, recognition of cells, and inheritance, on small forms."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.forms import Form, read_form_text
from indicators.forms.names import (
    FALLBACK_TAXONOMY,
    Role,
    column_role,
    is_footer,
    is_table_label,
    looks_like_category,
)
from indicators.forms.recognise import Kind, Recogniser, looks_like_formula, looks_like_target
from indicators.text import category_key

HEADER = "一级指标\t二级指标\t三级指标\t计算公式\t年度指标值"
FIRST = "产出指标\t数量指标\t培训人次\t指标值=实际培训人次\t500人次以上"


def _read(*lines: str, header: str = HEADER) -> Form:
    return read_form_text("\n".join([header, *lines]) + "\n", source="t.tsv", use_parsers=False)


def _values(form: Form, index: int) -> tuple[str | None, ...]:
    row = form.indicators[index]
    return tuple(
        None if c is None else c.text for c in (row.level1, row.level2, row.level3, row.formula, row.target)
    )


ROWS = [
    # (the row after FIRST, expected level-1/2/3, formula, target, realigned?)
    (
        "产出指标\t质量指标\t培训合格率\t指标值=合格人数/参训人数*100%\t90%以上",
        ("产出指标", "质量指标", "培训合格率", "指标值=合格人数/参训人数*100%", "90%以上"),
        False,
    ),
    (
        "\t产出指标\t时效指标\t培训及时率\t指标值=按时期数/计划期数*100%\t100%",
        ("产出指标", "时效指标", "培训及时率", "指标值=按时期数/计划期数*100%", "100%"),
        True,
    ),
    (
        "时效指标\t培训及时率\t指标值=按时期数/计划期数*100%\t100%",
        ("产出指标", "时效指标", "培训及时率", "指标值=按时期数/计划期数*100%", "100%"),
        True,
    ),
    ("\t\t培训覆盖率\t95%以上", ("产出指标", "数量指标", "培训覆盖率", "", "95%以上"), True),
    (
        "\t\t培训覆盖率\t\t指标值=已培训人数/应培训人数*100%",
        ("产出指标", "数量指标", "培训覆盖率", "指标值=已培训人数/应培训人数*100%", ""),
        True,
    ),
    (
        "\t\t\t培训覆盖率\t指标值=已培训人数/应培训人数*100%\t95%以上",
        ("产出指标", "数量指标", "培训覆盖率", "指标值=已培训人数/应培训人数*100%", "95%以上"),
        True,
    ),
    ("\t\t\t质量指标\t培训合格率\t90%以上", ("产出指标", "质量指标", "培训合格率", "", "90%以上"), True),
    ("成本指标\t社会成本指标", ("成本指标", "社会成本指标", None, "", ""), False),
    ("\t社会成本指标", ("产出指标", "社会成本指标", None, "", ""), False),
    ("社会成本指标", ("产出指标", "社会成本指标", None, "", ""), True),
    (
        "项目资金\t预算执行\t年度资金总额\t\t250000.00",
        ("项目资金", "预算执行", "年度资金总额", "", "250000.00"),
        False,
    ),
    (
        "\t\t培训满意度\t通过问卷调查了解\t及时",
        ("产出指标", "数量指标", "培训满意度", "通过问卷调查了解", "及时"),
        False,
    ),
    ("\t\t培训满意度\t满意度\t90%以上", ("产出指标", "数量指标", "培训满意度", "满意度", "90%以上"), False),
]


@pytest.mark.parametrize(("line", "expected", "realigned"), ROWS, ids=[r[0] for r in ROWS])
def test_row_is_realigned_by_content(line: str, expected: tuple[str | None, ...], realigned: bool) -> None:
    form = _read(FIRST, line)
    assert _values(form, 1) == expected
    codes = [d.code for d in form.diagnostics]
    assert codes == (["IND503"] if realigned else [])
    if realigned:
        assert form.diagnostics[0].location is not None
        assert form.diagnostics[0].location.row == 3


def test_a_cell_that_fits_nowhere_is_kept_and_reported() -> None:
    form = _read(FIRST, "产出指标\t数量指标\t培训天数\t指标值=培训天数\t10天以上\t见附件")
    row = form.indicators[1]
    assert [c.text for c in row.extra] == ["见附件"]
    assert row.extra[0].location is not None
    assert row.extra[0].location.cell == "F3"
    (unplaced,) = form.diagnostics
    assert unplaced.code == "IND504"
    assert "见附件" in unplaced.message
    assert unplaced.indicator == "培训天数"
    assert unplaced.hint == "该内容已原样保留，未计入任何栏目；请核对这一行各单元格的位置"


def test_two_targets_and_no_room_keeps_both() -> None:
    form = _read(FIRST, "\t\t培训人次\t100人次\t200人次")
    row = form.indicators[1]
    texts = [c.text for c in (row.formula, row.target, *row.extra) if c is not None and not c.empty]
    assert sorted(texts) == ["100人次", "200人次"]


def test_level2_is_not_inherited_across_a_new_level1() -> None:
    form = _read(FIRST, "效益指标\t\t就业人数\t\t20人以上")
    row = form.indicators[1]
    assert row.level2 is not None
    assert row.level2.empty
    assert row.inherited == ()


def test_level2_is_inherited_when_level1_is_repeated() -> None:
    form = _read(FIRST, "产 出 指 标\t\t结业人数\t\t20人以上")
    assert form.indicators[1].inherited == ("level2",)
    assert form.indicators[1].level2 is not None
    assert form.indicators[1].level2.text == "数量指标"


def test_nothing_to_inherit_keeps_empty_cells() -> None:
    form = _read("\t\t指标6:举办宣传活动\t\t12次")
    row = form.indicators[0]
    assert row.level1 is not None
    assert row.level1.empty
    assert row.inherited == ()


def test_header_shifted_left_over_a_label_column() -> None:
    header = "一级指标\t二级指标\t三级指标\t实施周期指标值\t年度指标值\t"
    form = _read(
        "绩效指标\t产出指标\t数量指标\t培训人次\t指标值=实际培训人次\t500人次以上",
        "\t\t\t结业人数\t指标值=结业人数\t400人以上",
        "\t\t质量指标\t培训合格率\t指标值=合格人数/参训人数*100%\t90%以上",
        header=header,
    )
    assert [_values(form, i)[2] for i in range(3)] == ["培训人次", "结业人数", "培训合格率"]
    assert _values(form, 2)[:3] == ("产出指标", "质量指标", "培训合格率")
    assert _values(form, 2)[3:] == ("指标值=合格人数/参训人数*100%", "90%以上")
    assert [d.data for d in form.diagnostics] == [{"shift": 1}, {"column": 5, "read_as": "formula"}]
    assert form.indicators[0].period_target is None


def test_header_shifted_right() -> None:
    header = "\t一级指标\t二级指标\t三级指标\t年度指标值"
    form = _read(
        "产出指标\t数量指标\t培训人次\t500人次以上",
        "\t质量指标\t培训合格率\t90%以上",
        "效益指标\t社会效益指标\t就业率\t80%以上",
        header=header,
    )
    assert _values(form, 1) == ("产出指标", "质量指标", "培训合格率", None, "90%以上")
    assert [d.data for d in form.diagnostics] == [{"shift": -1}]
    assert "向左移动 1 列" in form.diagnostics[0].message


def test_a_real_period_column_stays() -> None:
    header = "一级指标\t二级指标\t三级指标\t实施周期指标值\t年度指标值"
    form = _read("产出指标\t数量指标\t培训人次\t1500人次\t500人次以上", header=header)
    row = form.indicators[0]
    assert row.period_target is not None
    assert row.period_target.text == "1500人次"
    assert row.formula is None
    assert form.diagnostics == ()


def test_a_custom_taxonomy_is_used() -> None:
    class Local:
        level1_names = ("产出指标",)

        def canonical_level1(self, name: str) -> str | None:
            return "产出指标" if category_key(name) == "产出" else None

        def canonical_level2(self, level1: str, name: str) -> str | None:
            return "安全生产指标" if category_key(name) == "安全生产" else None

    class Catalog:
        taxonomy = Local()

    text = f"{HEADER}\n{FIRST}\n\t\t\t安全生产指标\t事故起数\t0起\n"
    form = read_form_text(text, catalog=Catalog(), use_parsers=False)
    assert _values(form, 1) == ("产出指标", "安全生产指标", "事故起数", "", "0起")
    plain = read_form_text(text, catalog=type("C", (), {"taxonomy": FALLBACK_TAXONOMY})(), use_parsers=False)
    assert _values(plain, 1)[1] == "数量指标"  # unknown to the national frame: not moved as a category


KINDS = [
    ("产出指标", {Kind.LEVEL1}),
    ("产 出 指 标", {Kind.LEVEL1}),
    ("产出指标(50分)", {Kind.LEVEL1}),
    ("数量指标", {Kind.LEVEL2}),
    ("服务对象满意度指标等", {Kind.LEVEL1, Kind.LEVEL2}),
    ("服务对象满意度指标", {Kind.LEVEL1, Kind.LEVEL2}),
    ("成本指标", {Kind.LEVEL1, Kind.LEVEL2}),
    ("满意度", set()),
    ("绩效指标", {Kind.LABEL}),
    ("年度绩效指标", {Kind.LABEL}),
    ("指标值=办结工单/呈办工单*100%", {Kind.FORMULA}),
    ("“指标值=保持/提升 说明”", {Kind.FORMULA}),
    ("区域绿化覆盖率=辖区内绿化覆盖面积/辖区面积×100%", {Kind.FORMULA}),
    ("办结工单/呈办工单*100%", {Kind.FORMULA}),
    ("95%以上", {Kind.TARGET}),
    ("≥80M", {Kind.TARGET}),
    ("1600元/亩", {Kind.TARGET}),
    ("=100%", {Kind.TARGET}),
    (">=90%", {Kind.TARGET}),
    ("2023.07-2024.01", {Kind.TARGET}),
    ("良以上", {Kind.TARGET}),
    ("优", {Kind.TARGET}),
    ("是", {Kind.TARGET}),
    ("不低于90%", {Kind.TARGET}),
    ("15万元。", {Kind.TARGET}),
    ("按规定公开", set()),
    ("“12345”热线工单办结率", set()),
    ("5G基站数量", set()),
    ("指标9:0-6岁儿童健康管理数", set()),
    ("", set()),
]


@pytest.mark.parametrize(("text", "kinds"), KINDS, ids=[k[0] or "(empty)" for k in KINDS])
def test_recognised_kinds(text: str, kinds: set[Kind]) -> None:
    rec = Recogniser(FALLBACK_TAXONOMY, use_parsers=False)
    assert rec.kinds(text) == kinds
    assert rec.kinds(text) == kinds  # memoised


@pytest.mark.parametrize(
    ("text", "formula", "target"),
    [("指标值=a", True, False), ("a/b", False, False), ("100%", False, True), ("x", False, False)],
    ids=["指标值=a", "a/b", "100%", "x"],
)
def test_shape_checks(text: str, formula: bool, target: bool) -> None:
    assert looks_like_formula(text) is formula
    assert looks_like_target(text) is target


HEADERS = [
    ("一级指标", Role.LEVEL1),
    ("三级指标", Role.LEVEL3),
    ("指标名称", Role.LEVEL3),
    ("指标解释（计算公式）", Role.FORMULA),
    ("计算公式", Role.FORMULA),
    ("实施周期指标值", Role.PERIOD),
    ("年度指标值", Role.TARGET),
    ("指标值", Role.TARGET),
    ("实际完成值", Role.ACTUAL),
    ("全年实际值", Role.ACTUAL),
    ("分值", Role.WEIGHT),
    ("得分", Role.SCORE),
    ("计量单位", Role.UNIT),
    ("指标性质", Role.OPERATOR),
    ("偏差原因分析及改进措施", Role.DEVIATION),
    ("备注", Role.REMARK),
    ("", None),
    ("序号", Role.SEQUENCE),
    ("取值依据", None),
    ("考核说明", None),
]


@pytest.mark.parametrize(("text", "role"), HEADERS, ids=[h[0] or "(empty)" for h in HEADERS])
def test_header_roles(text: str, role: Role | None) -> None:
    assert column_role(text) is role


def test_small_name_helpers() -> None:
    assert looks_like_category("效益 指标（30分）")
    assert not looks_like_category("项目资金")
    assert is_table_label("绩效指标")
    assert not is_table_label("产出指标")
    assert is_footer("填报人：张三")
    assert is_footer("合计")
    assert not is_footer("产出指标")
    assert FALLBACK_TAXONOMY.canonical_level2("效益", "可持续影响 指标") == "可持续影响指标"
    assert FALLBACK_TAXONOMY.canonical_level2("未知指标", "数量指标") is None
    assert Role.TARGET.label == "年度指标值栏"


VOCAB = [
    "产出指标",
    "效益指标",
    "数量指标",
    "社会效益指标",
    "培训人次",
    "就业率",
    "指标值=a/b*100%",
    "指标值=培训人次",
    "95%以上",
    "10人以上",
    "优",
    "见附件",
    "绩效指标",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=2),
            st.lists(
                st.one_of(st.sampled_from(VOCAB), st.text(alphabet="甲乙丙丁%=/123", min_size=1, max_size=6)),
                min_size=1,
                max_size=6,
            ),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_realignment_never_loses_text(rows: list[tuple[int, list[str]]]) -> None:
    lines = ["\t" * shift + "\t".join(cells) for shift, cells in rows]
    form = _read(FIRST, *lines)
    assert len(form.indicators) == len(rows) + 1
    for (_, cells), row in zip(rows, form.indicators[1:], strict=True):
        wanted = Counter(c for c in cells if c.strip())
        fields = [getattr(row, r.value) for r in Role] + list(row.extra)
        got = Counter(
            c.text
            for name, c in zip([*(r.value for r in Role), *["extra"] * len(row.extra)], fields, strict=True)
            if c is not None and not c.empty and not (name in {"level1", "level2"} and name in row.inherited)
        )
        assert got == wanted
    for d in form.diagnostics:
        assert d.code in {"IND503", "IND504", "IND511"}
        assert d.location is not None
        assert d.location.row is not None


def test_an_unknown_level1_repeated_keeps_level2_inheritance() -> None:
    form = _read("项目资金\t预算执行\t年度资金总额\t\t250000.00", "项目资金\t\t援建资金\t\t20000.00")
    assert form.indicators[1].inherited == ("level2",)


def test_a_block_below_the_table_ends_it() -> None:
    form = _read(FIRST, "总体绩效目标\t完成年度培训任务", "部门名称\t某局")
    assert len(form.indicators) == 1
    assert form.overall_goal is not None
    assert form.overall_goal.text == "完成年度培训任务"
    assert form.department is not None
    assert form.department.location is not None
    assert form.department.location.row == 4


class _FakeTarget:
    def __init__(self, kind: str) -> None:
        self.kind = kind


class _FakeFormula:
    is_arithmetic = True

    def __init__(self, names: tuple[str, ...]) -> None:
        self._names = names

    def variables(self) -> tuple[str, ...]:
        return self._names


def _fake_parse_target(text: str, *, limits: object = None) -> _FakeTarget:
    from indicators.codes import diagnostic
    from indicators.errors import TargetSyntaxError

    if text == "全年5场次左右":
        return _FakeTarget("numeric")
    if text == "第3档":
        return _FakeTarget("vague")
    raise TargetSyntaxError(diagnostic("IND201", text=text))


def _fake_parse_formula(text: str, *, limits: object = None) -> _FakeFormula:
    if text == "收入总额-支出总额":
        return _FakeFormula(("收入总额", "支出总额"))
    if text == "2+3":
        return _FakeFormula(())
    raise ValueError("not a formula")


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("全年5场次左右", {Kind.TARGET}),
        ("第3档", set()),
        ("约定俗成", set()),
        ("收入总额-支出总额", {Kind.FORMULA}),
        ("2+3", set()),
        ("甲-乙", set()),
    ],
    ids=["全年5场次左右", "第3档", "约定俗成", "收入总额-支出总额", "2+3", "甲-乙"],
)
def test_sibling_parsers_are_consulted(text: str, kinds: set[Kind]) -> None:
    rec = Recogniser(FALLBACK_TAXONOMY, use_parsers=False)
    rec._parse_target = _fake_parse_target
    rec._parse_formula = _fake_parse_formula
    assert rec.kinds(text) == kinds


def test_default_recogniser_finds_a_taxonomy() -> None:
    rec = Recogniser()
    assert rec.taxonomy.canonical_level1("产出指标") == "产出指标"


def test_a_shifted_header_moves_its_named_columns_too() -> None:
    header = "一级指标\t二级指标\t三级指标\t年度指标值\t评（扣）分标准"
    form = _read(
        "绩效指标\t产出指标\t数量指标\t培训人次\t500人次\t完成得满分",
        "\t\t质量指标\t培训合格率\t90%\t达到90%得满分",
        "\t\t时效指标\t培训完成及时率\t100%\t按时完成得满分",
        header=header,
    )
    assert [d.code for d in form.diagnostics] == ["IND503"]  # the header shift, nothing else
    assert [_values(form, i)[:3] for i in range(3)] == [
        ("产出指标", "数量指标", "培训人次"),
        ("产出指标", "质量指标", "培训合格率"),
        ("产出指标", "时效指标", "培训完成及时率"),
    ]
    assert [r.standard.text for r in form.indicators if r.standard is not None] == [
        "完成得满分", "达到90%得满分", "按时完成得满分",
    ]
    assert all(r.others == () for r in form.indicators)


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("一级指标\t二级指标\t三级指标\t考核标准\t年度指标值", "计算公式栏"),
        ("一级指标\t二级指标\t三级指标\t计算公式\t考核目标", "年度指标值栏"),
    ],
    ids=["formulas under 考核标准", "targets under 考核目标"],
)
def test_an_unknown_header_over_the_missing_column_is_read_as_it(header: str, role: str) -> None:
    formula = "指标值=合格人数/参训人数*100%"
    form = _read(FIRST, f"\t质量指标\t培训合格率\t{formula}\t90%以上", header=header)
    assert _values(form, 1) == ("产出指标", "质量指标", "培训合格率", formula, "90%以上")
    (note,) = form.diagnostics
    assert note.code == "IND503"
    assert f"已按{role}读取" in note.message
    assert note.data["column"] == (4 if role == "计算公式栏" else 5)


@pytest.mark.parametrize("text", ["指标定义", "计算方法", "年度目标", "绩效指标名称"])
def test_more_header_words(text: str) -> None:
    assert column_role(text) is not None
