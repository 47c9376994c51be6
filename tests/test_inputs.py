"""The one input module: what may be read, how bytes become text, and the delimiter guess.

Every reader of the package (forms, actual values, last year's values, formula tables) goes through
``indicators.inputs``, so the same file is read the same way everywhere: the cross-reader tests at the end
check exactly that.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from indicators.errors import FormReadError, IndicatorsError, LimitExceededError
from indicators.forms import read_form
from indicators.inputs import (
    InputError,
    InputTooLargeError,
    decode,
    guess_delimiter,
    read_bytes,
    read_text,
)
from indicators.limits import Limits
from indicators.lint import read_prior
from indicators.scoring.actuals import ActualsError, read_actuals

SIMPLIFIED = "一级指标\t二级指标\t三级指标\t年度指标值\n产出指标\t数量指标\t培训人次\t≥500人次\n"
TRADITIONAL = "一級指標\t二級指標\t三級指標\t年度指標值\n產出指標\t數量指標\t學生受資助人數\t≧735人次\n"


@pytest.mark.parametrize(
    ("encoding", "data", "expected"),
    [
        ("utf-8", SIMPLIFIED.encode("utf-8"), "utf-8"),
        ("utf-8 with BOM", SIMPLIFIED.encode("utf-8-sig"), "utf-8-sig"),
        ("gb18030", SIMPLIFIED.encode("gb18030"), "gb18030"),
        ("gbk", SIMPLIFIED.replace("≥", ">=").encode("gbk"), "gb18030"),
        ("utf-16 with BOM", SIMPLIFIED.encode("utf-16"), "utf-16-le"),
        ("utf-16-be with BOM", b"\xfe\xff" + SIMPLIFIED.encode("utf-16-be"), "utf-16-be"),
        ("utf-16-le without BOM", SIMPLIFIED.encode("utf-16-le"), "utf-16-le"),
        ("utf-16-be without BOM", SIMPLIFIED.encode("utf-16-be"), "utf-16-be"),
        ("utf-32 with BOM", SIMPLIFIED.encode("utf-32"), "utf-32-le"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_each_encoding_decodes_to_the_same_text(encoding: str, data: bytes, expected: str) -> None:
    found = decode(data)
    assert found.text.replace(">=", "≥") == SIMPLIFIED
    assert found.encoding == expected
    assert not found.guessed


@pytest.mark.parametrize("encoding", ["big5", "cp950"], ids=str)
def test_big5_is_told_from_gb18030(encoding: str) -> None:
    data = TRADITIONAL.encode(encoding)
    assert data.decode("gb18030") != TRADITIONAL  # the bytes are valid GB18030, read as nonsense
    found = decode(data)
    assert found.text == TRADITIONAL
    assert found.guessed
    assert found.encoding in {"big5", "cp950"}


def test_gb18030_that_is_also_valid_big5_stays_gb18030() -> None:
    text = "产出指标\t数量指标\n" * 20
    data = text.encode("gb18030")
    found = decode(data)
    assert found.text == text
    assert found.encoding == "gb18030"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"\x00\x01\x02\x03" * 100, "二进制"),
        (bytes(range(1, 32)) * 40, "控制字符"),
        (b'\xe4\xb8\x80,"a\x00b"\n', "二进制"),
        (b"\xff\xfe" + b"\x00\xd8" * 3, "无法识别文件编码"),  # a UTF-16 mark before a lone surrogate
    ],
    ids=["NUL bytes", "control characters", "one NUL", "broken UTF-16"],
)
def test_binary_and_undecodable_data_is_refused(data: bytes, words: str) -> None:
    with pytest.raises(InputError) as info:
        decode(data, source="x.txt")
    assert words in info.value.reason
    assert info.value.diagnostic.code == "IND004"
    assert isinstance(info.value, ValueError)


def test_a_short_odd_nul_pattern_is_not_utf16() -> None:
    # one zero byte in ten is no UTF-16 text; it must not decode into CJK-looking nonsense
    with pytest.raises(InputError):
        decode(b"ab\x00cdefghi\n")


def test_bytes_streams_and_paths_read_alike(tmp_path: Path) -> None:
    data = SIMPLIFIED.encode("gb18030")
    path = tmp_path / "form.tsv"
    path.write_bytes(data)
    by_path = read_bytes(path)
    by_str = read_bytes(str(path))
    by_bytes = read_bytes(data, name="form.tsv")
    by_stream = read_bytes(io.BytesIO(data), name="form.tsv")
    assert by_path == by_str == by_bytes == by_stream
    assert by_path.name == "form.tsv"
    assert by_path.suffix == ".tsv"
    with path.open("rb") as handle:  # an open file is named after its path
        assert read_bytes(handle).name == "form.tsv"
    assert read_bytes(bytearray(data)).name is None
    assert read_bytes(memoryview(data)).data == data


def test_a_text_stream_is_refused() -> None:
    with pytest.raises(InputError, match="二进制方式"):
        read_bytes(io.StringIO("一级指标"))  # type: ignore[arg-type]


def test_a_source_of_another_type_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        read_bytes(42)  # type: ignore[arg-type]


@pytest.mark.parametrize("how", ["path", "bytes", "stream"])
def test_the_size_limit_holds_before_and_while_reading(tmp_path: Path, how: str) -> None:
    data = SIMPLIFIED.encode("utf-8")
    path = tmp_path / "big.txt"
    path.write_bytes(data)
    source: object = {"path": path, "bytes": data, "stream": io.BytesIO(data)}[how]
    with pytest.raises(InputTooLargeError) as info:
        read_bytes(source, limits=Limits(max_file_bytes=10))  # type: ignore[arg-type]
    assert isinstance(info.value, LimitExceededError)
    assert info.value.diagnostic.code == "IND003"
    assert info.value.limit == 10


def test_an_endless_stream_stops_at_the_limit() -> None:
    class Endless:
        asked: list[int] = []  # noqa: RUF012

        def read(self, size: int = -1, /) -> bytes:
            self.asked.append(size)
            return b"a" * (size if size >= 0 else 10**6)

    stream = Endless()
    with pytest.raises(InputTooLargeError):
        read_bytes(stream, limits=Limits(max_file_bytes=100))
    assert stream.asked == [101]


def test_non_regular_files_are_refused_before_opening(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="目录"):
        read_bytes(tmp_path)
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="管道"):  # opening a FIFO would wait for a writer forever
        read_bytes(fifo)
    if Path("/dev/null").exists():
        with pytest.raises(InputError, match="设备"):
            read_bytes("/dev/null")
    with pytest.raises(InputError, match="文件不存在"):
        read_bytes(tmp_path / "none.csv")


def test_read_text_reads_and_decodes(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_bytes(SIMPLIFIED.encode("utf-16"))
    raw, decoded = read_text(path)
    assert raw.suffix == ".txt"
    assert decoded.text == SIMPLIFIED


@pytest.mark.parametrize(
    ("text", "suffix", "delimiter"),
    [
        ("a\tb\nc\td\n", "", "\t"),
        ("a,b\nc,d\n", "", ","),
        ("a;b;c\nd;e;f\n", "", ";"),
        ("a;b;c\nd;e;f\n", ".csv", ";"),
        ("a\tb,c\n", ".csv", ","),
        ("a\tb\n", ".csv", "\t"),
        ("a,b\n", ".tsv", ","),
        ("a\tb,c\n", ".txt", "\t"),
        # a .csv saved with tabs whose cells hold thousands separators
        ("名称\t值\n甲\t1,200\n乙\t3\n丙\t4\n", ".csv", "\t"),
        # commas in every line, tabs only in some: the commas split the lines
        ("a,b,c\nd,e\tx,f\ng,h,i\nj,k,l\nm,n,o\n", "", ","),
        ("只有一段文字", "", "\t"),
        ("句子；分号", "", "\t"),  # a full-width semicolon is text, not a delimiter
        ("a;b\nc\n", "", "\t"),  # semicolons that do not split the lines evenly
    ],
    ids=repr,
)
def test_the_delimiter_is_guessed_once(text: str, suffix: str, delimiter: str) -> None:
    assert guess_delimiter(text, suffix) == delimiter


# --- every reader reads the same file the same way ---------------------------------------------------

FORM = "一级指标\t二级指标\t三级指标\t年度指标值\n产出指标\t数量指标\t培训人次\t500人次\n"
ACTUALS = "三级指标\t实际完成值\n培训人次\t520人次\n"
PRIOR = "三级指标\t上年值\n培训人次\t480人次\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-le", "utf-16-be"])
def test_every_reader_reads_every_encoding(tmp_path: Path, encoding: str) -> None:
    def write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    form = read_form(write("form.txt", FORM), use_parsers=False)
    assert form.indicators[0].name == "培训人次"
    actuals = read_actuals(write("actuals.txt", ACTUALS))
    assert [(r.name, r.actual) for r in actuals.records] == [("培训人次", "520人次")]
    assert read_prior(write("prior.txt", PRIOR)) == {"培训人次": "480人次"}


def test_a_big5_form_in_traditional_characters(tmp_path: Path) -> None:
    path = tmp_path / "big5.txt"
    path.write_bytes(TRADITIONAL.encode("big5", errors="strict").replace("≧".encode("big5"), b">="))
    form = read_form(path)
    assert [d.code for d in form.diagnostics] == ["IND005"]  # the encoding was a guess, and says so
    assert "Big5" in form.diagnostics[0].message
    row = form.indicators[0]
    assert row.name == "學生受資助人數"
    assert row.category1 is not None
    assert row.category1.canonical == "产出指标"
    assert row.category2 is not None
    assert row.category2.canonical == "数量指标"


def test_every_reader_refuses_a_directory(tmp_path: Path) -> None:
    readers = ((read_form, FormReadError), (read_actuals, ActualsError), (read_prior, IndicatorsError))
    for read, error in readers:
        with pytest.raises(error) as info:
            read(tmp_path)
        assert "目录" in info.value.diagnostic.message


def test_every_reader_accepts_bytes_and_streams() -> None:
    form = read_form(FORM.encode("gb18030"), source="上传.txt", use_parsers=False)
    assert form.source == "上传.txt"
    assert form.indicators[0].target is not None
    assert form.indicators[0].target.location is not None
    assert form.indicators[0].target.location.source == "上传.txt"
    streamed = read_form(io.BytesIO(FORM.encode("utf-16")), use_parsers=False)
    assert streamed.source is None
    assert streamed.indicators[0].name == "培训人次"
    actuals = read_actuals(io.BytesIO(ACTUALS.encode("utf-8")), source="a.tsv")
    assert actuals.source == "a.tsv"
    assert actuals.records[0].actual == "520人次"
    assert read_actuals(ACTUALS.encode("gb18030")).records[0].actual == "520人次"
    assert read_prior(PRIOR.encode("utf-8"), source="p.tsv") == {"培训人次": "480人次"}
