"""Completion words as actual values: one vocabulary (catalog/completion.yaml) for targets and scoring."""

from __future__ import annotations

import pytest

from indicators.diagnostics import Location
from indicators.errors import CatalogError
from indicators.forms.model import Cell, Form, FormKind, IndicatorRow
from indicators.scoring.policy import available_policies, load_policy
from indicators.target import ActualKind, OutcomeStatus, Tier, parse_actual, parse_target
from indicators.target.vocabulary import completion_tier, load_vocabulary, vocabulary, yes_no

MET, NOT_MET, NC = OutcomeStatus.MET, OutcomeStatus.NOT_MET, OutcomeStatus.NOT_COMPARABLE
A, P, N = Tier.ACHIEVED, Tier.PARTIAL, Tier.NOT_ACHIEVED

WORDS: list[tuple[str, Tier]] = [
    ("已全部完成", A),
    ("均已完成", A),
    ("按计划完成", A),
    ("已按计划完成", A),
    ("已完成", A), ("完成", A), ("全部完成", A), ("按时完成", A), ("已按时完成", A), ("如期完成", A),
    ("提前完成", A), ("达到", A), ("已达到", A), ("达成", A), ("已达成", A), ("已实现", A),
    ("达成预期指标", A), ("达成年度指标", A), ("达成预期指标且效果良好", A), ("全部达成。", A),
    ("基本达到", P), ("基本完成", P), ("基本达成", P), ("部分完成", P), ("部分达成", P),
    ("部分达成预期指标并具有一定效果", P), ("部分达成年度指标", P), ("正在实施", P), ("进行中", P),
    ("实施中", P), ("在建", P),
    ("未完成", N), ("未达到", N), ("未达成", N), ("没有完成", N), ("尚未完成", N), ("未能完成", N),
    ("未达成预期指标且效果较差", N), ("未达成年度指标", N), ("未开展", N),
    # written with spaces or full-width forms
    ("已 完成", A), ("部分 达成", P), ("未完成。", N),
    # a short state after a hedge is partial
    ("基本及时", P), ("基本上到位", P), ("大部分落实", P), ("初步实现", P), ("大体完成", P),
    ("基本 符合", P),
]


@pytest.mark.parametrize(("word", "tier"), WORDS, ids=[w for w, _ in WORDS])
def test_completion_word_is_a_tier(word: str, tier: Tier) -> None:
    actual = parse_actual(word)
    assert (actual.kind, actual.tier) == (ActualKind.TIER, tier)
    assert completion_tier(word) == tier


@pytest.mark.parametrize(("word", "tier"), WORDS, ids=[w for w, _ in WORDS])
@pytest.mark.parametrize("policy", available_policies())
def test_scoring_reads_the_same_tier(policy: str, word: str, tier: Tier) -> None:
    found = load_policy(policy).qualitative.tier_for_word(word)
    assert found is not None
    assert found.key == tier.value


@pytest.mark.parametrize(("word", "tier"), WORDS, ids=[w for w, _ in WORDS])
@pytest.mark.parametrize(
    "target", ["≥95%", "100人次以上", "90%-100%", "良以上", "12月底前完成", "及时报送", "有效提升"]
)
def test_a_completion_word_judges_any_target(target: str, word: str, tier: Tier) -> None:
    outcome = parse_target(target).evaluate(word)
    assert outcome.status == (MET if tier == A else NOT_MET), outcome.explanation
    assert tier.label in outcome.explanation
    assert outcome.achievement is None


@pytest.mark.parametrize("target", ["≥95%", "100人次以上", "90%-100%", "≤5%", "较上年提高5%"])
def test_a_quantitative_target_notes_the_completion_word(target: str) -> None:
    outcome = parse_target(target).evaluate("已完成")
    assert outcome.status == MET
    note = next(d for d in outcome.diagnostics if d.code == "IND220")
    assert note.severity.value == "info"
    assert "已完成" in note.message
    assert "达成" in note.message


@pytest.mark.parametrize("target", ["良以上", "是", "12月底前完成", "及时报送", "有效提升"])
def test_a_qualitative_target_needs_no_note(target: str) -> None:
    outcome = parse_target(target).evaluate("已完成")
    assert "IND220" not in [d.code for d in outcome.diagnostics]


YES_NO: list[tuple[str, bool]] = [
    ("是", True), ("按时", True), ("及时", True), ("已公开", True), ("通过", True), ("已落实", True),
    ("否", False), ("逾期", False), ("延期", False), ("未按时完成", False), ("不及时", False),
    ("未公开", False),
]


@pytest.mark.parametrize(("word", "answer"), YES_NO, ids=[w for w, _ in YES_NO])
def test_yes_no_words_are_not_tiers(word: str, answer: bool) -> None:
    actual = parse_actual(word)
    assert (actual.kind, actual.boolean, actual.tier) == (ActualKind.BOOLEAN, answer, None)
    assert completion_tier(word) is None
    assert yes_no(word) is answer
    assert load_policy().qualitative.tier_for_word(word) is None
    # a yes says nothing about a number
    assert parse_target("≥95%").evaluate(word).status == NC


@pytest.mark.parametrize(
    "text", ["完成率95%", "96.5%", "优秀", "达标", "完成了吗", "未", "进行", "部分"], ids=str
)
def test_other_texts_are_not_completion_words(text: str) -> None:
    assert completion_tier(text) is None
    assert load_policy().qualitative.tier_for_word(text) is None


