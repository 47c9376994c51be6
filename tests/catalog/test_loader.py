from __future__ import annotations

from pathlib import Path

import pytest

from indicators.catalog import ENV_VAR, Catalog, load_catalog
from indicators.catalog.loader import env_dirs, read_dir
from indicators.diagnostics import Severity
from indicators.errors import CatalogError, IndicatorsError
from indicators.limits import Limits

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def bundled() -> Catalog:
    return load_catalog(use_env=False)


def test_bundled_catalog_loads_without_diagnostics(bundled: Catalog) -> None:
    assert bundled.load_diagnostics == ()
    assert set(bundled.sets) == {"street-office", "common"}
    assert len(bundled.list(set="street-office")) == 25
    assert len(bundled.entries) == len(bundled) == len(bundled.records)
    assert bundled.taxonomy_sources == ("catalog/taxonomy.yaml",)


def test_set_info(bundled: Catalog) -> None:
    info = bundled.sets["street-office"]
    assert info.title == "街道/镇部门整体绩效指标"
    assert info.sources == ("catalog/sets/street-office.yaml",)
    assert info.codes[0] == "JD-CC-SL-001"
    assert len(info.codes) == 25


def test_entries_know_their_set_and_line(bundled: Catalog) -> None:
    entry = bundled.get("JD-CC-ZL-002")
    assert entry is not None
    assert entry.set == "street-office"
    origin = bundled.origin("jd-cc-zl-002")
    assert origin is not None
    assert origin.source == "catalog/sets/street-office.yaml"
    assert origin.line is not None
    assert origin.lines["target"] > origin.line
    assert bundled.origin("NOPE-1") is None


def test_set_header_source_is_the_default_source(tmp_path: Path) -> None:
    (tmp_path / "sets").mkdir()
    (tmp_path / "sets" / "x.yaml").write_text(
        "set: local\ntitle: 本地\nsource: 本地文件\nentries:\n"
        "  - {code: LOC-001, level1: 产出指标, level2: 数量指标, name: 某次数, kind: quantity}\n",
        encoding="utf-8",
    )
    entry = load_catalog(tmp_path, use_env=False).get("LOC-001")
    assert entry is not None
    assert entry.source == "本地文件"
    assert entry.set == "local"


# --- layering -----------------------------------------------------------------------------------------


def test_user_directory_overrides_and_adds(bundled: Catalog) -> None:
    layered = load_catalog(FIXTURES / "user", use_env=False)
    overridden = layered.get("JD-CC-ZL-002")
    assert overridden is not None
    assert overridden.target == "98%以上"
    assert layered.get("LOCAL-CC-SL-001") is not None
    assert len(layered) == len(bundled) + 1
    origin = layered.origin("JD-CC-ZL-002")
    assert origin is not None
    assert origin.layer == 1
    assert origin.source.endswith("street-office-local.yaml")
    # the user's taxonomy adds a level-2 and keeps the bundled ones
    assert layered.taxonomy.allowed("产出指标", "安全指标")
    assert layered.taxonomy.allowed("产出指标", "成本指标")
    assert layered.taxonomy_sources[-1].endswith("user/taxonomy.yaml")
    # the bundled catalog is untouched
    entry = bundled.get("JD-CC-ZL-002")
    assert entry is not None
    assert entry.target == "95%以上"


def test_later_directories_win(tmp_path: Path) -> None:
    for i, target in enumerate(("91%以上", "92%以上")):
        sets = tmp_path / f"d{i}" / "sets"
        sets.mkdir(parents=True)
        (sets / "s.yaml").write_text(
            f"set: s\ntitle: 层{i}\nentries:\n  - {{code: L-001, level1: 产出, level2: 质量, name: 某率, "
            f"formula: 指标值=a/b*100%, unit: '%', kind: percentage, target: {target}, source: 测试}}\n",
            encoding="utf-8",
        )
    catalog = load_catalog(tmp_path / "d0", tmp_path / "d1", use_env=False)
    entry = catalog.get("L-001")
    assert entry is not None
    assert entry.target == "92%以上"
    assert catalog.sets["s"].title == "层1"
    assert len(catalog.sets["s"].sources) == 2


