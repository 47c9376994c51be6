from __future__ import annotations

import pytest

from indicators.catalog import Taxonomy, TaxonomyFile, category_key, load_catalog


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_catalog(use_env=False).taxonomy


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("产出指标", "产出指标"),
        ("产出", "产出指标"),
        ("产 出 指 标", "产出指标"),
        ("产出指标(50分)", "产出指标"),
        ("产出指标（50分）", "产出指标"),
        ("效益 指标", "效益指标"),
        ("效益指标(30分)", "效益指标"),
        ("满意度指标", "满意度指标"),
        ("服务对象满意度指标", "满意度指标"),
        ("服务对象满意度指标(10分)", "满意度指标"),
        ("社会公众或服务对象满意度指标", "满意度指标"),
        ("成本指标", "成本指标"),
        ("成本", "成本指标"),
        ("预算执行率", "预算执行"),
        ("绩效指标", None),
        ("投入指标", None),
        ("", None),
    ],
    ids=lambda v: repr(v) if v == "" else v,
)
def test_canonical_level1(taxonomy: Taxonomy, name: str, expected: str | None) -> None:
    assert taxonomy.canonical_level1(name) == expected


@pytest.mark.parametrize(
    ("level1", "level2", "expected"),
    [
        ("产出指标", "数量指标", "数量指标"),
        ("产 出 指 标", "数量", "数量指标"),
        ("产出指标", "成本指标", "成本指标"),  # older frame: cost under output
        ("成本指标", "成本指标", "经济成本指标"),  # same word, other level-1: a synonym
        ("成本指标", "经济成本指标", "经济成本指标"),
        ("成本指标", "生态成本指标", "生态环境成本指标"),
        ("效益指标", "经济效益 指标", "经济效益指标"),
        ("效益指标", "可持续影响指标", "可持续影响指标"),
        ("效益指标", "可持续影响指标等", "可持续影响指标"),
        ("效益指标", "社会公众或服务对象满意度指标", "服务对象满意度指标"),
        ("满意度指标", "服务对象满意度指标等", "服务对象满意度指标"),
        ("满意度指标", "服务对象 满意度 指标", "服务对象满意度指标"),
        ("满意度指标", "社会公众或服务对象满意度指标", "服务对象满意度指标"),
        ("满意度指标", "满意度指标", "服务对象满意度指标"),
        ("效益指标", "数量指标", None),
        ("产出指标", "社会效益指标", None),
        ("投入指标", "数量指标", None),
    ],
    ids=lambda v: v,
)
def test_canonical_level2(taxonomy: Taxonomy, level1: str, level2: str, expected: str | None) -> None:
    assert taxonomy.canonical_level2(level1, level2) == expected
    assert taxonomy.allowed(level1, level2) is (expected is not None)


def test_level1_names_are_the_frame(taxonomy: Taxonomy) -> None:
    assert taxonomy.level1_names == ("产出指标", "效益指标", "满意度指标", "成本指标")
    assert "预算执行" in [r.name for r in taxonomy.records]


@pytest.mark.parametrize(
    ("level1", "required"),
    [
        ("成本指标", ("经济成本指标", "社会成本指标", "生态环境成本指标")),
        ("产出", ("数量指标", "质量指标", "时效指标")),
        ("效益指标", ("经济效益指标", "社会效益指标", "生态效益指标")),
        ("服务对象满意度指标", ("服务对象满意度指标",)),
        ("预算执行", ()),
        ("投入指标", ()),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_required_level2(taxonomy: Taxonomy, level1: str, required: tuple[str, ...]) -> None:
    assert taxonomy.required_level2(level1) == required


def test_parents_of(taxonomy: Taxonomy) -> None:
    assert taxonomy.parents_of("数量指标") == ("产出指标",)
    assert set(taxonomy.parents_of("成本指标")) == {"产出指标", "成本指标"}
    assert taxonomy.parents_of("不存在指标") == ()


def test_level2_record_and_names(taxonomy: Taxonomy) -> None:
    record = taxonomy.level2_record("产出指标", "成本")
    assert record is not None
    assert record.required is False
    assert taxonomy.level2_record("投入指标", "数量") is None
    assert taxonomy.level2_names("投入指标") == ()
    assert "可持续影响指标" in taxonomy.level2_names("效益指标")


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("产 出 指 标（50分）", "产出"),
        ("“满意度”指标", "满意度"),
        ("ＡＢＣ指标", "abc"),
        ("指标", "指标"),
        ("可持续影响指标等", "可持续影响"),
        ("指标等", "指标等"),
    ],
    ids=lambda v: v,
)
def test_category_key(name: str, key: str) -> None:
    assert category_key(name) == key


def test_layered_taxonomy_merges_without_removing(taxonomy: Taxonomy) -> None:
    extra = TaxonomyFile.model_validate(
        {
            "level1": [
                {
                    "name": "产出指标",
                    "synonyms": ["产出类指标"],
                    "source": "本地",
                    "level2": [
                        {"name": "安全指标", "source": "本地"},
                        {"name": "数量指标", "source": "本地"},
                    ],
                },
                {
                    "name": "投入指标",
                    "source": "本地",
                    "level2": [{"name": "资金投入指标", "source": "本地"}],
                },
            ]
        }
    )
    layered = taxonomy.layered(extra)
    assert layered.allowed("产出类指标", "安全指标")
    assert layered.allowed("产出指标", "成本指标")  # kept from the bundled record
    assert layered.required_level2("产出指标") == ("质量指标", "时效指标")  # 数量指标 replaced, not required
    assert layered.canonical_level1("投入") == "投入指标"
    assert "投入指标" in layered.level1_names
    assert taxonomy.canonical_level1("投入") is None  # the original is unchanged
