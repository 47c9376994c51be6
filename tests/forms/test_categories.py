"""Level names as forms print them: notes, score shares, spaces, line breaks, traditional characters and
prefixes, normalised to the taxonomy with the note and the points kept."""

from __future__ import annotations

from decimal import Decimal

import pytest

from indicators.forms import read_form_text
from indicators.lint import lint_form
from indicators.text import category_key, normalize_name, split_category, to_simplified

#: (level-1 cell, canonical level-1, note, points)
LEVEL1 = [
    ("产出指标", "产出指标", None, None),
    ("产出指标（50分）", "产出指标", "50分", Decimal(50)),
    ("产出指标(50分)", "产出指标", "50分", Decimal(50)),
    ("效益指标 (30)", "效益指标", "30", Decimal(30)),
    ("效益指标（30）", "效益指标", "30", Decimal(30)),
    ("产出指标 40分)", "产出指标", "40分", Decimal(40)),
    ("产出指标50分", "产出指标", "50分", Decimal(50)),
    ("产出指标【权重20】", "产出指标", "权重20", Decimal(20)),
    ("产出指标（12.5分）", "产出指标", "12.5分", Decimal("12.5")),
    ("满意度指标(0-10分)", "满意度指标", "0-10分", None),  # a band, not a share
    ("满意度指标（必填）（10分）", "满意度指标", "必填；10分", Decimal(10)),
    ("项目产出指标", "产出指标", None, None),
    ("部门整体效益指标", "效益指标", None, None),
    ("产出", "产出指标", None, None),
    ("产 出 指 标", "产出指标", None, None),
    ("產出指標", "产出指标", None, None),
    ("效益指標（30分）", "效益指标", "30分", Decimal(30)),
    ("滿意度指標", "满意度指标", None, None),
    ("成本指標", "成本指标", None, None),
    ("服务对象满意度指标等", "满意度指标", "等", None),
    ("服务对象满意度指标等（10分）", "满意度指标", "等；10分", Decimal(10)),
    ("“产出指标”", "产出指标", None, None),
    ("ＰＲＯＤＵＣＴ", None, None, None),
]


@pytest.mark.parametrize(("text", "canonical", "note", "points"), LEVEL1, ids=[x[0] for x in LEVEL1])
def test_level1_names(text: str, canonical: str | None, note: str | None, points: Decimal | None) -> None:
    body = "\n".join(["一级指标\t二级指标\t三级指标\t年度指标值", f"{text}\t\t培训人次\t500人次"])
    form = read_form_text(body, use_parsers=False)
    category = form.indicators[0].category1
    assert category is not None
    assert category.canonical == canonical
    assert category.note == note
    assert category.points == points
    assert form.indicators[0].level1_points == points
    assert category.cell.text == text  # the cell as written, for locations
    if canonical is not None:
        assert category.name == canonical


#: (level-1, level-2 cell, canonical level-2)
LEVEL2 = [
    ("产出指标", "數量指標", "数量指标"),
    ("产出指标", "質量指標", "质量指标"),
    ("产出指标", "時效指標", "时效指标"),
    ("产出指标", "成本指標", "成本指标"),
    ("效益指标", "經濟效益指標", "经济效益指标"),
    ("效益指标", "社會效益指標", "社会效益指标"),
    ("效益指标", "生態效益指標", "生态效益指标"),
    ("效益指标", "经济效益 指标", "经济效益指标"),
    ("效益指标", "經濟效益", "经济效益指标"),
    ("效益指标", "社會效益", "社会效益指标"),
    ("效益指标", "生態效益", "生态效益指标"),
    ("效益指標", "可持續影響指標", "可持续影响指标"),
    ("满意度指标", "服务对象满意度指标等", "服务对象满意度指标"),
    ("满意度指标", "服务对象 满意度 指标", "服务对象满意度指标"),
    ("满意度指标", "滿意度", "服务对象满意度指标"),
    ("产出指标", "质量指标（必填）", "质量指标"),
    ("产出指标", "项目数量指标", "数量指标"),
    ("", "社會效益指標", "社会效益指标"),  # no level-1: found under whichever level-1 allows it
    ("产出指标", "经济效益指标", None),  # not a level-2 of 产出指标
    ("产出指标", "数量", "数量指标"),
]