def test_environment_variable_layers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, str(FIXTURES / "user"))
    assert load_catalog().get("LOCAL-CC-SL-001") is not None
    assert load_catalog(use_env=False).get("LOCAL-CC-SL-001") is None


@pytest.mark.parametrize(
    ("value", "count"),
    [("", 0), ("a", 1), ("a:b", 2), (":a::", 1), ("  ", 0)],
    ids=["empty", "one", "two", "blank-parts", "spaces"],
)
def test_env_dirs(value: str, count: int) -> None:
    assert len(env_dirs({ENV_VAR: value.replace(":", __import__("os").pathsep)})) == count


def test_taxonomy_only_directory(tmp_path: Path) -> None:
    catalog = load_catalog(FIXTURES / "taxonomy-only", use_env=False)
    assert catalog.taxonomy.canonical_level1("投入") == "投入指标"
    assert len(catalog.entries) == len(load_catalog(use_env=False).entries)


# --- errors -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["does-not-exist", "not-a-catalog"])
def test_unusable_directory_raises(name: str) -> None:
    with pytest.raises(CatalogError) as info:
        load_catalog(FIXTURES / name, use_env=False)
    assert info.value.diagnostic.code == "IND401"
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, IndicatorsError)


def test_invalid_directory_raises_with_located_diagnostics() -> None:
    with pytest.raises(CatalogError) as info:
        load_catalog(FIXTURES / "invalid", use_env=False)
    assert {d.code for d in info.value.diagnostics} == {"IND401"}


def _invalid() -> Catalog:
    return load_catalog(FIXTURES / "invalid", use_env=False, strict=False)


# (file, line, words in the message) for each problem in fixtures/invalid
INVALID = [
    ("a-syntax.yaml", 6, "YAML 格式错误：方括号“[”没有闭合"),
    ("b-fields.yaml", 10, "第1个指标（FLD-001）的 colour：不认识的字段"),
    ("b-fields.yaml", 11, "第2个指标（FLD-002）的 source：缺少必填字段"),
    ("b-fields.yaml", 16, "第3个指标（fld-003）的 code：格式不对：应由大写字母、数字和连字符组成"),
    ("b-fields.yaml", 26, "的 kind：取值不在允许范围内，可用：percentage、ratio、rate、quantity"),
    ("b-fields.yaml", 41, "第6个指标（FLD-006）的 rules 第1项：规则类型（kind）“never_heard_of”未知"),
    ("c-list.yaml", 1, "键值映射"),
    ("d-header.yaml", 1, "set：格式不对：应由小写字母、数字和连字符组成"),
    ("e-entries.yaml", 3, "entries 应为列表"),
    ("f-binary.yaml", None, "UTF-8"),
    ("taxonomy.yaml", 5, "level1 第1项（产出指标）的 level2：列表项太少（至少 1 项）"),
]


@pytest.mark.parametrize(("file", "line", "words"), INVALID, ids=[f"{f}:{w}" for f, _, w in INVALID])
def test_invalid_fixture_diagnostics(file: str, line: int | None, words: str) -> None:
    found = [
        d
        for d in _invalid().load_diagnostics
        if d.location and d.location.source and d.location.source.endswith(file) and words in d.message
    ]
    assert found, [d.render() for d in _invalid().load_diagnostics]
    assert found[0].code == "IND401"
    assert found[0].severity is Severity.ERROR
    assert found[0].location is not None
    assert found[0].location.row == line


