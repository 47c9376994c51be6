"""Normalisation of target and actual-value texts before parsing, keeping every character's origin.

Forms mix full-width and half-width forms, pad with spaces, end sentences with a full stop and carry
text-extraction damage. Superscripts, fractions and circled numbers are not folded into digits
(``10²`` stays ``10²`` and is refused, never read as 102; ``①`` is not 1), except a superscript digit
after a Latin letter, a unit's power (``m²`` → ``m2``). :func:`normalize` folds all of that into the
alphabet of ``grammar/target.lark`` and remembers, for every character of the result, the offset of the
character it came from, so errors point into the text the user wrote.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from indicators.codes import diagnostic
from indicators.diagnostics import Diagnostic, Span
from indicators.text import SUPERSCRIPT_DIGITS, is_number_form

#: characters folded before NFKC (look-alikes and dashes NFKC leaves alone)
_FOLD: dict[str, str] = {
    "≧": "≥",
    "⩾": "≥",
    "≦": "≤",
    "⩽": "≤",
    "═": "=",
    "＝": "=",
    "～": "~",
    "〜": "~",
    "∼": "~",
    "—": "-",
    "–": "-",
    "－": "-",
    "―": "-",
    "−": "-",
    "‐": "-",
    "㎡": "平方米",
    "・": "·",
    "•": "·",
    "‧": "·",
    "∙": "·",
    "【": "[",
    "】": "]",
    "〔": "[",
    "〕": "]",
    "﹪": "%",
}
#: pairs written for one sign
_MERGE: dict[str, str] = {">=": "≥", "<=": "≤", "≥=": "≥", "≤=": "≤", "=>": "≥", "=<": "≤"}
#: a run of these is written for one (``--``, ``——`` folded to ``--``, ``~~``)
_RUNS = frozenset("-~")
#: a trailing full stop or comma is dropped (辖区企业满意率达95%以上。)
TRAILING = "。.;；,，!！、"


@dataclass
class Normalized:
    """The normalised text, the origin offset of each of its characters, and the original text."""

    text: str
    origin: list[int]
    original: str
    warnings: list[Diagnostic] = field(default_factory=list)

    def span(self, start: int, end: int | None = None) -> Span:
        """The span in the original text of ``self.text[start:end]``."""
        end = start if end is None else end
        o_start = self.origin[start] if start < len(self.origin) else len(self.original)
        if end > start:
            last = self.origin[min(end, len(self.origin)) - 1]
            o_end = last + 1
        else:
            o_end = o_start
        return Span.of(self.original, o_start, max(o_start, o_end))

    def sliced(self, start: int) -> Normalized:
        """The same text without its first ``start`` characters (origins kept)."""
        return Normalized(self.text[start:], self.origin[start:], self.original, list(self.warnings))

    def prefix(self, end: int) -> Normalized:
        """The same text up to ``end`` (origins kept): the target before a note."""
        return Normalized(self.text[:end], self.origin[:end], self.original, list(self.warnings))

    def replace(self, start: int, end: int, new: str) -> None:
        """Put ``new`` in place of ``text[start:end]`` (non-empty); its characters point into the
        original characters of the part it replaces."""
        old = self.origin[start:end]
        origin = [old[min(i, len(old) - 1)] for i in range(len(new))]
        if origin:
            origin[-1] = old[-1]
        self.text = self.text[:start] + new + self.text[end:]
        self.origin = self.origin[:start] + origin + self.origin[end:]


def _unit_power(ch: str, before: list[str]) -> bool:
    """A superscript digit right after a Latin letter is a unit's power: ``m²`` → ``m2``."""
    return ch in SUPERSCRIPT_DIGITS and bool(before) and before[-1].isascii() and before[-1].isalpha()


#: character → its folded text, for characters whose folding does not depend on the characters before
_FOLDED: dict[str, str] = {}
_FOLDED_KEPT = 20_000


def _fold(ch: str, before: list[str]) -> str:
    """One character in the parser's alphabet (``""`` for an invisible one)."""
    if ch.isspace() or unicodedata.category(ch) == "Cf":  # invisible: zero-width, BOM, direction marks
        return ""
    folded = _FOLD.get(ch)
    if folded is None and is_number_form(ch) and not _unit_power(ch, before):
        folded = ch  # 10² is not 102, ① is not 1: left for the grammar to refuse
    if folded is None:
        folded = unicodedata.normalize("NFKC", ch)
        folded = "".join(_FOLD.get(c, c) for c in folded if not c.isspace())
    return folded


