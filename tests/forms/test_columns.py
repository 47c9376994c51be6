"""Header synonyms as data (catalog/columns.yaml): every listed name reads as its role, in every spelling a
printed form gives it; an unknown header is reported and never taken as another column; 序号 is never
data; 评（扣）分标准 and 偏差原因 are columns of their own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from indicators.forms import read_form_text
from indicators.forms.names import Role, column_role, column_synonyms, header_key, known_column
from indicators.lint import lint_form
from indicators.scoring import score_form

DOCS = Path(__file__).resolve().parents[2] / "docs" / "forms.md"
SYNONYMS = [(role, name) for role, names in column_synonyms().items() for name in names]


@pytest.mark.parametrize(("role", "name"), SYNONYMS, ids=[n for _, n in SYNONYMS])
def test_every_listed_name_reads_as_its_role(role: str, name: str) -> None:
    expected = None if role == "kept" else Role(role)
    assert column_role(name) is expected
    assert known_column(name)


#: one way of writing each class of annotation around a header: bracket families, line breaks, spaces,
#: full-width letters, a year, a required-field star, a colon, traditional characters
DECORATED = [
    ("三级指标（名称）", Role.LEVEL3),
    ("三级指标\n(指标名称)", Role.LEVEL3),
    ("指标值（年度）", Role.TARGET),
    ("年度\n指标值", Role.TARGET),
    ("年 度 指 标 值", Role.TARGET),
    ("*年度指标值", Role.TARGET),
    ("年度指标值：", Role.TARGET),
    ("2024年度指标值", Role.TARGET),
    ("2025年实际完成值", Role.ACTUAL),
    ("实际完成值（%）", Role.ACTUAL),
    ("实际完成值【必填】", Role.ACTUAL),
    ("评(扣)分标准", Role.STANDARD),
    ("评（扣）分标准", Role.STANDARD),
    ("评〔扣〕分标准", Role.STANDARD),
    ("评分标准", Role.STANDARD),
    ("計算符號", Role.OPERATOR),
    ("度量單位", Role.UNIT),
    ("實際完成值", Role.ACTUAL),
    ("偏差原因分析及改進措施", Role.DEVIATION),
    ("“备注”", Role.REMARK),
    ("分值（分）", Role.WEIGHT),
    ("得分\n(分)", Role.SCORE),
    ("评分", Role.SCORE),
    ("评分结果", Role.SCORE),
    ("扣分原因", Role.DEVIATION),
    ("预期目标值", Role.TARGET),
    ("年度绩效指标值", Role.TARGET),
    ("全年目标值", Role.TARGET),
    ("实际情况", Role.ACTUAL),
    ("权重分", Role.WEIGHT),
    ("一级指标（必填）", Role.LEVEL1),
    ("指标性质（≥、≤、=）", Role.OPERATOR),
    ("序  号", Role.SEQUENCE),
]


@pytest.mark.parametrize(("text", "role"), DECORATED, ids=[d[0] for d in DECORATED])
def test_annotations_around_a_header_do_not_change_it(text: str, role: Role) -> None:
    assert column_role(text) is role


#: headers that must NOT be read as a column they resemble
UNKNOWN = ["考核说明", "指标值说明2", "实际", "原因", "完成值说明", "目标", "指标", "绩效", "年度", "123"]


@pytest.mark.parametrize("text", UNKNOWN)
def test_a_header_that_resembles_a_column_is_not_guessed(text: str) -> None:
    assert column_role(text) is None
    assert not known_column(text)


def test_header_key_strips_every_bracket_family() -> None:
    assert header_key("评(扣)分标准") == header_key("评［扣］分标准") == header_key("评分标准")
    assert header_key("其中：财政拨款") == "财政拨款"
    assert header_key("三级指标 (名称") == "三级指标名称" or header_key("三级指标 (名称") == "三级指标"


def test_no_name_is_listed_twice() -> None:
    keys = [header_key(name) for _, name in SYNONYMS]
    duplicates = {k for k in keys if keys.count(k) > 1}
    assert not duplicates


def test_docs_list_every_synonym() -> None:
    text = DOCS.read_text(encoding="utf-8")
    section = text.split("## Header synonyms", 1)[1].split("\n## ", 1)[0]
    missing = [name for _, name in SYNONYMS if f"`{name}`" not in section]
    assert not missing, f"docs/forms.md does not list {missing}"


HEADER = "序号\t一级指标\t二级指标\t三级指标\t年度指标值\t考核说明\t计量单位"


def _read(*rows: str, header: str = HEADER, fmt: str = "text") -> object:
    return read_form_text("\n".join([header, *rows]), fmt=fmt, use_parsers=False)


def test_an_unknown_column_is_reported_with_its_letter_and_text() -> None:
    form = read_form_text(
        "\n".join([HEADER, "1\t产出指标\t数量指标\t培训人次\t500\t按计划\t人次"]), use_parsers=False
    )
    (found,) = [d for d in form.diagnostics if d.code == "IND510"]
    assert "第 F 列" in found.message
    assert "“考核说明”" in found.message
    assert found.location is not None
    assert (found.location.row, found.location.column) == (1, 6)
    assert found.data == {"column": 6, "header": "考核说明"}
    row = form.indicators[0]
    assert [c.text for c in row.others] == ["按计划"]  # kept, never read as the target or a formula
    assert row.target is not None
    assert row.target.text == "500"
    assert row.formula is None


def test_an_unknown_column_holding_targets_is_read_only_when_the_table_has_none() -> None:
    header = "一级指标\t二级指标\t三级指标\t考核说明"
    form = read_form_text(f"{header}\n产出指标\t数量指标\t培训人次\t500人次以上", use_parsers=False)
    assert form.indicators[0].target is not None
    assert form.indicators[0].target.text == "500人次以上"
    assert [d.code for d in form.diagnostics] == ["IND503"]  # said, not silent; not IND510
    assert "已按年度指标值栏读取" in form.diagnostics[0].message


def test_a_known_kept_column_is_not_reported() -> None:
    header = "一级指标\t二级指标\t三级指标\t年度指标值\t指标值确定依据"
    form = read_form_text(f"{header}\n产出指标\t数量指标\t培训人次\t500人次\t计划标准", use_parsers=False)
    assert form.diagnostics == ()
    assert [c.text for c in form.indicators[0].others] == ["计划标准"]


@pytest.mark.parametrize("fmt", ["text", "csv"])
def test_a_sequence_column_is_never_a_target(fmt: str) -> None:
    sep = "\t" if fmt == "text" else ","
    rows = [
        ["序号", "一级指标", "二级指标", "三级指标", "年度指标值"],
        ["1", "产出指标", "数量指标", "培训人次", ""],  # no target: the 1 must not become one
        ["2", "", "质量指标", "培训合格率", "95%"],
    ]
    form = read_form_text("\n".join(sep.join(r) for r in rows), fmt=fmt, use_parsers=False)
    first, second = form.indicators
    assert first.sequence is not None
    assert first.sequence.text == "1"
    assert first.target is not None
    assert first.target.empty
    assert second.sequence is not None
    assert second.sequence.text == "2"
    assert not [d for d in form.diagnostics if d.code in {"IND503", "IND504"}]
    assert not [d for d in lint_form(form) if d.code == "IND601"]  # no target "1" to misread


def test_a_sequence_column_without_a_header_is_found_by_its_numbers() -> None:
    rows = [
        "\t一级指标\t二级指标\t三级指标\t年度指标值",
        "1.\t产出指标\t数量指标\t培训人次\t",
        "2.\t\t质量指标\t培训合格率\t95%",
        "3.\t\t时效指标\t完成及时率\t100%",
    ]
    form = read_form_text("\n".join(rows), use_parsers=False)
    assert [r.sequence.text if r.sequence else None for r in form.indicators] == ["1.", "2.", "3."]
    assert form.indicators[0].target is not None
    assert form.indicators[0].target.empty  # the 1. stayed where it is
    assert form.diagnostics == ()


def test_numbers_that_do_not_count_up_are_not_a_sequence() -> None:
    rows = [
        "\t一级指标\t二级指标\t三级指标\t年度指标值",
        "5\t产出指标\t数量指标\t培训人次\t",
        "3\t\t质量指标\t培训合格率\t95%",
    ]
    form = read_form_text("\n".join(rows), use_parsers=False)
    assert all(r.sequence is None for r in form.indicators)


def test_the_scoring_standard_is_its_own_column() -> None:
    header = "一级指标\t二级指标\t三级指标\t计算公式\t年度指标值\t评（扣）分标准"
    form = read_form_text(
        f"{header}\n产出指标\t数量指标\t培训人次\t指标值=培训人次\t500人次\t完成得满分，每少10人次扣1分",
        use_parsers=False,
    )
    row = form.indicators[0]
    assert row.standard is not None
    assert row.standard.text == "完成得满分，每少10人次扣1分"
    assert row.formula is not None
    assert row.formula.text == "指标值=培训人次"
    assert form.diagnostics == ()


def test_the_scoring_standard_is_the_formula_only_when_no_formula_column_exists() -> None:
    header = "一级指标\t二级指标\t三级指标\t年度指标值\t评分标准"
    rows = [
        "产出指标\t数量指标\t培训人次\t500人次\t指标值=实际培训人次",
        "\t质量指标\t培训合格率\t95%\t指标值=合格人数/参训人数*100%",
    ]
    form = read_form_text("\n".join([header, *rows]), use_parsers=False)
    assert [r.formula.text if r.formula else None for r in form.indicators] == [
        "指标值=实际培训人次",
        "指标值=合格人数/参训人数*100%",
    ]
    assert all(r.standard is None for r in form.indicators)
    assert [d.code for d in form.diagnostics] == ["IND503"]
    # a standard column of plain wording stays the standard, even without a formula column
    plain = read_form_text(
        f"{header}\n产出指标\t数量指标\t培训人次\t500人次\t完成得满分", use_parsers=False
    )
    assert plain.indicators[0].formula is None
    assert plain.indicators[0].standard is not None


def test_deviation_and_remark_are_told_apart() -> None:
    header = "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t未完成原因\t备注"
    form = read_form_text(
        f"{header}\n产出指标\t数量指标\t培训人次\t≥500人次\t450人次\t10\t9\t场地不足\t第二期",
        use_parsers=False,
    )
    row = form.indicators[0]
    assert row.deviation is not None
    assert row.deviation.text == "场地不足"
    assert row.remark is not None
    assert row.remark.text == "第二期"
    sheet = score_form(form)
    assert sheet.lines[0].deviation == "场地不足"  # the reason comes from the 偏差原因 column


def test_without_a_deviation_column_the_remark_is_the_reason() -> None:
    header = "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t备注"
    form = read_form_text(
        f"{header}\n产出指标\t数量指标\t培训人次\t≥500人次\t450人次\t10\t9\t场地不足", use_parsers=False
    )
    assert form.indicators[0].deviation is None
    assert score_form(form).lines[0].deviation == "场地不足"


def test_a_header_row_needs_a_level3_column() -> None:
    form_text = "序号\t指标\t目标\n1\t培训人次\t500"
    with pytest.raises(ValueError, match="未找到绩效指标表"):
        read_form_text(form_text, use_parsers=False)


def test_columns_yaml_names_are_plain() -> None:
    """Names are listed in their plain form: the key strips brackets, so a bracketed name is redundant."""
    for _, name in SYNONYMS:
        assert not re.search(r"[()（）\[\]【】]", name), name
