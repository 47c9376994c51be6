"""score_form on forms built directly: each kind of row, each policy option, every error path."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.forms.model import Form
from indicators.scoring import BudgetExecution, load_policy, read_actuals_text, score_form
from indicators.scoring.policy import Policy
from indicators.scoring.sheet import LineStatus, ScoreSheet

D = Decimal
MakeForm = Callable[..., Form]
POLICY = load_policy()


def one_row(
    make_form: MakeForm,
    target: str,
    actual: str,
    *,
    formula: str = "指标值=完成数",
    weight: str = "10",
    extra: str = "",
    unit: str | None = None,
    policy: Policy = POLICY,
    prior: dict[str, str] | None = None,
) -> ScoreSheet:
    form = make_form([("产出指标", "数量指标", "指标甲", formula, target, weight, unit)])
    header = "三级指标,实际完成值,得分,偏差原因\n"
    actuals = read_actuals_text(header + f'指标甲,"{actual}",{extra}\n', source="actuals.csv")
    return score_form(form, actuals, policy=policy, prior=prior)


CASES = [
    # target, actual, status, score, rule prefix
    ("≥95%", "96.5%", "met", "10.00", "quantitative.higher"),
    ("95%以上", "93%", "partial", "9.79", "quantitative.higher"),
    ("≥95%", "0%", "not_met", "0.00", "quantitative.higher"),
    (">92%", "92%", "met", "10.00", "quantitative.higher"),
    ("≤90万元", "80万元", "met", "10.00", "quantitative.lower"),
    ("≤90万元", "99万元", "partial", "9.00", "quantitative.lower.linear_to_zero_at_double"),
    ("≤90万元", "990000元", "partial", "9.00", "quantitative.lower.linear_to_zero_at_double"),
    ("≤90万元", "200万元", "not_met", "0.00", "quantitative.lower.linear_to_zero_at_double"),
    ("=100%", "98%", "partial", "9.80", "quantitative.exact"),
    ("=0", "0", "met", "10.00", "quantitative.exact.zero"),
    ("=0", "2", "not_met", "0.00", "quantitative.exact.zero"),
    ("90%-100%", "95%", "met", "10.00", "quantitative.range"),
    ("优", "优秀", "met", "10.00", "judged.grade"),
    ("优", "良好", "partial", "7.00", "grade.partial"),
    ("优", "合格", "not_met", "3.00", "grade.not_achieved"),
    ("良以上", "不合格", "not_met", "3.00", "grade.not_achieved"),
    ("良以上", "中", "partial", "7.00", "grade.partial"),
    # a failing grade (below the scale's passing level) is 未达成 however few levels short
    ("合格", "不合格", "not_met", "3.00", "grade.not_achieved"),
    ("中", "差", "not_met", "3.00", "grade.not_achieved"),
    ("达标", "不达标", "not_met", "3.00", "grade.not_achieved"),
    ("良以上", "优秀", "met", "10.00", "judged.grade"),
    ("是", "是", "met", "10.00", "judged.boolean"),
    ("是", "否", "not_met", "0.00", "judged.boolean"),
    ("按规定公开", "按规定公开", "met", "10.00", "judged.state"),
    ("效果明显", "达成预期指标", "met", "10.00", "qualitative.achieved"),
    ("12月底前完成", "11月30日", "met", "10.00", "judged.deadline"),
    ("2021年1月-12月", "2021年1月-12月", "met", "10.00", "judged.period"),
    ("有效", "有效", "met", "10.00", "judged.state"),
    ("≥100百分比", "100", "met", "10.00", "quantitative.higher"),
    # a bare fraction against a percentage: not comparable, as `indicators target check` says (IND814)
    ("≤5%", "0.03", "invalid", "0.00", "invalid"),
    ("≤5%", "7.5%", "partial", "5.00", "quantitative.lower.linear_to_zero_at_double"),
    ("效果明显", "部分达成", "partial", "7.00", "qualitative.partial"),
    ("效果明显", "未达成", "not_met", "3.00", "qualitative.not_achieved"),
]


@pytest.mark.parametrize(
    ("target", "actual", "status", "score", "rule"), CASES, ids=[f"{c[0]} | {c[1]}" for c in CASES]
)
def test_one_row(make_form: MakeForm, target: str, actual: str, status: str, score: str, rule: str) -> None:
    sheet = one_row(make_form, target, actual)
    line = sheet.lines[0]
    assert (line.status.value, str(line.score), line.rule) == (status, score, rule)
    assert line.weight == 10
    assert line.explanation
    assert line.arithmetic


def test_reverse_ratio_policy_scores_lower_rows_by_target_over_actual(make_form: MakeForm) -> None:
    sheet = one_row(make_form, "≤90万元", "99万元", policy=load_policy("reverse-ratio"))
    assert str(sheet.lines[0].score) == "9.09"
    assert sheet.lines[0].rule == "quantitative.lower.target_over_actual"


def test_symmetric_exact_policy(make_form: MakeForm) -> None:
    data = POLICY.model_dump()
    data["quantitative"]["exact"] = "symmetric"
    sheet = one_row(make_form, "=100%", "104%", policy=Policy.model_validate(data))
    assert str(sheet.lines[0].score) == "9.60"


def test_judged_shares_are_policy_options(make_form: MakeForm) -> None:
    data = POLICY.model_dump()
    data["qualitative"]["judged_not_met"] = D("0.5")
    sheet = one_row(make_form, "是", "否", policy=Policy.model_validate(data))
    assert str(sheet.lines[0].score) == "5.00"
    # a judged miss is the 未达成 tier whatever point inside its band the policy gives it
    assert sheet.lines[0].status is LineStatus.NOT_MET
    assert sheet.lines[0].tier == "not_achieved"


def test_grade_shortfall_tiers_are_a_policy_option(make_form: MakeForm) -> None:
    data = POLICY.model_dump()
    data["qualitative"]["grade_shortfall"] = []
    sheet = one_row(make_form, "优", "良好", policy=Policy.model_validate(data))
    assert (str(sheet.lines[0].score), sheet.lines[0].rule) == ("0.00", "judged.grade")
    data["qualitative"]["grade_shortfall"] = ["not_achieved"]
    sheet = one_row(make_form, "优", "良好", policy=Policy.model_validate(data))
    assert (str(sheet.lines[0].score), sheet.lines[0].rule) == ("3.00", "grade.not_achieved")
    data["qualitative"]["grade_shortfall"] = ["excellent"]
    with pytest.raises(ValueError, match="grade_shortfall"):
        Policy.model_validate(data)


def test_tier_default_points_are_policy_options(make_form: MakeForm) -> None:
    data = POLICY.model_dump()
    data["qualitative"]["tiers"][1]["default"] = D("0.6")
    sheet = one_row(make_form, "效果明显", "部分达成", policy=Policy.model_validate(data))
    assert str(sheet.lines[0].score) == "6.00"


def test_overshoot_needs_a_reason(make_form: MakeForm) -> None:
    sheet = one_row(make_form, "100人次以上", "1,203人次")
    line = sheet.lines[0]
    assert line.overshoot
    assert line.score == 10
    assert [d.code for d in line.diagnostics] == ["IND805"]
    explained = one_row(make_form, "100人次以上", "1,203人次", extra=",志愿服务活动增加")
    assert explained.lines[0].overshoot
    assert explained.lines[0].deviation == "志愿服务活动增加"
    assert explained.lines[0].diagnostics == ()


@pytest.mark.parametrize(("actual", "flagged"), [("129", False), ("130", True), ("1000", True)], ids=str)
def test_overshoot_factor_boundary(make_form: MakeForm, actual: str, flagged: bool) -> None:
    assert one_row(make_form, "≥100", actual).lines[0].overshoot is flagged


def test_overshoot_factor_is_a_policy_option(make_form: MakeForm) -> None:
    data = POLICY.model_dump()
    data["overshoot"]["factor"] = D(2)
    assert not one_row(make_form, "≥100", "150", policy=Policy.model_validate(data)).lines[0].overshoot


@pytest.mark.parametrize(
    ("chosen", "score", "codes"),
    [("9", "9.00", []), ("8", "8.00", []), ("7", "10.00", ["IND804"]), ("11", "10.00", ["IND804"])],
    ids=str,
)
def test_chosen_score_is_validated_against_its_band(
    make_form: MakeForm, chosen: str, score: str, codes: list[str]
) -> None:
    sheet = one_row(make_form, "效果明显", "达成", extra=chosen)
    line = sheet.lines[0]
    assert str(line.score) == score
    assert [d.code for d in line.diagnostics] == codes
    if codes:
        d = line.diagnostics[0]
        assert d.location is not None
        assert d.location.source == "actuals.csv"
        assert "[8, 10]" in d.message


def test_chosen_score_alone_names_its_tier(make_form: MakeForm) -> None:
    sheet = one_row(make_form, "效果明显", "", extra="6.5")
    assert sheet.lines[0].tier == "partial"
    assert str(sheet.lines[0].score) == "6.50"


def test_chosen_score_on_a_quantitative_row_is_ignored_with_a_note(make_form: MakeForm) -> None:
    sheet = one_row(make_form, "≥95%", "96%", extra="3")
    assert sheet.lines[0].score == 10
    assert [d.code for d in sheet.lines[0].diagnostics] == ["IND813"]


def test_missing_actual_scores_zero_with_ind801(make_form: MakeForm) -> None:
    form = make_form(
        [("产出指标", "数量指标", "指标甲", "f", "≥1"), ("产出指标", "数量指标", "指标乙", "f", "≥1")]
    )
    sheet = score_form(form, read_actuals_text("三级指标,实际完成值\n指标甲,2\n"))
    missing = sheet.lines[1]
    assert missing.status is LineStatus.MISSING
    assert missing.score == 0
    assert [d.code for d in missing.diagnostics] == ["IND801"]
    assert missing.diagnostics[0].location is not None
    assert missing.diagnostics[0].location.row == 3


def test_no_actuals_at_all(make_form: MakeForm) -> None:
    sheet = score_form(make_form([("产出指标", "数量指标", "指标甲", "f", "≥1")]))
    assert sheet.lines[0].status is LineStatus.MISSING
    assert sheet.total == 0
    assert sheet.grade == "差"


def test_unparseable_actual_is_located(make_form: MakeForm) -> None:
    sheet = one_row(make_form, "≥95%", "@@@")
    line = sheet.lines[0]
    assert line.status is LineStatus.INVALID
    assert line.score == 0
    d = line.diagnostics[0]
    assert d.code == "IND802"
    assert d.location is not None
    assert (d.location.source, d.location.row) == ("actuals.csv", 2)


def test_unparseable_target_is_reported(make_form: MakeForm) -> None:
    sheet = one_row(make_form, "≥≥", "5")
    assert sheet.lines[0].status is LineStatus.INVALID
    assert "IND807" in [d.code for d in sheet.lines[0].diagnostics]


def test_row_without_target(make_form: MakeForm) -> None:
    sheet = one_row(make_form, "", "5")
    assert sheet.lines[0].status is LineStatus.INVALID
    assert [d.code for d in sheet.lines[0].diagnostics] == ["IND807"]
    assert one_row(make_form, "", "达成").lines[0].score == 10


def test_incompatible_units_are_not_comparable(make_form: MakeForm) -> None:
    sheet = one_row(make_form, "4个以上", "5万元")
    assert sheet.lines[0].status is LineStatus.INVALID
    assert [d.code for d in sheet.lines[0].diagnostics] == ["IND807"]


def test_relative_target_needs_a_baseline(make_form: MakeForm) -> None:
    sheet = one_row(make_form, "较上年提高", "120")
    assert sheet.lines[0].status is LineStatus.NEEDS_BASELINE
    assert [d.code for d in sheet.lines[0].diagnostics] == ["IND806"]
    judged = one_row(make_form, "较上年提高", "120", prior={"指标甲": "100"})
    assert judged.lines[0].status is LineStatus.MET
    assert judged.lines[0].score == 10


def test_actual_from_raw_variables(make_form: MakeForm) -> None:
    form = make_form(
        [("产出指标", "质量指标", "“12345”热线工单办结率", "指标值=办结工单/呈办工单*100%", "95%以上")]
    )
    text = "三级指标,变量\n12345热线工单办结率,办结工单=1180；呈办工单=1200\n"
    line = score_form(form, read_actuals_text(text)).lines[0]
    assert line.actual == "98.33%"
    assert line.status is LineStatus.MET
    assert "由变量计算" in line.arithmetic
    assert line.diagnostics == ()


def test_an_actual_rounded_by_the_engine_is_warned(make_form: MakeForm) -> None:
    form = make_form([("产出指标", "数量指标", "资金总额", "指标值=甲+乙", "≥1")])
    big = "1" + "0" * 48
    line = score_form(form, read_actuals_text(f"三级指标,变量\n资金总额,甲={big}；乙=1\n")).lines[0]
    [warning] = [d for d in line.diagnostics if d.code == "IND030"]
    assert warning.indicator == "资金总额"
    assert warning.location is not None


@pytest.mark.parametrize("variables", ["办结工单=1180", "办结工单=1180；呈办工单=0"], ids=str)
def test_variables_that_cannot_be_computed(make_form: MakeForm, variables: str) -> None:
    form = make_form([("产出指标", "质量指标", "办结率", "指标值=办结工单/呈办工单*100%", "95%以上")])
    line = score_form(form, read_actuals_text(f"三级指标,变量\n办结率,{variables}\n", source="a.csv")).lines[
        0
    ]
    assert line.status is LineStatus.INVALID
    assert line.diagnostics[0].code == "IND802"
    assert line.diagnostics[0].location is not None


def test_unmatched_and_duplicate_actuals(make_form: MakeForm) -> None:
    form = make_form([("产出指标", "数量指标", "指标甲", "f", "≥1")])
    text = "三级指标,实际完成值\n指标甲,1\n指标 甲,2\n不存在的指标,3\n"
    sheet = score_form(form, read_actuals_text(text))
    assert [d.code for d in sheet.diagnostics if d.code not in ("IND803", "IND818")] == ["IND812", "IND808"]
    assert sheet.lines[0].actual == "1"


def test_weights_even_split_inside_level1_adds_up(make_form: MakeForm) -> None:
    rows = [("产出指标", "数量指标", f"产出{i}", "f", "≥1") for i in range(13)]
    rows.append(("成本指标", "经济成本指标", "成本1", "f", "≤1"))
    rows += [("效益指标", "社会效益指标", f"效益{i}", "f", "≥1") for i in range(8)]
    rows += [("满意度指标", "服务对象满意度指标", f"满意度{i}", "f", "≥90%") for i in range(3)]
    sheet = score_form(make_form(rows))
    weights = [str(line.weight) for line in sheet.lines]
    assert weights[:14] == ["3.58", "3.58"] + ["3.57"] * 12
    assert weights[14:22] == ["3.75"] * 8
    assert weights[22:25] == ["3.34", "3.33", "3.33"]
    assert weights[25] == "10"
    assert sheet.weight_total == 100
    assert not [d for d in sheet.diagnostics if d.code == "IND803"]


def test_form_weights_are_used_and_checked(make_form: MakeForm) -> None:
    rows = [
        ("产出指标", "数量指标", "甲", "f", "≥1", "30"),
        ("产出指标", "数量指标", "乙", "f", "≥1", "10"),
        ("效益指标", "社会效益指标", "丙", "f", "≥1", "30"),
        ("满意度指标", "服务对象满意度指标", "丁", "f", "≥1"),
    ]
    sheet = score_form(make_form(rows))
    assert [str(line.weight) for line in sheet.lines] == ["30", "10", "30", "10.00", "10"]
    codes = [(d.code, d.data.get("level1")) for d in sheet.diagnostics]
    # the form's 分值 define the 产出 share (40, noted against the policy's 50); the whole table is 90
    assert codes == [("IND820", "产出指标"), ("IND803", None), ("IND818", None)]
    assert "40" in sheet.diagnostics[0].message


def test_partial_form_weights_share_the_rest(make_form: MakeForm) -> None:
    rows = [
        ("产出指标", "数量指标", "甲", "f", "≥1", "20"),
        ("产出指标", "数量指标", "乙", "f", "≥1"),
        ("产出指标", "数量指标", "丙", "f", "≥1"),
    ]
    sheet = score_form(make_form(rows))
    assert [str(line.weight) for line in sheet.lines[:3]] == ["20", "15.00", "15.00"]


def test_unknown_level1_and_bad_weight(make_form: MakeForm) -> None:
    rows = [("管理指标", "制度建设", "甲", "f", "≥1"), ("产出指标", "数量指标", "乙", "f", "≥1", "八分")]
    sheet = score_form(make_form(rows))
    assert sheet.lines[0].weight == 0
    assert any(d.code == "IND803" and "管理指标" in d.message for d in sheet.diagnostics)
    assert sheet.lines[1].weight == 50
    assert "IND810" in [d.code for d in sheet.lines[1].diagnostics]


def test_weights_from_form_can_be_switched_off(make_form: MakeForm) -> None:
    data = POLICY.model_dump()
    data["level3_weights"]["from_form"] = False
    rows = [("产出指标", "数量指标", "甲", "f", "≥1", "30"), ("产出指标", "数量指标", "乙", "f", "≥1", "10")]
    sheet = score_form(make_form(rows), policy=Policy.model_validate(data))
    assert [str(line.weight) for line in sheet.lines[:2]] == ["25.00", "25.00"]


@pytest.mark.parametrize(
    ("budget", "score", "codes"),
    [
        (BudgetExecution(total=D("17075.54"), executed=D("16213.08")), "9.49", []),
        # above the budget: capped, and reported (never silently)
        (BudgetExecution(total=D(100), executed=D(120)), "10.00", ["IND817"]),
        (BudgetExecution(total=D(100)), "0.00", ["IND809"]),
        (None, "0.00", ["IND809"]),
        (BudgetExecution(total=D(0), executed=D(0)), "0.00", ["IND810"]),
    ],
    ids=["normal", "capped", "no-executed", "none", "zero-budget"],
)
def test_budget_line(
    make_form: MakeForm, budget: BudgetExecution | None, score: str, codes: list[str]
) -> None:
    sheet = score_form(make_form([("产出指标", "数量指标", "甲", "f", "≥1")]), budget=budget)
    line = sheet.budget_line
    assert line is not None
    assert line.level1 == "预算执行率"
    assert str(line.score) == score
    assert [d.code for d in line.diagnostics] == codes


def test_budget_cap_is_a_policy_option(make_form: MakeForm) -> None:
    data = POLICY.model_dump()
    data["budget_execution"]["cap"] = None
    data["budget_execution"]["weight"] = 10
    sheet = score_form(
        make_form([("产出指标", "数量指标", "甲", "f", "≥1")]),
        policy=Policy.model_validate(data),
        budget=BudgetExecution(total=D(100), executed=D(120)),
    )
    assert sheet.budget_line is not None
    assert str(sheet.budget_line.score) == "12.00"


def test_budget_arguments_override_the_file_field_by_field(make_form: MakeForm) -> None:
    actuals = read_actuals_text("三级指标,实际完成值\n全年预算数,200\n全年执行数,100\n")
    form = make_form([("产出指标", "数量指标", "甲", "f", "≥1")])
    sheet = score_form(form, actuals, budget=BudgetExecution(executed=D(150)))
    assert sheet.budget is not None
    assert (sheet.budget.total, sheet.budget.executed) == (D(200), D(150))
    assert sheet.budget_line is not None
    assert str(sheet.budget_line.score) == "7.50"


def test_subtotals_and_total_are_sums_of_lines(make_form: MakeForm) -> None:
    rows = [
        ("产出指标", "数量指标", "甲", "f", "≥3"),
        ("产出指标", "质量指标", "乙", "f", "≥3"),
        ("效益指标", "社会效益指标", "丙", "f", "≥3"),
        ("满意度指标", "服务对象满意度指标", "丁", "f", "≥90%"),
    ]
    text = "三级指标,实际完成值\n甲,1\n乙,2\n丙,2\n丁,85%\n"
    sheet = score_form(
        make_form(rows), read_actuals_text(text), budget=BudgetExecution(total=D(3), executed=D(2))
    )
    assert sheet.total == sum((line.score for line in sheet.lines), D(0))
    for sub in sheet.subtotals:
        members = [
            line
            for line in sheet.lines
            if line.level1 == sub.level1 and (sub.level2 is None or line.level2 == sub.level2)
        ]
        assert sub.score == sum((line.score for line in members), D(0))
        assert sub.weight == sum((line.weight for line in members), D(0))
    assert sheet.grade == POLICY.grade_for(sheet.total)
    assert [(s.level1, s.level2) for s in sheet.subtotals][:3] == [
        ("产出指标", None),
        ("产出指标", "数量指标"),
        ("产出指标", "质量指标"),
    ]


rates = st.decimals(min_value=0, max_value=300, places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=40, deadline=None)
@given(a=rates, b=rates)
def test_scores_are_monotone_and_bounded(make_form: MakeForm, a: Decimal, b: Decimal) -> None:
    build_form = make_form
    lo, hi = min(a, b), max(a, b)
    for target, up in (("≥95%", True), ("≤50%", False)):
        form = build_form([("产出指标", "数量指标", "甲", "f", target, "7")])
        s_lo = score_form(form, read_actuals_text(f"三级指标,实际完成值\n甲,{lo}%\n")).lines[0].score
        s_hi = score_form(form, read_actuals_text(f"三级指标,实际完成值\n甲,{hi}%\n")).lines[0].score
        assert 0 <= s_lo <= 7
        assert 0 <= s_hi <= 7
        assert (s_lo <= s_hi) if up else (s_lo >= s_hi)


@settings(max_examples=40, deadline=None)
@given(yuan=st.integers(min_value=0, max_value=10**9))
def test_same_quantity_in_different_units_scores_the_same(make_form: MakeForm, yuan: int) -> None:
    build_form = make_form
    form = build_form(
        [
            ("产出指标", "数量指标", "甲", "f", "≥50万元", "7"),
            ("产出指标", "数量指标", "乙", "f", "≤50万元", "7"),
        ]
    )
    wan = format((D(yuan) / 10000).normalize(), "f")
    as_yuan = score_form(form, read_actuals_text(f"三级指标,实际完成值\n甲,{yuan}元\n乙,{yuan}元\n"))
    as_wan = score_form(form, read_actuals_text(f"三级指标,实际完成值\n甲,{wan}万元\n乙,{wan}万元\n"))
    assert [line.score for line in as_yuan.lines] == [line.score for line in as_wan.lines]


def test_actuals_keyed_by_catalog_code(make_form: MakeForm) -> None:
    from indicators.catalog import load_catalog

    catalog = load_catalog(use_env=False)
    entry = catalog.lookup("党员教育培训完成率")
    assert entry is not None
    form = make_form([("产出指标", "数量指标", "党员教育培训完成率", "f", "95%以上")])
    actuals = read_actuals_text(f"编码,实际完成值\n{entry.entry.code},96%\nXX-NONE-001,1\n")
    sheet = score_form(form, actuals, catalog=catalog)
    assert sheet.lines[0].code == entry.entry.code
    assert sheet.lines[0].status is LineStatus.MET
    assert [d.code for d in sheet.diagnostics if d.code not in ("IND803", "IND818")] == ["IND808"]
    unmatched = score_form(form, actuals)  # without a catalog a code cannot be matched
    assert unmatched.lines[0].status is LineStatus.MISSING


def test_level2_column_disambiguates_repeated_names(make_form: MakeForm) -> None:
    form = make_form(
        [("产出指标", "数量指标", "完成率", "f", "≥90%"), ("产出指标", "质量指标", "完成率", "f", "≥90%")]
    )
    text = "二级指标,三级指标,实际完成值\n质量指标,完成率,80%\n数量指标,完成率,95%\n"
    sheet = score_form(form, read_actuals_text(text))
    assert [line.actual for line in sheet.lines[:2]] == ["95%", "80%"]


texts = st.text(alphabet="0123456789.%≥≤=以上内达成部分未优良是否个万元人次-,，;　 ", max_size=12)


@settings(max_examples=150, deadline=None)
@given(
    target=texts, actual=texts, chosen=st.one_of(st.none(), st.sampled_from(["0", "5", "9.99", "x", "-1"]))
)
def test_any_text_scores_without_raising(
    make_form: MakeForm, target: str, actual: str, chosen: str | None
) -> None:
    form = make_form([("产出指标", "数量指标", "甲", "指标值=完成数", target, "7")])
    cell = actual.replace('"', "")
    text = f'三级指标,实际完成值,得分\n甲,"{cell}",{chosen or ""}\n'
    sheet = score_form(form, read_actuals_text(text))
    line = sheet.lines[0]
    assert 0 <= line.score <= 7
    assert sheet.total == sum((x.score for x in sheet.lines), D(0))


@settings(max_examples=40, deadline=None)
@given(values=st.lists(rates, min_size=5, max_size=5))
def test_totals_and_subtotals_are_exact_sums(make_form: MakeForm, values: list[Decimal]) -> None:
    rows = [
        ("产出指标", "数量指标", "甲", "f", "≥95%"),
        ("产出指标", "质量指标", "乙", "f", "≤20%"),
        ("效益指标", "社会效益指标", "丙", "f", "=100%"),
        ("满意度指标", "服务对象满意度指标", "丁", "f", "90%以上"),
        ("成本指标", "经济成本指标", "戊", "f", "≤100%"),
    ]
    text = "三级指标,实际完成值\n" + "".join(f"{r[2]},{v}%\n" for r, v in zip(rows, values, strict=True))
    sheet = score_form(
        make_form(rows), read_actuals_text(text), budget=BudgetExecution(total=D(3), executed=D(2))
    )
    assert sheet.total == sum((line.score for line in sheet.lines), D(0))
    level1 = [s for s in sheet.subtotals if s.level2 is None]
    assert sum((s.score for s in level1), D(0)) == sheet.total
    for sub in level1:
        level2 = [s for s in sheet.subtotals if s.level1 == sub.level1 and s.level2 is not None]
        assert sum((s.score for s in level2), D(0)) == sub.score
    assert sheet.grade == POLICY.grade_for(sheet.total)
    assert sheet.weight_total == 100


def test_actual_column_of_a_self_evaluation_form_is_used(make_form: MakeForm) -> None:
    from indicators.forms.model import Cell

    form = make_form(
        [("产出指标", "数量指标", "甲", "f", "≥95%"), ("产出指标", "数量指标", "乙", "f", "≥95%")]
    )
    rows = list(form.indicators)
    rows[0] = rows[0].model_copy(
        update={"actual": Cell(text="90%"), "deviation": Cell(text="原因"), "remark": Cell(text="备注")}
    )
    rows[1] = rows[1].model_copy(update={"actual": Cell(text="90%")})
    form = form.model_copy(update={"indicators": tuple(rows)})
    sheet = score_form(form, read_actuals_text("三级指标,实际完成值\n乙,96%\n"))
    assert [line.actual for line in sheet.lines[:2]] == ["90%", "96%"]  # the actuals file wins
    assert sheet.lines[0].deviation == "原因"
    assert not [d for d in sheet.lines[0].diagnostics if d.code == "IND816"]


def test_remark_is_the_reason_only_without_a_deviation_column(make_form: MakeForm) -> None:
    from indicators.forms.model import Cell

    form = make_form([("产出指标", "数量指标", "甲", "f", "≥95%")])
    row = form.indicators[0].model_copy(update={"actual": Cell(text="90%"), "remark": Cell(text="场地不足")})
    assert score_form(form.model_copy(update={"indicators": (row,)})).lines[0].deviation == "场地不足"
    blank = row.model_copy(update={"deviation": Cell(text="")})
    line = score_form(form.model_copy(update={"indicators": (blank,)})).lines[0]
    assert line.deviation is None
    assert [d.code for d in line.diagnostics] == ["IND816"]


def _policy(**changes: object) -> Policy:
    """The default policy with dotted keys replaced: ``_policy(**{"quantitative.cap": False})``."""
    data = POLICY.model_dump()
    for dotted, value in changes.items():
        node: Any = data
        *path, last = dotted.split(".")
        for part in path:
            node = node[int(part)] if part.isdigit() else node[part]
        node[last] = value
    return Policy.model_validate(data)


OPTION_CASES: list[tuple[dict[str, object], str, str, str]] = [
    # policy change, target, actual, expected score of the 10-point row
    ({"quantitative.cap": False}, "≥50", "60", "12.00"),
    ({"quantitative.negative_actual_as_zero": False}, "≥50", "-5", "0.00"),
    ({"rounding.mode": "ROUND_DOWN"}, "≥95", "93", "9.78"),
    ({"rounding.places": 1}, "≥95", "93", "9.8"),
    ({"rounding.mode": "ROUND_HALF_EVEN"}, "≥8", "6.9", "8.62"),  # 8.625 → 8.62 (half up gives 8.63)
]


@pytest.mark.parametrize(
    ("changes", "target", "actual", "score"),
    OPTION_CASES,
    ids=[f"{k}={v} | {t} | {a}" for (c, t, a, _) in OPTION_CASES for k, v in c.items()],
)
def test_each_policy_option(
    make_form: MakeForm, changes: dict[str, object], target: str, actual: str, score: str
) -> None:
    sheet = one_row(make_form, target, actual, policy=_policy(**changes))
    assert str(sheet.lines[0].score) == score


def test_zero_target_overshoot_threshold(make_form: MakeForm) -> None:
    assert one_row(make_form, "≥0", "30").lines[0].overshoot
    assert not one_row(make_form, "≥0", "29").lines[0].overshoot
    assert (
        not one_row(make_form, "≥0", "30", policy=_policy(**{"overshoot.zero_target_threshold": None}))
        .lines[0]
        .overshoot
    )


def test_remainder_and_places_options(make_form: MakeForm) -> None:
    rows = [("满意度指标", "服务对象满意度指标", f"满意度{i}", "f", "≥90%") for i in range(3)]
    last = score_form(make_form(rows), policy=_policy(**{"level3_weights.remainder": "last"}))
    assert [str(line.weight) for line in last.lines[:3]] == ["3.33", "3.33", "3.34"]
    one_place = score_form(make_form(rows), policy=_policy(**{"level3_weights.places": 1}))
    assert [str(line.weight) for line in one_place.lines[:3]] == ["3.4", "3.3", "3.3"]


def test_cost_as_its_own_share(make_form: MakeForm) -> None:
    policy = _policy(
        level1=[
            {"name": "产出指标", "weight": 40},
            {"name": "成本指标", "weight": 10},
            {"name": "效益指标", "weight": 30},
            {"name": "满意度指标", "weight": 10},
        ]
    )
    rows = [
        ("产出指标", "数量指标", "甲", "f", "≥1"),
        ("成本指标", "经济成本指标", "乙", "f", "≤1"),
        ("效益指标", "社会效益指标", "丙", "f", "≥1"),
        ("满意度指标", "服务对象满意度指标", "丁", "f", "≥1"),
    ]
    sheet = score_form(make_form(rows), policy=policy)
    assert [str(line.weight) for line in sheet.lines] == ["40.00", "10.00", "30.00", "10.00", "10"]
    default = score_form(make_form(rows))
    assert [str(line.weight) for line in default.lines] == ["25.00", "25.00", "30.00", "10.00", "10"]


def test_grade_bands_are_a_policy_option(make_form: MakeForm) -> None:
    policy = _policy(grades=[{"grade": "合格", "min": 60}, {"grade": "不合格", "min": 0}])
    sheet = score_form(make_form([("产出指标", "数量指标", "甲", "f", "≥1")]), policy=policy)
    assert sheet.grade == "不合格"


def _self_evaluation(make_form: MakeForm, rows: list[tuple[str, str, str, str, str]]) -> Form:
    """A 绩效自评表: (level1, level2, level3, target, actual) with the actual in the form's own column."""
    from indicators.forms.model import Cell

    form = make_form([(l1, l2, l3, None, target) for l1, l2, l3, target, _ in rows])
    filled = [
        row.model_copy(update={"actual": Cell(text=actual)})
        for row, (*_, actual) in zip(form.indicators, rows, strict=True)
    ]
    return form.model_copy(update={"indicators": tuple(filled)})


