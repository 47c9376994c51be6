from __future__ import annotations

import pytest

from indicators.codes import CODES, diagnostic, lookup
from indicators.diagnostics import Location, Severity, Span, caret_excerpt, column_letter, worst
from indicators.errors import FormulaSyntaxError, IndicatorsError


@pytest.mark.parametrize(
    ("text", "start", "end", "line", "column"),
    [
        ("办结工单/*100%", 5, 6, 1, 6),
        ("a\nb村(社区)", 3, 4, 2, 2),
        ("", 0, 0, 1, 1),
        ("abc", 10, 12, 1, 4),  # clamped to the end
    ],
)
def test_span_line_and_column(text: str, start: int, end: int, line: int, column: int) -> None:
    span = Span.of(text, start, end)
    assert (span.line, span.column) == (line, column)
    assert span.start <= span.end <= len(text)


def test_caret_counts_cjk_as_two_columns() -> None:
    text = "办结工单/*100%"
    out = caret_excerpt(text, Span.of(text, 5, 6), indent="")
    marker = out.splitlines()[1]
    assert marker == " " * 9 + "^"  # 4 CJK (8 cells) + "/" (1 cell)


def test_diagnostic_fills_template_from_span() -> None:
    text = "办结工单/*100%"
    d = diagnostic("IND102", span=Span.of(text, 5, 6), text=text, expected="数值或名称")
    assert d.message == "公式在“*”处有误：此处应为数值或名称"
    assert d.severity is Severity.ERROR
    assert d.slug == "formula.unexpected-token"
    assert "^" in d.render()


def test_template_and_call_must_agree() -> None:
    with pytest.raises(AssertionError, match="expected"):
        diagnostic("IND102", text="x")


def test_codes_are_stable_and_well_formed() -> None:
    for code, row in CODES.items():
        assert code == row.code
        assert len(code) == 6
        assert code.startswith("IND")
        assert "." in row.slug
    assert lookup("formula.unexpected-token").code == "IND102"
    with pytest.raises(KeyError):
        lookup("IND999")


def test_location_names_the_cell() -> None:
    loc = Location(source="form.xlsx", sheet="Sheet1", row=7, column=3)
    assert loc.cell == "C7"
    assert str(loc) == "form.xlsx!Sheet1!C7"
    assert column_letter(28) == "AB"


def test_errors_carry_diagnostics_and_are_value_errors() -> None:
    d = diagnostic("IND106")
    err = FormulaSyntaxError(d)
    assert isinstance(err, ValueError)
    assert isinstance(err, IndicatorsError)
    assert err.diagnostic is d
    assert str(err) == "公式为空"


def test_worst_severity() -> None:
    assert worst([]) is None
    ds = [diagnostic("IND105", text="“"), diagnostic("IND106")]
    assert worst(ds) is Severity.ERROR
