"""indicators.scoring.audit: every published table accounted for row by row, and tables built to show
each finding (and its absence)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from indicators.diagnostics import Severity
from indicators.forms import read_form_text
from indicators.scoring import load_policy
from indicators.scoring.audit import AuditReport, TableAudit, audit_file, audit_form, audit_paths
from indicators.scoring.audit.conventions import Candidate, detect

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ROOT = Path(__file__).resolve().parents[2]
D = Decimal

#: table → file row → (published, recomputed, finding codes), every row of the table
PUBLISHED: dict[str, dict[int, tuple[str, str, list[str]]]] = {
    # all met; 定性 rows (达成预期指标) keep the unit's 8 / 10, inside the 达成 band
    "S01": {
        2: ("8", "8.00", []),
        3: ("8", "8.00", []),
        4: ("8", "8.00", []),
        5: ("8", "8.00", []),
        6: ("8", "8.00", []),  # ≤90万元 against a bare 90: 90万元, met
        7: ("10", "10.00", []),
        8: ("10", "10.00", []),
        9: ("10", "10.00", []),
        10: ("10", "10.00", []),
    },
    "S14": {
        2: ("10", "10.00", []),
        3: ("10", "10.00", []),
        4: ("7", "10.00", ["IND831"]),  # 100% of 100: met, yet 7 of 10
        5: ("10", "10.00", []),
        6: ("10", "10.00", ["IND218"]),  # 有效 for 有效: the target restated
        7: ("9", "9.80", ["IND834"]),  # 98 ÷ 100 × 10 = 9.8, published 9 (one row: no convention)
        8: ("10", "10.00", []),
        9: ("10", "10.00", []),
        10: ("10", "10.00", []),
    },
    # the ratio cut to one decimal explains five rows; the others follow no rule
    "S16": {
        2: ("1", "1.00", []),  # 96次 for 12次: the 备注 stands in for the 偏差原因 of the overshoot
        3: ("2", "2.00", []),
        4: ("1.9", "1.95", ["IND835"]),  # 1.946 cut to 1.9
        5: ("2", "2.00", []),
        6: ("2", "2.00", []),
        7: ("2", "2.00", []),
        8: ("1.8", "1.90", ["IND835"]),  # 1.897 cut
        9: ("1.8", "1.90", ["IND835"]),
        10: ("1", "1.15", ["IND834"]),  # 1.15 cut to one decimal is 1.1, not 1
        11: ("1.4", "1.43", ["IND835"]),
        12: ("1.9", "1.69", ["IND834"]),  # above the ratio
        13: ("1.8", "1.69", ["IND834"]),
        14: ("1.8", "1.61", ["IND834"]),
        15: ("1.7", "1.58", ["IND834"]),
        16: ("1.8", "1.97", ["IND834"]),  # below the ratio cut (1.9)
        17: ("2", "2.00", []),
        18: ("1.4", "1.43", ["IND835"]),
        19: ("1.8", "1.25", ["IND834"]),
        20: ("2", "2.00", []),
        21: ("1.7", "1.83", ["IND834"]),
    },
    # both 预算执行率 rows reproduced (10 × 86.18%, 10 × 45.17%)
    "S45": {
        2: ("10", "10.00", []),
        3: ("20", "20.00", []),
        4: ("20", "20.00", []),
        5: ("30", "30.00", []),
        6: ("10", "10.00", []),
        7: ("8.62", "8.62", []),
        8: ("4.52", "4.52", []),
    },
}

#: table → (findings about the whole table, recomputed total, rescaled total, grade)
TABLES = {
    # no 满意度 rows and no 预算执行率 line: 80 of 80, graded on 100
    "S01": (["IND818"], "80.00", "100.00", "优"),
    # 产出 40 and 满意度 20 (the form's 分值) against the default 50 and 10; no 预算执行率 line
    "S14": (["IND820", "IND820", "IND818"], "89.80", "99.78", "优"),
    # 20 rows of a longer table: 39 points, no level-1 names
    "S16": (["IND803", "IND818", "IND841"], "34.38", "88.15", "良"),
    # two projects' 预算执行率 rows under one project's indicators: 110 points
    "S45": (["IND803", "IND818"], "103.14", "93.76", "优"),
}


@pytest.fixture(scope="module")
def published() -> dict[str, TableAudit]:
    report = audit_paths([EXAMPLES / f"selfeval-{t}.tsv" for t in PUBLISHED])
    return {t: table for t, table in zip(PUBLISHED, report.tables, strict=True)}


@pytest.mark.parametrize("table", list(PUBLISHED))
def test_every_row_of_a_published_table_is_accounted_for(
    published: dict[str, TableAudit], table: str
) -> None:
    audit = published[table]
    got = {
        r.row: (str(r.published_score), str(r.recomputed_score), [f.code for f in r.findings])
        for r in audit.rows
    }
    assert got == PUBLISHED[table]
    for r in audit.rows:
        assert r.difference == D(got[r.row][0]) - D(got[r.row][1])


@pytest.mark.parametrize("table", list(TABLES))
def test_published_table_findings_and_totals(published: dict[str, TableAudit], table: str) -> None:
    audit = published[table]
    codes, total, scaled, grade = TABLES[table]
    assert [f.code for f in audit.findings] == codes
    assert audit.summary is not None
    assert (str(audit.summary.recomputed_total), str(audit.summary.scaled_total)) == (total, scaled)
    assert audit.summary.recomputed_grade == grade
    assert audit.summary.rows_read == audit.summary.recomputed == len(PUBLISHED[table])


def test_the_convention_of_s16_is_named_once(published: dict[str, TableAudit]) -> None:
    audit = published["S16"]
    assert [(c.key, c.rows) for c in audit.conventions] == [("cut_1", (4, 8, 9, 11, 18))]
    note = next(f for f in audit.findings if f.code == "IND841")
    assert "截尾保留一位小数" in note.message
    assert "5 行" in note.message


# --- tables built to show each finding ----------------------------------------------------------------

HEADER = "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施"


def table(*rows: str, below: str = "", above: str = "") -> TableAudit:
    text = "\n".join([*([above] if above else []), HEADER, *rows, *([below] if below else [])]) + "\n"
    return audit_form(read_form_text(text, source="t.tsv"))


def codes_of(audit: TableAudit, level3: str) -> list[str]:
    return [f.code for r in audit.rows if r.level3 == level3 for f in r.findings]


#: one row against a full table of 100; (row, finding codes on it)
ROW_CASES = [
    # shortfall scored in full, with and without a reason
    ("产出指标\t数量指标\t甲\t≥100人次\t90人次\t50\t50\t场地不足", ["IND830"]),
    ("产出指标\t数量指标\t甲\t≥100人次\t90人次\t50\t50\t", ["IND816", "IND830"]),
    ("产出指标\t数量指标\t甲\t95%以上\t93%\t50\t50\t原因", ["IND830"]),
    # a lower-is-better overrun scored in full
    ("产出指标\t成本指标\t甲\t≤90万元\t99万元\t50\t50\t原因", ["IND833"]),
    ("产出指标\t成本指标\t甲\t控制在90万元以内\t120万元\t50\t50\t原因", ["IND833"]),
    # target met but docked
    ("产出指标\t质量指标\t甲\t≥95%\t96%\t50\t45\t", ["IND831"]),
    ("产出指标\t质量指标\t甲\t100%\t100%\t50\t40\t", ["IND831"]),
    # score above 分值
    ("产出指标\t数量指标\t甲\t≥100人次\t120人次\t50\t55\t", ["IND832"]),
    # a shortfall docked more than the ratio (one row: no convention)
    ("产出指标\t数量指标\t甲\t≥100人次\t90人次\t50\t40\t原因", ["IND834"]),
    # 定性: the unit's score inside the band its evidence supports stands, outside it is flagged
    ("产出指标\t质量指标\t甲\t效果明显\t达成预期指标\t50\t42\t", []),
    ("产出指标\t质量指标\t甲\t效果明显\t达成预期指标\t50\t30\t", ["IND804"]),
    ("产出指标\t质量指标\t甲\t效果明显\t部分达成\t50\t35\t原因", []),
    ("产出指标\t质量指标\t甲\t效果明显\t部分达成\t50\t50\t原因", ["IND804"]),
    ("产出指标\t时效指标\t甲\t12月底前完成\t按时\t50\t45\t", []),
    ("产出指标\t时效指标\t甲\t及时\t未按时\t50\t40\t原因", ["IND804"]),
    ("产出指标\t时效指标\t甲\t是\t否\t50\t20\t原因", []),
    # overshoot without a reason; with one, nothing
    ("产出指标\t数量指标\t甲\t≥100人次\t200人次\t50\t50\t", ["IND805"]),
    ("产出指标\t数量指标\t甲\t≥100人次\t200人次\t50\t50\t活动增加", []),
    # not recomputed, with the reason; no published score
    ("产出指标\t数量指标\t甲\t≥95%\t约96%\t50\t45\t", ["IND802", "IND839"]),
    ("产出指标\t数量指标\t甲\t≥100人次\t约九十\t50\t45\t", ["IND807", "IND839"]),
    ("产出指标\t数量指标\t甲\t≥100人次\t100人次\t50\t\t", ["IND840"]),
    ("产出指标\t数量指标\t甲\t≥50只\t50头\t50\t50\t", ["IND807", "IND839"]),
    # a restated bound (≥80% for ≥85%) counts as the 80% it guarantees: 80 ÷ 85 × 50 = 47.06
    ("产出指标\t质量指标\t甲\t≥85%\t≥80%\t50\t47.06\t原因", ["IND219"]),
]
REST = [
    "效益指标\t社会效益指标\t乙\t≥90%\t95%\t30\t30\t",
    "满意度指标\t服务对象满意度指标\t丙\t≥90%\t95%\t10\t10\t",
    "预算执行率\t预算执行率\t预算执行率\t100%\t100%\t10\t10\t",
]


@pytest.mark.parametrize(("row", "codes"), ROW_CASES, ids=[c[0].split("\t", 3)[3] for c in ROW_CASES])
def test_each_row_finding(row: str, codes: list[str]) -> None:
    audit = table(row, *REST)
    assert codes_of(audit, "甲") == codes
    assert [f.code for f in audit.findings] == []  # 50 + 30 + 10 + 10: nothing about the table
    for other in ("乙", "丙", "预算执行率"):
        assert codes_of(audit, other) == []


def test_a_clean_table_has_no_finding_and_exits_clean() -> None:
    audit = table(
        "产出指标(50分)\t数量指标\t甲\t≥100人次\t120人次\t50\t50\t", *REST, below="总分\t\t\t\t\t100\t100\t优"
    )
    assert [f for r in audit.rows for f in r.findings] == []
    assert audit.findings == ()
    assert not audit.has_error
    assert audit.summary is not None
    assert (audit.summary.published_total, audit.summary.published_grade) == (D(100), "优")
    assert audit.summary.total_difference == 0


def test_the_unit_score_inside_the_band_is_the_recomputed_score() -> None:
    audit = table("产出指标\t质量指标\t甲\t效果明显\t达成\t50\t41.5\t", *REST)
    row = audit.rows[0]
    assert (row.published_score, row.recomputed_score, row.difference) == (D("41.5"), D("41.5"), D(0))


def test_total_not_the_sum_of_its_lines_and_grade_not_matching() -> None:
    audit = table(
        "产出指标\t数量指标\t甲\t≥100人次\t100人次\t50\t50\t", *REST, below="总分\t\t\t\t\t100\t98\t良"
    )
    assert [f.code for f in audit.findings] == ["IND836", "IND838"]
    assert audit.has_error
    assert audit.summary is not None
    assert audit.summary.published_total == D(98)
    assert audit.summary.total_difference == D(-2)


@pytest.mark.parametrize(
    ("below", "codes"),
    [("总分\t\t\t\t\t100\t100\t良好", ["IND838"]), ("总分\t\t\t\t\t100\t100\t自评等级：优", [])],
    ids=["良好 for 100", "优 written with its label"],
)
def test_grade_words(below: str, codes: list[str]) -> None:
    audit = table("产出指标\t数量指标\t甲\t≥100人次\t100人次\t50\t50\t", *REST, below=below)
    assert [f.code for f in audit.findings] == codes


def test_weights_not_adding_to_the_printed_share_or_to_100() -> None:
    audit = table(
        "产出指标(50分)\t数量指标\t甲\t≥100人次\t100人次\t40\t40\t",
        "效益指标\t社会效益指标\t乙\t≥90%\t95%\t30\t30\t",
        "满意度指标\t服务对象满意度指标\t丙\t≥90%\t95%\t10\t10\t",
        "预算执行率\t预算执行率\t预算执行率\t100%\t100%\t10\t10\t",
    )
    assert [f.code for f in audit.findings] == ["IND803", "IND803", "IND818"]
    assert "产出指标" in audit.findings[0].message


def test_weights_as_a_share_of_the_printed_level1_points() -> None:
    audit = table(
        "产出指标(70分)\t数量指标\t甲\t≥100人次\t100人次\t60%\t42\t",
        "产出指标(70分)\t质量指标\t丁\t≥95%\t96%\t40%\t28\t",
        "效益指标(20分)\t社会效益指标\t乙\t≥90%\t95%\t20\t20\t",
        "预算执行率\t预算执行率\t预算执行率\t100%\t100%\t10\t10\t",
    )
    assert [str(r.weight) for r in audit.rows] == ["42", "28", "20", "10"]
    assert [f.code for r in audit.rows for f in r.findings] == []
    assert [f.code for f in audit.findings] == []  # no 满意度: 70 + 20 + 10 is the whole table


FUNDS = (
    "项目资金（万元）\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\n\t年度资金总额\t{figures}"
)


@pytest.mark.parametrize(
    ("figures", "codes", "published"),
    [
        ("150万\t150\t120\t10\t80%\t8", [], "8"),
        ("150\t150\t120\t10\t80%\t9", ["IND837"], "9"),  # 8 by the rate
        ("150\t150\t120\t10\t90%\t8", ["IND837"], "8"),  # the rate is 80%
        ("150\t150\t180\t10\t120%\t10", ["IND817"], "10"),  # above the budget: reported, capped
    ],
    ids=["consistent", "score", "rate", "above budget"],
)
def test_the_budget_line_of_the_funds_table(figures: str, codes: list[str], published: str) -> None:
    rows = [
        "产出指标\t数量指标\t甲\t≥100人次\t100人次\t50\t50\t",
        "效益指标\t社会效益指标\t乙\t≥90%\t95%\t30\t30\t",
        "满意度指标\t服务对象满意度指标\t丙\t≥90%\t95%\t10\t10\t",
    ]
    audit = table(*rows, above="项目名称\t测试项目\n" + FUNDS.format(figures=figures))
    budget = audit.rows[-1]
    assert budget.level3 == "预算执行率"
    assert str(budget.published_score) == published
    assert [f.code for f in budget.findings] == codes
    assert [f.code for f in audit.findings] == []


def test_a_funds_total_of_zero_while_the_sources_hold_amounts() -> None:
    above = (
        "项目名称\t测试项目\n项目资金（万元）\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\n"
        "\t年度资金总额\t0\t0\t0\t10\t0\t0\n\t其中：财政拨款\t90\t89.974\t89.974"
    )
    audit = table("产出指标\t数量指标\t甲\t≥100人次\t100人次\t90\t90\t", above=above)
    assert "IND837" in [f.code for f in audit.findings]


@pytest.mark.parametrize(
    ("published", "key"),
    [(["9.7", "9.5", "8.3"], "cut_1"), (["9", "9", "8"], "cut_0"), (["8", "8", "8"], "fixed_deduction")],
    ids=["cut to one decimal", "cut to whole points", "two points per miss"],
)
def test_a_local_convention_is_detected_across_the_table(published: list[str], key: str) -> None:
    rows = [
        f"产出指标\t数量指标\t甲\t≥100人次\t97.5人次\t10\t{published[0]}\t原因",
        f"产出指标\t数量指标\t丁\t≥100人次\t95.5人次\t10\t{published[1]}\t原因",
        f"产出指标\t数量指标\t戊\t≥100人次\t83.9人次\t10\t{published[2]}\t原因",
    ]
    audit = table(*rows)
    assert [c.key for c in audit.conventions] == [key]
    assert [f.code for r in audit.rows[:3] for f in r.findings] == ["IND835"] * 3
    assert "IND841" in [f.code for f in audit.findings]


def test_one_row_is_no_convention_and_a_score_above_the_ratio_is_none() -> None:
    assert detect([Candidate(row=2, exact=D("9.75"), weight=D(10), published=D("9.7"))]) is None
    above = [Candidate(row=n, exact=D("7.3"), weight=D(10), published=D(8)) for n in (2, 3)]
    assert detect(above) is None  # 2 points docked, but fewer than the ratio rule docks


def test_a_table_without_a_score_column_is_not_a_completed_self_evaluation() -> None:
    text = "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\n产出指标\t数量指标\t甲\t≥1个\t1个\n"
    audit = audit_form(read_form_text(text, source="t.tsv"))
    assert [f.code for f in audit.findings][:1] == ["IND842"]
    assert audit.has_error
    assert [f.code for f in audit.rows[0].findings] == ["IND840"]


def test_an_unreadable_file_is_a_table_with_its_reason(tmp_path: Path) -> None:
    path = tmp_path / "空.tsv"
    path.write_bytes(b"")
    audit = audit_file(path)
    assert [f.code for f in audit.findings] == ["IND843"]
    assert audit.summary is None
    assert audit.has_error


def test_category_rows_are_reported_not_dropped() -> None:
    audit = table("产出指标\t数量指标\t甲\t≥1个\t1个\t90\t90\t", "效益指标\t生态效益指标\t\t\t\t\t\t")
    assert [(r.status, r.reason) for r in audit.rows] == [
        ("met", None),
        ("not_scored", "类别行，没有三级指标"),
    ]


def test_a_department_table_is_audited_under_the_department_policy() -> None:
    above = "部门整体支出绩效自评表\n部门名称\t某街道办事处"
    audit = table("产出指标\t数量指标\t甲\t≥1个\t1个\t90\t90\t", above=above)
    assert (audit.form_type, audit.policy) == ("department", "department")
    other = audit_form(
        read_form_text(f"{above}\n{HEADER}\n产出指标\t数量指标\t甲\t≥1个\t1个\t90\t90\t\n"),
        policy=load_policy("reverse-ratio"),
    )
    assert other.policy == "reverse-ratio"


def test_the_report_summary_sorts_tables_by_total_difference(published: dict[str, TableAudit]) -> None:
    report = audit_paths([EXAMPLES / f"selfeval-{t}.tsv" for t in PUBLISHED])
    assert report.summary.by_difference[0] == "selfeval-S14.tsv"  # −3.8
    assert report.summary.rows_read == sum(len(rows) for rows in PUBLISHED.values())
    assert report.summary.tables_with_errors == 0


def test_the_json_schema_in_docs_is_current() -> None:
    from indicators.scoring.audit.schema import schema_json

    page = (ROOT / "docs" / "schemas" / "audit-report.schema.json").read_text(encoding="utf-8")
    assert page == schema_json(), "regenerate: python -m indicators.scoring.audit.schema > docs/schemas/…"


def test_a_report_validates_against_its_schema(published: dict[str, TableAudit]) -> None:
    report = audit_paths([EXAMPLES / "selfeval-S16.tsv"])
    data = json.loads(report.model_dump_json())
    assert AuditReport.model_validate(data) == report
    row = data["tables"][0]["rows"][0]
    assert {"row", "level3", "published_score", "recomputed_score", "difference", "findings"} <= row.keys()
    assert all(
        f["severity"] in {s.value for s in Severity} for r in data["tables"][0]["rows"] for f in r["findings"]
    )