def test_invalid_fixture_keeps_the_good_entries() -> None:
    catalog = _invalid()
    assert catalog.get("FLD-005") is not None
    assert catalog.get("FLD-001") is None
    assert len(catalog.load_diagnostics) == len(INVALID)
    # validate() reports the reading errors too
    found = catalog.validate()
    assert all(d in found for d in catalog.load_diagnostics)


def test_file_size_limit(tmp_path: Path) -> None:
    (tmp_path / "sets").mkdir()
    (tmp_path / "sets" / "big.yaml").write_text("set: big\ntitle: 大\n" + "# pad\n" * 100, encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_catalog(tmp_path, use_env=False, limits=Limits(max_file_bytes=100))
    assert info.value.diagnostic.code == "IND003"


def test_read_dir_on_a_file(tmp_path: Path) -> None:
    file = tmp_path / "f.yaml"
    file.write_text("set: x\n", encoding="utf-8")
    layer = read_dir(file, 1)
    assert [d.code for d in layer.diagnostics] == ["IND401"]


def test_empty_entries_list(tmp_path: Path) -> None:
    (tmp_path / "sets").mkdir()
    (tmp_path / "sets" / "e.yaml").write_text("set: empty\ntitle: 空\nentries:\n", encoding="utf-8")
    catalog = load_catalog(tmp_path, use_env=False)
    assert catalog.sets["empty"].codes == ()


def test_messages_are_chinese_without_pydantic_wording() -> None:
    for d in _invalid().load_diagnostics:
        assert "Input should" not in d.message
        assert "Field required" not in d.message
        assert "Extra inputs" not in d.message
        assert "Tuple should" not in d.message


def _one_set(tmp_path: Path, text: str) -> Path:
    (tmp_path / "sets").mkdir()
    (tmp_path / "sets" / "s.yaml").write_text(text, encoding="utf-8")
    return tmp_path


ENTRY = "  - code: DP-001\n    level1: 产出指标\n    level2: 数量指标\n    name: 某次数\n    kind: quantity\n"


def test_a_duplicate_key_is_an_error_not_a_silent_override(tmp_path: Path) -> None:
    text = "set: dup\ntitle: 重复\nsource: 测试\nentries:\n" + ENTRY
    text += "    target: 5次以上\n    target: 3次以上\n"
    catalog = load_catalog(_one_set(tmp_path, text), use_env=False, strict=False)
    found = [d for d in catalog.load_diagnostics if d.code == "IND401"]
    assert len(found) == 1
    assert "字段“target”重复（第 10 行已有）" in found[0].message
    assert found[0].location is not None
    assert found[0].location.row == 11
    with pytest.raises(CatalogError):
        load_catalog(tmp_path, use_env=False)


def test_merge_keys_are_not_duplicates(tmp_path: Path) -> None:
    text = (
        "set: merge\ntitle: 合并\nsource: 测试\nentries:\n"
        "  - &base {code: MG-001, level1: 产出指标, level2: 数量指标, name: 甲, kind: quantity}\n"
        "  - <<: *base\n    code: MG-002\n    name: 乙\n"
    )
    catalog = load_catalog(_one_set(tmp_path, text), use_env=False)
    entry = catalog.get("MG-002")
    assert entry is not None
    assert (entry.name, entry.level2) == ("乙", "数量指标")


def test_alias_expansion_is_bounded(tmp_path: Path) -> None:
    from indicators.catalog.loader import MAX_ALIAS_NODES

    notes = "[" + ",".join(["x"] * 400) + "]"
    text = "set: big\ntitle: 大\nsource: 测试\nentries:\n  - &e\n" + ENTRY.replace("  - ", "    ", 1)
    text += f"    notes: {notes}\n" + "  - *e\n" * (MAX_ALIAS_NODES // 400 + 1)
    with pytest.raises(CatalogError) as info:
        load_catalog(_one_set(tmp_path, text), use_env=False)
    assert info.value.diagnostic.code == "IND003"
    assert "别名" in info.value.diagnostic.message


def test_a_recursive_alias_is_reported(tmp_path: Path) -> None:
    text = "set: rec\ntitle: 递归\nentries: &e\n  - {code: RC-001, aliases: *e}\n"
    with pytest.raises(CatalogError) as info:
        load_catalog(_one_set(tmp_path, text), use_env=False)
    assert info.value.diagnostic.code == "IND003"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "文件是空的"),
        ("# 只有注释\n", "文件是空的"),
        ("set: t\ntitle: 制表符\nentries:\n\t- code: A-1\n", "制表符"),
        ("set: t\ntitle: 冒号: 未加引号\n", "冒号"),
        ("set: t\ntitle: 'x\n", "引号没有闭合"),
        ("set: t\ntitle: t\n---\nset: u\n", "一个文件只能有一个 YAML 文档"),
        ("set: t\ntitle: t\nentries:\n  - code: 123\n", "请加引号"),
        ("set: t\ntitle: t\nentries:\n  - code: A-1\n    target: 95\n", "第1个指标（A-1）的 target：应为"),
    ],
    ids=["empty", "comments", "tab", "colon", "quote", "two-documents", "number-code", "number-target"],
)
def test_hostile_or_careless_yaml(tmp_path: Path, text: str, words: str) -> None:
    catalog = load_catalog(_one_set(tmp_path, text), use_env=False, strict=False)
    messages = [d.message for d in catalog.load_diagnostics]
    assert any(words in m for m in messages), messages
    assert all(d.code == "IND401" for d in catalog.load_diagnostics)


