"""utf8_file: a table for DuckDB in UTF-8, transcoded from the encodings Chinese offices save in."""

from __future__ import annotations

from pathlib import Path

import pytest

from indicators.inputs import SNIFF_BYTES, InputError, utf8_file

TEXT = "单位,三级指标,实际完成值\n" + "番禺区小谷围街道,党员参与志愿服务人次,1203人次\n" * 2000


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_utf8_is_read_in_place(encoding: str, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(TEXT, encoding=encoding)
    assert utf8_file(path, tmp_path) == path


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16"])
def test_other_encodings_are_copied_to_utf8(encoding: str, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(TEXT, encoding=encoding)
    assert path.stat().st_size > SNIFF_BYTES  # the sample ends somewhere inside the file
    copy = utf8_file(path, tmp_path / "")
    assert copy != path
    assert copy.read_text(encoding="utf-8") == TEXT


def test_a_sample_cut_inside_a_character_is_still_utf8(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    text = "a" * (SNIFF_BYTES - 1) + "单" + TEXT  # 单 is three bytes across the sample's end
    path.write_text(text, encoding="utf-8")
    assert utf8_file(path, tmp_path) == path


def test_binary_data_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"\x00\x01\x02PK" * 100)
    with pytest.raises(InputError):
        utf8_file(path, tmp_path)


def test_bytes_the_encoding_cannot_read_further_on_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    good = TEXT.encode("gb18030")
    path.write_bytes(good + b"\x81\x20" * 10)  # not GB18030, after the sniffed part
    with pytest.raises(InputError, match=f"gb18030 编码读取时在第 {len(good) + 1} 字节处出错"):
        utf8_file(path, tmp_path)
