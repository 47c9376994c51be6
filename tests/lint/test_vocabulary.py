"""The word lists of the reviewer's check (catalog/vague.yaml, catalog/review.yaml) and how they are read."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.lint.vocabulary import name_key, placeholder_in, review_words
from indicators.target.words import is_vague, unmeasurable_word, vague_words

FLAGGED = vague_words().flagged()
#: Chinese words without a number and without any flagged word, to put around a flagged one
NEUTRAL = st.text(alphabet="服务社区居民群众工作质量水平环境设施管理道路", max_size=6)


@given(word=st.sampled_from(FLAGGED), before=NEUTRAL, after=NEUTRAL)
def test_a_vague_word_is_flagged_wherever_it_stands(word: str, before: str, after: str) -> None:
    assert unmeasurable_word(before + word + after) is not None


@given(word=st.sampled_from(FLAGGED), number=st.integers(min_value=0, max_value=999))
def test_a_number_makes_a_target_measurable(word: str, number: int) -> None:
    assert unmeasurable_word(f"{word}{number}%") is None


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("有效", "有效"),
        ("明显改善", "明显"),
        ("服务水平提高", "提高"),
        ("持续加强管理", "持续"),
        ("长期", "长期"),
        ("长期有效", "长期"),
        ("按质按量完成", "按质按量"),
        ("参照行业标准执行", "参照"),
        ("进一步完善", "进一步"),
        ("效 果 明 显", "效果明显"),
        ("逐年改善", "逐年改善"),
    ],
)
def test_unmeasurable_words(text: str, word: str) -> None:
    assert unmeasurable_word(text) == word


@pytest.mark.parametrize(
    "text",
    ["按规定公开", "及时报送", "实现动态清零", "良好以上", "是", "无", "≥95%", "较上年提高5%",
     "12月底前完成"],
)
def test_measurable_targets(text: str) -> None:
    assert unmeasurable_word(text) is None


def test_the_target_language_reads_the_same_file() -> None:
    words = vague_words()
    assert all(is_vague(p) for p in words.phrases)
    assert all(is_vague(t) for t in words.trends)
    assert is_vague("有效提升")
    assert is_vague("作用显著")
    assert not is_vague("有效")  # the target language reads it as a state; the check flags it (IND603)


@pytest.mark.parametrize(
    ("name", "word"),
    [
        ("贷款逾期率", "逾期"),
        ("财务核算差错率", "差错"),
        ("安全事故发生率", "事故"),
        ("安全事故发生率（%）", "事故"),
        ("资金结余率(反向指标)", "结余"),
        ("城镇登记失业率", "失业"),
        ("不良贷款率", "不良贷款"),
        ("群众投诉件数", "投诉"),
        ("传染病发病率", "发病"),
        ("孕产妇死亡率", "死亡"),
        ("項目超支率", "超支"),
    ],
)
def test_lower_is_better_names(name: str, word: str) -> None:
    assert review_words().lower_is_better_word(name) == word


@pytest.mark.parametrize(
    "name",
    [
        "投诉办结率", "安全生产事故下降率", "失业人员再就业率", "差错整改率", "受理群众投诉数量",
        "查处违法案件数", "调解纠纷成功率", "降低事故发生率", "验收合格率", "事故", "率",
    ],
)
def test_not_lower_is_better(name: str) -> None:
    assert review_words().lower_is_better_word(name) is None


@pytest.mark.parametrize(
    ("text", "mark"),
    [("XX%", "XX"), ("≥**棵", "**"), ("**万元", "**"), ("X月X日前", "X"), ("某某社区", "某某"),
     ("完成X个小区", "X"), ("≥X", "X"), ("□万元", "□"), ("ＸＸ万元", "XX"), ("待定", "待定")],
)
def test_placeholders(text: str, mark: str) -> None:
    assert placeholder_in(text) == mark


@pytest.mark.parametrize(
    "text",
    ["X光机检查覆盖率", "B超", "胸部X线", "AAAA级景区", "PM2.5", "资金到位率*", "≥95%*", "Excel报表", "3x2"],
)
def test_no_placeholder(text: str) -> None:
    assert placeholder_in(text) is None


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("老旧小区改造经费", ["老旧小区改造"]),
        ("社工服务站购买服务经费", ["社工"]),
        ("长者长寿保健金财政补贴项目", ["长者长寿保健金"]),
        ("完成辖区10个老旧小区改造", ["老旧小区改造"]),
        ("经费", []),
    ],
)
def test_task_terms(text: str, terms: list[str]) -> None:
    assert review_words().task_terms(text) == terms


@pytest.mark.parametrize(
    ("name", "key"),
    [("资金结余率（反向指标）", "资金结余率"), ("差错率(%)", "差错率"), ("满意度【核心】（%）", "满意度")],
)
def test_name_key_drops_trailing_notes(name: str, key: str) -> None:
    assert name_key(name) == key


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("资金结余率（反向指标）", ("le", "反向指标")),
        ("反向", ("le", "反向")),
        ("方向：反向", ("le", "反向")),
        ("指标值越低越好", ("le", "越低越好")),
        ("审批时限（正向）", ("ge", "正向")),
        ("通过正向激励提高积极性", None),
        ("逆向物流配送", None),
    ],
)
def test_direction_markers(text: str, found: tuple[str, str] | None) -> None:
    assert review_words().marker(text) == found
