from __future__ import annotations

from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.catalog import Catalog, load_catalog, similarity
from indicators.catalog.registry import formula_key, formulas_agree


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(use_env=False)


# The seed form's 25 level-3 indicators as printed (rows read back into their columns):
# level-1, level-2, level-3, formula, the catalog code, the fields in which the printed row differs.
SEED = [
    (
        "产出指标",
        "数量指标",
        "室内外应急避难场所的服务覆盖率",
        "指标值=已覆盖应急避难场所的村(社区)/辖区村(社区)总数*100%",
        "JD-CC-SL-001",
        (),
    ),
    ("产出指标", "数量指标", "党员参与志愿服务人次", "指标值=党员参与志愿服务人次", "JD-CC-SL-002", ()),
    (
        "产出指标",
        "数量指标",
        "党员教育培训完成率",
        "指标值=完成年度教育培训任务的党员数/应进行党员教育培训的党员数*100%",
        "JD-CC-SL-003",
        (),
    ),
    ("产出指标", "数量指标", "招商引资活动开展次数", "指标值=招商引资活动举办次数", "JD-CC-SL-004", ()),
    (
        "产出指标",
        "数量指标",
        "助餐配餐补贴项目工作达标率",
        "指标值=本年度已完成的工作数量/按上级工作方案应在本年度完成的工作数量*100%",
        "JD-CC-SL-005",
        (),
    ),
    (
        "产出指标",
        "数量指标",
        "走访、慰问、补助生活困难党员和老党员完成率",
        "指标值=本年度走访、慰问、补助生活困难党员和老党员人数/本年度摸查审核人数",
        "JD-CC-SL-006",
        ("formula",),
    ),
    (
        "产出指标",
        "数量指标",
        "(次干道)道路清扫保洁覆盖率",
        "指标值=实际清扫道路数量/应清扫道路数量*100%",
        "JD-CC-SL-007",
        (),
    ),
    (
        "产出指标",
        "数量指标",
        "在册严重精神障碍患者规范管理率",
        "指标值=纳入规范管理的检出严重精神障碍患者/登记在册严重精神障碍患者*100%",
        "JD-CC-SL-008",
        (),
    ),
    (
        "产出指标",
        "质量指标",
        "安全隐患整改完成率",
        "指标值=安全隐患整改件数/安全隐患应整改总数*100%",
        "JD-CC-ZL-001",
        (),
    ),
    ("产出指标", "质量指标", "“12345”热线工单办结率", "指标值=办结工单/呈办工单*100%", "JD-CC-ZL-002", ()),
    (
        "产出指标",
        "质量指标",
        "长者长寿保健金补贴发放准确率",
        "指标值=准确发放补贴次数/补贴发放总次数*100%",
        "JD-CC-ZL-003",
        (),
    ),
    ("产出指标", "质量指标", "政务信息公开规范性", "指标值=按规定公开", "JD-CC-ZL-004", ()),
    (
        "产出指标",
        "时效指标",
        "经济统计报表报送时效",
        "指标值=报送及时 按时完成经济统计报表报送工作即为报送及时(可参考国家统计局联网直报平台的截止时间)",
        "JD-CC-SX-001",
        (),
    ),
    ("效益指标", "经济效益指标", "新增“四上”企业数量", "指标值=新增“四上”企业数量", "JD-XY-JJ-001", ()),
    ("效益指标", "社会效益指标", "零就业家庭动态清零", "指标值=动态清零", "JD-XY-SH-001", ()),
    (
        "效益指标",
        "社会效益指标",
        "颐康服务中心(站)服务评估结果",
        "指标值=颐康服务中心(站)评估等级 颐康服务中心(站)评估等级分为优秀、良好、合格、不合格。"
        "街道在设置指标时建议比近三年实际评级有所提高或持平,"
        "若上一年度评估结果为良好以上,则需保持;若上一年度评估结果为良好以下,则需提高",
        "JD-XY-SH-002",
        (),
    ),
    (
        "效益指标",
        "社会效益指标",
        "社工站服务评估结果",
        "“指标值=保持/提升 社工站评估等级分为优秀、良好、合格、不合格。"
        "在设置指标时建议比近三年实际评级有所提高或持平,"
        "若上一年度评估结果为良好以上,则需保持;若上一年度评估结果为良好以下,则需提高”",
        "JD-XY-SH-003",
        (),
    ),
    (
        "效益指标",
        "社会效益指标",
        "流动人员和出租屋服务管理工作考核结果",
        "指标值=流动人员和出租屋服务考核结果",
        "JD-XY-SH-004",
        (),
    ),
    (
        "效益指标",
        "社会效益指标",
        "居家养老服务补贴发放目标实现情况",
        "指标值=有效实现目标",
        "JD-XY-SH-005",
        (),
    ),
    (
        "效益指标",
        "生态效益指标",
        "生活垃圾资源化利用率",
        "指标值=(可回收物回收量+其他垃圾处理量×0.8+厨余垃圾资源化利用量×0.9)/四类垃圾处理总量×100%",
        "JD-XY-ST-001",
        (),
    ),
    (
        "效益指标",
        "生态效益指标",
        "区域绿化覆盖率",
        "区域绿化覆盖率=辖区内绿化覆盖面积/辖区面积×100%",
        "JD-XY-ST-002",
        (),
    ),
    (
        "满意度指标",
        "服务对象满意度指标",
        "享受居家养老服务的长者满意度",
        "通过问卷调查、访谈等方式了解满意度。",
        "JD-MY-FW-001",
        (),
    ),
    ("满意度指标", "服务对象满意度指标", "志愿者队伍满意度", "满意度", "JD-MY-FW-002", ()),
    (
        "满意度指标",
        "服务对象满意度指标",
        "窗口服务满意度",
        "通过窗口服务评价系统了解窗口服务满意度",
        "JD-MY-FW-003",
        (),
    ),
    ("成本指标", "经济成本指标", "工程支出符合定额标准情况", "指标值=是/否符合", "JD-CB-JJ-001", ()),
]


