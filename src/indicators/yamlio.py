"""Every YAML read of the package: safe loading through libyaml when PyYAML has it, else pure Python.

PyYAML's pure-Python loader takes most of the time of reading the bundled catalog; its C loader
(``yaml.CSafeLoader``) builds the same nodes and values about ten times faster. Errors stay PyYAML's
own: when the fast loader rejects a text, the text is read again with the pure-Python loader, which
raises the exception (and message, and position) the rest of the package translates. A text the fast
loader rejects and the pure one reads (libyaml is stricter in a few corners) is read as before.

Loaders with their own constructors (floats as :class:`~decimal.Decimal`) come in pairs from
:func:`loaders`, so both readers construct alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml

__all__ = ["PURE", "SAFE", "Loaders", "compose", "compose_and_construct", "load", "loaders", "safe_load"]

#: a constructor for one tag: (loader, node) → value
Constructor = Callable[[Any, Any], Any]


@dataclass(frozen=True, slots=True)
class Loaders:
    """A fast (libyaml) loader class and the pure-Python one it falls back to (the same when no libyaml)."""

    fast: type[Any]
    pure: type[yaml.SafeLoader]


#: the safe loaders: libyaml's when available
SAFE = Loaders(getattr(yaml, "CSafeLoader", yaml.SafeLoader), yaml.SafeLoader)
#: the pure-Python safe loader only (its errors, its positions)
PURE = Loaders(yaml.SafeLoader, yaml.SafeLoader)


def loaders(constructors: dict[str, Constructor]) -> Loaders:
    """A pair of safe loaders with extra constructors by tag (``tag:yaml.org,2002:float`` → Decimal)."""
    fast: type[Any] = type("FastLoader", (SAFE.fast,), {})
    pure: type[yaml.SafeLoader] = type("PureLoader", (yaml.SafeLoader,), {})
    for tag, make in constructors.items():
        fast.add_constructor(tag, make)
        pure.add_constructor(tag, make)
    return Loaders(fast, pure)


def load(text: str, pair: Loaders = SAFE) -> Any:
    """The value of the single YAML document ``text`` (as ``yaml.load`` with a safe loader)."""
    if pair.fast is not pair.pure:
        try:
            return yaml.load(text, Loader=pair.fast)  # a safe loader
        except yaml.YAMLError:
            pass  # read again below: the pure loader raises PyYAML's own error, or reads it
    return yaml.load(text, Loader=pair.pure)  # a safe loader


def safe_load(text: str) -> Any:
    """``yaml.safe_load`` through libyaml when available."""
    return load(text, SAFE)


def compose(text: str, pair: Loaders = SAFE) -> yaml.Node | None:
    """The node tree of the single YAML document ``text`` (as ``yaml.compose``)."""
    if pair.fast is not pair.pure:
        try:
            return yaml.compose(text, Loader=pair.fast)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=pair.pure)


def compose_and_construct(
    text: str, check: Callable[[yaml.Node | None], bool], pair: Loaders = SAFE
) -> tuple[yaml.Node | None, Any]:
    """The node tree and, when ``check(tree)`` is true, its value (else None): one parse of ``text``.

    ``check`` sees the tree before anything is constructed (an alias budget, duplicate keys)."""
    if pair.fast is not pair.pure:
        try:
            return _compose_and_construct(pair.fast, text, check)
        except yaml.YAMLError:
            pass
    return _compose_and_construct(pair.pure, text, check)


def _compose_and_construct(
    loader_class: type[Any], text: str, check: Callable[[yaml.Node | None], bool]
) -> tuple[yaml.Node | None, Any]:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if not check(node):
            return node, None
        return node, loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
