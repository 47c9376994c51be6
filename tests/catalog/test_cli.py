from __future__ import annotations

import json
from pathlib import Path

import pytest

from indicators.cli.app import main

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _no_user_catalog(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INDICATORS_CATALOG", raising=False)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_validate_bundled_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "catalog", "validate")
    assert code == 0
    assert "指标库检查通过" in out


def test_validate_broken_exits_1_with_located_diagnostics(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "catalog", "validate", str(FIXTURES / "broken"))
    assert code == 1
    assert "a-broken.yaml!第30行: IND403" in out
    assert "b-duplicate.yaml!第5行: IND402" in out
    assert "个错误" in err


def test_validate_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "catalog", "validate", str(FIXTURES / "invalid"), "--json")
    assert code == 1
    data = json.loads(out)
    assert data["ok"] is False
    assert {d["code"] for d in data["diagnostics"]} >= {"IND401"}
    assert all(d["location"]["source"] for d in data["diagnostics"] if d["code"] == "IND401")


def test_validate_bundled_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "catalog", "validate", "--json")
    assert code == 0
    assert json.loads(out)["ok"] is True


def test_show_12345_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "catalog", "show", "12345热线工单办结率", "--json")
    assert code == 0
    document = json.loads(out)
    assert document["schema_version"] == 1
    assert document["match"]["method"] in ("exact", "normalised", "fuzzy")
    assert document["origin"]["source"] == "catalog/sets/street-office.yaml"
    data = document["entry"]
    assert data["code"] == "JD-CC-ZL-002"
    assert data["name"] == "“12345”热线工单办结率"
    assert data["formula"] == "指标值=办结工单/呈办工单*100%"
    assert data["target"] == "95%以上"


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("JD-XY-SH-002", ["颐康服务中心(站)服务评估结果", "设置规则", "优秀良好合格不合格"]),
        ("工程支出符合定额标准情况", ["JD-CB-JJ-001", "是/否符合"]),
        ("区域绿化覆盖", ["JD-XY-ST-002", "匹配"]),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_show_text(capsys: pytest.CaptureFixture[str], query: str, words: list[str]) -> None:
    code, out, _ = run(capsys, "catalog", "show", query)
    assert code == 0
    for word in words:
        assert word in out


def test_show_unknown_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "catalog", "show", "党员培训")
    assert code == 1
    assert out == ""
    assert "IND414" in err
    assert "党员教育培训完成率" in err  # a near name is proposed


def test_search_satisfaction(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "catalog", "search", "满意度")
    assert code == 0
    for name in ("享受居家养老服务的长者满意度", "志愿者队伍满意度", "窗口服务满意度"):
        assert name in out


def test_search_json_and_nothing_found(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "catalog", "search", "党员", "培训", "--json")
    assert code == 0
    assert [m["entry"]["code"] for m in json.loads(out)["matches"]] == ["JD-CC-SL-003"]
    code, out, err = run(capsys, "catalog", "search", "没有这个词")
    assert code == 0
    assert "没有找到" in err


@pytest.mark.parametrize(
    ("argv", "count"),
    [
        (["--set", "street-office"], 25),
        (["--level1", "满意度指标"], 4),
        (["--set", "street-office", "--level1", "成本"], 1),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else None,
)
def test_list(capsys: pytest.CaptureFixture[str], argv: list[str], count: int) -> None:
    code, out, _ = run(capsys, "catalog", "list", *argv, "--json")
    assert code == 0
    assert len(json.loads(out)["entries"]) == count
    code, out, _ = run(capsys, "catalog", "list", *argv)
    assert f"共 {count} 个指标" in out


def test_list_unknown_set_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "catalog", "list", "--set", "nope")
    assert code == 1
    assert "street-office" in err