def test_seed_table_has_25_rows() -> None:
    assert len(SEED) == 25
    assert len({row[4] for row in SEED}) == 25


@pytest.mark.parametrize(
    ("level1", "level2", "name", "formula", "code", "fields"), SEED, ids=[r[2] for r in SEED]
)
def test_seed_names_find_their_entries(
    catalog: Catalog, level1: str, level2: str, name: str, formula: str, code: str, fields: tuple[str, ...]
) -> None:
    match = catalog.lookup(name)
    assert match is not None
    assert match.entry.code == code
    assert match.method == "exact"
    assert match.score == 1
    entry = match.entry
    assert (entry.level1, entry.level2) == (level1, level2)


@pytest.mark.parametrize(
    ("level1", "level2", "name", "formula", "code", "fields"), SEED, ids=[r[2] for r in SEED]
)
def test_seed_rows_match_their_entries(
    catalog: Catalog, level1: str, level2: str, name: str, formula: str, code: str, fields: tuple[str, ...]
) -> None:
    row = catalog.match_row(level1, level2, name, formula)
    assert row is not None
    assert row.entry.code == code
    assert row.fields == fields
    assert len(row.differences) == len(fields)
    assert row.confidence == (Decimal("0.8") if fields else Decimal(1))


@pytest.mark.parametrize(
    ("query", "code", "method"),
    [
        ("JD-CC-ZL-002", "JD-CC-ZL-002", "exact"),
        (" jd-cc-zl-002 ", "JD-CC-ZL-002", "exact"),
        ("ＪＤ－ＣＣ－ＺＬ－００２", "JD-CC-ZL-002", "exact"),  # a code typed in full width
        ("jd－cc－zl－002", "JD-CC-ZL-002", "exact"),
        ("12345热线工单办结率", "JD-CC-ZL-002", "exact"),  # alias
        ("“１２３４５”热线工单办结率", "JD-CC-ZL-002", "normalized"),  # full width
        ('"12345"热线工单办结率', "JD-CC-ZL-002", "normalized"),  # ASCII quotes
        ("12345 热线 工单 办结率", "JD-CC-ZL-002", "normalized"),  # spaces
        ("“12345”热线工单办结率指标", "JD-CC-ZL-002", "normalized"),  # trailing 指标
        ("党 员 教 育 培 训 完 成 率", "JD-CC-SL-003", "normalized"),
        ("（次干道）道路清扫保洁覆盖率", "JD-CC-SL-007", "normalized"),
        ("颐康服务中心（站）服务评估结果", "JD-XY-SH-002", "normalized"),
        ("结转结余率", "GX-YS-ZX-002", "exact"),
        ("区域绿化覆盖", "JD-XY-ST-002", "fuzzy"),
        ("窗口服务满意程度", "JD-MY-FW-003", "fuzzy"),
        ("党员教育培训完成情况", "JD-CC-SL-003", "fuzzy"),
    ],
    ids=lambda v: v,
)
def test_lookup(catalog: Catalog, query: str, code: str, method: str) -> None:
    match = catalog.lookup(query)
    assert match is not None
    assert (match.entry.code, match.method) == (code, method)
    assert Decimal(0) < match.score <= 1
    if method != "fuzzy":
        assert match.score == 1


