"""Text hygiene: number forms are never folded into numbers, printed text never carries control characters,
output never fails on encoding; numbers in files are bounded; streams are read in chunks."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest

from indicators import parse_actual, parse_target
from indicators.cli.app import main
from indicators.cli.render import SafeStream, terminal_safe
from indicators.errors import IndicatorsError, LimitExceededError
from indicators.inputs import InputError, InputTooLargeError, read_bytes, read_number
from indicators.limits import Limits
from indicators.scoring.actuals import read_actuals
from indicators.text import nfkc, normalize_name

# --- number forms ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("１２３％", "123%"),
        ("（５０分）", "(50分)"),
        ("10²", "10²"),
        ("5①", "5①"),
        ("⑴培训", "⑴培训"),
        ("⒈产出", "⒈产出"),
        ("½", "½"),
        ("㊀", "㊀"),
        ("❶", "❶"),
        ("H₂O", "H₂O"),
        ("１０²", "10²"),
    ],
    ids=lambda v: str(v),
)
def test_nfkc_folds_width_but_not_number_forms(text: str, folded: str) -> None:
    assert nfkc(text) == folded


def test_names_keep_circled_numbers_apart_from_digits() -> None:
    assert normalize_name("①培训人次") != normalize_name("1培训人次")


@pytest.mark.parametrize("text", ["10²", "≥10²", "10³%", "①", "≥⑩", "½", "10²平方米", "5⒈"], ids=str)
def test_a_number_form_in_a_target_or_an_actual_is_refused(text: str) -> None:
    with pytest.raises(IndicatorsError) as info:
        parse_target(text)
    assert info.value.diagnostic.code in {"IND201", "IND202"}
    with pytest.raises(IndicatorsError):
        parse_actual(text)


@pytest.mark.parametrize(
    ("text", "bound", "unit"), [("≥100m²", 100, "m2"), ("≥5km²", 5, "km2"), ("≥3m³", 3, "m3")], ids=str
)
def test_a_superscript_after_a_unit_is_its_power(text: str, bound: int, unit: str) -> None:
    target = parse_target(text)
    assert target.unit == unit
    assert target.bound == Decimal(bound)


def test_formula_eval_refuses_a_superscript_value(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["formula", "eval", "a/b*100%", "--var", "a=10²", "--var", "b=3"]) == 1
    out = capsys.readouterr()
    assert "3400" not in out.out + out.err
    assert "IND112" in out.err


# --- terminal output ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("清屏\x1b[2J", "清屏\\u001b[2J"),
        ("标题\x1b]0;pwned\x07", "标题\\u001b]0;pwned\\u0007"),
        ("C1\x9b2J", "C1\\u009b2J"),
        ("反转\u202e001", "反转\\u202e001"),
        ("回车\r覆盖", "回车\\u000d覆盖"),
        ("\udcb2\udce2.txt", "\\udcb2\\udce2.txt"),
        ("制表\t换行\n", "制表\t换行\n"),
        ("普通文字 95%", "普通文字 95%"),
    ],
    ids=repr,
)
def test_terminal_safe_escapes_controls(text: str, shown: str) -> None:
    assert terminal_safe(text) == shown


def test_on_a_terminal_only_visible_styles_pass() -> None:
    text = "\x1b[1;31m错误\x1b[0m \x1b[8m隐藏\x1b[30m黑\x1b[2J"
    assert terminal_safe(text, styles=True) == "\x1b[1;31m错误\x1b[0m \\u001b[8m隐藏\\u001b[30m黑\\u001b[2J"


def test_a_stream_of_another_encoding_never_raises() -> None:
    raw = io.BytesIO()
    stream = SafeStream(io.TextIOWrapper(raw, encoding="ascii", errors="strict"))
    stream.write("错误\udcb2\n")
    stream.flush()
    assert raw.getvalue() == b"\\u9519\\u8bef\\udcb2\n"


def test_escape_sequences_in_a_form_never_reach_the_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "form.txt"
    path.write_text(
        "一级指标\t二级指标\t三级指标\t年度指标值\n产出指标\t数量指标\t培训\x1b[2J人次\t\u202e不清楚\x1b]0;x\x07\n",
        encoding="utf-8",
    )
    shown = str(path)
    for command in (["check", shown], ["form", "show", shown], ["check", shown, "--format", "json"]):
        main(command)
        out = capsys.readouterr()
        printed = out.out + out.err
        assert "\x1b" not in printed
        assert "\u202e" not in printed
        assert "\x07" not in printed


# --- numbers in files -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1203", "1203"), ("-0", "0"), ("-0.0", "0"), ("0e999999", "0"), ("1.5E-07", "1.5E-7"),
        ("1e50", "1E+50"),
    ],
    ids=str,
)
def test_a_number_in_a_file(text: str, value: str) -> None:
    assert str(read_number(text)) == value


@pytest.mark.parametrize(
    ("text", "limit"),
    [("9" * 1_000_000, "max_number_digits"), ("1e999999", "max_number_exponent"),
     ("1e-51", "max_number_exponent"), ("1e" + "9" * 40, "max_number_exponent")],
    ids=lambda v: str(v)[:12],
)
def test_a_number_over_the_limits_is_refused(text: str, limit: str) -> None:
    with pytest.raises(InputTooLargeError) as info:
        read_number(text)
    assert isinstance(info.value, LimitExceededError)
    assert f"Limits.{limit}" in info.value.diagnostic.message


@pytest.mark.parametrize("text", ["NaN", "-Infinity", "inf", "sNaN", "1,000", "abc", ""], ids=repr)
def test_what_is_not_a_finite_number_is_refused(text: str) -> None:
    with pytest.raises(InputError):
        read_number(text)


def test_json_actuals_with_hostile_numbers_give_a_diagnostic_not_a_traceback() -> None:
    for number in ("9" * 1_000_000, "1e999999", "NaN"):
        data = f'[{{"name": "培训人次", "actual": {number}, "score": {number}}}]'.encode()
        actuals = read_actuals(data, source="a.json")
        assert [d.code for d in actuals.diagnostics] == ["IND810"]
        assert actuals.records[0].score is None


# --- reading in chunks ------------------------------------------------------------------------------------


class _Trickle:
    """A stream that returns at most 3 bytes a call, as a socket or a pipe may."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.calls = 0

    def read(self, size: int = -1, /) -> bytes:
        self.calls += 1
        chunk, self.data = self.data[: min(size, 3)], self.data[min(size, 3) :]
        return chunk


def test_a_stream_is_read_to_its_end_in_chunks() -> None:
    stream = _Trickle(b"abcdefghij")
    assert read_bytes(stream).data == b"abcdefghij"
    assert stream.calls == 5


def test_an_endless_stream_stops_at_the_limit() -> None:
    class Endless:
        def read(self, size: int = -1, /) -> bytes:
            assert 0 < size <= 1 << 20
            return b"0" * size

    with pytest.raises(InputTooLargeError) as info:
        read_bytes(Endless(), limits=Limits(max_file_bytes=3_000_000))
    assert info.value.size == 3_000_001


def test_limits_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_rows"):
        Limits(max_rows=0)