@pytest.mark.parametrize(("level1", "text", "canonical"), LEVEL2, ids=[x[1] for x in LEVEL2])
def test_level2_names(level1: str, text: str, canonical: str | None) -> None:
    body = "\n".join(["一级指标\t二级指标\t三级指标\t年度指标值", f"{level1}\t{text}\t培训人次\t500人次"])
    form = read_form_text(body, use_parsers=False)
    category = form.indicators[0].category2
    assert category is not None
    assert category.canonical == canonical


def test_a_name_printed_vertically_in_csv() -> None:
    body = (
        '一级指标,二级指标,三级指标,年度指标值\n"产\n出\n指\n标\n（50分）","数\n量\n指\n标",培训人次,500人次\n'
    )
    row = read_form_text(body, fmt="csv", use_parsers=False).indicators[0]
    assert row.category1 is not None
    assert (row.category1.canonical, row.category1.points) == ("产出指标", Decimal(50))
    assert row.category2 is not None
    assert row.category2.canonical == "数量指标"


def test_a_level2_name_in_the_level1_column_moves_to_its_column() -> None:
    body = "\n".join(["一级指标\t二级指标\t三级指标\t年度指标值", "质量指标（必填）\t\t培训合格率\t95%"])
    row = read_form_text(body, use_parsers=False).indicators[0]
    assert row.category1 is None
    assert row.category2 is not None
    assert (row.category2.canonical, row.category2.note) == ("质量指标", "必填")


def test_an_inherited_level1_keeps_its_points_and_cell() -> None:
    body = "\n".join(
        [
            "一级指标\t二级指标\t三级指标\t年度指标值",
            "产出指标（50分）\t数量指标\t培训人次\t500人次",
            "\t质量指标\t培训合格率\t95%",
        ]
    )
    second = read_form_text(body, use_parsers=False).indicators[1]
    assert second.inherited == ("level1",)
    assert second.level1_points == Decimal(50)
    assert second.category1 is not None
    assert second.category1.cell.location is not None
    assert second.category1.cell.location.row == 2  # the points come from the cell above


def test_traditional_names_lint_like_simplified_ones() -> None:
    rows = [
        "一級指標\t二級指標\t三級指標\t年度指標值",
        "產出指標\t數量指標\t培訓人次\t≥500人次",
        "效益指標\t社會效益指標\t受益人數\t≥100人",
        "滿意度指標\t服務對象滿意度指標\t學員滿意度\t≥90%",
    ]
    form = read_form_text("\n".join(rows), use_parsers=False)
    codes = {d.code for d in lint_form(form)}
    assert "IND616" not in codes  # every level-1 is known
    assert "IND608" not in codes  # every level-2 belongs to its level-1


def test_split_category_keeps_the_name_as_written() -> None:
    parts = split_category("產出指標50分")
    assert (parts.name, parts.notes, parts.points) == ("產出指標", ("50分",), Decimal(50))
    assert split_category("社会效益 指标").name == "社会效益指标"
    assert split_category("成本指标)").name == "成本指标"


@pytest.mark.parametrize(
    ("a", "b"),
    [("產出指標", "产出指标"), ("滿意度", "满意度"), ("實際完成值", "实际完成值"), ("項目支出", "项目支出")],
)
def test_traditional_and_simplified_share_a_key(a: str, b: str) -> None:
    assert normalize_name(a) == normalize_name(b)
    assert to_simplified(a) == b


def test_keys_that_must_stay_apart() -> None:
    assert category_key("社会效益指标") != category_key("经济效益指标")
    assert category_key("满意度指标") != category_key("服务对象满意度指标")
    assert category_key("项目") == "项目"  # a prefix alone is not dropped
    assert category_key("指标等") == "指标等"
