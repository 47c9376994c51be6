"""The corpus of hostile files: each ends in the exact diagnostic expected for it, within the memory bound.

Every file is built by :mod:`tests.fuzz.hostile`. Each case is read in process under ``tracemalloc``
(peak below 500 MB) and through the command line (exit code 1, the diagnostic naming the limit). Time is
not asserted here: ``benchmarks/`` measures it.
"""

from __future__ import annotations

import os
import random
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.fuzz import hostile

from indicators.cli.app import main
from indicators.errors import FormReadError, LimitExceededError
from indicators.forms import read_form

MEMORY_BOUND = 500 * 1024 * 1024


@dataclass(frozen=True)
class Case:
    id: str
    name: str
    build: Callable[[], bytes]
    code: str
    #: words the message must hold (the limit's name for a limit)
    words: str


def _text(text: str) -> Callable[[], bytes]:
    return lambda: text.encode("utf-8")


def _binary() -> bytes:
    return random.Random(14).randbytes(4096)


def _mixed() -> bytes:
    return hostile.TABLE.encode("utf-8") + "产出指标\t数量指标\t培训人次\t100人次\n".encode("gbk")


def _too_many_members() -> bytes:
    members = [(f"x/{i}.xml", hostile.deflate(b"<a/>"), 4, 0) for i in range(2_100)]
    return hostile.raw_zip(members)


_CSV = hostile.TABLE.replace("\t", ",")
CASES = [
    Case("empty", "empty.xlsx", lambda: b"", "IND501", "文件为空"),
    Case("binary", "binary.txt", _binary, "IND501", "不是文本文件"),
    Case("binary-as-xlsx", "binary.xlsx", _binary, "IND501", "不是 zip 压缩包"),
    Case("truncated-zip", "truncated.xlsx", hostile.truncated, "IND501", "不是 zip 压缩包"),
    Case("zip-bomb", "bomb.xlsx", hostile.zip_bomb, "IND003", "Limits.max_compression_ratio"),
    Case("under-declared-member", "liar.xlsx", hostile.under_declared, "IND501", "超过其声明的 1000 字节"),
    Case("too-many-members", "members.xlsx", _too_many_members, "IND003", "Limits.max_zip_members"),
    Case("billion-laughs-sheet", "laughs.xlsx", hostile.billion_laughs, "IND501", "实体定义"),
    Case("billion-laughs-styles", "laughs2.xlsx", lambda: hostile.billion_laughs("xl/styles.xml"),
         "IND501", "实体定义"),
    # Excel shows A1's text in every cell of a merged range: the whole used area is the header's first word
    Case("merged-whole-sheet", "merged.xlsx", hostile.huge_merge, "IND502", "未找到绩效指标表"),
    Case("million-rows-xlsx", "rows.xlsx", hostile.many_rows, "IND003", "Limits.max_rows"),
    Case("million-rows-text", "rows.txt", _text("1\n" * 1_000_000), "IND003", "Limits.max_rows"),
    Case("million-rows-csv", "rows.csv", _text("a,b\n" * 1_000_000), "IND003", "Limits.max_rows"),
    Case("19mb-cell-text", "cell.txt", _text(hostile.TABLE + "产出指标\t" + "x" * 19_000_000 + "\n"),
         "IND003", "Limits.max_line_chars"),
    Case("19mb-line-of-commas", "commas.csv", _text(hostile.TABLE + "," * 19_000_000 + "\n"), "IND003",
         "Limits.max_line_chars"),
    Case("long-cell-text", "long.txt", _text(hostile.TABLE + "产出指标\t" + "长" * 40_000 + "\n"), "IND003",
         "Limits.max_cell_chars"),
    Case("long-cell-csv", "long.csv", _text(_CSV + '"' + "长,\n" * 15_000 + '"\n'), "IND003",
         "Limits.max_cell_chars"),
    Case("19mb-cell-xlsx", "cell.xlsx", hostile.big_inline_cell, "IND003", "Limits.max_compression_ratio"),
    Case("long-cell-xlsx", "long.xlsx", lambda: hostile.big_inline_cell(40_000), "IND003",
         "Limits.max_cell_chars"),
    Case("million-digit-number", "digits.xlsx", lambda: hostile.number_cell("9" * 1_000_000), "IND003",
         "Limits.max_cell_chars"),
    Case("sixty-digit-number", "sixty.xlsx", lambda: hostile.number_cell("9" * 60), "IND003",
         "Limits.max_number_digits"),
    Case("huge-exponent", "exp.xlsx", lambda: hostile.number_cell("1E+999999"), "IND003",
         "Limits.max_number_exponent"),
    Case("nan-number", "nan.xlsx", lambda: hostile.number_cell("NaN"), "IND501", "不是有限的数值"),
    Case("nul-bytes", "nul.txt", lambda: "一级指标".encode() + b"\x00\x00" * 500, "IND501", "不是文本文件"),
    Case("mixed-encodings", "mixed.txt", _mixed, "IND501", "无法识别文件编码"),
    Case("too-large-file", "big.txt", lambda: b"a" * 20_000_001, "IND003", "Limits.max_file_bytes"),
]


