"""Every formula cell of the seed form (examples/xiaoguwei-declared.txt), collected by hand.

The seed's indicator table has shifted rows, so the cells are listed here rather than read from the
file: (level-3 indicator, formula cell, kind, variables, sample values, worked value).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from indicators.formula import FormulaKind, evaluate, parse_formula

K = FormulaKind
ROOT = Path(__file__).resolve().parents[2]

SEED: list[tuple[str, str, FormulaKind, tuple[str, ...], dict[str, str], str | None]] = [
    ("室内外应急避难场所的服务覆盖率",
     "指标值=已覆盖应急避难场所的村(社区)/辖区村(社区)总数*100%", K.PERCENTAGE,
     ("已覆盖应急避难场所的村(社区)", "辖区村(社区)总数"),
     {"已覆盖应急避难场所的村(社区)": "4", "辖区村(社区)总数": "5"}, "80.00%"),
    ("党员参与志愿服务人次", "指标值=党员参与志愿服务人次", K.QUANTITY, ("党员参与志愿服务人次",),
     {"党员参与志愿服务人次": "126"}, "126.00"),
    ("党员教育培训完成率",
     "指标值=完成年度教育培训任务的党员数/应进行党员教育培训的党员数*100%", K.PERCENTAGE,
     ("完成年度教育培训任务的党员数", "应进行党员教育培训的党员数"),
     {"完成年度教育培训任务的党员数": "186", "应进行党员教育培训的党员数": "192"}, "96.88%"),
    ("招商引资活动开展次数", "指标值=招商引资活动举办次数", K.QUANTITY, ("招商引资活动举办次数",),
     {"招商引资活动举办次数": "3"}, "3.00"),
    ("助餐配餐补贴项目工作达标率",
     "指标值=本年度已完成的工作数量/按上级工作方案应在本年度完成的工作数量*100%", K.PERCENTAGE,
     ("本年度已完成的工作数量", "按上级工作方案应在本年度完成的工作数量"),
     {"本年度已完成的工作数量": "19", "按上级工作方案应在本年度完成的工作数量": "20"}, "95.00%"),
    ("走访、慰问、补助生活困难党员和老党员完成率",
     "指标值=本年度走访、慰问、补助生活困难党员和老党员人数/本年度摸查审核人数", K.RATIO,
     ("本年度走访、慰问、补助生活困难党员和老党员人数", "本年度摸查审核人数"),
     {"本年度走访、慰问、补助生活困难党员和老党员人数": "58", "本年度摸查审核人数": "60"}, "0.97"),
    ("(次干道)道路清扫保洁覆盖率", "指标值=实际清扫道路数量/应清扫道路数量*100%", K.PERCENTAGE,
     ("实际清扫道路数量", "应清扫道路数量"), {"实际清扫道路数量": "42", "应清扫道路数量": "45"}, "93.33%"),
    ("在册严重精神障碍患者规范管理率",
     "指标值=纳入规范管理的检出严重精神障碍患者/登记在册严重精神障碍患者*100%", K.PERCENTAGE,
     ("纳入规范管理的检出严重精神障碍患者", "登记在册严重精神障碍患者"),
     {"纳入规范管理的检出严重精神障碍患者": "136", "登记在册严重精神障碍患者": "136"}, "100.00%"),
    ("安全隐患整改完成率", "指标值=安全隐患整改件数/安全隐患应整改总数*100%", K.PERCENTAGE,
     ("安全隐患整改件数", "安全隐患应整改总数"), {"安全隐患整改件数": "276", "安全隐患应整改总数": "290"},
     "95.17%"),
    ("“12345”热线工单办结率", "指标值=办结工单/呈办工单*100%", K.PERCENTAGE, ("办结工单", "呈办工单"),
     {"办结工单": "2,936", "呈办工单": "3,012"}, "97.48%"),
    ("长者长寿保健金补贴发放准确率", "指标值=准确发放补贴次数/补贴发放总次数*100%", K.PERCENTAGE,
     ("准确发放补贴次数", "补贴发放总次数"),
     {"准确发放补贴次数": "2460", "补贴发放总次数": "2460"}, "100.00%"),
    ("政务信息公开规范性", "指标值=按规定公开", K.STATE, (), {}, None),
    ("经济统计报表报送时效",
     "指标值=报送及时 按时完成经济统计报表报送工作即为报送及时(可参考国家统计局联网直报平台的截止时间)",
     K.STATE, (), {}, None),
    ("新增“四上”企业数量", "指标值=新增“四上”企业数量", K.QUANTITY, ("新增“四上”企业数量",),
     {"新增“四上”企业数量": "4"}, "4.00"),
    ("零就业家庭动态清零", "指标值=动态清零", K.STATE, (), {}, None),
    ("颐康服务中心(站)服务评估结果",
     "指标值=颐康服务中心(站)评估等级 颐康服务中心(站)评估等级分为优秀、良好、合格、不合格。"
     "街道在设置指标时建议比近三年实际评级有所提高或持平,若上一年度评估结果为良好以上,则需保持;"
     "若上一年度评估结果为良好以下,则需提高",
     K.GRADE, ("颐康服务中心(站)评估等级",), {}, None),
    ("社工站服务评估结果",
     "“指标值=保持/提升 社工站评估等级分为优秀、良好、合格、不合格。"
     "在设置指标时建议比近三年实际评级有所提高或持平,若上一年度评估结果为良好以上,则需保持;"
     "若上一年度评估结果为良好以下,则需提高”",
     K.STATE, (), {}, None),
    ("流动人员和出租屋服务管理工作考核结果", "指标值=流动人员和出租屋服务考核结果", K.GRADE,
     ("流动人员和出租屋服务考核结果",), {}, None),
    ("居家养老服务补贴发放目标实现情况", "指标值=有效实现目标", K.STATE, (), {}, None),
    ("生活垃圾资源化利用率",
     "指标值=(可回收物回收量+其他垃圾处理量×0.8+厨余垃圾资源化利用量×0.9)/四类垃圾处理总量×100%",
     K.PERCENTAGE,
     ("可回收物回收量", "其他垃圾处理量", "厨余垃圾资源化利用量", "四类垃圾处理总量"),
     {"可回收物回收量": "1250", "其他垃圾处理量": "3100", "厨余垃圾资源化利用量": "2400",
      "四类垃圾处理总量": "7000"},
     "84.14%"),
    ("区域绿化覆盖率", "区域绿化覆盖率=辖区内绿化覆盖面积/辖区面积×100%", K.PERCENTAGE,
     ("辖区内绿化覆盖面积", "辖区面积"),
     {"辖区内绿化覆盖面积": "168", "辖区面积": "720"}, "23.33%"),
    ("享受居家养老服务的长者满意度", "通过问卷调查、访谈等方式了解满意度。", K.SURVEY, (), {}, None),
    ("志愿者队伍满意度", "满意度", K.SURVEY, (), {}, None),
    ("窗口服务满意度", "通过窗口服务评价系统了解窗口服务满意度", K.SURVEY, (), {}, None),
    ("工程支出符合定额标准情况", "指标值=是/否符合", K.BOOLEAN, (), {}, None),
]


def test_the_table_has_the_seeds_25_cells() -> None:
    assert len(SEED) == 25
    seed = (ROOT / "examples" / "xiaoguwei-declared.txt").read_text(encoding="utf-8")
    for _name, text, *_ in SEED:
        assert text in seed


@pytest.mark.parametrize(
    ("name", "text", "kind", "variables", "values", "worked"), SEED, ids=[s[1] for s in SEED]
)
def test_seed_formula(
    name: str,
    text: str,
    kind: FormulaKind,
    variables: tuple[str, ...],
    values: dict[str, str],
    worked: str | None,
) -> None:
    formula = parse_formula(text)
    assert formula.kind is kind
    assert formula.variables() == variables
    result = evaluate(formula, values)
    if worked is None:
        assert not formula.is_arithmetic
        assert not result.ok
        assert result.diagnostics[0].code == "IND114"
    else:
        assert result.ok, result.diagnostics
        assert result.display() == worked
    # the canonical text parses back to the same tree
    if formula.expr is not None:
        assert parse_formula(formula.canonical()).expr == formula.expr


def test_percentages_carry_the_percent_unit() -> None:
    for _name, text, kind, *_ in SEED:
        assert (parse_formula(text).unit == "%") is (kind is FormulaKind.PERCENTAGE)


@pytest.mark.parametrize(
    ("text", "note"),
    [
        (SEED[12][1], "按时完成经济统计报表报送工作即为报送及时(可参考国家统计局联网直报平台的截止时间)"),
        (SEED[15][1], SEED[15][1].split(" ", 1)[1]),
        (SEED[16][1], SEED[16][1].split(" ", 1)[1].rstrip("”")),
        (SEED[0][1], None),
        (SEED[21][1], None),
    ],
    ids=lambda v: str(v)[:20],
)
def test_seed_notes(text: str, note: str | None) -> None:
    assert parse_formula(text).note == note


def test_seed_stray_quotes_warn() -> None:
    formula = parse_formula(SEED[16][1])
    assert [w.code for w in formula.warnings] == ["IND105"]
    assert formula.warnings[0].fix == SEED[16][1].strip("“”")
    assert formula.alternatives == ("保持", "提升")
    assert formula.lhs == "指标值"


def test_seed_alternatives_and_left_sides() -> None:
    boolean = parse_formula("指标值=是/否符合")
    assert boolean.alternatives == ("是", "否")
    assert boolean.expr is None
    assert boolean.canonical() == "是/否符合"
    assert parse_formula(SEED[20][1]).lhs == "区域绿化覆盖率"
    assert parse_formula("满意度").lhs is None