def normalize(original: str, *, strip_trailing: bool = True) -> Normalized:
    """Fold ``original`` into the parser's alphabet (see the module text)."""
    chars: list[str] = []
    origin: list[int] = []
    known = _FOLDED
    for i, ch in enumerate(original):
        folded = known.get(ch)
        if folded is None:
            folded = _fold(ch, chars)
            if ch not in SUPERSCRIPT_DIGITS and len(known) < _FOLDED_KEPT:  # the others depend on context
                known[ch] = folded
        for c in folded:
            chars.append(c)
            origin.append(i)
    # merge two-character signs; a run of dashes or tildes is one (2024年3月--2024年10月, 3月——10月)
    out: list[str] = []
    out_origin: list[int] = []
    i = 0
    while i < len(chars):
        pair = "".join(chars[i : i + 2])
        if pair in _MERGE:
            out.append(_MERGE[pair])
            out_origin.append(origin[i])
            i += 2
            continue
        if chars[i] in _RUNS and out and out[-1] == chars[i]:
            i += 1
            continue
        out.append(chars[i])
        out_origin.append(origin[i])
        i += 1
    norm = Normalized("".join(out), out_origin, original)
    if strip_trailing:
        end = len(norm.text)
        while end > 0 and norm.text[end - 1] in TRAILING:
            end -= 1
        if 0 < end < len(norm.text):
            span = norm.span(end, len(norm.text))
            norm.warnings.append(diagnostic("IND205", span=span, text=original))
            norm = Normalized(norm.text[:end], norm.origin[:end], original, norm.warnings)
    _chinese_numerals(norm)
    return norm


_CN_DIGITS = {ch: i for i, ch in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
#: a count in Chinese numerals before a count word and where a count ends: 三次以上, 不少于两次, 每季度一次,
#: 十二个; not an ordinal (第三次), a word (一次性, 二次供水, 统一, 唯一) or a name
_CN_COUNT = re.compile(
    r"(?<![第统唯之])([零〇一二两三四五六七八九十百千]+万?)"
    r"(?=(?:人次|次|个|人|场|期|批|项|家|所|户|天|日|月|年|周|小时|篇|份|条|台|辆|套|处|座|名|种|类|部|本|件|轮"
    r"|组|支|村|块|间|张|册|棵|株|头|只|口|眼|栋)"
    r"(?:$|以|及|或|内|左右|上下|[()\[\],;/每]))"
)


#: a per cent in words: 百分之九十五 (95%), 百分之百 (100%)
_CN_PERCENT = re.compile(r"百分之([零〇一二两三四五六七八九十百点]+)")
#: tenths in words where a share ends: 九成 (90%), 九成以上, 达到八成
_CN_TENTHS = re.compile(
    r"(?:(?<=^)|(?<=[≥≤<>=于达到过在为约]))([一二三四五六七八九十])成(?=$|以|及|或|左右|上下|[(),;])"
)


def _chinese_numerals(norm: Normalized) -> None:
    """A count written in Chinese numerals is read in digits (``三次以上`` → ``3次以上``), a per cent or
    tenths in words as a per cent (``百分之九十五`` → ``95%``, ``九成`` → ``90%``); offsets kept."""
    for match in reversed(list(_CN_COUNT.finditer(norm.text))):
        norm.replace(match.start(1), match.end(1), str(chinese_number(match.group(1))))
    for match in reversed(list(_CN_PERCENT.finditer(norm.text))):
        words = match.group(1)
        whole, _, fraction = words.partition("点")
        digits = "".join(str(_CN_DIGITS[ch]) for ch in fraction if ch in _CN_DIGITS)
        value = str(chinese_number(whole)) + (f".{digits}" if digits else "")
        norm.replace(match.start(), match.end(), f"{value}%")
    for match in reversed(list(_CN_TENTHS.finditer(norm.text))):
        norm.replace(match.start(), match.end(), f"{chinese_number(match.group(1)) * 10}%")


def chinese_number(text: str) -> int:
    """The value of a Chinese numeral: ``十二`` 12, ``二十`` 20, ``一百零五`` 105, ``三万`` 30000."""
    total = section = number = 0
    for ch in text:
        if ch in _CN_DIGITS:
            number = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            section += (number or 1) * _CN_UNITS[ch]
            number = 0
        elif ch == "万":
            total += (section + number) * 10000
            section = number = 0
    return total + section + number
