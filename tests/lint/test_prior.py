"""Reading last year's values (--prior FILE) from CSV and JSON, and every way such a file is bad."""

from __future__ import annotations

from pathlib import Path

import pytest

from indicators.errors import IndicatorsError
from indicators.limits import Limits
from indicators.lint import read_prior
from indicators.lint.prior import PriorReadError


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("p.csv", "三级指标,上年值\n社工站服务评估结果,良好\n", {"社工站服务评估结果": "良好"}),
        ("p.csv", "社工站,良好\nJD-SH-001,合格\n", {"社工站": "良好", "JD-SH-001": "合格"}),
        ("p.tsv", "name\tvalue\n党员教育培训完成率\t96.5%\n", {"党员教育培训完成率": "96.5%"}),
        ("p.csv", "\ufeff社工站服务评估结果,良好\n\n", {"社工站服务评估结果": "良好"}),
        ("p.csv", '"a,b",1\n', {"a,b": "1"}),
        ("p.json", '{"社工站": "良好", "人次": 120}', {"社工站": "良好", "人次": "120"}),
        ("p.json", '[{"name": "甲", "value": 1.5}, {"code": "J", "上年值": "优"}]', {"甲": "1.5", "J": "优"}),
        ("p.txt", '{"甲": "良"}', {"甲": "良"}),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_read_prior(tmp_path: Path, name: str, content: str, expected: dict[str, str]) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert read_prior(path) == expected


def test_gb18030_csv(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes("社工站服务评估结果,良好\n".encode("gb18030"))
    assert read_prior(path) == {"社工站服务评估结果": "良好"}


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "文件为空"),
        (b"   \n", "文件为空"),
        (b"\x00\x01\x02\xff\xfe\x00", "不是文本文件"),
        ("只有一栏\n".encode(), "第 1 行应有两栏"),
        ("甲,\n".encode(), "第 1 行应有两栏"),
        ("三级指标,上年值\n".encode(), "没有任何上年值"),
        (b'{"a": ', "JSON 格式错误"),
        (b'{"a": {"b": 1}}', "应为文字或数字"),
        (b'"text"', "第 1 行应有两栏"),
        (b"[1]", "第 1 项应为对象"),
        (b'[{"name": "a"}]', "缺少指标名称"),
    ],
    ids=lambda v: v.decode("utf-8", "replace") if isinstance(v, bytes) else None,
)
def test_bad_prior_file(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "prior.csv"
    path.write_bytes(content)
    with pytest.raises(PriorReadError) as info:
        read_prior(path)
    assert isinstance(info.value, IndicatorsError)
    assert isinstance(info.value, ValueError)
    assert info.value.diagnostic.code == "IND004"
    assert reason in info.value.diagnostic.message


def test_missing_prior_file(tmp_path: Path) -> None:
    with pytest.raises(PriorReadError) as info:
        read_prior(tmp_path / "none.csv")
    assert "none.csv" in str(info.value)


def test_prior_file_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("甲,1\n" * 10, encoding="utf-8")
    with pytest.raises(PriorReadError, match="文件过大"):
        read_prior(path, limits=Limits(max_file_bytes=10))


def test_prior_file_over_the_row_limit(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("".join(f"甲{i},1\n" for i in range(5)), encoding="utf-8")
    with pytest.raises(PriorReadError, match="行数过多"):
        read_prior(path, limits=Limits(max_rows=3))


def test_json_that_is_not_an_object(tmp_path: Path) -> None:
    path = tmp_path / "prior.json"
    path.write_text('"text"', encoding="utf-8")
    with pytest.raises(PriorReadError, match="应为对象或对象列表"):
        read_prior(path)


def test_a_utf16_prior_file(tmp_path: Path) -> None:
    path = tmp_path / "prior.txt"
    path.write_text("三级指标\t上年值\r\n社工站服务评估结果\t良好\r\n", encoding="utf-16")
    assert read_prior(path) == {"社工站服务评估结果": "良好"}
