"""Scoring policies: the shipped files, and every way a policy file can be wrong (IND409, located)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from indicators.errors import PolicyError
from indicators.resources import catalog_text
from indicators.scoring.policy import Policy, available_policies, load_policy, parse_policy


def test_default_policy_encodes_the_national_weights() -> None:
    policy = load_policy()
    assert policy.name == "project-2020"
    weights = {share.name: share.weight for share in policy.level1}
    assert weights == {"产出指标": 50, "效益指标": 30, "满意度指标": 10}
    assert policy.budget_execution.weight == 10
    assert policy.budget_execution.cap == 1
    assert policy.share_for("成本指标") is policy.share_for("产出指标")
    assert policy.share_for("服务对象满意度指标") is policy.share_for("满意度")
    assert policy.share_for("项目资金") is None
    assert policy.overshoot.factor == Decimal("1.3")
    assert policy.quantitative.lower_is_better == "linear_to_zero_at_double"
    assert policy.rounding.mode == "ROUND_HALF_UP"
    assert policy.rounding.places == 2


def test_every_section_names_its_source() -> None:
    policy = load_policy()
    sources = [s.source for s in policy.level1] + [
        policy.level3_weights.source,
        policy.quantitative.source,
        policy.qualitative.source,
        policy.overshoot.source,
        policy.budget_execution.source,
        policy.grades_source,
        policy.rounding.source,
    ]
    assert all(sources)


def test_shipped_policies() -> None:
    assert {"project-2020", "department", "reverse-ratio"} <= set(available_policies())
    reverse = load_policy("reverse-ratio")
    default = load_policy("default")
    assert reverse.quantitative.lower_is_better == "target_over_actual"
    assert reverse.model_dump(exclude={"name", "title", "quantitative"}) == default.model_dump(
        exclude={"name", "title", "quantitative"}
    )


def test_policy_file_by_path(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(
        catalog_text("scoring", "project-2020.yaml").replace("factor: 1.3", "factor: 1.5"), "utf-8"
    )
    assert load_policy(str(path)).overshoot.factor == Decimal("1.5")


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("100", "优"),
        ("90", "优"),
        ("89.99", "良"),
        ("80", "良"),
        ("79.99", "中"),
        ("60", "中"),
        ("59.99", "差"),
        ("0", "差"),
    ],
    ids=lambda v: str(v),
)
def test_grade_bands_lower_bound_inclusive(total: str, grade: str) -> None:
    assert load_policy().grade_for(Decimal(total)) == grade


@pytest.mark.parametrize(
    ("word", "tier"),
    [
        ("达成", "achieved"),
        ("达成预期指标", "achieved"),
        ("部分达成", "partial"),
        ("部分达成预期指标。", "partial"),
        ("未达成年度指标且效果较差", "not_achieved"),
        ("未达成", "not_achieved"),
        ("优秀", None),
        ("95%", None),
    ],
    ids=lambda v: str(v),
)
def test_tier_words(word: str, tier: str | None) -> None:
    found = load_policy().qualitative.tier_for_word(word)
    assert (found.key if found else None) == tier


@pytest.mark.parametrize(
    ("share", "achieved", "partial", "not_achieved"),
    [
        ("1", True, False, False),
        ("0.8", True, False, False),
        ("0.7999", False, True, False),
        ("0.6", False, True, False),
        ("0.59", False, False, True),
        ("0", False, False, True),
    ],
    ids=lambda v: str(v),
)
def test_tier_bands(share: str, achieved: bool, partial: bool, not_achieved: bool) -> None:
    q = load_policy().qualitative
    s = Decimal(share)
    assert (
        q.tier("achieved").contains(s),
        q.tier("partial").contains(s),
        q.tier("not_achieved").contains(s),
    ) == (achieved, partial, not_achieved)


@pytest.mark.parametrize(
    ("value", "mode", "expected"),
    [
        ("1.005", "ROUND_HALF_UP", "1.01"),
        ("1.005", "ROUND_HALF_EVEN", "1.00"),
        ("1.009", "ROUND_DOWN", "1.00"),
        ("2.345", "ROUND_HALF_UP", "2.35"),
        ("8.6183", "ROUND_HALF_UP", "8.62"),
    ],
    ids=lambda v: str(v),
)
def test_rounding_modes(value: str, mode: str, expected: str) -> None:
    data = load_policy().model_dump()
    data["rounding"]["mode"] = mode
    assert str(Policy.model_validate(data).rounding.apply(Decimal(value))) == expected


BASE = catalog_text("scoring", "project-2020.yaml")

BAD = [
    # (replace this, with this, expected words in the message, expected line or None)
    ("  factor: 1.3 ", "  factor: 0.9 ", "overshoot.factor", "factor:"),
    ("    weight: 30\n", "    weight: 35\n", "合计为 105", None),
    ("      default: 0.7\n", "      default: 0.9\n", "默认得分比例 0.9", "key: partial"),
    ("  - {grade: 差, min: 0}\n", "  - {grade: 差, min: 10}\n", "min 须为 0", None),
    ("  - {grade: 中, min: 60}\n", "  - {grade: 中, min: 95}\n", "从高到低", None),
    ("  mode: ROUND_HALF_UP\n", "  mode: ROUND_NEAREST\n", "rounding.mode", "mode: ROUND_NEAREST"),
    ("  cap: true  ", "  capp: true  ", "quantitative.capp", "capp:"),
    ("lower_is_better: linear_to_zero_at_double", "lower_is_better: halve", "lower_is_better", "halve"),
    ("  - key: partial\n", "  - key: achieved\n", "三档", None),
    ("name: project-2020\n", "name: project-2020\nname: [\n", "YAML", None),
    ("  factor: 1.3 ", "  factor: .inf ", "不是有限的数值", "factor: .inf"),
    ("  factor: 1.3 ", "  factor: .nan ", "不是有限的数值", "factor: .nan"),
]


@pytest.mark.parametrize(("old", "new", "words", "line_text"), BAD, ids=[b[1].strip() for b in BAD])
def test_bad_policy_is_a_located_error(old: str, new: str, words: str, line_text: str | None) -> None:
    assert old in BASE
    text = BASE.replace(old, new, 1)
    with pytest.raises(PolicyError) as info:
        parse_policy(text, source="mine.yaml")
    d = info.value.diagnostic
    assert d.code == "IND409"
    assert words in d.message
    assert d.location is not None
    assert d.location.source == "mine.yaml"
    if line_text is not None:
        assert d.location.row is not None
        assert line_text in text.splitlines()[d.location.row - 1]


def test_reals_are_decimals_not_floats() -> None:
    policy = parse_policy(BASE.replace("factor: 1.3", "factor: 1.1000000000000000001"))
    assert policy.overshoot.factor == Decimal("1.1000000000000000001")


@pytest.mark.parametrize("text", ["", "- a\n- b\n", "just text"], ids=repr)
def test_policy_must_be_a_mapping(text: str) -> None:
    with pytest.raises(PolicyError, match="键值映射"):
        parse_policy(text)


def test_unknown_policy_name_lists_the_shipped_ones() -> None:
    with pytest.raises(PolicyError) as info:
        load_policy("no-such-policy")
    assert info.value.diagnostic.hint is not None
    assert "project-2020" in info.value.diagnostic.hint
    assert "department" in info.value.diagnostic.hint


def test_default_names_the_project_policy_and_each_form_type_has_one() -> None:
    from indicators.scoring import policy_for

    assert load_policy("default") == load_policy("project-2020")
    assert policy_for("project").name == "project-2020"
    assert policy_for("department").name == "department"
    assert policy_for("department").form_type == "department"


def test_extends_merges_mappings_and_replaces_lists() -> None:
    policy = parse_policy(
        "extends: project-2020\nname: mine\nbudget_execution:\n  weight: 20\n"
        "level1:\n  - {name: 产出指标, weight: 50}\n  - {name: 效益指标, weight: 30}\n"
    )
    assert policy.name == "mine"
    assert policy.budget_execution.weight == 20
    assert policy.budget_execution.cap == 1  # inherited beside the changed key
    assert [s.name for s in policy.level1] == ["产出指标", "效益指标"]
    assert policy.qualitative == load_policy("project-2020").qualitative


@pytest.mark.parametrize("base", ["no-such", "[1, 2]"], ids=["unknown", "not-a-name"])
def test_extends_an_unknown_policy_is_a_policy_error(base: str) -> None:
    with pytest.raises(PolicyError) as info:
        parse_policy(f"extends: {base}\nname: mine\n")
    assert "extends" in info.value.diagnostic.message


def test_reverse_ratio_and_department_extend_the_project_policy() -> None:
    project = load_policy("project-2020")
    reverse = load_policy("reverse-ratio")
    assert reverse.quantitative.lower_is_better == "target_over_actual"
    assert (
        reverse.model_copy(
            update={"name": project.name, "title": project.title, "quantitative": project.quantitative}
        )
        == project
    )
    department = load_policy("department")
    assert department.title is not None
    assert "部门整体" in department.title
    assert department.budget_execution.weight == 10


def test_unreadable_policy_path(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="无法读取"):
        load_policy(str(tmp_path / "missing.yaml"))
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(PolicyError):
        load_policy(str(binary))
