"""Completion words (已完成, 部分达成, 未达到, 进行中 …) from ``catalog/completion.yaml``.

One vocabulary for the whole engine: :func:`completion_tier` is how ``parse_actual`` reads an actual
value written as a word, and how a scoring policy names the tier of such a word (see
``indicators.scoring.policy.Qualitative.tier_for_word``). :func:`yes_no` reads the words that answer a
yes/no or state target (是, 按时 / 否, 逾期).
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from indicators import resources, yamlio
from indicators.codes import diagnostic
from indicators.errors import CatalogError
from indicators.limits import DEFAULT_LIMITS
from indicators.target.model import Tier
from indicators.target.normalize import normalize


def word_key(text: str) -> str:
    """The form in which words are compared: normalised, without spaces and a final full stop.

    A text longer than ``Limits.max_text_length`` is no word and is kept as it is: normalising a
    million characters at every comparison would take seconds (the parsers refuse it, IND001)."""
    if len(text) > DEFAULT_LIMITS.max_text_length:
        return text
    return normalize(text).text


class _TierWords(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    words: tuple[str, ...] = Field(min_length=1)
    prefixes: tuple[str, ...] = ()


class Vocabulary(BaseModel):
    """The contents of ``catalog/completion.yaml``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    tiers: dict[Tier, _TierWords]
    yes_words: tuple[str, ...]
    no_words: tuple[str, ...]
    hedges: tuple[str, ...] = ()
    approximate_tolerance: Decimal = Field(default=Decimal("0.05"), gt=0, lt=1)

    @model_validator(mode="after")
    def _check(self) -> Vocabulary:
        if set(self.tiers) != set(Tier):
            raise ValueError("tiers 须恰好包含 achieved、partial、not_achieved 三档")
        seen: dict[str, str] = {}
        lists = [(t.value, w.words) for t, w in self.tiers.items()]
        lists += [("yes_words", self.yes_words), ("no_words", self.no_words)]
        for where, words in lists:
            for word in words:
                key = word_key(word)
                if key in seen:
                    raise ValueError(f"词语“{word}”出现了两次（{seen[key]}、{where}）")
                seen[key] = where
        return self

    def tier(self, text: str) -> Tier | None:
        """The tier a completion word names (the whole text, else its longest prefix, else a hedged
        yes-word or achieved word such as ``基本及时``: partial), or None."""
        key = word_key(text)
        for tier, entry in self.tiers.items():
            if key in _keys(entry.words):
                return tier
        best: tuple[int, Tier] | None = None
        for tier, entry in self.tiers.items():
            for prefix in entry.prefixes:
                if key.startswith(word_key(prefix)) and (best is None or len(prefix) > best[0]):
                    best = (len(prefix), tier)
        return best[1] if best else self._hedged(key)

    def _hedged(self, key: str) -> Tier | None:
        """The partial tier for a yes-word or an achieved word after a hedge (``基本及时``), else None."""
        rest = self.unhedged(key)
        if rest is None:
            return None
        if rest in _keys(self.yes_words) or rest in _keys(self.tiers[Tier.ACHIEVED].words):
            return Tier.PARTIAL
        return None

    def unhedged(self, text: str) -> str | None:
        """``text`` without the hedge it starts with (``基本全覆盖`` → ``全覆盖``), or None when it starts
        with none, or nothing or a negation follows."""
        key = word_key(text)
        for hedge in sorted(self.hedges, key=len, reverse=True):
            rest = key.removeprefix(word_key(hedge))
            if rest != key:
                return rest if rest and not rest.startswith(_NEGATIONS) else None
        return None

    def yes_no(self, text: str) -> bool | None:
        """True for a yes-word, False for a no-word, None otherwise."""
        key = word_key(text)
        if key in _keys(self.yes_words):
            return True
        if key in _keys(self.no_words):
            return False
        return None


#: the words that deny a state
_NEGATIONS = ("未", "不", "没", "无")


@cache
def _keys(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(word_key(w) for w in words)


def load_vocabulary(text: str) -> Vocabulary:
    """The vocabulary from the text of a completion-words file; CatalogError (IND401) when invalid."""
    try:
        raw: Any = yamlio.safe_load(text)
        return Vocabulary.model_validate(raw)
    except (yaml.YAMLError, ValidationError) as exc:
        raise CatalogError(diagnostic("IND401", detail=f"completion.yaml: {exc}")) from exc


@cache
def vocabulary() -> Vocabulary:
    """The shipped vocabulary (read once per process)."""
    return load_vocabulary(resources.catalog_text("completion.yaml"))


def completion_tier(text: str) -> Tier | None:
    """The self-evaluation tier a completion word names (``已完成`` → achieved), or None."""
    return vocabulary().tier(text)


def yes_no(text: str) -> bool | None:
    """``是``/``按时`` → True, ``否``/``逾期`` → False, any other text → None."""
    return vocabulary().yes_no(text)


def realises(target: str, actual: str) -> bool | None:
    """Whether an actual state says the target state was reached: True, False (it denies it), or None
    when it does not say.

    The actual names the target when it contains it (``已按规定公开`` for ``按规定公开``) or spells it
    out with a few more characters in between (``全部覆盖`` for ``全覆盖``: every character of the target,
    in order, and at most twice as long) or in another order (``运行正常`` for ``正常运行``). A negation
    the target does not have denies it (``全镇未覆盖``)."""
    if not target or not actual:
        return None
    spelt = len(actual) <= 2 * len(target) and _in_order(target, actual)
    plain = "".join(ch for ch in actual if ch in target or ch not in _NEGATIONS)
    if target not in actual and not spelt and sorted(target) != sorted(plain):
        return None
    return not any(word in actual and word not in target for word in _NEGATIONS)


def names_part(target: str, hedged: str) -> bool:
    """Whether the words after a hedge (``基本平稳`` → ``平稳``) speak of the target state: they realise
    it, or they are a part of it of two characters or more (``平稳`` of ``平稳运行``, ``覆盖`` of
    ``全覆盖``)."""
    if realises(target, hedged):
        return True
    return len(hedged) >= 2 and hedged in target and not any(w in hedged for w in _NEGATIONS)


def _in_order(short: str, long: str) -> bool:
    rest = iter(long)
    return all(ch in rest for ch in short)

