"""A tight driver for a Lark LALR(1) parser with the contextual lexer.

Lark builds the grammar, the LALR tables, the per-state lexers and the callbacks of the transformer;
this module runs the same automaton over a text in one loop, with the tables flattened once into
plain dictionaries (an action is ``(shift?, next state or rule size, rule name, callback)``), tokens
made as small slotted objects and no per-token generator, line counter or rule hashing. On a text
the grammar accepts, :meth:`FastLalr.parse` calls the same callbacks in the same order as
``Lark.parse`` and returns the same value. It returns :data:`REJECTED` where Lark would raise (no
terminal matches, or no action for a token): the caller then runs ``Lark.parse`` itself, which raises
the error with Lark's own context, so messages do not depend on this module.

:func:`FastLalr.build` returns None when the Lark object does not have the expected shape (another
Lark version, a lexer callback, a post-lexer): the caller then always uses ``Lark.parse``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

#: what :meth:`FastLalr.parse` returns where Lark would raise
REJECTED: Final = object()
_END = "$END"


class FastToken:
    """A token as the callbacks see it: ``type``, ``value``, ``start_pos``, ``end_pos`` (offsets)."""

    __slots__ = ("end_pos", "start_pos", "type", "value")

    def __init__(self, type_: str, value: str, start: int, end: int) -> None:
        self.type = type_
        self.value = value
        self.start_pos = start
        self.end_pos = end

    def __str__(self) -> str:
        return self.value

    def __repr__(self) -> str:
        return f"FastToken({self.type!r}, {self.value!r}, {self.start_pos})"


#: one parse-table entry: (True, next state, "", None) for a shift, (False, rule size, rule name,
#: callback) for a reduction (callback None: a one-symbol rule that passes its child on)
_Action = tuple[bool, int, str, Callable[[list[Any]], Any] | None]


class FastLalr:
    """The LALR automaton of one Lark parser, flattened for speed."""

    def __init__(
        self,
        actions: dict[int, dict[str, _Action]],
        lexers: dict[int, Any],
        token_callbacks: dict[str, Callable[[Any], Any]],
        start: int,
        end: int,
    ) -> None:
        self._actions = actions
        self._lexers = lexers  # Lark's lexer of each state, its patterns compiled on first use
        self._scanners: dict[int, tuple[tuple[Any, ...], frozenset[str]] | None] = {}
        self._token_callbacks = token_callbacks
        self._start = start
        self._end = end

    @classmethod
    def build(cls, parser: Any, start: str = "start") -> FastLalr | None:
        """The flattened automaton of a Lark LALR parser with the contextual lexer, or None."""
        try:
            from lark.parse_tree_builder import ExpandSingleChild
            from lark.parsers.lalr_analysis import Shift

            frontend = parser.parser
            lalr = frontend.parser.parser
            table, callbacks = lalr.parse_table, lalr.callbacks
            lexers = frontend.lexer.lexers
            if parser.options.postlex is not None or parser.options.lexer != "contextual":
                return None
            actions: dict[int, dict[str, _Action]] = {}
            for state, row in table.states.items():
                actions[state] = {}
                for name, (action, arg) in row.items():
                    if action is Shift:
                        actions[state][name] = (True, arg, "", None)
                        continue
                    size, callback = len(arg.expansion), callbacks[arg]
                    if size == 1 and type(callback) is ExpandSingleChild:
                        callback = None  # ``?rule: child``: the child itself, no call
                    actions[state][name] = (False, size, arg.origin.name, callback)
            token_callbacks = {k: v for k, v in callbacks.items() if isinstance(k, str)}
            first, last = table.start_states[start], table.end_states[start]
            fast = cls(actions, dict(lexers), token_callbacks, first, last)
            if fast._scanner(first) is None:
                return None
            return fast
        except (AttributeError, KeyError, TypeError, ImportError):
            return None

    def _scanner(self, state: int) -> tuple[tuple[Any, ...], frozenset[str]] | None:
        """The compiled patterns and ignored terminals of ``state``'s lexer (None: Lark must lex it)."""
        if state in self._scanners:
            return self._scanners[state]
        found: tuple[tuple[Any, ...], frozenset[str]] | None = None
        try:
            lexer = self._lexers[state]
            patterns = tuple(lexer.scanner._mres)  # builds the scanner and the lexer's callbacks
            if not lexer.callback:  # else string terminals inside patterns: Lark re-types tokens
                found = patterns, frozenset(lexer.ignore_types)
        except (AttributeError, KeyError, TypeError):
            found = None
        self._scanners[state] = found
        return found

    def parse(self, text: str) -> Any:
        """The value of the start rule's callback, or :data:`REJECTED`."""
        actions, scanners, token_callbacks = self._actions, self._scanners, self._token_callbacks
        states: list[int] = [self._start]
        values: list[Any] = []
        pos, length = 0, len(text)
        while True:
            if pos < length:
                scanner = scanners.get(states[-1]) or self._scanner(states[-1])
                if scanner is None:
                    return REJECTED
                patterns, ignored = scanner
                for pattern in patterns:
                    match = pattern.match(text, pos)
                    if match is not None:
                        break
                else:
                    return REJECTED
                kind: str = match.lastgroup
                end = match.end()
                if kind in ignored:
                    pos = end
                    continue
                token: Any = FastToken(kind, match.group(), pos, end)
                pos = end
            else:
                kind, token = _END, None
            while True:
                found = actions[states[-1]].get(kind)
                if found is None:
                    return REJECTED
                shift, arg, origin, callback = found
                if shift:
                    states.append(arg)
                    values.append(token_callbacks[kind](token) if kind in token_callbacks else token)
                    break
                if callback is None:  # the child stays where it is on the value stack
                    del states[-1]
                    states.append(actions[states[-1]][origin][1])
                    if token is None and states[-1] == self._end:
                        return values[-1]
                    continue
                if arg:
                    children = values[-arg:]
                    del states[-arg:]
                    del values[-arg:]
                else:
                    children = []
                value = callback(children)
                states.append(actions[states[-1]][origin][1])
                values.append(value)
                if token is None and states[-1] == self._end:
                    return values[-1]
