"""A background thread that does one thing every so often, off the request threads.

The log writer and the metrics publisher both need one: requests only leave their work in
memory, and this thread takes it from there every ``interval`` seconds, when woken early,
and once more when the process exits.
"""

from __future__ import annotations

import atexit
import os
import threading
import traceback
from collections.abc import Callable


class Periodic:
    """Calls ``action`` every ``interval`` seconds in a daemon thread, and ``last`` (by
    default ``action``) once at exit.

    ``start`` is idempotent, and right in a forked child: a child inherits the object but
    not the thread, so ``start`` there starts a thread of its own.
    """

    def __init__(
        self,
        action: Callable[[], None],
        *,
        interval: float,
        name: str,
        last: Callable[[], None] | None = None,
    ) -> None:
        self.action = action
        self.last = last or action
        self.interval = interval
        self.name = name
        self._pid: int | None = None
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        os.register_at_fork(after_in_child=self._forget_parent)

    def _forget_parent(self) -> None:
        # A forked child has no thread of its parent's, and its parent's lock may be held.
        self._pid, self._lock = None, threading.Lock()

    def start(self) -> None:
        """Start the thread in this process, unless it runs already."""
        if self._pid == os.getpid():
            return
        with self._lock:
            if self._pid == os.getpid():
                return
            self._wake, self._stop = threading.Event(), threading.Event()
            threading.Thread(target=self._run, name=self.name, daemon=True).start()
            atexit.register(self._exit, os.getpid())
            self._pid = os.getpid()

    def wake(self) -> None:
        """Have the thread act now rather than at the end of its interval."""
        self._wake.set()

    def stop(self) -> None:
        """Stop the thread (after the action in progress, if any)."""
        self._stop.set()
        self._wake.set()

    def _run(self) -> None:
        wake, stop = self._wake, self._stop
        while not stop.is_set():
            wake.wait(self.interval)
            wake.clear()
            if stop.is_set():
                return
            try:
                self.action()
            except Exception:  # noqa: BLE001 -- one failed round must not end the thread
                traceback.print_exc()

    def _exit(self, pid: int) -> None:
        # A forked child inherits its parent's registration: only the starter acts on it.
        if pid == os.getpid():
            self.stop()
            self.last()
