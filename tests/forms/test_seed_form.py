"""The seed declaration form (examples/xiaoguwei-declared.txt) read into exactly the expected form."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from indicators.diagnostics import Location, Severity
from indicators.forms import BudgetGroup, Form, FormKind, IndicatorRow, read_form
from indicators.forms.names import FALLBACK_TAXONOMY, TaxonomyLike

SEED = Path(__file__).resolve().parents[2] / "examples" / "xiaoguwei-declared.txt"
NAME = SEED.name


class _Fallback:
    """A catalog stand-in that offers only the built-in taxonomy."""

    @property
    def taxonomy(self) -> TaxonomyLike:
        return FALLBACK_TAXONOMY


@pytest.fixture(scope="module")
def seed() -> Form:
    return read_form(SEED, use_parsers=False)


#: source row, level-1, level-2, level-3 (None: an empty category), formula, annual target
EXPECTED = [
    (23, '产出指标', '数量指标', '室内外应急避难场所的服务覆盖率', '指标值=已覆盖应急避难场所的村(社区)/辖区村(社区)总数*100%', '4个以上'),
    (24, '产出指标', '数量指标', '党员参与志愿服务人次', '指标值=党员参与志愿服务人次', '100人次以上'),
    (25, '产出指标', '数量指标', '党员教育培训完成率', '指标值=完成年度教育培训任务的党员数/应进行党员教育培训的党员数*100%', '95%以上'),
    (26, '产出指标', '数量指标', '招商引资活动开展次数', '指标值=招商引资活动举办次数', '1次以上'),
    (27, '产出指标', '数量指标', '助餐配餐补贴项目工作达标率', '指标值=本年度已完成的工作数量/按上级工作方案应在本年度完成的工作数量*100%', '95%以上'),
    (28, '产出指标', '数量指标', '走访、慰问、补助生活困难党员和老党员完成率', '指标值=本年度走访、慰问、补助生活困难党员和老党员人数/本年度摸查审核人数', '95%以上'),
    (29, '产出指标', '数量指标', '(次干道)道路清扫保洁覆盖率', '指标值=实际清扫道路数量/应清扫道路数量*100%', '90%以上'),
    (30, '产出指标', '数量指标', '在册严重精神障碍患者规范管理率', '指标值=纳入规范管理的检出严重精神障碍患者/登记在册严重精神障碍患者*100%', '100%'),
    (31, '产出指标', '质量指标', '安全隐患整改完成率', '指标值=安全隐患整改件数/安全隐患应整改总数*100%', '90%以上'),
    (32, '产出指标', '质量指标', '“12345”热线工单办结率', '指标值=办结工单/呈办工单*100%', '95%以上'),
    (33, '产出指标', '质量指标', '长者长寿保健金补贴发放准确率', '指标值=准确发放补贴次数/补贴发放总次数*100%', '100%'),
    (34, '产出指标', '质量指标', '政务信息公开规范性', '指标值=按规定公开', '按规定公开'),
    (35, '产出指标', '时效指标', '经济统计报表报送时效', '指标值=报送及时 按时完成经济统计报表报送工作即为报送及时(可参考国家统计局联网直报平台的截止时间)', '及时报送'),
    (36, '效益指标', '经济效益指标', '新增“四上”企业数量', '指标值=新增“四上”企业数量', '2个以上'),
    (37, '效益指标', '社会效益指标', '零就业家庭动态清零', '指标值=动态清零', '实现动态清零'),
    (38, '效益指标', '社会效益指标', '颐康服务中心(站)服务评估结果', '指标值=颐康服务中心(站)评估等级 颐康服务中心(站)评估等级分为优秀、良好、合格、不合格。街道在设置指标时建议比近三年实际评级有所提高或持平,若上一年度评估结果为良好以上,则需保持;若上一年度评估结果为良好以下,则需提高', '优'),
    (39, '效益指标', '社会效益指标', '社工站服务评估结果', '“指标值=保持/提升 社工站评估等级分为优秀、良好、合格、不合格。在设置指标时建议比近三年实际评级有所提高或持平,若上一年度评估结果为良好以上,则需保持;若上一年度评估结果为良好以下,则需提高”', '优'),
    (40, '效益指标', '社会效益指标', '流动人员和出租屋服务管理工作考核结果', '指标值=流动人员和出租屋服务考核结果', '良以上'),
    (41, '效益指标', '社会效益指标', '居家养老服务补贴发放目标实现情况', '指标值=有效实现目标', '有效发放居家养老服务补贴'),
    (42, '效益指标', '生态效益指标', '生活垃圾资源化利用率', '指标值=(可回收物回收量+其他垃圾处理量×0.8+厨余垃圾资源化利用量×0.9)/四类垃圾处理总量×100%', ''),
    (43, '效益指标', '生态效益指标', '区域绿化覆盖率', '区域绿化覆盖率=辖区内绿化覆盖面积/辖区面积×100%', '20%以上'),
    (44, '满意度指标', '服务对象满意度指标', '享受居家养老服务的长者满意度', '通过问卷调查、访谈等方式了解满意度。', '90%以上'),
    (45, '满意度指标', '服务对象满意度指标', '志愿者队伍满意度', '满意度', '90%以上'),
    (46, '满意度指标', '服务对象满意度指标', '窗口服务满意度', '通过窗口服务评价系统了解窗口服务满意度', '90%以上'),
    (47, '成本指标', '经济成本指标', '工程支出符合定额标准情况', '指标值=是/否符合', '是'),
    (48, '成本指标', '社会成本指标', None, '', ''),
    (49, '成本指标', '生态环境成本指标', None, '', ''),
]


def _text(cell: object) -> str | None:
    return None if cell is None else getattr(cell, "text")  # noqa: B009


def test_the_seed_has_25_indicators_and_2_empty_categories(seed: Form) -> None:
    assert len(seed.indicators) == 27
    assert sum(1 for r in seed.indicators if r.level3 is not None) == 25
    assert [r.level2.text for r in seed.indicators if r.level3 is None and r.level2] == [
        "社会成本指标",
        "生态环境成本指标",
    ]


@pytest.mark.parametrize("expected", EXPECTED, ids=[str(e[3] or e[2]) for e in EXPECTED])
def test_seed_row(seed: Form, expected: tuple[int, str, str, str | None, str, str]) -> None:
    row_number, level1, level2, level3, formula, target = expected
    row = next(r for r in seed.indicators if r.row == row_number)
    got = (row.row, _text(row.level1), _text(row.level2), _text(row.level3), _text(row.formula), _text(row.target))
    assert got == expected
    assert row.period_target is None  # the 实施周期指标值 column holds formulas in this form


def test_rows_are_in_file_order_with_indices(seed: Form) -> None:
    assert [r.row for r in seed.indicators] == [e[0] for e in EXPECTED]
    assert [r.index for r in seed.indicators] == list(range(27))


def test_every_cell_keeps_its_file_location(seed: Form) -> None:
    first = seed.indicators[0]
    assert first.level1 is not None and first.level1.location == Location(source=NAME, row=23, column=2)
    assert first.level3 is not None and first.level3.location == Location(source=NAME, row=23, column=4)
    assert first.formula is not None and first.formula.location is not None
    assert first.formula.location.cell == "E23"
    assert first.target is not None and first.target.location is not None
    assert first.target.location.cell == "F23"


@pytest.mark.parametrize(
    ("row_number", "field", "cell"),
    [
        (42, "level2", "D42"),  # 生态效益指标 moved left from the level-3 column
        (42, "level3", "E42"),
        (42, "formula", "F42"),
        (43, "level3", "C43"),
        (43, "formula", "D43"),
        (43, "target", "E43"),
        (44, "level1", "A44"),
        (46, "level3", "B46"),
        (46, "formula", "D46"),
        (46, "target", "E46"),
        (47, "level1", "A47"),
        (47, "target", "E47"),
        (48, "level2", "B48"),
    ],
    ids=lambda v: str(v),
)
def test_moved_cells_keep_their_original_location(seed: Form, row_number: int, field: str, cell: str) -> None:
    row = next(r for r in seed.indicators if r.row == row_number)
    value = getattr(row, field)
    assert value is not None and value.location is not None
    assert value.location.cell == cell


def test_inheritance_is_recorded(seed: Form) -> None:
    by_row = {r.row: r for r in seed.indicators}
    assert by_row[23].inherited == ()
    assert by_row[24].inherited == ("level1", "level2")
    assert by_row[31].inherited == ("level1",)  # 质量指标 written, 产出指标 inherited
    assert by_row[43].inherited == ("level1", "level2")  # inherits the realigned 生态效益指标 of row 42
    assert by_row[46].inherited == ("level1", "level2")
    assert by_row[48].inherited == ("level1",)
    inherited_l1 = by_row[24].level1
    assert inherited_l1 is not None and inherited_l1.location is not None and inherited_l1.location.cell == "B23"


def test_the_table_label_is_kept_not_lost(seed: Form) -> None:
    assert [c.text for c in seed.indicators[0].extra] == ["绩效指标"]
    assert all(not r.extra for r in seed.indicators[1:])


def test_missing_target_of_a_shifted_row_is_an_empty_cell(seed: Form) -> None:
    row = next(r for r in seed.indicators if r.row == 42)
    assert row.target is not None and row.target.empty
    assert row.target.location is not None and row.target.location.cell == "F42"


def test_seed_import_diagnostics(seed: Form) -> None:
    realigned = [d for d in seed.diagnostics if d.code == "IND503"]
    assert [d.location.row if d.location else None for d in realigned] == [22, 22, 42, 43, 44, 46, 47, 48, 49]
    assert all(d.severity is Severity.INFO for d in seed.diagnostics)
    assert [d.code for d in seed.diagnostics] == ["IND503"] * 9
    header_shift, period = realigned[0], realigned[1]
    assert "向右移动 1 列" in header_shift.message and header_shift.data == {"shift": 1}
    assert "实施周期指标值" in period.message and "计算公式" in period.message
    row46 = realigned[5]
    assert row46.indicator == "窗口服务满意度"
    assert row46.data["moves"] == [
        "“窗口服务满意度”从一级指标栏移到三级指标栏",
        "“通过窗口服务评价系统了解窗口服务满意度”从三级指标栏移到计算公式栏",
        "“90%以上”从计算公式栏移到年度指标值栏",
    ]


def test_seed_upper_blocks(seed: Form) -> None:
    assert seed.kind is FormKind.DECLARED
    assert seed.source == NAME
    assert seed.title == "部门整体预算绩效目标申报表"
    assert seed.department is not None and seed.department.text == "番禺区人民政府小谷围街道办事处"
    assert seed.department.location == Location(source=NAME, row=5, column=2)
    assert seed.overall_goal is not None and seed.overall_goal.text.startswith("一是推动“百千万工程”走深走实")
    assert seed.other_tasks is None
    assert seed.notes == ()


BUDGET = [
    (BudgetGroup.SPENDING, "基本支出", "5786.45", "C7"),
    (BudgetGroup.INCOME, "财政拨款", "17045.54", "E7"),
    (BudgetGroup.SPENDING, "项目支出", "9222.67", "C8"),
    (BudgetGroup.INCOME, "其他资金", "30.00", "E8"),
    (BudgetGroup.DEVELOPMENT, "财政专项资金", "0.00", "C10"),
    (BudgetGroup.LEVEL, "区本级使用资金", "17045.54", "E10"),
    (BudgetGroup.DEVELOPMENT, "其他事业发展性支出", "2036.41", "C11"),
    (BudgetGroup.LEVEL, "拟用于对下转移支付资金", "0.00", "E11"),
]


def test_seed_budget_block_is_decimal_wan_yuan(seed: Form) -> None:
    got = [
        (b.group, b.label, b.amount, b.cell.location.cell if b.cell and b.cell.location else None)
        for b in seed.budget
    ]
    assert got == [(g, label, Decimal(a), cell) for g, label, a, cell in BUDGET]
    assert all(b.unit == "万元" and isinstance(b.amount, Decimal) for b in seed.budget)
    assert seed.budget_amount("基本支出") == Decimal("5786.45")


def test_seed_key_tasks(seed: Form) -> None:
    got = [(t.name.text, t.funds) for t in seed.tasks]
    assert got == [
        ("社工服务站购买服务经费", Decimal("32.40")),
        ("教育补助经费", Decimal("90.00")),
        ("市政环卫保洁及绿化养护经费", Decimal("1152.50")),
        ("安保经费", Decimal("145.00")),
        ("长者长寿保健金财政补贴项目", Decimal("90.05")),
        ("镇街、村居级社区养老服务设施运营和奖励经费", Decimal("54.95")),
    ]
    first = seed.tasks[0]
    assert first.content is not None and first.content.text.startswith("开展社工服务站购买服务工作")
    assert first.expected is not None and first.expected.location is not None
    assert first.expected.location.cell == "E14"
    assert first.funds_cell is not None and first.funds_cell.text == "32.40"


def test_fallback_taxonomy_reads_the_seed_the_same(seed: Form) -> None:
    assert read_form(SEED, catalog=_Fallback(), use_parsers=False) == seed


def test_sibling_parsers_do_not_change_the_seed(seed: Form) -> None:
    """With the formula and target parsers consulted (when present), the seed reads the same."""
    assert read_form(SEED) == seed


def test_rows_are_indicator_rows(seed: Form) -> None:
    assert all(isinstance(r, IndicatorRow) for r in seed.indicators)
