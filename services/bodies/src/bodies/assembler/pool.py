"""The threads that run a composition's peer calls side by side, created on first use."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

# Each composition runs at most three calls at once; this leaves room for about ten
# compositions in flight per process before a call queues behind another one.
POOL_SIZE = 32

_executor: ThreadPoolExecutor | None = None
_lock = threading.Lock()


def executor_get() -> ThreadPoolExecutor:
    """The process's thread pool, created on first use (never at import, never before a fork)."""
    global _executor
    with _lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=POOL_SIZE, thread_name_prefix="upstream")
        return _executor