@pytest.mark.parametrize("query", ["", "   ", "完全无关的名称", "预算"], ids=repr)
def test_lookup_finds_nothing(catalog: Catalog, query: str) -> None:
    assert catalog.lookup(query) is None


def test_fuzzy_threshold(catalog: Catalog) -> None:
    assert catalog.lookup("区域绿化", threshold=Decimal("0.99")) is None
    loose = catalog.fuzzy("区域绿化", threshold=Decimal("0.5"))
    assert loose[0].entry.code == "JD-XY-ST-002"
    assert all(a.score >= b.score for a, b in pairwise(loose))


def test_search_satisfaction_lists_the_seeds_three(catalog: Catalog) -> None:
    found = [m.entry.code for m in catalog.search("满意度")]
    assert {"JD-MY-FW-001", "JD-MY-FW-002", "JD-MY-FW-003"} <= set(found)
    assert all(m.method == "search" for m in catalog.search("满意度"))


@pytest.mark.parametrize(
    ("words", "codes"),
    [
        (["党员"], {"JD-CC-SL-002", "JD-CC-SL-003", "JD-CC-SL-006"}),
        (["党员", "培训"], {"JD-CC-SL-003"}),
        ("党员 培训", {"JD-CC-SL-003"}),
        (["呈办工单"], {"JD-CC-ZL-002"}),  # a word of the formula
        (["12345"], {"JD-CC-ZL-002"}),
        (["ｊｄ-cb"], {"JD-CB-JJ-001"}),  # a code, full width
        (["没有这个词"], set()),
        ([" "], set()),
        # a trailing 指标 of a word is dropped, as in names
        (["满意度指标"], {"GX-MY-FW-001", "JD-MY-FW-001", "JD-MY-FW-002", "JD-MY-FW-003"}),
        (["窗口服务满意度指标"], {"JD-MY-FW-003"}),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else (v if isinstance(v, str) else None),
)
def test_search(catalog: Catalog, words: list[str] | str, codes: set[str]) -> None:
    assert {m.entry.code for m in catalog.search(words)} == codes


def test_search_ranks_names_before_formulas(catalog: Catalog) -> None:
    found = catalog.search("工单")
    assert found[0].entry.code == "JD-CC-ZL-002"
    formula_only = catalog.search("呈办")
    assert formula_only[0].score == Decimal("0.6")


@pytest.mark.parametrize(
    ("kwargs", "count"),
    [
        ({}, 38),
        ({"set": "street-office"}, 25),
        ({"set": "common"}, 13),
        ({"set": "none"}, 0),
        ({"level1": "满意度指标"}, 4),
        ({"level1": "服务对象满意度指标"}, 4),
        ({"level1": "产 出"}, 21),
        ({"set": "street-office", "level1": "成本"}, 1),
        ({"level1": "不存在"}, 0),
    ],
    ids=lambda v: repr(v) if isinstance(v, dict) else None,
)
def test_list(catalog: Catalog, kwargs: dict[str, str], count: int) -> None:
    assert len(catalog.list(**kwargs)) == count


# --- matching form rows -------------------------------------------------------------------------------


def test_match_row_reports_category_differences(catalog: Catalog) -> None:
    row = catalog.match_row("效益指标", "质量指标", "“12345”热线工单办结率", None)
    assert row is not None
    assert row.fields == ("level1",)  # 质量指标 is the entry's own level-2
    assert row.confidence == Decimal("0.9")
    assert "效益指标" in row.differences[0]
    row = catalog.match_row("效益指标", "社会效益指标", "“12345”热线工单办结率", "指标值=办结工单/呈办工单")
    assert row is not None
    assert row.fields == ("level1", "level2", "formula")
    assert row.confidence == Decimal("0.6")
    assert "社会效益指标" in row.differences[1]


def test_match_row_by_fuzzy_name(catalog: Catalog) -> None:
    row = catalog.match_row("产 出 指 标", "数量 指标", "党员教育培训完成情况", None)
    assert row is not None
    assert row.entry.code == "JD-CC-SL-003"
    assert row.fields == ("name",)
    assert row.method == "fuzzy"
    assert row.confidence < 1


def test_match_row_by_formula_when_the_name_is_unknown(catalog: Catalog) -> None:
    row = catalog.match_row("产出指标", "质量指标", "市民热线结案比例", "指标值 = 办结工单 / 呈办工单 * 100%")
    assert row is not None
    assert row.entry.code == "JD-CC-ZL-002"
    assert row.confidence == Decimal("0.8")


@pytest.mark.parametrize(
    ("level1", "level2", "level3", "formula"),
    [
        ("产出指标", "数量指标", "完全无关的名称", None),
        ("产出指标", "数量指标", None, None),
        (None, None, "  ", "指标值=甲/乙"),
    ],
    ids=["unknown-name", "no-name", "unknown-formula"],
)
def test_match_row_none(
    catalog: Catalog, level1: str | None, level2: str | None, level3: str | None, formula: str | None
) -> None:
    assert catalog.match_row(level1, level2, level3, formula) is None


def test_match_row_ignores_missing_cells(catalog: Catalog) -> None:
    row = catalog.match_row(None, "", "党员参与志愿服务人次", None)
    assert row is not None
    assert row.fields == ()
    assert row.confidence == 1


# --- helpers ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "ratio"),
    [
        ("abcd", "abcd", "1"),
        ("abcd", "abce", "0.75"),
        ("", "", "1"),
        ("ab", "", "0"),
        ("区域绿化覆盖率", "区域绿化覆盖", "0.9231"),
    ],
    ids=lambda v: v,
)
def test_similarity(a: str, b: str, ratio: str) -> None:
    assert similarity(a, b) == Decimal(ratio)


