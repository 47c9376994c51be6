"""Text normalisation shared by every stage that compares names written by people.

Forms mix full-width and half-width characters, stray spaces (a level-1 cell printed vertically
becomes ``产 出 指 标``), Chinese and ASCII quotes, and optional suffixes such as ``指标``.
"""

from __future__ import annotations

import re
import unicodedata

_QUOTES = "\"'“”‘’「」『』〝〞"
_SPACE_RE = re.compile(r"\s+")


def nfkc(text: str) -> str:
    """Full-width → half-width (``（`` → ``(``, ``％`` → ``%``, ``１`` → ``1``) via NFKC."""
    return unicodedata.normalize("NFKC", text)


def squash_spaces(text: str) -> str:
    """Remove all white space (forms break names across lines and pad them with spaces)."""
    return _SPACE_RE.sub("", text)


def strip_quotes(text: str) -> str:
    """Drop every quote character, ASCII or Chinese."""
    return "".join(ch for ch in text if ch not in _QUOTES)


def normalize_name(text: str, *, drop_suffix: bool = True) -> str:
    """The comparison key of an indicator or category name.

    NFKC, no white space, no quotes, lower-case Latin letters and, unless ``drop_suffix`` is false,
    without a trailing ``指标``. ``“12345”热线工单办结率`` and ``12345热线工单办结率`` share a key.
    """
    key = strip_quotes(squash_spaces(nfkc(text))).lower()
    if drop_suffix and key.endswith("指标") and len(key) > 2:
        key = key[: -len("指标")]
    return key
