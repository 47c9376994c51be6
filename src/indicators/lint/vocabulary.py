"""The words the reviewer's check reads in names and cells: ``catalog/review.yaml``, one table per concern.

Vague wording is ``catalog/vague.yaml`` (shared with the target language, see
:func:`indicators.target.words.unmeasurable_word`); completion words are ``catalog/completion.yaml``.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from indicators import resources
from indicators.codes import diagnostic
from indicators.errors import CatalogError
from indicators.text import nfkc, normalize_name, to_simplified

#: a trailing bracketed note of a name: ``差错率（%）``, ``结余率(反向指标)``
_TRAILING_NOTE = re.compile(r"[(（\[【][^()（）\[\]【】]*[)）\]】]$")


def name_key(name: str) -> str:
    """A level-3 name as the word lists compare it: normalised, without a trailing bracketed note."""
    key = to_simplified(nfkc(name)).strip()
    while True:
        stripped = _TRAILING_NOTE.sub("", key).strip()
        if stripped == key or not stripped:
            break
        key = stripped
    return normalize_name(key)


def text_key(text: str) -> str:
    """Any cell text as the word lists compare it: half-width, simplified, without spaces."""
    return "".join(to_simplified(nfkc(text)).split())


class ReviewWords(BaseModel):
    """The contents of ``catalog/review.yaml``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    lower_is_better: tuple[str, ...] = Field(min_length=1)
    lower_is_better_endings: tuple[str, ...] = Field(min_length=1)
    reverse_markers: tuple[str, ...]
    forward_markers: tuple[str, ...]
    survey_methods: tuple[str, ...]
    satisfaction_words: tuple[str, ...]
    placeholder_marks: tuple[str, ...]
    placeholder_anywhere: tuple[str, ...]
    placeholder_words: tuple[str, ...]
    rate_endings: tuple[str, ...]
    not_rate_endings: tuple[str, ...]
    count_endings: tuple[str, ...]
    time_words: tuple[str, ...]

    # -- names ------------------------------------------------------------------------------------

    def lower_is_better_word(self, name: str) -> str | None:
        """The bad thing a name measures a rate or a count of (``贷款逾期率`` → 逾期), or None."""
        key = name_key(name)
        for ending in sorted(self.lower_is_better_endings, key=len, reverse=True):
            if not key.endswith(ending) or len(key) == len(ending):
                continue
            stem = key[: -len(ending)].removesuffix("发生")
            return next((w for w in _longest_first(self.lower_is_better) if stem.endswith(w)), None)
        return None

    def is_satisfaction(self, name: str) -> bool:
        """A name that measures a satisfaction (居民满意度, 群众满意率), not 满意度调查覆盖率."""
        key = name_key(name)
        return key.endswith(self.satisfaction_words) and "不满意" not in key

    def names_rate(self, name: str) -> bool:
        """A name that says it is a rate or a share (完成率, 占比), not 频率/效率."""
        key = name_key(name)
        return key.endswith(self.rate_endings) and not key.endswith(self.not_rate_endings)

    def names_count(self, name: str) -> bool:
        """A name that says it is a count (受益人数, 培训场次, 设施数量)."""
        return name_key(name).endswith(self.count_endings)

    # -- cell texts -------------------------------------------------------------------------------

    def marker(self, text: str) -> tuple[str, str] | None:
        """A direction marker in a text: (``le`` or ``ge``, the marker as written), or None."""
        key = text_key(text)
        for word in _longest_first(self.reverse_markers):
            if word in key:
                return "le", word
        for word in _longest_first(self.forward_markers):
            if word in key:
                return "ge", word
        return None

    def says_time(self, text: str) -> bool:
        """A text that sets a time (``按时完成``, ``12月底前``, ``在计划时间内完成``)."""
        key = text_key(text)
        return any(w in key for w in self.time_words)

    def survey_method(self, text: str) -> str | None:
        key = text_key(text)
        return next((w for w in self.survey_methods if w in key), None)

    @property
    def placeholder_pattern(self) -> re.Pattern[str]:
        return _placeholder_pattern(self.placeholder_marks, self.placeholder_anywhere, self.placeholder_words)


def _longest_first(words: tuple[str, ...]) -> list[str]:
    return sorted(words, key=len, reverse=True)


#: what may stand after a number: a unit-like word, %, a comparison suffix or a date word
_AFTER_NUMBER = r"(?=$|[%％‰)）\]】/、，,；;。~～\-—至到]|以|及|个|[年月日天号时分秒]|[\u4e00-\u9fff]{1,2}(?:$|[)）]))"
#: what may stand before a number: the start, a comparator, a bracket, a date separator
_BEFORE_NUMBER = r"(?:^|(?<=[≥≤><=＞＜≧≦(（\[【~～\-—至到为达约共计]))"


@cache
def _placeholder_pattern(
    marks: tuple[str, ...], anywhere: tuple[str, ...], words: tuple[str, ...]
) -> re.Pattern[str]:
    mark_class = "[" + "".join(re.escape(m) for m in marks) + "]"
    anywhere_class = "[" + "".join(re.escape(m) for m in anywhere) + "]"
    word_alt = "|".join(re.escape(w) for w in _longest_first(words))
    return re.compile(
        rf"(?:{word_alt})|{anywhere_class}+|{_BEFORE_NUMBER}{mark_class}+{_AFTER_NUMBER}"
        rf"|(?<![A-Za-z]){mark_class}+(?=[%％])"
    )


def placeholder_in(text: str) -> re.Match[str] | None:
    """The first template placeholder in a text (``≥**棵``, ``XX%``, ``X月X日前``, ``某某``), or None."""
    return review_words().placeholder_pattern.search(nfkc(text))


def load_review_words(text: str) -> ReviewWords:
    try:
        raw: Any = yaml.safe_load(text)
        return ReviewWords.model_validate(raw)
    except (yaml.YAMLError, ValidationError) as exc:
        raise CatalogError(diagnostic("IND401", detail=f"review.yaml: {exc}")) from exc


@cache
def review_words() -> ReviewWords:
    """The shipped word lists (read once per process)."""
    return load_review_words(resources.catalog_text("review.yaml"))
