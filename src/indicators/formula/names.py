"""The tables behind the reading of printed formula cells: bracket families, look-alike operators,
label words, qualifier words, and the unit a bracketed qualifier names.

One table per concern; :mod:`indicators.formula.prepare` applies them, docs/formula-language.md lists them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: every bracket family read as a parenthesis, opening → closing (full and half width). A mixed pair
#: (``【…]``) groups too: families are not matched against each other, only opening against closing.
BRACKETS: dict[str, str] = {
    "(": ")", "（": "）", "[": "]", "［": "］", "{": "}", "｛": "｝", "〔": "〕", "【": "】", "〖": "〗",
    "〘": "〙", "〚": "〛", "⦅": "⦆", "｟": "｠", "﹙": "﹚", "﹝": "﹞", "﹛": "﹜",
}
#: the square families, whose digits at the end of a cell are a footnote mark (``…×100%[2]``)
FOOTNOTE_BRACKETS = "[［〔【〖"

#: characters that look like an operator, → (the operator, its name in messages)
LOOK_ALIKE_OPERATORS: dict[str, tuple[str, str]] = {
    "﹦": ("=", "等号"), "═": ("=", "等号"), "⹀": ("=", "等号"), "〓": ("=", "等号"),
    "—": ("-", "减号"), "–": ("-", "减号"), "‐": ("-", "减号"), "‑": ("-", "减号"), "‒": ("-", "减号"),
    "﹣": ("-", "减号"), "⁃": ("-", "减号"), "―": ("-", "减号"),
    "∙": ("×", "乘号"), "•": ("×", "乘号"), "✕": ("×", "乘号"), "✖": ("×", "乘号"), "⨯": ("×", "乘号"),
    "∕": ("/", "除号"), "⁄": ("/", "除号"), "﹢": ("+", "加号"),
}
#: Latin letters read as a multiplication sign between operands (``数量 X 2``, ``单价x2``)
TIMES_LETTERS = "xXｘＸ"

#: words that introduce a formula without naming the indicator: ``计算公式：a/b*100%`` has no left side
LABEL_WORDS = ("计算公式", "指标计算公式", "测算公式", "计算方法", "计算方式", "计算口径", "公式", "算法")
#: words that link a label to its formula: ``计算公式为a/b``, ``指标值是a/b``
LINK_WORDS = ("为", "是")
#: the left side every form uses (kept as ``Formula.lhs``); it may be linked by 为/是 too
VALUE_WORD = "指标值"

#: a bracketed part after a name that starts with one of these words is a note on the name:
#: ``在校生人数(含借读生, 不含休学)``, ``常住人口(按户籍人口, 年末数)``
QUALIFIER_WORDS = (
    "含", "不含", "包含", "包括", "不包括", "其中", "按", "按照", "以", "仅", "只", "即", "指", "注",
    "可比价", "现价", "当年价", "不变价", "年末", "年初", "年均", "全年", "累计", "当年", "上年", "本年",
)
#: ... or ends with one of these: ``(2020年不变价)``, ``(统计口径)``
QUALIFIER_ENDINGS = ("价", "口径")

#: characters of a name (after brackets were read as parentheses)
NAME_CHARS = r"\w、“”‘’\"'「」『』《》〈〉"
#: a separator inside a bracketed note: ``(万元,可比价)``, ``(元/人)``, ``(含 借读生)``
_SEPARATORS = re.compile(r"[,，;；、\s]+")
_WORD = re.compile(rf"[{NAME_CHARS}%％‰/／·]+")
_DIGITS = re.compile(r"[0-9０-９.．]+")


def is_cjk(ch: str) -> bool:
    """True for a CJK ideograph (the characters of Chinese names)."""
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\U00020000" <= ch <= "\U0003134f"


def is_note_qualifier(content: str) -> bool:
    """Whether the text inside a bracket after a name is a note on the name rather than a formula.

    Its parts (split at commas and spaces) are words, at least one of them a unit known to the unit
    registry (``万元``, ``元/人``) or a qualifier word (``含借读生``, ``可比价``); a ``/`` is allowed
    only inside a unit. ``(a/b)`` and ``(a, b)`` are not notes.
    """
    parts = [p for p in _SEPARATORS.split(content.strip()) if p]
    if not parts or not all(_WORD.fullmatch(p) for p in parts):
        return False
    known = False
    for part in parts:
        unit = _is_unit(part)
        if ("/" in part or "／" in part) and not unit:
            return False
        known = known or unit or part.startswith(QUALIFIER_WORDS) or part.endswith(QUALIFIER_ENDINGS)
    return known


def qualifier_unit(name: str) -> str | None:
    """The unit a bracketed part of ``name`` names, if the unit registry knows it, else None.

    ``地区生产总值(万元,可比价)`` → ``万元``; ``收入（元/人）`` → ``元/人``;
    ``用水量【立方米】`` → ``立方米``; ``村(社区)`` → None. The last bracket that names a unit wins.
    """
    found: str | None = None
    for content in _bracket_contents(name):
        for part in _SEPARATORS.split(content.strip()):
            if part and _is_unit(part):
                found = part
                break
    return found


def _bracket_contents(name: str) -> list[str]:
    contents: list[str] = []
    start: int | None = None
    for i, ch in enumerate(name):
        if ch in BRACKETS:
            start = i + 1
        elif start is not None and ch in _CLOSING:
            contents.append(name[start:i])
            start = None
    return contents


_CLOSING = frozenset(BRACKETS.values())


@lru_cache(maxsize=512)
def _is_unit(word: str) -> bool:
    """A unit of the registry; plain numbers and single letters (``a``, ``C``, ``m``) never are."""
    if word in ("%", "％", "‰"):
        return True
    if _DIGITS.fullmatch(word) or (len(word) < 2 and not is_cjk(word)):
        return False  # one-letter symbols such as m or h would turn (m, h) into units
    from indicators import units  # the registry is built on first use only

    return units.is_unit(unicodedata.normalize("NFKC", word))
