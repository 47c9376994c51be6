"""Fewer garbage-collector passes while a piece of work builds many objects that live to its end.

Reading a form of 10⁴ rows or checking it builds hundreds of thousands of objects (cells, rows,
parsed targets, diagnostics) that all live until the work returns. With Python's default thresholds
(700 allocations per young collection) the collector runs thousands of times over a heap that only
grows, and the older generations are walked again and again: about a fifth of the time of a large
check. :func:`bulk_work` raises the first threshold for the duration of the work and gives the previous
thresholds back afterwards; cycles are still collected, only less often. It changes nothing when the
thresholds are already as high (a caller's own choice, or an enclosing :func:`bulk_work`).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["THRESHOLDS", "bulk_work"]

#: the collector's thresholds during the work
THRESHOLDS = (50_000, 20, 100)


@contextmanager
def bulk_work() -> Iterator[None]:
    """Run the body with :data:`THRESHOLDS` (unless the current ones are already as high)."""
    previous = gc.get_threshold()
    if previous[0] >= THRESHOLDS[0]:
        yield
        return
    gc.set_threshold(*THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*previous)
