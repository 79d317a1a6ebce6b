"""The threads that run a composition's peer calls side by side, created on first use."""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import ParamSpec, TypeVar

# Each composition runs at most three calls at once; this leaves room for about ten
# compositions in flight per process before a call queues behind another one.
POOL_SIZE = 32

P = ParamSpec("P")
T = TypeVar("T")

_executor: ThreadPoolExecutor | None = None
_lock = threading.Lock()


def executor_get() -> ThreadPoolExecutor:
    """The process's thread pool, created on first use (never at import, never before a fork)."""
    global _executor
    with _lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=POOL_SIZE, thread_name_prefix="upstream")
        return _executor


def task_submit(fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
    """Run ``fn`` in the pool, in a copy of the caller's context.

    The request's deadline lives in a context variable: a pool thread sees it only this
    way, and so every peer call of a composition is bounded by what is left of it.
    """
    context = contextvars.copy_context()

    def run() -> T:
        return context.run(fn, *args, **kwargs)

    return executor_get().submit(run)
