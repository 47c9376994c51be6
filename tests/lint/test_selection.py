"""Rule selection by code, prefix, slug, slug group and pattern; import findings are selectable too."""

from __future__ import annotations

import pytest

from indicators.codes import diagnostic
from indicators.diagnostics import Location
from indicators.forms.model import Form
from indicators.lint import Selection, SelectorError, lint_form, select_rules
from indicators.lint.examples import form_from_example

BUDGET_AND_EMPTY = {
    "rows": [["成本指标", "社会成本指标", None, None, None]],
    "budget": {"spending": {"基本支出": "1"}, "income": {"财政拨款": "2"}},
}


@pytest.mark.parametrize(
    ("select", "ignore", "expected"),
    [
        ([], [], {"IND610", "IND611", "IND701"}),
        (["IND610"], [], {"IND610"}),
        (["IND6"], [], {"IND610", "IND611"}),
        (["IND61"], [], {"IND610", "IND611"}),
        (["IND61"], ["IND611"], {"IND610"}),
        (["IND7"], [], {"IND701"}),
        (["budget"], [], {"IND701"}),
        (["budget.income-spending-mismatch"], [], {"IND701"}),
        (["lint.category-*"], [], {"IND610", "IND611"}),
        (["lint.category"], [], {"IND610", "IND611"}),
        (["lint.category-empty"], [], {"IND610"}),
        (["lint"], [], {"IND610", "IND611"}),
        (["ALL"], ["budget"], {"IND610", "IND611"}),
        ([], ["IND610,IND701", "lint.category-missing"], set()),
        (["IND610,IND701"], ["IND701"], {"IND610"}),
        (["ind610"], [], {"IND610"}),
    ],
    ids=lambda v: (",".join(v) or "-") if isinstance(v, list) else None,
)
def test_selection(select: list[str], ignore: list[str], expected: set[str]) -> None:
    found = lint_form(form_from_example(BUDGET_AND_EMPTY), select=select, ignore=ignore)
    assert {d.code for d in found} == expected


@pytest.mark.parametrize("token", ["IND999", "lint.no-such-rule", "nothing-*", "bud", "lint.target-vagu"])
def test_unknown_selector_is_an_error(token: str) -> None:
    with pytest.raises(SelectorError) as info:
        Selection.of([token])
    assert info.value.diagnostic.code == "IND690"
    assert token in info.value.diagnostic.message
    with pytest.raises(SelectorError):
        lint_form(Form(), ignore=[token])


def test_select_rules_lists_only_rules_that_can_emit_a_wanted_code() -> None:
    assert [r.code for r in select_rules(["lint.target-*"])] == [
        "IND601", "IND602", "IND603", "IND604", "IND630",
    ]
    assert [r.code for r in select_rules(["IND704"])] == ["IND701", "IND702", "IND703", "IND706"]
    assert select_rules(["IND5"]) == []


def test_import_findings_are_reported_and_selectable() -> None:
    note = diagnostic("IND503", row=20, detail="三级指标左移一格", location=Location(row=20, column=3))
    form = Form(diagnostics=(note,))
    assert lint_form(form) == [note]
    assert lint_form(form, select=["form"]) == [note]
    assert lint_form(form, ignore=["IND503"]) == []
    assert lint_form(form, select=["IND6"]) == []


def test_findings_are_in_form_order() -> None:
    example = {
        "rows": [
            ["产出指标", "数量指标", "甲", "指标值=甲", "1个"],
            ["成本指标", "社会成本指标", None, None, None],
            ["产出指标", "数量指标", "甲", "指标值=甲", "1个"],
        ],
        "budget": {"spending": {"基本支出": "1"}, "income": {"财政拨款": "2"}},
    }
    found = lint_form(form_from_example(example), select=["IND609", "IND610", "IND701"])
    assert [(d.code, d.location.row if d.location else None) for d in found] == [
        ("IND610", 3),
        ("IND609", 4),
        ("IND701", 101),
    ]


PARSER_NOTES = {
    "rows": [
        ["产出指标", "数量指标", "党员参与志愿服务人次", "指标值=党员参与志愿服务人次", "100人次以上。"],
        ["产出指标", "数量指标", "招商引资活动开展次数", "指标值=招商引资活动举办次数", "≥1次"],
    ]
}


def test_parser_notes_are_placed_on_their_cell() -> None:
    found = lint_form(form_from_example(PARSER_NOTES), select=["target"])
    assert [d.code for d in found] == ["IND205"]
    (d,) = found
    assert d.location is not None
    assert (d.location.row, d.location.column) == (2, 5)
    assert d.indicator == "党员参与志愿服务人次"
    assert d.span is not None
    assert d.text is not None
    assert d.text[d.span.start : d.span.end] == "。"


def test_parser_notes_follow_the_selection() -> None:
    assert {d.code for d in lint_form(form_from_example(PARSER_NOTES), select=["IND6"])} == {"IND611"}
    assert lint_form(form_from_example(PARSER_NOTES), select=["target"], ignore=["IND205"]) == []