def test_an_indicator_named_like_budget_execution_under_a_share_is_an_ordinary_row(
    make_form: MakeForm,
) -> None:
    """部门整体 forms often carry 预算执行率 as a level-3 indicator of 产出指标: it keeps its actual and
    its share of 产出, and the policy's own 预算执行率 line is still scored from the budget figures."""
    form = make_form(
        [
            ("产出指标", "数量指标", "完成数", "f", "10个以上"),
            ("产出指标", "时效指标", "预算执行率", "f", "95%以上"),
        ]
    )
    actuals = read_actuals_text(
        "三级指标,实际完成值\n完成数,10个\n预算执行率,96%\n全年预算数,100\n全年执行数,90\n"
    )
    sheet = score_form(form, actuals)
    assert [(line.level3, str(line.weight), str(line.score)) for line in sheet.lines] == [
        ("完成数", "25.00", "25.00"),
        ("预算执行率", "25.00", "25.00"),
        ("预算执行率", "10", "9.00"),
    ]
    assert sheet.lines[1].actual == "96%"
    assert sheet.lines[2].index is None
    assert all(d.code != "IND808" for d in sheet.all_diagnostics())


@pytest.mark.parametrize(
    ("target", "actual", "figures", "score"),
    [
        ("100%", "95.5%", "执行率 95.5%（填报的执行率）", "9.55"),
        ("100%", "95.5", "执行率 95.5%（填报的执行率）", "9.55"),  # the % sign written only in the target
        ("250,000元", "215,457.6元", "全年执行数 21.54576 ÷ 全年预算数 25", "8.62"),
        ("25万元", "215457.6元", "全年执行数 21.54576 ÷ 全年预算数 25", "8.62"),
        (
            "250,000元",
            "215,457.6",
            "全年执行数 21.54576 ÷ 全年预算数 25",
            "8.62",
        ),  # the bare amount is in 元 too
        (
            "250000.00",
            "215,457.6",
            "全年执行数 215457.6 ÷ 全年预算数 250000",
            "8.62",
        ),  # both bare: as written
    ],
    ids=str,
)
def test_budget_row_of_a_self_evaluation_table(
    make_form: MakeForm, target: str, actual: str, figures: str, score: str
) -> None:
    form = _self_evaluation(
        make_form,
        [
            ("产出指标", "数量指标", "完成数", "≥1", "1"),
            ("预算执行率", "预算执行率", "预算执行率", target, actual),
        ],
    )
    line = score_form(form).lines[-1]
    assert line.rule == "budget_execution"
    assert (line.score, line.status) == (D(score), LineStatus.PARTIAL)
    assert figures in line.explanation


