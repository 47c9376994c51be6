"""The rule framework: registration checks, rule lookup, docstring parsing and the example format."""

from __future__ import annotations

from decimal import Decimal

import pytest

from indicators.forms.model import BudgetGroup
from indicators.lint import Rule, all_rules, get_rule
from indicators.lint.base import RuleDoc, register, whole_text_span
from indicators.lint.examples import form_from_example, load_example, prior_from_example

GOOD_DOC = """Summary.

    Bad:
        rows: []

    Good:
        rows: []
    """


def _rule(code: str, doc: str | None = GOOD_DOC, also: tuple[str, ...] = ()) -> type[Rule]:
    return type("Probe", (Rule,), {"code": code, "__doc__": doc, "also_emits": also})


@pytest.mark.parametrize(
    ("code", "doc", "also", "error"),
    [
        ("IND101", GOOD_DOC, (), AssertionError),
        ("IND601", GOOD_DOC, (), AssertionError),
        ("IND999", GOOD_DOC, (), KeyError),
        ("IND689", GOOD_DOC, (), KeyError),
        ("IND690", "Summary only.", (), AssertionError),
        ("IND690", "Summary.\n\nGood:\n    rows: []\n\nBad:\n    rows: []\n", (), AssertionError),
        ("IND690", GOOD_DOC, ("IND999",), KeyError),
    ],
    ids=["not-a-lint-code", "code-taken", "unknown-code", "unknown-lint-code", "no-examples",
         "examples-out-of-order", "unknown-extra-code"],
)
def test_register_rejects_bad_rules(
    code: str, doc: str, also: tuple[str, ...], error: type[Exception]
) -> None:
    before = [r.code for r in all_rules()]
    with pytest.raises(error):
        register(_rule(code, doc, also))
    assert [r.code for r in all_rules()] == before


def test_rule_doc_parts() -> None:
    text = (
        "First line\ncontinued.\n\nBody text.\n\nNever fires on:\n    - one\n    - two,\n      continued\n\n"
        "Source:\n    A regulation,\n    as quoted.\n\nBad:\n    a: 1\n\nGood:\n    b: 2\n"
    )
    doc = RuleDoc.parse(_rule("IND690", text))
    assert (doc.summary, doc.body) == ("First line continued.", "Body text.")
    assert doc.never == ("one", "two, continued")
    assert doc.source == "A regulation, as quoted."
    assert (doc.bad, doc.good) == ("a: 1", "b: 2")


@pytest.mark.parametrize(
    "text",
    [
        "Summary.\n\nBad:\n    a: 1\n\nGood:\n    b: 2\n",
        "Summary.\n\nSource:\n    x\n\nNever fires on:\n    - y\n\nBad:\n    a: 1\n\nGood:\n    b: 2\n",
        "Summary.\n\nNever fires on:\n    nothing listed\n\nSource:\n    x\n\n"
        "Bad:\n    a: 1\n\nGood:\n    b: 2\n",
    ],
    ids=["no never/source", "sections out of order", "never without items"],
)
def test_rule_doc_needs_every_section_in_order(text: str) -> None:
    with pytest.raises(AssertionError):
        RuleDoc.parse(_rule("IND690", text))


def test_get_rule_by_code_or_slug() -> None:
    assert get_rule("IND604") is get_rule("lint.target-unit-mismatch")
    with pytest.raises(KeyError):
        get_rule("IND690")


def test_base_rule_has_no_check() -> None:
    with pytest.raises(NotImplementedError):
        Rule().check(None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [("4个以上", 0, 4), ("  4个以上 ", 2, 6), ("", 0, 0), ("   ", 0, 0)],
    ids=["plain", "padded", "empty", "blank"],
)
def test_whole_text_span(text: str, start: int, end: int) -> None:
    span = whole_text_span(text)
    assert (span.start, span.end) == (start, end)


def test_example_numbers_are_exact_decimals() -> None:
    form = form_from_example(load_example("budget:\n  income: {财政拨款: 17045.54, 其他资金: 30}\n"))
    assert [(i.group, i.label, i.amount) for i in form.budget] == [
        (BudgetGroup.INCOME, "财政拨款", Decimal("17045.54")),
        (BudgetGroup.INCOME, "其他资金", Decimal("30")),
    ]


def test_example_rows_tasks_and_prior() -> None:
    data = load_example(
        "rows:\n  - [产出指标, 数量指标, 甲, 指标值=甲, 1个]\n  - {level3: 乙, unit: 个}\n"
        "tasks:\n  - [任务, '1,152.50']\nprior:\n  甲: 95\n"
    )
    form = form_from_example(data)
    first, second = form.indicators
    assert first.target is not None
    assert first.target.location is not None
    assert (first.target.location.row, first.target.location.column) == (2, 5)
    assert second.unit is not None
    assert second.unit.text == "个"
    assert second.formula is None
    assert form.tasks[0].funds == Decimal("1152.50")
    assert prior_from_example(data) == {"甲": "95"}
    assert load_example("") == {}


@pytest.mark.parametrize(
    "text",
    [
        "- a\n- b\n",
        "color: red\n",
        "rows:\n  - {level4: 甲}\n",
        "budget:\n  income: {财政拨款: 一万}\n",
        "budget:\n  spare: {财政拨款: 1}\n",
    ],
    ids=["not-a-mapping", "unknown-key", "unknown-row-field", "bad-amount", "unknown-group"],
)
def test_bad_examples_are_rejected(text: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - each case has its own message
        form_from_example(load_example(text))


def test_texts_over_the_limit_are_findings_quoted_short() -> None:
    from indicators.lint import lint_form

    long_target = "9" * 3000
    example = {"rows": [["产出指标", "数量指标", "甲", "指标值=" + "甲+" * 1500 + "甲", long_target]]}
    found = lint_form(form_from_example(example), select=["IND601", "IND606"])
    assert [d.code for d in found] == ["IND606", "IND601"]
    for d in found:
        assert len(d.message) < 120
        assert d.data["cause"].startswith("IND0")
    assert "…" in found[1].message


def test_a_parser_note_that_a_rule_reports_is_given_once() -> None:
    from indicators.lint import lint_form

    example = {"rows": [["效益指标", "社会效益指标", "居民生活环境", "指标值=居民生活环境", "明显改善"]]}
    found = lint_form(form_from_example(example), select=["IND2", "IND603"])
    assert [d.code for d in found] == ["IND603"]


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (["财政拨款 + 其他资", "金，as quoted"], "财政拨款 + 其他资金，as quoted"),
        (["as commonly", "quoted"], "as commonly quoted"),
        (["财预〔2021〕101号", "(as quoted)"], "财预〔2021〕101号 (as quoted)"),
        (["", "  one  ", ""], "one"),
    ],
)
def test_join_lines(lines: list[str], joined: str) -> None:
    from indicators.lint.base import join_lines

    assert join_lines(lines) == joined