def _read(path: Path) -> tuple[Exception | None, int]:
    """The error reading ``path`` gives (None for a form), and the peak of memory allocated meanwhile."""
    tracemalloc.start()
    try:
        read_form(path, use_parsers=False)
        error: Exception | None = None
    except FormReadError as exc:
        error = exc
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return error, peak


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    for case in CASES:
        (folder / case.name).write_bytes(case.build())
    return folder


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_each_hostile_file_gives_its_diagnostic_within_the_memory_bound(corpus: Path, case: Case) -> None:
    error, peak = _read(corpus / case.name)
    assert isinstance(error, FormReadError), f"{case.id} was read as a form"
    assert error.diagnostic.code == case.code
    assert case.words in error.diagnostic.message
    assert isinstance(error, LimitExceededError) == (case.code == "IND003")
    assert peak < MEMORY_BOUND


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_each_hostile_file_exits_1_on_the_command_line(
    corpus: Path, case: Case, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(corpus / case.name)]) == 1
    out = capsys.readouterr()
    printed = out.out + out.err
    assert case.code in printed
    assert case.words in printed
    assert "Traceback" not in printed


@pytest.mark.parametrize(
    "build",
    [
        lambda: hostile.huge_merge("A1:XFD1 A9:XFD1048576 E2:E1048576", first_row=2),
        hostile.formatted_empty_cells,
    ],
    ids=["merged-title-row-and-ranges-below", "formatted-empty-cells"],
)
def test_merged_ranges_and_formatted_cells_are_clipped_to_the_used_area(
    tmp_path: Path, build: Callable[[], bytes]
) -> None:
    path = tmp_path / "form.xlsx"
    path.write_bytes(build())
    tracemalloc.start()
    try:
        form = read_form(path, use_parsers=False)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [row.level3.text for row in form.indicators if row.level3 is not None] == ["培训人次"]
    assert form.indicators[0].target is not None
    assert form.indicators[0].target.text == "500人次以上"
    assert peak < MEMORY_BOUND


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_fifo_a_directory_and_a_device_are_refused_before_opening(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "form.txt"
    os.mkfifo(fifo)
    expected = {str(fifo): "管道（FIFO）", str(tmp_path): "目录", "/dev/zero": "设备"}
    for path, words in expected.items():
        if not os.path.exists(path):
            continue
        with pytest.raises(FormReadError) as info:
            read_form(path)
        assert info.value.diagnostic.code == "IND501"
        assert words in info.value.diagnostic.message
        assert "只读取普通文件" in (info.value.diagnostic.hint or "")
        assert main(["check", path]) == 1
        assert words in capsys.readouterr().out