def test_a_policy_word_comes_before_the_vocabulary() -> None:
    data = load_policy().model_dump()
    data["qualitative"]["tiers"][0]["words"] = ["基本完成"]  # this policy counts 基本完成 as achieved
    from indicators.scoring.policy import Policy

    policy = Policy.model_validate(data)
    tier = policy.qualitative.tier_for_word("基本完成")
    assert tier is not None
    assert tier.key == "achieved"
    partial = policy.qualitative.tier_for_word("部分完成")
    assert partial is not None
    assert partial.key == "partial"


def test_every_word_is_listed_once() -> None:
    vocab = vocabulary()
    words = [w for entry in vocab.tiers.values() for w in entry.words]
    words += [*vocab.yes_words, *vocab.no_words]
    assert len(words) == len(set(words))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("tiers: {achieved: {words: [完成]}, partial: {words: [完成]}, not_achieved: {words: [未完成]}}\n"
         "yes_words: [是]\nno_words: [否]\n", "出现了两次"),
        ("tiers: {achieved: {words: [完成]}, partial: {words: [部分完成]}}\n"
         "yes_words: [是]\nno_words: [否]\n",
         "三档"),
        ("tiers: [\n", "completion.yaml"),
        ("tiers: {achieved: {words: [完成]}, partial: {words: [部分完成]}, not_achieved: {words: [未完成]}}\n"
         "yes: [是]\nno: [否]\n", "yes_words"),
    ],
    ids=["duplicate", "two tiers", "bad yaml", "yes is a boolean in YAML"],
)
def test_a_bad_vocabulary_is_a_catalog_error(text: str, message: str) -> None:
    with pytest.raises(CatalogError) as info:
        load_vocabulary(text)
    assert info.value.diagnostic.code == "IND401"
    assert message in info.value.diagnostic.message


def _one_row_form(target: str) -> Form:
    def cell(text: str, column: int) -> Cell:
        return Cell(text=text, location=Location(source="form.txt", row=2, column=column))

    row = IndicatorRow(index=0, level1=cell("产出指标", 1), level2=cell("数量指标", 2),
                       level3=cell("培训覆盖率", 3), target=cell(target, 5), weight=cell("50", 6),
                       unit=cell("%", 7))
    return Form(kind=FormKind.DECLARED, source="form.txt", indicators=(row,))


@pytest.mark.parametrize(("word", "tier"), [("已完成", "achieved"), ("基本完成", "partial"),
                                            ("未完成", "not_achieved"), ("进行中", "partial")], ids=str)
def test_check_reads_a_completion_word_as_scoring_does(word: str, tier: str) -> None:
    """`target check` and `score` agree on a quantitative row reported with a completion word."""
    from indicators.scoring import score_form
    from indicators.scoring.actuals import read_actuals_text

    actuals = read_actuals_text(f"三级指标,实际完成值\n培训覆盖率,{word}\n")
    line = score_form(_one_row_form("≥95%"), actuals).lines[0]
    assert line.rule == f"qualitative.{tier}"
    outcome = parse_target("≥95%").evaluate(word)
    assert outcome.met is (tier == "achieved")


@pytest.mark.parametrize(
    "text",
    ["基本未完成", "基本不符合", "基本", "基本养老保险参保人数持续增长", "基本公共卫生服务", "基本全覆盖"],
)
def test_a_hedge_without_a_short_affirmed_state_is_no_tier(text: str) -> None:
    assert completion_tier(text) is None


STATES: list[tuple[str, str, OutcomeStatus]] = [
    ("全覆盖", "全部覆盖", MET),
    ("全覆盖", "实现全覆盖", MET),
    ("按规定公开", "已按规定公开", MET),
    ("应保尽保", "应保尽保到位", MET),
    ("全覆盖", "全镇未覆盖", NOT_MET),
    ("正常运行", "运行正常", MET),  # the same words in another order
    ("正常运行", "运行不正常", NOT_MET),
    ("按规定公开", "未按规定公开", NOT_MET),
    ("及时报送", "没有及时报送", NOT_MET),
    ("全覆盖", "基本全覆盖", NOT_MET),  # the partial tier
    ("全覆盖", "覆盖85个村", NC),  # a different statement
    ("群众生活改善", "改善", NC),  # shorter than the target: it does not say which
    ("全覆盖", "全年共开展覆盖宣传活动", NC),  # the characters in order, but far longer
]


@pytest.mark.parametrize(("target", "actual", "status"), STATES, ids=[f"{t} | {a}" for t, a, _ in STATES])
def test_a_state_is_reached_when_the_actual_names_it(target: str, actual: str, status: OutcomeStatus) -> None:
    assert parse_target(target).evaluate(parse_actual(actual)).status is status


HEDGED: list[tuple[str, str, Tier | None]] = [
    ("全覆盖", "基本全覆盖", Tier.PARTIAL),
    ("平稳运行", "基本平稳", Tier.PARTIAL),  # the hedged words are a part of the target
    ("全覆盖", "基本覆盖", Tier.PARTIAL),
    ("按规定公开", "大体公开", Tier.PARTIAL),
    ("平稳运行", "基本稳", None),  # one character says too little
    ("平稳运行", "基本不平稳", None),  # a negation: not a hedge
    ("应保尽保", "基本到位", Tier.PARTIAL),  # a hedged yes-word is partial whatever the target
    ("应保尽保", "基本平稳", None),  # another statement
]


@pytest.mark.parametrize(("target", "actual", "tier"), HEDGED, ids=[f"{t} | {a}" for t, a, _ in HEDGED])
def test_a_hedged_part_of_the_target_state_is_the_partial_tier(
    target: str, actual: str, tier: Tier | None
) -> None:
    outcome = parse_target(target).evaluate(parse_actual(actual))
    assert outcome.status is not OutcomeStatus.MET
    assert ("即“部分达成”" in outcome.explanation) is (tier is Tier.PARTIAL)