@pytest.mark.parametrize(
    ("target", "actual", "flagged"),
    [
        ("≥95%", "0.965", True),
        ("90%-100%", "0.95", True),
        ("≥95%", "96.5%", False),
        ("≥95%", "96.5", False),
        ("≤1%", "0.5", False),  # a small rate is a small rate
        ("≥95", "0.965", False),  # no percentage in the target
    ],
    ids=str,
)
def test_a_fraction_against_a_percentage_target_is_flagged(
    make_form: MakeForm, target: str, actual: str, flagged: bool
) -> None:
    line = one_row(make_form, target, actual).lines[0]
    codes = [d.code for d in line.diagnostics]
    assert ("IND814" in codes) is flagged
    if flagged:
        d = next(d for d in line.diagnostics if d.code == "IND814")
        assert d.message == f"实际完成值“{actual}”没有百分号，无法判断是比值还是百分数，该项未计分"
        assert line.status is LineStatus.INVALID
        assert d.hint is not None
        assert f"{D(actual) * 100:f}".rstrip("0").rstrip(".") + "%" in d.hint
        assert d.location is not None
        assert d.location.source == "actuals.csv"


def test_unreadable_actual_quotes_the_whole_value_and_says_what_is_expected(make_form: MakeForm) -> None:
    d = one_row(make_form, "≥95%", "约96%").lines[0].diagnostics[0]
    assert d.code == "IND802"
    assert d.message == "实际完成值“约96%”无法识别"
    assert d.hint is not None
    assert "数值加单位" in d.hint
    assert d.span is not None
    assert d.span.start == 0


