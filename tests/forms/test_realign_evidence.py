"""Realignment moves a cell only on evidence, and says which cell went where and why (IND503); rows that
look shifted but must not be moved are left as they are, or with the unproven cell in place."""

from __future__ import annotations

import pytest

from indicators.forms import Form, read_form_text

HEADER = "一级指标\t二级指标\t三级指标\t计算公式\t年度指标值"


def _read(*rows: str, header: str = HEADER) -> Form:
    return read_form_text("\n".join([header, *rows]), use_parsers=True)


def _fields(form: Form, index: int = 0) -> tuple[str | None, ...]:
    row = form.indicators[index]
    return tuple(
        c.text if c is not None and not c.empty else None
        for c in (row.level1, row.level2, row.level3, row.formula, row.target)
    )


DATES = [
    "2024年3月--2024年10月",
    "2023.07-2024.01",
    "2024年3月-2024年10月",
    "2024/3/1-2024/10/31",
    "12月底前完成",
    "2024年12月31日前",
    "3月至10月",
]


@pytest.mark.parametrize("date", DATES)
def test_a_date_range_never_moves_into_the_formula_column(date: str) -> None:
    # 时效指标 sits in the level-3 column and the name in the formula column: the row looks shifted left
    form = _read("产出指标\t\t时效指标\t项目完成时间\t" + date)
    assert _fields(form) == ("产出指标", "时效指标", "项目完成时间", None, date)
    (note,) = [d for d in form.diagnostics if d.code == "IND503"]
    assert f"“{date}”" not in note.message.split("留在")[0]  # the date is not among the moves


SENTENCES = ["符合国家相关标准", "在项目计划完成时间内完成", "有效提升居民生活质量", "按合同约定执行。"]


@pytest.mark.parametrize("sentence", SENTENCES)
def test_a_sentence_target_stays_when_its_row_is_realigned(sentence: str) -> None:
    form = _read("产出指标\t\t质量指标\t工程验收情况\t" + sentence)
    assert _fields(form) == ("产出指标", "质量指标", "工程验收情况", None, sentence)
    (note,) = form.diagnostics
    assert note.code == "IND503"
    assert f"“{sentence}”" not in note.message


@pytest.mark.parametrize("sentence", [*SENTENCES, "2024年3月--2024年10月见附件说明"])
def test_a_sentence_target_is_never_pushed_into_the_formula_column(sentence: str) -> None:
    # a target in a column to the right would need the sentence moved into the formula column: refused,
    # and the row is left as it is, with a warning naming the refused move and why
    form = _read(FIRST, f"产出指标\t质量指标\t验收情况\t\t{sentence}\t95%")
    row = form.indicators[1]
    assert row.target is not None
    assert row.target.text == sentence
    assert row.formula is not None
    assert row.formula.empty
    assert [c.text for c in row.extra] == ["95%"]
    codes = [d.code for d in form.diagnostics]
    assert codes == ["IND511", "IND504"]
    refused = form.diagnostics[0]
    assert refused.data["refused"][0]["reason"] == "年度指标值栏中不是计算公式的内容不移入计算公式栏"
    assert refused.data["refused"][0]["text"] == sentence


FIRST = "产出指标\t数量指标\t培训人次\t指标值=培训人次\t500人次"


def test_the_evidence_names_each_move_and_its_reason() -> None:
    form = _read(FIRST, "\t\t时效指标\t培训完成及时率\t指标值=按时完成期数/计划期数*100%\t100%")
    assert _fields(form, 1) == (
        "产出指标",
        "时效指标",
        "培训完成及时率",
        "指标值=按时完成期数/计划期数*100%",
        "100%",
    )
    (note,) = form.diagnostics
    assert note.location is not None
    assert note.location.row == 3
    evidence = {e["text"]: (e["from"], e["to"], e["reason"]) for e in note.data["evidence"]}
    assert evidence == {
        "时效指标": ("level3", "level2", "识别为二级指标类别"),
        "培训完成及时率": ("formula", "level3", "文字，更适合三级指标栏"),
        "指标值=按时完成期数/计划期数*100%": ("target", "formula", "识别为计算公式"),
        "100%": (None, "target", "识别为指标值"),
    }
    assert "“时效指标”从三级指标栏移到二级指标栏（识别为二级指标类别）" in note.message


def test_a_pushed_explanation_says_what_took_its_place() -> None:
    # the name sits in the level-1 column, the explanation in the level-3 column, the target in the formula
    form = _read(
        "满意度指标\t服务对象满意度指标\t长者满意度\t问卷调查\t90%以上",
        "窗口服务满意度\t\t通过评价系统了解\t90%以上\t",
    )
    assert _fields(form, 1) == (
        "满意度指标", "服务对象满意度指标", "窗口服务满意度", "通过评价系统了解", "90%以上"
    )
    (note,) = form.diagnostics
    reasons = {e["text"]: e["reason"] for e in note.data["evidence"]}
    assert reasons["通过评价系统了解"] == "原位置由“窗口服务满意度”占用"


NOT_SHIFTED = [
    # plain text everywhere: nothing conflicts, nothing moves
    "产出指标\t数量指标\t培训人次\t按签到表统计\t按计划完成",
    # a level-3 name that ends like a category but is an indicator of its own row
    "效益指标\t社会效益指标\t受益群众满意度\t问卷调查\t≥90%",
    # a date range in its own column
    "产出指标\t时效指标\t完成时间\t\t2024年3月--2024年10月",
    # a number in the name is not a target
    "产出指标\t数量指标\t12345热线办结率\t指标值=办结数/受理数*100%\t95%",
]


@pytest.mark.parametrize("row", NOT_SHIFTED, ids=[r.split("\t")[2] for r in NOT_SHIFTED])
def test_rows_that_must_not_move(row: str) -> None:
    form = _read(row)
    assert _fields(form) == tuple(c or None for c in row.split("\t"))
    assert form.diagnostics == ()
