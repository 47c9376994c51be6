"""Running the engine's synchronous functions for a request: in a worker thread, within a time budget.

The engine's functions are pure and synchronous. Each request's work runs in a thread of a pool of
``ServiceSettings.workers`` threads (more requests wait for a free one), so the event loop keeps
answering health checks and other requests. When the work is not done within
``ServiceSettings.time_budget`` seconds the request is answered with IND901 (422); the thread finishes
its work in the background and its result is dropped (Python cannot stop a thread), while the pool
keeps the number of such threads bounded.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

import anyio
import anyio.to_thread

from indicators.codes import diagnostic
from indicators.service.problems import ServiceError

T = TypeVar("T")


class Engine:
    """The thread pool and time budget of one app."""

    def __init__(self, workers: int, budget: float) -> None:
        self.workers = workers
        self.budget = budget
        self._limiter: anyio.CapacityLimiter | None = None

    @property
    def limiter(self) -> anyio.CapacityLimiter:
        if self._limiter is None:  # created in the event loop that uses it
            self._limiter = anyio.CapacityLimiter(self.workers)
        return self._limiter

    async def run(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """``fn(*args, **kwargs)`` in a worker thread; IND901 when it takes longer than the budget."""
        with anyio.move_on_after(self.budget) as scope:
            return await anyio.to_thread.run_sync(
                partial(fn, *args, **kwargs), limiter=self.limiter, abandon_on_cancel=True
            )
        assert scope.cancelled_caught
        seconds = f"{self.budget:g}"
        raise ServiceError(422, diagnostic("IND901", seconds=seconds, data={"seconds": seconds}))