def test_not_comparable_says_why_once(make_form: MakeForm) -> None:
    d = next(
        d for d in one_row(make_form, "及时报送", "2024-12-20").lines[0].diagnostics if d.code == "IND807"
    )
    assert d.message.count("比较") == 1
    assert "2024-12-20" in d.message
    assert "及时报送" in d.message


def test_budget_rate_row_of_a_returned_score_sheet(make_form: MakeForm) -> None:
    """A 预算执行率 row in the actuals file (the budget line of a score sheet sent back) gives the rate
    when no amounts are given; an indicator of that name on the form would take it instead."""
    form = make_form([("产出指标", "数量指标", "完成数", "f", "≥1")])
    sheet = score_form(form, read_actuals_text("三级指标,实际完成值\n完成数,1\n预算执行率,96%\n"))
    assert sheet.budget_line is not None
    assert (str(sheet.budget_line.score), sheet.budget_line.actual) == ("9.60", "96.00%")
    assert sheet.all_diagnostics() == [d for d in sheet.all_diagnostics() if d.code in ("IND803", "IND818")]
    amounts = "全年预算数,200\n全年执行数,100\n"
    with_amounts = score_form(
        form, read_actuals_text("三级指标,实际完成值\n完成数,1\n预算执行率,96%\n" + amounts)
    )
    assert with_amounts.budget_line is not None
    assert str(with_amounts.budget_line.score) == "5.00"


