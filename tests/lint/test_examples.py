"""The published tables of examples/ and the bundled seed, checked finding by finding.

Each table's findings are listed in full (code, row, column, level-3 name): a finding a reviewer would not
raise breaks the test, and so does a defect of the table that is no longer found. The comment beside each
finding says why a reviewer raises it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from indicators.diagnostics import Diagnostic, Severity
from indicators.forms import read_form
from indicators.lint import lint_form

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"

Finding = tuple[str, int | None, int | None, str | None]

EXPECTED: dict[str, list[Finding]] = {
    "declared-S11.tsv": [
        ("IND618", 2, 4, "雾炮车降尘抑尘服务配备车辆数"),  # no explanation column filled: one note
        ("IND631", 4, 5, "服务周期内空气质量"),  # 优良 with no standard for the grades
        ("IND627", 6, 5, "控制在预算成本内"),  # 250万 under 成本指标, no ceiling written
        ("IND628", 7, 2, "服务周期内,市民对空气质量改善的满意程度"),  # a satisfaction under 社会效益指标
        ("IND638", 7, 3, "服务周期内,市民对空气质量改善的满意程度"),  # no survey method
        ("IND638", 8, 3, "市民满意度"),  # no survey method
    ],
    "declared-S12.tsv": [
        ("IND611", None, None, None),  # a 2022 项目支出 table without 成本指标
        ("IND618", 2, 4, "本年度创业担保贷款发放额"),
        ("IND638", 8, 3, "申报定向费用补贴金融机构满意度"),
    ],
    "declared-S22.tsv": [
        ("IND618", 2, 4, "脱贫村村内道路硬化里程"),
        ("IND223", 5, 5, "项目(工程)完成及时率"),  # ≥100% on a rate: a note that it means reaching 100%
        ("IND627", 6, 5, "财政资金补助"),  # 1600元/亩 under 成本指标, no ceiling written
        ("IND638", 13, 3, "受益脱贫(监测)户满意度"),
    ],
    "xiaoguwei-declared.txt": [
        ("IND701", 7, 3, None),  # 其他资金 30.00 has no spending line
        ("IND705", 10, 5, None),
        ("IND705", 14, 4, None),
        ("IND503", 22, 1, None),
        ("IND503", 22, 1, None),
        ("IND604", 23, 6, "室内外应急避难场所的服务覆盖率"),  # a percentage formula, a count target
        ("IND614", 28, 4, "走访、慰问、补助生活困难党员和老党员完成率"),  # ×100% missing against the catalog
        ("IND410", 38, 6, "颐康服务中心(站)服务评估结果"),
        ("IND615", 39, 5, "社工站服务评估结果"),
        ("IND410", 39, 6, "社工站服务评估结果"),
        ("IND603", 41, 6, "居家养老服务补贴发放目标实现情况"),  # 有效发放…: 有效 sets no level
        ("IND503", 42, 4, "生活垃圾资源化利用率"),
        ("IND602", 42, 6, "生活垃圾资源化利用率"),  # the shifted row lost its target
        ("IND503", 43, 3, "区域绿化覆盖率"),
        ("IND503", 44, 1, "享受居家养老服务的长者满意度"),
        ("IND638", 45, 4, "志愿者队伍满意度"),  # the explanation only says 满意度
        ("IND503", 46, 2, "窗口服务满意度"),
        ("IND503", 47, 1, "工程支出符合定额标准情况"),
        ("IND503", 48, 2, None),
        ("IND610", 48, 2, None),  # 社会成本指标 printed empty
        ("IND503", 49, 2, None),
        ("IND610", 49, 2, None),  # 生态环境成本指标 printed empty
    ],
    "selfeval-S01.tsv": [
        ("IND611", None, None, None),  # no 满意度指标
        ("IND618", 2, 3, "基建工程委托业务项目数量"),
        ("IND223", 3, 4, "委托业务报告合格率"),
        ("IND626", 7, 4, "单项业务成本"),  # 符合相关规定 is no cost
        ("IND603", 8, 4, "对维护基建市场公平的影响程度"),  # 效果明显
        ("IND603", 9, 4, "对控制基建项目成本影响程度"),
        ("IND603", 10, 4, "对推动基建项目“四项制度”健全和落实的持续性影响"),
    ],
    "selfeval-S14.tsv": [
        ("IND618", 2, 3, "学生受资助人数"),
        ("IND603", 6, 4, "减轻贫困学生家庭经济负担"),  # 有效
        ("IND638", 9, 3, "学生满意度"),
        ("IND638", 10, 3, "家长满意度"),
    ],
    "selfeval-S16.tsv": [
        ("IND619", 2, 1, "指标6:举办健康教育宣传咨询活动"),  # the category cells were lost in extraction
        ("IND618", 2, 3, "指标6:举办健康教育宣传咨询活动"),
        ("IND630", 21, 4, "指标25:家庭医生签约率"),  # a 签约率 of 24694人
    ],
    "selfeval-S45.tsv": [
        ("IND611", None, None, None),  # no 成本指标
        ("IND618", 2, 3, "与委托运营方结算完成率"),
        ("IND638", 6, 3, "场馆开放满意度"),
    ],
}

#: the errors of each table: only defects that a reviewer returns the form for
ERRORS = {
    "xiaoguwei-declared.txt": {"IND701", "IND604", "IND602"},
}


def _findings(name: str) -> list[Diagnostic]:
    return lint_form(read_form(EXAMPLES / name))


def _key(d: Diagnostic) -> Finding:
    loc = d.location
    return (d.code, loc.row if loc else None, loc.column if loc else None, d.indicator)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_finding_of_the_table(name: str) -> None:
    assert [_key(d) for d in _findings(name)] == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_only_the_listed_errors(name: str) -> None:
    errors = {d.code for d in _findings(name) if d.severity is Severity.ERROR}
    assert errors == ERRORS.get(name, set())


def test_every_example_table_is_listed() -> None:
    tables = {p.name for p in EXAMPLES.iterdir() if p.name.startswith(("declared-", "selfeval-"))}
    assert tables | {"xiaoguwei-declared.txt"} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_findings_are_hinted_and_located_in_the_table(name: str) -> None:
    for d in _findings(name):
        assert d.message
        if d.code.startswith(("IND6", "IND7")) and d.code != "IND705":
            assert d.hint, d
        if d.location is not None and d.location.row is not None:
            assert d.location.source == name