@given(st.text(max_size=20), st.text(max_size=20))
def test_similarity_is_a_symmetric_ratio(a: str, b: str) -> None:
    score = similarity(a, b)
    assert Decimal(0) <= score <= 1
    assert isinstance(score, Decimal)
    assert similarity(a, a) == 1


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("指标值=a/b×100%", "指标值 = a / b * 100%", True),
        ("“指标值=a/b”", "指标值=a/b", True),
        ("区域绿化覆盖率=甲/乙", "指标值=甲/乙", True),
        ("指标值=a/b", "指标值=a/b*100%", False),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_formula_comparison(a: str, b: str, same: bool) -> None:
    assert (formula_key(a) == formula_key(b)) is same
    assert formulas_agree(a, b) is same


# --- every entry, written the ways forms write it ------------------------------------------------------


def _full_width(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


def _entry_names() -> list[tuple[str, str]]:
    return [(e.code, e.name) for e in load_catalog(use_env=False).entries]


@pytest.mark.parametrize(("code", "name"), _entry_names(), ids=[n for _, n in _entry_names()])
def test_every_entry_is_found_however_written(catalog: Catalog, code: str, name: str) -> None:
    for variant in (
        _full_width(name),
        " ".join(name),
        f"{name}指标",
        f"“{name}”",
        f" {name}\n",
    ):
        match = catalog.lookup(variant)
        assert match is not None, variant
        assert match.entry.code == code, variant
        assert match.score == 1


@given(
    st.sampled_from(_entry_names()),
    st.lists(st.sampled_from([" ", "\u3000", "\t"]), max_size=3),
    st.booleans(),
)
def test_spacing_and_width_never_change_the_match(
    entry: tuple[str, str], spaces: list[str], wide: bool
) -> None:
    code, name = entry
    text = _full_width(name) if wide else name
    cut = len(text) // 2
    text = text[:cut] + "".join(spaces) + text[cut:]
    match = _CATALOG.lookup(text)
    assert match is not None
    assert match.entry.code == code


_CATALOG = load_catalog(use_env=False)


def test_catalog_load_is_load_catalog() -> None:
    assert [e.code for e in Catalog.load(use_env=False).entries] == [e.code for e in _CATALOG.entries]


def test_the_example_form_read_from_its_file_matches_the_seed_table(catalog: Catalog) -> None:
    """The 25 level-3 rows as the form reader gives them (shifted rows realigned) match their entries."""
    from indicators.forms import read_form

    form = read_form(Path(__file__).parents[2] / "examples" / "xiaoguwei-declared.txt")
    rows = [r for r in form.indicators if r.level3 is not None]
    assert len(rows) == 25

    def text(cell: object) -> str | None:
        return getattr(cell, "text", None)

    found = [
        catalog.match_row(text(r.level1), text(r.level2), text(r.level3), text(r.formula)) for r in rows
    ]
    expected = {row[4]: row[5] for row in SEED}
    assert [m.entry.code if m else None for m in found] == [row[4] for row in SEED]
    for match in found:
        assert match is not None
        assert match.fields == expected[match.entry.code]


@pytest.mark.parametrize(
    ("level1", "level2", "level3", "formula"),
    [
        ("满意度指标", "服务对象满意度指标", "学生满意度", "满意度"),
        (None, None, "家长满意度", "通过问卷调查、访谈等方式了解满意度。"),
        ("产出指标", "质量指标", "信息公开情况", "指标值=按规定公开"),
        ("成本指标", "经济成本指标", "项目支出合规情况", "指标值=是/否符合"),
        ("效益指标", "社会效益指标", "某某考核", "指标值=动态清零"),
        ("产出指标", "数量指标", "培训人次", "指标值=党员参与志愿服务人次"),
    ],
    ids=lambda v: v,
)
def test_a_formula_that_defines_nothing_matches_no_entry(
    catalog: Catalog, level1: str | None, level2: str | None, level3: str, formula: str
) -> None:
    # the same formula text as an entry's, but it names a state, a survey or one count: not an identity
    assert catalog.match_row(level1, level2, level3, formula) is None


def test_a_defining_formula_still_matches_without_a_name(catalog: Catalog) -> None:
    formula = "指标值=(可回收物回收量+其他垃圾处理量×0.8+厨余垃圾资源化利用量×0.9)/四类垃圾处理总量×100%"
    row = catalog.match_row("效益指标", "生态效益指标", "垃圾回收利用比例", formula)
    assert row is not None
    assert row.entry.code == "JD-XY-ST-001"
    assert row.fields == ("name",)


def test_a_later_layer_wins_a_shared_name(tmp_path: Path) -> None:
    (tmp_path / "sets").mkdir()
    (tmp_path / "sets" / "local.yaml").write_text(
        "set: local\ntitle: 本地\nsource: 本地\nentries:\n"
        "  - {code: PY-001, level1: 产出指标, level2: 质量指标, name: “12345”热线工单办结率,"
        " formula: 指标值=按期办结工单/受理工单*100%, unit: '%', kind: percentage, target: 98%以上}\n"
        "  - {code: PY-002, level1: 产出指标, level2: 质量指标, name: 热线回访率,"
        " aliases: [１２３４５工单办结率], unit: '%', kind: percentage}\n",
        encoding="utf-8",
    )
    catalog = load_catalog(tmp_path, use_env=False)
    for query in ("“12345”热线工单办结率", "12345 热线工单办结率"):
        match = catalog.lookup(query)
        assert match is not None
        assert match.entry.code == "PY-001"
    assert catalog.lookup("JD-CC-ZL-002") is not None  # the bundled entry stays reachable by code
    found = [d for d in catalog.validate(layer=1) if d.code == "IND417"]
    assert [d.message for d in found] == [
        "指标“PY-001”的名称““12345”热线工单办结率”与指标“JD-CC-ZL-002”相同",
        "指标“PY-002”的名称“１２３４５工单办结率”与指标“JD-CC-ZL-002”相同",
    ]
    assert all(d.severity.value == "warning" for d in found)
    assert not [d for d in load_catalog(use_env=False).validate() if d.code == "IND417"]
