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

from indicators import resources, yamlio
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
    remedies: tuple[str, ...]
    lower_is_better_endings: tuple[str, ...] = Field(min_length=1)
    reverse_markers: tuple[str, ...]
    forward_markers: tuple[str, ...]
    reverse_words: tuple[str, ...]
    forward_words: tuple[str, ...]
    survey_methods: tuple[str, ...]
    satisfaction_words: tuple[str, ...]
    placeholder_marks: tuple[str, ...]
    placeholder_anywhere: tuple[str, ...]
    placeholder_words: tuple[str, ...]
    rate_endings: tuple[str, ...]
    not_rate_endings: tuple[str, ...]
    count_endings: tuple[str, ...]
    time_words: tuple[str, ...]
    grade_standard_words: tuple[str, ...]
    certified_scales: tuple[str, ...]
    task_generic_words: tuple[str, ...]

    # -- names ------------------------------------------------------------------------------------

    def lower_is_better_word(self, name: str) -> str | None:
        """The bad thing a name measures a rate or a count of (``贷款逾期率`` → 逾期), or None."""
        key = name_key(name)
        for ending in sorted(self.lower_is_better_endings, key=len, reverse=True):
            if not key.endswith(ending) or len(key) == len(ending):
                continue
            stem = key[: -len(ending)].removesuffix("发生")
            bad = next((w for w in _longest_first(self.lower_is_better) if stem.endswith(w)), None)
            if bad is None or any(r in stem[: -len(bad)] for r in self.remedies):
                return None  # 受理投诉数量, 查处违法案件数: the work done about the bad thing
            return bad
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
        """A direction marker in a text: (``le`` or ``ge``, the marker as written), or None.

        A phrase (反向指标, 越低越好) counts anywhere; a bare word (反向) only as the whole text, in
        brackets or before a colon."""
        key = text_key(text)
        for wants, phrases, words in (("le", self.reverse_markers, self.reverse_words),
                                      ("ge", self.forward_markers, self.forward_words)):
            for phrase in _longest_first(phrases):
                if phrase in key:
                    return wants, phrase
            for word in words:
                alone = rf"[(（\[【:：]{word}[)）\]】]?$|[(（\[【]{word}[)）\]】:：]"
                if key == word or re.search(alone, key):
                    return wants, word
        return None

    def says_time(self, text: str) -> bool:
        """A text that sets a time (``按时完成``, ``12月底前``, ``在计划时间内完成``)."""
        key = text_key(text)
        return any(w in key for w in self.time_words)

    def task_terms(self, text: str) -> list[str]:
        """The words of a task or a goal clause that say what is done: the runs of Chinese characters left
        when numbers, punctuation and ``task_generic_words`` are taken out (``老旧小区改造经费`` → 老旧小区改
        造)."""
        key = text_key(text)
        for word in _longest_first(self.task_generic_words):
            key = key.replace(word, " ")
        return [run for run in re.findall(r"[\u4e00-\u9fff]+", key) if len(run) >= 2]

    def survey_method(self, text: str) -> str | None:
        key = text_key(text)
        return next((w for w in self.survey_methods if w in key), None)

    def placeholder(self, text: str) -> str | None:
        """The first template placeholder in a text (``≥**棵`` → ``**``, ``XX%``, ``完成X个小区`` → ``X``,
        ``某某``), or None. A run of marks is a placeholder where a number belongs: not touching other
        Latin letters (``X光机``, ``Excel``), and followed by the end, ``%``, a bracket, a separator, a
        date word or a unit."""
        key = nfkc(text)
        for word in _longest_first(self.placeholder_words):
            if word in key:
                return word
        marks = "".join(re.escape(m) for m in sorted({nfkc(m) for m in self.placeholder_marks}))
        anywhere = {nfkc(m) for m in self.placeholder_anywhere}
        for found in re.finditer(f"[{marks}]+", key):
            run, start, end = found.group(0), found.start(), found.end()
            if len(run) >= 2 and set(run) <= anywhere:
                return run
            before, after = key[start - 1 : start], key[end:]
            if _latin(before) or _latin(after[:1]):
                continue
            if after and (after[0] in _AFTER_NUMBER or _starts_with_unit(after)):
                return run
            if not after and (not before or before in _BEFORE_NUMBER):
                return run
        return None


#: what may stand right after a number: a share sign, a bracket, a separator, a comparison word, a date word
_AFTER_NUMBER = frozenset("%‰)）]】/、，,；;。~～-—至到以及年月日天号时")
#: what may stand right before a number that ends the text: a comparator, a bracket, a separator
_BEFORE_NUMBER = frozenset("≥≤><=≧≦(（[【~～-—至到为达")


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def _starts_with_unit(text: str) -> bool:
    from indicators import units

    return any(units.is_unit(text[:n]) for n in (3, 2, 1) if len(text) >= n)


def _longest_first(words: tuple[str, ...]) -> list[str]:
    return sorted(words, key=len, reverse=True)


def placeholder_in(text: str) -> str | None:
    """The first template placeholder in a text (``≥**棵``, ``XX%``, ``X月X日前``, ``某某``), or None."""
    return review_words().placeholder(text)


def load_review_words(text: str) -> ReviewWords:
    try:
        raw: Any = yamlio.safe_load(text)
        return ReviewWords.model_validate(raw)
    except (yaml.YAMLError, ValidationError) as exc:
        raise CatalogError(diagnostic("IND401", detail=f"review.yaml: {exc}")) from exc


@cache
def review_words() -> ReviewWords:
    """The shipped word lists (read once per process)."""
    return load_review_words(resources.catalog_text("review.yaml"))
