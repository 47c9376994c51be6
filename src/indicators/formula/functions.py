"""The functions of the formula language: canonical ASCII names, Chinese aliases and arity.

The grammar (``grammar/formula.lark``, terminal ``FUNC``) lists the same words; a test keeps the two
in step. Only these functions exist: anything else followed by ``(`` is either part of a name
(``村(社区)``) or an unknown function (IND107).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Function:
    name: str
    aliases: tuple[str, ...]
    min_args: int
    max_args: int | None
    summary: str

    def arity_text(self) -> str:
        """How many arguments, in words: ``1``, ``1 至 2``, ``至少 1``."""
        if self.max_args is None:
            return f"至少 {self.min_args}"
        if self.max_args == self.min_args:
            return str(self.min_args)
        return f"{self.min_args} 至 {self.max_args}"


FUNCTIONS: dict[str, Function] = {
    f.name: f
    for f in (
        Function("SUM", ("求和",), 1, None, "各参数之和"),
        Function("AVG", ("AVERAGE", "平均", "平均值"), 1, None, "各参数的算术平均值"),
        Function("MIN", ("最小", "最小值"), 1, None, "各参数中的最小值"),
        Function("MAX", ("最大", "最大值"), 1, None, "各参数中的最大值"),
        Function("ABS", ("绝对值",), 1, 1, "绝对值"),
        Function("ROUND", ("四舍五入",), 1, 2, "四舍五入到第二个参数指定的小数位数（缺省为 0）"),
        Function("IF", ("如果",), 3, 3, "IF(条件, 条件成立时的值, 否则的值)"),
    )
}

_BY_WORD: dict[str, str] = {}
for _f in FUNCTIONS.values():
    for _word in (_f.name, *_f.aliases):
        _BY_WORD[_word.upper()] = _f.name


def resolve(word: str) -> str | None:
    """The canonical name of a function word (``求和`` → ``SUM``, ``avg`` → ``AVG``), or None."""
    return _BY_WORD.get(word.strip().upper())


def all_words() -> tuple[str, ...]:
    """Every accepted function word: canonical names and aliases."""
    return tuple(_BY_WORD)