@pytest.mark.parametrize("before", [True, False], ids=["catalog-option-first", "catalog-option-last"])
def test_catalog_option_layers_a_directory(capsys: pytest.CaptureFixture[str], before: bool) -> None:
    option = ["--catalog", str(FIXTURES / "user")]
    argv = (
        ["catalog", *option, "show", "LOCAL-CC-SL-001"]
        if before
        else ["catalog", "show", "LOCAL-CC-SL-001", *option]
    )
    code, out, _ = run(capsys, *argv)
    assert code == 0
    assert "社区巡查次数" in out


def test_environment_variable(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INDICATORS_CATALOG", str(FIXTURES / "user"))
    code, out, _ = run(capsys, "catalog", "show", "JD-CC-ZL-002", "--json")
    assert code == 0
    assert json.loads(out)["entry"]["target"] == "98%以上"


def test_unreadable_catalog_option_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "catalog", "--catalog", str(FIXTURES / "invalid"), "list")
    assert code == 1
    assert "IND401" in err


def test_catalog_without_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "catalog")
    assert code == 2
    assert "validate" in err


def test_validate_missing_directory_exits_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "catalog", "validate", str(tmp_path / "missing"))
    assert code == 1
    assert "IND401" in out
    assert "不存在" in out


def test_list_unknown_level1_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "catalog", "list", "--level1", "投入指标")
    assert code == 1
    assert out == ""
    assert "IND416" in err
    assert "指标库中没有一级指标“投入指标”" in err
    assert "产出指标" in err  # the known level-1 names are proposed


def test_list_unknown_set_names_the_set_naturally(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "catalog", "list", "--set", "nope")
    assert code == 1
    assert "IND416 错误 指标库中没有指标集“nope”" in err


def test_list_known_level1_without_entries_is_empty(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "catalog", "list", "--set", "common", "--level1", "效益指标")
    assert code == 0
    assert "共 0 个指标" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["show", ""],
        ["show", "   "],
        ["search", ""],
        ["search", " ", "  "],
        ["list", "--set", ""],
        ["list", "--level1", " "],
    ],
    ids=repr,
)
def test_empty_query_is_a_usage_error(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, out, err = run(capsys, "catalog", *argv)
    assert code == 2
    assert out == ""
    assert "用法错误" in err


def test_a_long_query_is_quoted_shortened(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "catalog", "show", "无此指标" * 500)
    assert code == 1
    assert "…”" in err
    assert len(err) < 400


def test_show_text_speaks_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "catalog", "show", "结余率")
    assert code == 0
    assert "反向，越低越好（lower）" in out
    assert "可信度：来源确认，C" in out
    code, out, _ = run(capsys, "catalog", "show", "区域绿化覆盖")
    assert "名称相似：按“区域绿化覆盖率”找到，相似度 0.9231" in out
    assert "fuzzy" not in out


def test_validate_a_directory_reports_only_that_directory(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "catalog", "validate", str(FIXTURES / "user"))
    assert code == 0
    assert "catalog/sets/" not in out  # the bundled catalog's own notes are not the user's business
    assert "指标库检查通过：2 个指标，1 个指标集，0 个警告或提示" in out
    code, out, _ = run(capsys, "catalog", "validate", str(FIXTURES / "user"), "--json")
    data = json.loads(out)
    assert (data["ok"], data["entries"], data["diagnostics"]) == (True, 2, [])


def test_validate_a_directory_still_finds_its_duplicates(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "catalog", "validate", str(FIXTURES / "broken"))
    assert code == 1
    assert all(str(FIXTURES / "broken") in line for line in out.splitlines() if " IND" in line)


def test_list_shows_canonical_category_names(capsys: pytest.CaptureFixture[str]) -> None:
    # the user's entry writes its level-1 as “产出 指标”
    user = str(FIXTURES / "user")
    code, out, _ = run(capsys, "catalog", "list", "--catalog", user, "--set", "street-office")
    assert code == 0
    (line,) = [line for line in out.splitlines() if line.startswith("LOCAL-CC-SL-001")]
    assert line.split()[:3] == ["LOCAL-CC-SL-001", "产出指标", "数量指标"]
