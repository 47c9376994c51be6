"""Text normalisation shared by every stage that compares names written by people.

Forms mix full-width and half-width characters, stray spaces (a level-1 cell printed vertically
becomes ``产 出 指 标``), Chinese and ASCII quotes, traditional characters (``產出指標``), optional suffixes
such as ``指标`` and notes in brackets (``产出指标（50分）``). :func:`normalize_name` is the one comparison
key for names; :func:`category_key` the one for category names, after :func:`split_category` has taken
off the note.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache

from indicators import resources

_QUOTES = "\"'“”‘’「」『』〝〞"
_SPACE_RE = re.compile(r"\s+")
#: opening and closing brackets of every family forms use, after NFKC (（ → (, ［ → [, ＜ → <, ｛ → {)
OPEN_BRACKETS = "([{<【〔〖《〈「『"
CLOSE_BRACKETS = ")]}>】〕〗》〉」』"


#: characters that stand for a number without being a digit of one: superscripts and subscripts
#: (``²``, ``₂``), fractions (``½``, ``⅓``), circled, parenthesised and full-stop numbers (``①``, ``⑴``,
#: ``⒈``, ``❶``, ``㉑``, ``㊀``) and the telegraph signs of hours, days and months (``㏠`` is 1日). NFKC
#: would fold them into plain digits and glue them to the number
#: before them (``10²`` → ``102``, ``5①`` → ``51``), so :func:`nfkc` leaves them as they are.
NUMBER_FORMS = (
    "\u00b2\u00b3\u00b9\u00bc-\u00be\u2070-\u209f\u2150-\u215f\u2189\u2460-\u24ff\u2776-\u2793"
    "\u3248-\u324f\u3251-\u325f\u3280-\u3289\u32b1-\u32cb\u3358-\u3370\u33e0-\u33fe"
    "\U0001f100-\U0001f10c"
)
_NUMBER_FORM = re.compile(f"([{NUMBER_FORMS}])")
#: superscript digits, as a unit's power (``m²`` → ``m2``, ``km³`` → ``km3``)
SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"


def is_number_form(ch: str) -> bool:
    """Whether ``ch`` is one of :data:`NUMBER_FORMS` (``²``, ``①``, ``½`` …)."""
    return _NUMBER_FORM.fullmatch(ch) is not None


def nfkc(text: str) -> str:
    """Full-width → half-width (``（`` → ``(``, ``％`` → ``%``, ``１`` → ``1``) via NFKC, except that
    superscripts, fractions and circled numbers stay as they are (:data:`NUMBER_FORMS`): ``10²`` is never
    ``102``, ``①`` never ``1``."""
    if text.isascii():
        return text
    if _NUMBER_FORM.search(text) is None:
        return unicodedata.normalize("NFKC", text)
    parts = _NUMBER_FORM.split(text)  # text, number form, text, …
    return "".join(part if i % 2 else unicodedata.normalize("NFKC", part) for i, part in enumerate(parts))


def squash_spaces(text: str) -> str:
    """Remove all white space (forms break names across lines and pad them with spaces)."""
    return _SPACE_RE.sub("", text)


def strip_quotes(text: str) -> str:
    """Drop every quote character, ASCII or Chinese."""
    return "".join(ch for ch in text if ch not in _QUOTES)


@cache
def _traditional_table() -> dict[int, str]:
    """``catalog/traditional.txt`` as a ``str.translate`` table (traditional → simplified)."""
    table: dict[int, str] = {}
    for line in resources.catalog_text("traditional.txt").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        traditional, _, simplified = line.partition("\t")
        if len(traditional) == 1 and len(simplified) == 1:
            table[ord(traditional)] = simplified
    return table


def to_simplified(text: str) -> str:
    """Traditional characters → simplified ones, character by character (``產出指標`` → ``产出指标``).

    The table (``catalog/traditional.txt``) covers the common characters; it is for comparing, never for
    rewriting what a form shows.
    """
    return text.translate(_traditional_table())


@lru_cache(maxsize=65536)  # a form repeats its names; every rule compares them
def normalize_name(text: str, *, drop_suffix: bool = True) -> str:
    """The comparison key of an indicator or category name.

    NFKC, simplified characters, no white space, no quotes, lower-case Latin letters and, unless
    ``drop_suffix`` is false, without a trailing ``指标``. ``“12345”热线工单办结率`` and
    ``12345热线工单办结率`` share a key, and so do ``滿意度`` and ``满意度``.
    """
    key = to_simplified(strip_quotes(squash_spaces(nfkc(text)))).lower()
    if drop_suffix and key.endswith("指标") and len(key) > 2:
        key = key[: -len("指标")]
    return key


# --- category names -------------------------------------------------------------------------------

_O, _C = re.escape(OPEN_BRACKETS), re.escape(CLOSE_BRACKETS)
#: a balanced note at the end: ``(50分)``, ``（必填）``, ``【0-10分】``
_TRAILING_NOTE = re.compile(rf"[{_O}]([^{_O}{_C}]*)[{_C}]$")
#: text after the last 指标 (or 指标等) of a name: ``产出指标 40分)``, ``产出指标50分``
_AFTER_INDICATOR = re.compile(rf"^(.*指标等?)(?:[{_O}]?([^{_O}{_C}]+)[{_C}]?)?$")
#: a score share with no bracket and no 指标: ``产出50分``
_BARE_POINTS = re.compile(r"^(.*?\D)(\d+(?:\.\d+)?分)$")
#: what a note says when it is a score share: ``50分``, ``30``, ``权重20``, ``分值：10分``, ``20%``
_POINTS = re.compile(r"^(?:权重|分值|占|计|满分)?[:：]?(\d{1,3}(?:\.\d+)?)(?:分|%)?$")
#: words before a category name that do not change it: ``项目产出指标``, ``部门整体效益指标``
CATEGORY_PREFIXES = ("部门整体", "项目", "部门", "整体", "年度")


@dataclass(frozen=True, slots=True)
class CategoryText:
    """A category cell taken apart: the name, the notes around it, and a score share among them."""

    name: str
    notes: tuple[str, ...] = ()
    points: Decimal | None = None

    @property
    def note(self) -> str | None:
        """The notes joined (``必填；50分``), or None."""
        return "；".join(self.notes) or None


def points_of(note: str) -> Decimal | None:
    """The score share a note states (``50分``, ``30``, ``权重20``), or None (``必填``, ``0-10分``)."""
    match = _POINTS.match(squash_spaces(nfkc(note)))
    if match is None:
        return None
    try:
        return Decimal(match[1])
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None


@lru_cache(maxsize=4096)
def split_category(text: str) -> CategoryText:
    """``产出指标（50分）`` → 产出指标 + note ``50分`` (50 points); ``质量指标（必填）`` → 质量指标 +
    note ``必填``.

    Every bracket family counts, an unbalanced closing bracket (``产出指标 40分)``) and a note written
    straight after 指标 (``产出指标50分``) too. Spaces and line breaks inside the name are removed
    (``产 出 指 标``). The first note that states a number of points (``50分``, ``30``, ``权重20``) gives
    ``points``; a range (``0-10分``) does not.
    """
    rest = strip_quotes(squash_spaces(nfkc(text)))
    notes: list[str] = []
    while (match := _TRAILING_NOTE.search(rest)) is not None and match.start() > 0:
        notes.insert(0, match[1])
        rest = rest[: match.start()]
    simple = to_simplified(rest)  # one character for one: positions agree with ``rest``
    match = _AFTER_INDICATOR.match(simple) or _BARE_POINTS.match(simple)
    if match is not None and match[2]:
        notes.insert(0, rest[match.start(2) : match.end(2)])
        rest = rest[: match.end(1)]
    rest = rest.rstrip(CLOSE_BRACKETS)
    if to_simplified(rest).endswith("指标等") and len(rest) > 3:  # 服务对象满意度指标等: "and the like"
        rest, notes = rest[:-1], ["等", *notes]
    notes = [n for n in notes if n]
    points = next((p for p in map(points_of, notes) if p is not None), None)
    return CategoryText(name=rest, notes=tuple(notes), points=points)


@lru_cache(maxsize=4096)
def category_key(name: str) -> str:
    """The comparison key of a category name: ``產 出 指 標（50分）`` → ``产出``; ``…指标等`` → ``…``;
    ``项目产出指标`` → ``产出`` (a leading 项目, 部门, 整体 or 年度 does not change a category)."""
    key = normalize_name(split_category(name).name)
    if key.endswith("指标等") and len(key) > 3:
        key = key[: -len("指标等")]
    for prefix in CATEGORY_PREFIXES:
        if key.startswith(prefix) and len(key) - len(prefix) >= 2:
            return key[len(prefix) :]
    return key
