"""Files that are not forms give a FormReadError with a clear Chinese message, never a traceback."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.errors import FormReadError, IndicatorsError, LimitExceededError
from indicators.forms import FormTooLargeError, read_form, read_form_text
from indicators.limits import Limits

TABLE = "一级指标\t二级指标\t三级指标\t年度指标值\n产出指标\t数量指标\t培训人次\t500人次\n"


def _zip(**members: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


GARBAGE: list[tuple[str, bytes, str, str]] = [
    # (file name, content, code, words of the message)
    ("binary.txt", b"\x00\x01\x02\x03" * 100, "IND501", "不是文本文件"),
    ("binary.bin", bytes(range(1, 32)) * 40, "IND501", "控制字符"),
    ("undecodable.txt", b"\xff\xfe\xfa\xfb" * 10 + b"\x81", "IND501", "无法识别文件编码"),
    ("empty.txt", b"", "IND501", "文件为空"),
    ("blank.csv", b" \n\t\n", "IND501", "文件为空"),
    ("notes.txt", "只是一段说明文字。\n第二行。\n".encode(), "IND502", "未找到绩效指标表"),
    ("no-table.csv", "部门名称,某局\n".encode(), "IND502", "未找到绩效指标表"),
    (
        "ragged.csv",
        "一级指标,二级指标,三级指标,年度指标值\n产出指标,数量指标,培训人次,500,人次\n".encode(),
        "IND505",
        "第 2 行的单元格数（5）与表头不一致",
    ),
    (
        "short.csv",
        "一级指标,二级指标,三级指标,年度指标值\n产出指标,数量指标\n".encode(),
        "IND505",
        "第 2 行的单元格数（2）",
    ),
    ("fake.xlsx", b"this is not a workbook", "IND501", "不是 zip 压缩包"),
    ("other.xlsx", _zip(**{"readme.txt": "hello"}), "IND501", "不是有效的 XLSX 文件"),
    ("broken.xlsx", b"PK\x03\x04" + b"\x00" * 64, "IND501", "不是有效的 XLSX 文件"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "IND501", ".xls"),
    ("bad.json", b'{"kind": ', "IND501", "不是有效的 JSON"),
    ("other.json", b'{"kind": "poem"}', "IND501", "不是本工具导出的表格数据"),
    ("bad.yaml", b"a: [1, 2\nb: c", "IND501", "不是有效的 YAML"),
    ("list.yaml", b"- 1\n- 2\n", "IND501", "顶层应为映射"),
    ("other.yaml", b"kind: poem\n", "IND501", "不是本工具导出的表格数据"),
    ("deep.yaml", b"[" * 5000, "IND501", "嵌套过深"),
    ("deep.json", b"[" * 5000, "IND501", "不是有效的 JSON"),
    ("quote.csv", b'\xe4\xb8\x80,"a\x00b"\n', "IND501", "不是文本文件"),
]


@pytest.mark.parametrize(("name", "data", "code", "words"), GARBAGE, ids=[g[0] for g in GARBAGE])
def test_garbage_file(tmp_path: Path, name: str, data: bytes, code: str, words: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(FormReadError) as info:
        read_form(path, use_parsers=False)
    diagnostic = info.value.diagnostic
    assert diagnostic.code == code
    assert words in diagnostic.message
    assert diagnostic.severity.value == "error"
    assert diagnostic.location is not None
    assert diagnostic.location.source == name
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, IndicatorsError)
    assert words in info.value.render()


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FormReadError, match="文件不存在"):
        read_form(tmp_path / "missing.txt")


def test_a_directory(tmp_path: Path) -> None:
    with pytest.raises(FormReadError, match="是一个目录"):
        read_form(tmp_path)


def test_an_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.txt"
    path.write_text(TABLE, encoding="utf-8")

    def refuse(*args: object, **kwargs: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", refuse)  # root reads any file whatever its mode
    with pytest.raises(FormReadError) as info:
        read_form(path)
    assert info.value.diagnostic.code == "IND501"
    assert "Permission denied" in info.value.diagnostic.message


@pytest.mark.parametrize(
    ("limits", "what"),
    [
        (Limits(max_file_bytes=10), "文件大小"),
        (Limits(max_rows=1), "行数"),
        (Limits(max_columns=3), "列数"),
    ],
    ids=["bytes", "rows", "columns"],
)
def test_size_limits(tmp_path: Path, limits: Limits, what: str) -> None:
    path = tmp_path / "form.tsv"
    path.write_text(TABLE, encoding="utf-8")
    with pytest.raises(FormTooLargeError) as info:
        read_form(path, limits=limits)
    assert info.value.diagnostic.code == "IND003"
    assert what in info.value.diagnostic.message
    assert isinstance(info.value, FormReadError)
    assert isinstance(info.value, LimitExceededError)


@pytest.mark.parametrize(
    ("limits", "what"),
    [(Limits(max_file_bytes=10), "文本长度"), (Limits(max_rows=1), "行数")],
    ids=["chars", "rows"],
)
def test_size_limits_in_memory(limits: Limits, what: str) -> None:
    with pytest.raises(FormTooLargeError, match=what):
        read_form_text(TABLE, limits=limits)


def test_csv_row_limit() -> None:
    with pytest.raises(FormTooLargeError, match="行数"):
        read_form_text(TABLE.replace("\t", ","), fmt="csv", limits=Limits(max_rows=1))


def test_empty_text_in_memory() -> None:
    with pytest.raises(FormReadError, match="文件为空"):
        read_form_text("  \n")


def test_xlsx_limits(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["一级指标", "二级指标", "三级指标", "年度指标值"])
    ws.append(["产出指标", "数量指标", "培训人次", "500人次"])
    path = tmp_path / "form.xlsx"
    wb.save(path)
    assert len(read_form(path, use_parsers=False).indicators) == 1
    with pytest.raises(FormTooLargeError, match="行数"):
        read_form(path, limits=Limits(max_rows=1))
    with pytest.raises(FormTooLargeError, match="列数"):
        read_form(path, limits=Limits(max_columns=3))


def test_a_zip_bomb_is_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", "0" * 1_000_000)
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(FormTooLargeError, match="解压后的大小"):
        read_form(path, limits=Limits(max_unpacked_bytes=500_000))


_PIECES = [
    "\t",
    "\n",
    ",",
    '"',
    "“",
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实施周期指标值",
    "实际完成值",
    "产出指标",
    "数量指标",
    "指标值=",
    "/",
    "*100%",
    "95%以上",
    "预算整体情况",
    "年度重点工作任务",
    "部门名称",
    "5,786.45",
    "绩效指标",
    "合计",
    "\x00",
    "\r",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=4)), max_size=60),
    st.sampled_from(["text", "csv", "json", "yaml"]),
)
def test_any_text_gives_a_form_or_a_form_read_error(pieces: list[str], fmt: str) -> None:
    text = "".join(pieces)
    error: FormReadError | None = None
    try:
        form = read_form_text(text, fmt=fmt, use_parsers=False)
    except FormReadError as exc:
        error = exc
    if error is not None:
        assert error.diagnostics
        assert error.diagnostic.code.startswith(("IND5", "IND0"))
    else:
        assert all(r.index == i for i, r in enumerate(form.indicators))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300), st.sampled_from([".txt", ".csv", ".xlsx", ".json", ".yaml", ""]))
def test_any_bytes_give_a_form_or_a_form_read_error(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / f"file{suffix}"
    path.write_bytes(data)
    error: FormReadError | None = None
    try:
        read_form(path, use_parsers=False)
    except FormReadError as exc:
        error = exc
    assert error is None or error.diagnostic.severity.value == "error"
