"""Every target and actual value of the published tables in examples/*.tsv, read as a reviewer reads them.

The files are split by hand (tab-separated, one header line) so this test depends on the target language
only. For each row the table below says how the target reads (its canonical text) and, on a
self-evaluation table, the verdict on the 实际完成值. The 指标性质 and 度量单位 of selfeval-S14 are not
columns of the file (its 备注 records them); they are given here as the form printed them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from indicators.target import OutcomeStatus, parse_actual, parse_target
from indicators.target.operators import with_operator

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
MET, NOT_MET = OutcomeStatus.MET, OutcomeStatus.NOT_MET

# (file, level-3 name) → (canonical target, verdict or None on a declared table)
EXPECTED: dict[tuple[str, str], tuple[str, OutcomeStatus | None]] = {
    ("declared-S11.tsv", "雾炮车降尘抑尘服务配备车辆数"): ("≥10辆", None),
    ("declared-S11.tsv", "雾炮车风炮射程"): ("≥80M", None),
    ("declared-S11.tsv", "服务周期内空气质量"): ("良以上", None),
    ("declared-S11.tsv", "服务周期"): ("2023年7月-2024年1月", None),
    ("declared-S11.tsv", "控制在预算成本内"): ("≤250万", None),
    ("declared-S11.tsv", "服务周期内,市民对空气质量改善的满意程度"): ("≥85%", None),
    ("declared-S11.tsv", "市民满意度"): ("≥90%", None),
    ("declared-S12.tsv", "本年度创业担保贷款发放额"): ("≥4000万元", None),
    ("declared-S12.tsv", "创业担保贷款回收率"): ("≥90%", None),
    ("declared-S12.tsv", "资金足额拨付率"): ("≥100%", None),
    ("declared-S12.tsv", "地方配套资金到位率"): ("≥100%", None),
    ("declared-S12.tsv", "创业担保基金放大倍数"): ("≥2倍", None),
    ("declared-S12.tsv", "金融机构网点覆盖率"): ("≥60%", None),
    ("declared-S12.tsv", "申报定向费用补贴金融机构满意度"): ("≥80%", None),
    ("declared-S22.tsv", "脱贫村村内道路硬化里程"): ("≥100公里", None),
    ("declared-S22.tsv", "脱贫户供水设施数量"): ("≥20座", None),
    ("declared-S22.tsv", "项目(工程)验收合格率"): ("≥100%", None),
    ("declared-S22.tsv", "项目(工程)完成及时率"): ("≥100%", None),
    ("declared-S22.tsv", "财政资金补助"): ("≤1600元/亩", None),
    ("declared-S22.tsv", "年增粮食"): ("≥3500公斤", None),
    ("declared-S22.tsv", "受益脱贫(监测)人口数"): ("≥500人", None),
    ("declared-S22.tsv", "解决脱贫(监测)饮水安全问题人数"): ("≥1000人", None),
    ("declared-S22.tsv", "新增和改善灌溉达标面积"): ("≥500亩", None),
    ("declared-S22.tsv", "新增和改善排水达标面积"): ("≥200亩", None),
    ("declared-S22.tsv", "工程设计使用年限"): ("≥20年", None),
    ("declared-S22.tsv", "受益脱贫(监测)户满意度"): ("≥95%", None),
    ("selfeval-S01.tsv", "基建工程委托业务项目数量"): ("≥50个", MET),
    ("selfeval-S01.tsv", "委托业务报告合格率"): ("≥100%", MET),
    ("selfeval-S01.tsv", "经费支出合规性"): ("严格执行相关制度规定", MET),
    ("selfeval-S01.tsv", "提交报告及时性"): ("在项目计划完成时间内完成", MET),
    ("selfeval-S01.tsv", "项目总成本"): ("≤90万元", MET),
    ("selfeval-S01.tsv", "单项业务成本"): ("符合相关规定", MET),
    ("selfeval-S01.tsv", "对维护基建市场公平的影响程度"): ("效果明显", MET),
    ("selfeval-S01.tsv", "对控制基建项目成本影响程度"): ("效果明显", MET),
    ("selfeval-S01.tsv", "对推动基建项目“四项制度”健全和落实的持续性影响"): ("效果明显", MET),
    ("selfeval-S14.tsv", "学生受资助人数"): ("≥735人次", MET),
    ("selfeval-S14.tsv", "营养改善计划覆盖率"): ("≥100%", MET),
    ("selfeval-S14.tsv", "资金到位及时率"): ("≥100%", MET),
    ("selfeval-S14.tsv", "生均补助标准达标率"): ("=100%", MET),
    ("selfeval-S14.tsv", "减轻贫困学生家庭经济负担"): ("有效", MET),
    ("selfeval-S14.tsv", "政策知晓率"): ("=100%", NOT_MET),
    ("selfeval-S14.tsv", "促进学校教育事业健康发展"): ("≥100%", MET),
    ("selfeval-S14.tsv", "学生满意度"): ("≥95%", MET),
    ("selfeval-S14.tsv", "家长满意度"): ("≥95%", MET),
    ("selfeval-S16.tsv", "指标6:举办健康教育宣传咨询活动"): ("≥12次", MET),
    ("selfeval-S16.tsv", "指标7:建立预防接种证"): ("≥221人", MET),
    ("selfeval-S16.tsv", "指标8:适龄儿童疫苗接种率"): ("≥100.00%", NOT_MET),
    ("selfeval-S16.tsv", "指标9:0-6岁儿童健康管理数"): ("≥2089人", MET),
    ("selfeval-S16.tsv", "指标10:0-6岁儿童眼保健操覆盖数"): ("≥2089人", MET),
    ("selfeval-S16.tsv", "指标11:新生入访视数"): ("≥214人", MET),
    ("selfeval-S16.tsv", "指标12:孕产妇7天访视数"): ("≥214人", NOT_MET),
    ("selfeval-S16.tsv", "指标13:孕产妇42天访视数"): ("≥214人", NOT_MET),
    ("selfeval-S16.tsv", "指标14:早孕建册数"): ("≥120人", NOT_MET),
    ("selfeval-S16.tsv", "指标15:老年人体检数"): ("≥5662人", NOT_MET),
    ("selfeval-S16.tsv", "指标16:高血压规范管理数"): ("≥3807人", NOT_MET),
    ("selfeval-S16.tsv", "指标17:高血压随访控制数"): ("≥3807人", NOT_MET),
    ("selfeval-S16.tsv", "指标18:糖尿病规范管理数"): ("≥863人", NOT_MET),
    ("selfeval-S16.tsv", "指标19:糖尿病随访控制数"): ("≥863人", NOT_MET),
    ("selfeval-S16.tsv", "指标20:严重精神障碍患者管理数"): ("≥212人", NOT_MET),
    ("selfeval-S16.tsv", "指标21:肺结核健康规范管理数"): ("≥8例", MET),
    ("selfeval-S16.tsv", "指标22:老年人中医药规范管理数"): ("≥5662人", NOT_MET),
    ("selfeval-S16.tsv", "指标23:0-36月龄中医药规范管理数"): ("≥1228人", NOT_MET),
    ("selfeval-S16.tsv", "指标24:传染病及突发公共卫生事件报告 数"): ("≥14例", MET),
    ("selfeval-S16.tsv", "指标25:家庭医生签约率"): ("≥24694人", NOT_MET),
    ("selfeval-S45.tsv", "与委托运营方结算完成率"): ("=100%", MET),
    ("selfeval-S45.tsv", "合同结算条款完成率"): ("=100%", MET),
    ("selfeval-S45.tsv", "费用结算及时性"): ("及时", MET),
    ("selfeval-S45.tsv", "与委托运营方合同完成率"): ("=100%", MET),
    ("selfeval-S45.tsv", "场馆开放满意度"): ("≥90%", MET),
    # budget lines: 全年预算数 against 全年执行数 (not a target proper, but it must read)
    ("selfeval-S45.tsv", "年度资金总额 (全年预算数→全年执行数, 元)"): ("≥250000.00", NOT_MET),
    ("selfeval-S45.tsv", "年度资金总额 (援滇对口支援及结对帮扶经费, 元)"): ("≥20000.00", NOT_MET),
}

#: selfeval-S14 prints 指标性质 and 度量单位 in columns the file keeps only in its 备注
S14_COLUMNS: dict[str, tuple[str, str]] = {
    "学生受资助人数": ("≧", "人次"),
    "营养改善计划覆盖率": ("≧", "%"),
    "资金到位及时率": ("≧", "%"),
    "生均补助标准达标率": ("═", "%"),
    "政策知晓率": ("═", "%"),
    "促进学校教育事业健康发展": ("≧", "%"),
    "学生满意度": ("≧", "%"),
    "家长满意度": ("≧", "%"),
}


def _rows() -> list[tuple[str, dict[str, str]]]:
    rows: list[tuple[str, dict[str, str]]] = []
    for path in sorted(EXAMPLES.glob("*-S*.tsv")):
        lines = path.read_text(encoding="utf-8").splitlines()
        header = lines[0].split("\t")
        for line in lines[1:]:
            if line.strip():
                rows.append((path.name, dict(zip(header, line.split("\t"), strict=False))))
    return rows


ROWS = _rows()


def test_every_row_has_an_expectation() -> None:
    assert {(name, row["三级指标"]) for name, row in ROWS} == set(EXPECTED)
    assert len(ROWS) == len(EXPECTED)


@pytest.mark.parametrize(("name", "row"), ROWS, ids=[f"{n}:{r['三级指标']}" for n, r in ROWS])
def test_published_row(name: str, row: dict[str, str]) -> None:
    canonical, verdict = EXPECTED[(name, row["三级指标"])]
    text, unit = row["年度指标值"], row.get("计量单位") or None
    if name == "selfeval-S14.tsv" and row["三级指标"] in S14_COLUMNS:
        operator, unit = S14_COLUMNS[row["三级指标"]]
        text = with_operator(text, operator)
    target = parse_target(text, unit=unit, level1=row["一级指标"] or None, level2=row["二级指标"] or None,
                          indicator=row["三级指标"])
    assert target.canonical() == canonical
    # no unit is unreadable or unknown in a published table
    assert not [w for w in target.warnings if w.code in ("IND301", "IND303")]
    if verdict is not None:
        actual = parse_actual(row["实际完成值"], unit=unit)
        outcome = target.evaluate(actual)
        assert outcome.status == verdict, outcome.explanation
        assert not [d for d in outcome.diagnostics if d.code in ("IND301", "IND303")]


def test_a_restated_actual_in_the_published_tables_is_noted() -> None:
    """selfeval-S14 reports 有效 for the target 有效: met, and counted as a restatement."""
    row = next(r for n, r in ROWS if r["三级指标"] == "减轻贫困学生家庭经济负担")
    outcome = parse_target(row["年度指标值"]).evaluate(row["实际完成值"])
    assert "IND218" in [d.code for d in outcome.diagnostics]