def test_a_reported_score_that_agrees_needs_no_note(make_form: MakeForm) -> None:
    assert one_row(make_form, "≥95%", "96%", extra="10").lines[0].diagnostics == ()
    assert [d.code for d in one_row(make_form, "≥95%", "96%", extra="9").lines[0].diagnostics] == ["IND813"]


def test_a_zero_score_with_no_actual_is_not_reported(make_form: MakeForm) -> None:
    """A template's pre-filled 得分 0 on a row left empty is no result: IND801, as for an empty row."""
    line = one_row(make_form, "≥95%", "", extra="0").lines[0]
    assert line.status is LineStatus.MISSING
    assert [d.code for d in line.diagnostics] == ["IND801"]
    assert one_row(make_form, "效果明显", "未达成", extra="0").lines[0].status is LineStatus.NOT_MET


def test_a_bare_number_on_a_cost_row_is_lower_is_better(make_form: MakeForm) -> None:
    """`250万` under 产出指标/成本指标 (the older frame) is a cap, not a floor."""
    form = make_form([("产出指标", "成本指标", "项目总成本", "指标值=实际支出", "250万", "10", None)])
    actuals = read_actuals_text("三级指标,实际完成值\n项目总成本,240万\n", source="actuals.csv")
    line = score_form(form, actuals).lines[0]
    assert (line.status.value, str(line.score)) == ("met", "10.00")
    assert line.rule.startswith("quantitative.lower")


def test_prior_values_from_raw_variables_use_the_forms_formula(make_form: MakeForm) -> None:
    from indicators.scoring import prior_values

    form = make_form(
        [
            ("产出指标", "质量指标", "办结率", "指标值=办结工单/呈办工单*100%", "较上年提高", "10", None),
            ("产出指标", "数量指标", "活动次数", "指标值=活动次数", "较上年提高", "10", None),
        ]
    )
    header = "三级指标,实际完成值,变量\n"
    prior = read_actuals_text(
        header + "办结率,,办结工单=90；呈办工单=100\n活动次数,12次,\n无此指标,,a=1\n", source="prior.csv"
    )
    values, found = prior_values(form, prior)
    assert values == {"办结率": "90.00%", "活动次数": "12次"}
    assert [d.code for d in found] == ["IND808"]  # 无此指标: not on the form
    actuals = read_actuals_text(header + "办结率,95%,\n活动次数,11次,\n", source="actuals.csv")
    sheet = score_form(form, actuals, prior=values)
    assert [line.status for line in sheet.indicator_lines] == [LineStatus.MET, LineStatus.PARTIAL]