def test_file_size_is_reported_in_bytes(tmp_path: Path) -> None:
    text = "set: big\ntitle: " + "大" * 40 + "\n"
    with pytest.raises(CatalogError) as info:
        load_catalog(_one_set(tmp_path, text), use_env=False, limits=Limits(max_file_bytes=100))
    assert info.value.diagnostic.code == "IND003"
    source = str(tmp_path / "sets" / "s.yaml")
    found = [d.message for d in info.value.diagnostics if d.location and d.location.source == source]
    assert found == [f"输入过大：指标库文件大小 为 {len(text.encode())} 字节，上限为 100 字节"]


@pytest.mark.parametrize(
    "value",
    ["[" * 20_000 + "]" * 20_000, "\n  " + "- " * 5_000 + "x"],
    ids=["flow", "block"],
)
def test_deeply_nested_yaml_is_a_diagnostic_not_a_crash(tmp_path: Path, value: str) -> None:
    text = f"set: deep\ntitle: 深\nentries: {value}\n"
    catalog = load_catalog(_one_set(tmp_path, text), use_env=False, strict=False)
    assert [d.code for d in catalog.load_diagnostics] == ["IND401"]
    assert "嵌套层数过深" in catalog.load_diagnostics[0].message


def test_a_category_named_twice_in_a_taxonomy_is_reported(tmp_path: Path) -> None:
    (tmp_path / "taxonomy.yaml").write_text(
        "version: 1\n"
        "level1:\n"
        "  - name: 投入指标\n"
        "    source: 本地\n"
        "    level2:\n"
        "      - {name: 资金投入指标, source: 本地}\n"
        "      - {name: 人员投入, source: 本地, synonyms: [资金投入]}\n"
        "  - name: 投 入 指 标\n"
        "    source: 本地\n"
        "    level2:\n"
        "      - {name: 其他, source: 本地}\n",
        encoding="utf-8",
    )
    catalog = load_catalog(tmp_path, use_env=False, strict=False)
    found = [(d.location.row if d.location else None, d.message) for d in catalog.load_diagnostics]
    why = "重名（名称比较时忽略空格、全半角和末尾的“指标”）"
    assert found == [
        (8, f"指标库文件有误：一级指标“投 入 指 标”与“投入指标”{why}"),
        (7, f"指标库文件有误：投入指标下的二级指标“资金投入”与“资金投入指标”{why}"),
    ]
