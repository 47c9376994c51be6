"""Targets written in words only: 是/否, 无/零事故, states (及时报送, 按规定公开) and vague trends (有效提升).

These are recognised by the vocabulary below, not by the grammar; grade words are the grade scales of
``catalog/grades.yaml`` (``grades.py``) and completion words of actual values are
``catalog/completion.yaml`` (``vocabulary.py``).
"""

from __future__ import annotations

import re
from functools import cache

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from indicators import resources, units, yamlio
from indicators.codes import diagnostic
from indicators.errors import CatalogError
from indicators.target.model import Direction, Target, TargetKind
from indicators.target.normalize import Normalized, normalize

#: boolean targets
BOOLEAN_TARGETS: dict[str, bool] = {"是": True, "否": False, "是否": True}
#: targets that expect nothing to happen (无 事故, 零 投诉)
NOTHING_WORDS = frozenset({"无", "零", "为零", "0发生", "无发生", "杜绝", "零发生", "没有"})
#: ... and the same said of an incident: 零事故, 无重大安全事故, 不发生重大事故, 杜绝安全事故
_NOTHING_PREFIXES = ("零", "无", "杜绝", "不发生", "未发生", "没有")
_INCIDENTS = (
    "事故", "投诉", "事件", "伤亡", "案件", "违规", "违纪", "差错", "失误", "隐患", "火灾", "死亡", "上访",
    "纠纷", "发生",
)

#: vague wording: ``catalog/vague.yaml`` (one vocabulary for the target language and the reviewer's check)


class VagueWords(BaseModel):
    """The contents of ``catalog/vague.yaml``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    trends: tuple[str, ...]
    modifiers: tuple[str, ...]
    phrases: frozenset[str]
    endings: tuple[str, ...]
    unmeasurable: tuple[str, ...]

    def flagged(self) -> tuple[str, ...]:
        """Every word the reviewer's check flags wherever it stands, longest first."""
        words = {*self.trends, *self.phrases, *self.endings, *self.unmeasurable}
        return tuple(sorted(words, key=lambda w: (-len(w), w)))


@cache
def vague_words() -> VagueWords:
    """The shipped vocabulary of vague wording (read once per process)."""
    try:
        return VagueWords.model_validate(yamlio.safe_load(resources.catalog_text("vague.yaml")))
    except (yaml.YAMLError, ValidationError) as exc:  # a broken shipped file is a packaging error
        raise CatalogError(diagnostic("IND401", detail=f"vague.yaml: {exc}")) from exc


#: comparator and suffix words: alone they are an incomplete target, not a state
OP_WORDS = (
    "≥", "≤", ">", "<", "=", "不低于", "不少于", "不小于",
    "至少", "最少", "达到", "达", "大于", "高于", "超过", "多于",
    "不超过", "不高于", "不多于", "不大于", "不超出", "控制在",
    "小于", "低于", "少于", "等于", "最多", "至多",
)
SUFFIX_WORDS = ("以上", "及以上", "以内", "以下", "及以下", "之内", "内")
#: words only (Chinese characters and the punctuation that goes with them)
WORDS_ONLY = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff“”‘’\"'()、/·]+$")
DIGIT = re.compile(r"[0-9]")


def says_nothing(text: str) -> bool:
    """True for the words of a target or actual that mean nothing happened (无, 零事故, 未发生)."""
    return text in NOTHING_WORDS or (text.startswith(_NOTHING_PREFIXES) and text.endswith(_INCIDENTS))


def word_target(norm: Normalized) -> Target | None:
    """Targets that are one word of the vocabulary: 是/否 and 无/零."""
    t = norm.text
    span = norm.span(0, len(t))
    base = {"text": norm.original, "span": span, "warnings": tuple(norm.warnings)}
    if t in BOOLEAN_TARGETS:
        return Target(kind=TargetKind.BOOLEAN, expected=BOOLEAN_TARGETS[t], direction=Direction.EXACT, **base)
    if says_nothing(t):
        state = "无" if t in NOTHING_WORDS else t
        return Target(kind=TargetKind.STATE, state=state, direction=Direction.LOWER, **base)
    return None


def is_vague(t: str) -> bool:
    """A trend without a measure: 提高, 有效提升, 逐步改善, 效果明显 (``catalog/vague.yaml``)."""
    words = vague_words()
    if t in words.phrases or t in words.trends:
        return True
    if any(m in t for m in words.modifiers) and any(w in t for w in words.trends):
        return True
    return t.endswith(words.endings)


def unmeasurable_word(text: str) -> str | None:
    """The first vague word a text without a number holds (``服务水平提高`` → 提高, ``按质按量完成`` →
    按质按量), for the reviewer's check; None for a text with a number or without such a word."""
    key = normalize(text).text
    if DIGIT.search(key):
        return None
    found = [(key.find(w), w) for w in vague_words().flagged() if w in key]
    return min(found)[1] if found else None


def is_words_only(t: str) -> bool:
    """Words without a number that could be a state (not a comparator, suffix or unit alone)."""
    if DIGIT.search(t) or not WORDS_ONLY.match(t):
        return False
    alone = t in OP_WORDS or t in SUFFIX_WORDS or units.is_unit(t)
    return not (alone or all(ch in "“”‘’\"'()、/·" for ch in t))


def fallback_words(norm: Normalized, *, text: str | None = None) -> Target | None:
    """A state (及时报送, 按规定公开) or a vague trend (有效提升): words only, no number.

    ``text`` is the original text when ``norm`` is only its tail (``=改善`` read as ``改善``)."""
    t = norm.text
    if not is_words_only(t):
        return None
    original = norm.original if text is None else text
    span = norm.span(0, len(t))
    warnings = list(norm.warnings)
    if is_vague(t):
        warnings.append(diagnostic("IND204", span=span, text=norm.original))
        return Target(text=original, kind=TargetKind.VAGUE, measurable=False, state=t, span=span,
                      warnings=tuple(warnings))
    return Target(text=original, kind=TargetKind.STATE, state=t, direction=Direction.NONE, span=span,
                  warnings=tuple(warnings))
