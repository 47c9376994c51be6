"""Scoring that fits the form: policy by form type, weights written on the form, 定性 bands on every
judged row, deviations, the 预算执行率 line, rescaling, and the dispatch by target kind."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from indicators.cli.app import main
from indicators.forms import read_form, read_form_text
from indicators.forms.model import Form
from indicators.scoring import BudgetExecution, Policy, load_policy, read_actuals_text, score_form
from indicators.scoring.kinds import HANDLERS
from indicators.target.model import TargetKind

D = Decimal
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
MakeForm = Callable[..., Form]
HEADER = "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因"


def sheet_of(*rows: str, above: str = "", policy: Policy | None = None):  # type: ignore[no-untyped-def]
    text = "\n".join([*([above] if above else []), HEADER, *rows]) + "\n"
    return score_form(read_form_text(text, source="t.tsv"), policy=policy)


def test_every_target_kind_has_a_rule() -> None:
    assert set(HANDLERS) == set(TargetKind)


def test_printed_level1_points_win() -> None:
    rows = [f"产出指标(70分)\t数量指标\t产出{i}\t≥1个\t1个\t\t\t" for i in range(3)]
    rows += [f"效益指标(20分)\t社会效益指标\t效益{i}\t≥1个\t1个\t\t\t" for i in range(2)]
    rows.append("预算执行率\t预算执行率\t预算执行率\t100%\t100%\t10\t\t")
    sheet = sheet_of(*rows)
    assert [str(line.weight) for line in sheet.lines] == ["23.34", "23.33", "23.33", "10.00", "10.00", "10"]
    assert {line.weight_source for line in sheet.lines[:5]} == {"split"}
    assert sheet.weight_total == 100
    assert [d.code for d in sheet.diagnostics] == ["IND815", "IND815"]


def test_printed_points_can_be_ignored_by_the_policy(make_form: MakeForm) -> None:
    data = load_policy().model_dump()
    data["level3_weights"]["level1_from_form"] = False
    rows = [("产出指标(70分)", "数量指标", "甲", "f", "≥1")]
    sheet = score_form(make_form(rows), policy=Policy.model_validate(data))
    assert sheet.lines[0].weight == 50
    printed = sheet_of("产出指标(70分)\t数量指标\t甲\t≥1个\t1个\t\t\t", policy=Policy.model_validate(data))
    assert printed.lines[0].weight == 50


@pytest.mark.parametrize(
    ("written", "weight"), [("20%", "14"), ("２０％", "14"), ("8分", "8"), ("8.5", "8.5")]
)
def test_a_row_weight_as_points_or_a_share_of_the_level1_points(written: str, weight: str) -> None:
    sheet = sheet_of(f"产出指标(70分)\t数量指标\t甲\t≥1个\t1个\t{written}\t\t")
    assert str(sheet.lines[0].weight) == weight


def test_a_percentage_weight_without_a_share_is_unreadable() -> None:
    sheet = sheet_of("自定指标\t数量指标\t甲\t≥1个\t1个\t20%\t\t")
    assert [d.code for d in sheet.lines[0].diagnostics][:1] == ["IND810"]


def test_rows_without_a_weight_split_the_rest_with_a_note() -> None:
    sheet = sheet_of(
        "产出指标(50分)\t数量指标\t甲\t≥1个\t1个\t20\t\t",
        "产出指标(50分)\t数量指标\t乙\t≥1个\t1个\t\t\t",
        "产出指标(50分)\t数量指标\t丙\t≥1个\t1个\t\t\t",
    )
    assert [str(line.weight) for line in sheet.lines] == ["20", "15.00", "15.00"]
    assert [d.code for d in sheet.diagnostics][:1] == ["IND815"]


def test_a_form_without_satisfaction_is_graded_on_its_total_rescaled() -> None:
    sheet = sheet_of(
        "产出指标(50分)\t数量指标\t甲\t≥100人\t90人\t50\t\t原因",
        "效益指标(30分)\t社会效益指标\t乙\t≥1个\t1个\t30\t\t",
    )
    assert (str(sheet.total), str(sheet.weight_total)) == ("75.00", "80")
    assert str(sheet.scaled_total) == "93.75"
    assert sheet.grade == "优"  # 75 of 100 would be 中
    note = next(d for d in sheet.diagnostics if d.code == "IND818")
    assert "预算执行率" in note.message
    assert not [d for d in sheet.diagnostics if d.code == "IND803"]


def test_satisfaction_under_benefits_is_named() -> None:
    sheet = sheet_of(
        "产出指标\t数量指标\t甲\t≥1个\t1个\t50\t\t",
        "效益指标\t社会效益指标\t乙\t≥1个\t1个\t20\t\t",
        "效益指标\t服务对象满意度指标\t丙\t≥90%\t95%\t10\t\t",
        "预算执行率\t预算执行率\t预算执行率\t100%\t100%\t10\t\t",
    )
    assert [d.code for d in sheet.diagnostics] == ["IND824", "IND818"]


def test_the_policy_and_title_follow_the_form_type(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed = EXAMPLES / "xiaoguwei-declared.txt"
    sheet = score_form(read_form(seed))
    assert (sheet.policy, sheet.form_type, sheet.sheet_title) == (
        "department",
        "department",
        "部门整体支出绩效自评表",
    )
    assert main(["score", str(seed), "--actuals", str(EXAMPLES / "xiaoguwei-actuals.csv")]) == 0
    assert "部门整体支出绩效自评表" in capsys.readouterr().out
    out = tmp_path / "s.xlsx"
    args = [
        "score",
        str(seed),
        "--actuals",
        str(EXAMPLES / "xiaoguwei-actuals.csv"),
        "--format",
        "xlsx",
        "-o",
    ]
    assert main([*args, str(out)]) == 0
    from openpyxl import load_workbook

    title = load_workbook(out).active.cell(row=1, column=1).value  # type: ignore[union-attr]
    assert str(title).startswith("部门整体支出绩效自评表")
    project = score_form(read_form(EXAMPLES / "selfeval-S45.tsv"))
    assert (project.policy, project.sheet_title) == ("project-2020", "项目支出绩效自评表")
    chosen = score_form(read_form(seed), policy=load_policy("reverse-ratio"))
    assert chosen.policy == "reverse-ratio"


def test_a_budget_of_150_wan_scores_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    actuals = tmp_path / "a.csv"
    actuals.write_text('三级指标,实际完成值\n全年预算数,150万\n全年执行数,"1,200,000元"\n', encoding="utf-8")
    seed = str(EXAMPLES / "xiaoguwei-declared.txt")
    assert main(["score", seed, "--actuals", str(actuals), "--format", "json"]) == 0
    assert '"actual": "80.00%"' in capsys.readouterr().out


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("150万", "150"),
        ("150万元", "150"),
        ("1,234.56", "1234.56"),
        ("1,500,000元", "150"),
        ("０.５亿元", "5000"),
    ],
)
def test_amounts_in_yuan_and_wan_read_exactly(text: str, amount: str) -> None:
    actuals = read_actuals_text(f'三级指标,实际完成值\n全年预算数,"{text}"\n')
    assert actuals.budget is not None
    assert str(actuals.budget.total) == amount


@pytest.mark.parametrize(
    ("target", "actual", "chosen", "score", "codes"),
    [
        ("及时", "及时", "9", "9.00", []),  # met: the unit's 9 inside [8, 10] stands
        ("及时", "及时", "5", "10.00", ["IND804"]),  # met but scored in the 未达成 band
        ("是", "否", "4", "4.00", ["IND816"]),  # missed: 4 inside [0, 6) stands; a reason is due
        ("是", "否", "9", "0.00", ["IND804", "IND816"]),
        ("12月底前完成", "11月30日", "8", "8.00", []),
        ("优", "良好", "7.5", "7.50", ["IND816"]),  # one level short: the 部分达成 band
        (
            "效果明显",
            "社会反响良好",
            "8.5",
            "8.50",
            ["IND822"],
        ),  # not judged: the unit's score names the band
    ],
    ids=lambda v: str(v),
)
def test_every_qualitative_row_gets_the_three_bands(
    target: str, actual: str, chosen: str, score: str, codes: list[str]
) -> None:
    sheet = sheet_of(f"产出指标\t质量指标\t甲\t{target}\t{actual}\t10\t{chosen}\t")
    line = sheet.lines[0]
    assert str(line.score) == score
    assert [d.code for d in line.diagnostics if d.code not in ("IND218",)] == codes
    assert line.band is not None


def test_a_restated_bound_scores_the_value_it_guarantees() -> None:
    line = sheet_of("产出指标\t质量指标\t甲\t≥85%\t≥80%\t10\t\t原因").lines[0]
    assert str(line.score) == "9.41"  # 80 ÷ 85 × 10
    assert "IND219" in [d.code for d in line.diagnostics]


def test_counts_of_different_things_are_not_compared() -> None:
    line = sheet_of("产出指标\t数量指标\t甲\t≥50只\t50头\t10\t\t").lines[0]
    assert line.status.value == "invalid"
    assert [d.code for d in line.diagnostics] == ["IND807"]
    assert "头" in line.diagnostics[0].message


def test_the_overshoot_deduction_is_a_policy_option() -> None:
    row = "产出指标\t数量指标\t甲\t≥100人次\t200人次\t10\t\t目标偏低"
    assert str(sheet_of(row).lines[0].score) == "10.00"  # off by default
    data = load_policy().model_dump()
    data["overshoot"]["deduct_rate"] = D("0.2")
    line = sheet_of(row, policy=Policy.model_validate(data)).lines[0]
    assert str(line.score) == "8.00"  # 0.2 × (200 ÷ 100 − 1) of 10
    assert [d.code for d in line.diagnostics] == ["IND821"]


@pytest.mark.parametrize(
    ("denominator", "figures", "score", "codes"),
    [
        ("adjusted", BudgetExecution(total=D(200), executed=D(150), initial=D(160)), "7.50", []),
        ("initial", BudgetExecution(total=D(200), executed=D(150), initial=D(160)), "9.38", []),
        ("initial", BudgetExecution(total=D(200), executed=D(150)), "7.50", ["IND819"]),
        ("initial", BudgetExecution(total=D(200), executed=D(180), initial=D(160)), "10.00", ["IND817"]),
    ],
    ids=["全年预算数", "年初预算数", "年初预算数 missing", "above 年初预算数"],
)
def test_the_budget_denominator_the_policy_names(
    make_form: MakeForm, denominator: str, figures: BudgetExecution, score: str, codes: list[str]
) -> None:
    data = load_policy().model_dump()
    data["budget_execution"]["denominator"] = denominator
    form = make_form([("产出指标", "数量指标", "甲", "f", "≥1")])
    sheet = score_form(form, policy=Policy.model_validate(data), budget=figures)
    assert sheet.budget_line is not None
    assert str(sheet.budget_line.score) == score
    assert [d.code for d in sheet.budget_line.diagnostics] == codes


def test_a_low_rate_needs_a_reason_where_the_policy_says_so(make_form: MakeForm) -> None:
    data = load_policy().model_dump()
    data["budget_execution"]["reason_below"] = D("0.9")
    form = make_form([("产出指标", "数量指标", "甲", "f", "≥1")])
    sheet = score_form(
        form, policy=Policy.model_validate(data), budget=BudgetExecution(total=D(100), executed=D(85))
    )
    assert sheet.budget_line is not None
    assert [d.code for d in sheet.budget_line.diagnostics] == ["IND823"]


def test_a_self_evaluation_without_a_budget_line_gets_none() -> None:
    sheet = sheet_of("产出指标\t数量指标\t甲\t≥1个\t1个\t90\t\t")
    assert sheet.budget_lines == ()
    # 产出 alone with 90 points: what is missing (效益 30, 满意度 10, 预算执行率 10) does not explain it
    assert [d.code for d in sheet.diagnostics] == ["IND820", "IND803", "IND818"]


def test_the_funds_table_gives_the_budget_line_and_its_weight() -> None:
    above = (
        "项目名称\t测试\n项目资金（万元）\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\n"
        "\t年度资金总额\t150万\t150\t120\t20\t80%\t16"
    )
    sheet = sheet_of("产出指标\t数量指标\t甲\t≥1个\t1个\t80\t\t", above=above)
    line = sheet.budget_line
    assert line is not None
    assert (str(line.weight), str(line.score), line.reported_score) == ("20", "16.00", D(16))
    assert sheet.weight_total == 100


def test_the_department_budget_block_is_its_initial_budget() -> None:
    from indicators.scoring.budget import form_figures

    figures = form_figures(read_form(EXAMPLES / "xiaoguwei-declared.txt"))
    assert figures is not None
    assert figures.initial == D("15009.12")  # 基本支出 5786.45 + 项目支出 9222.67
