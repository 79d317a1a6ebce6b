"""Answers rendered once per version of the data they show, kept in the process.

A catalogue read is the same bytes until the catalogue changes, yet rendering it (ORM
query, serialisation, JSON, hash) costs far more than the rest of the request. So each
service keeps what it rendered under the token of its catalogue's change signal
(``cupcake_chassis.changes``), which changes with every committed write, and renders anew
only for a token it has not seen.

When rendering fails because the database cannot answer (``cupcake_chassis.storage``: a
server restarting, a file locked), the last value of that read is served instead, as long
as it was known current within ``stale_seconds``: 300, the ``stale-if-error`` the
catalogue's answers declare, so the service does for its own readers what any HTTP cache
in front of it may do.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from cupcake_chassis.clock import SYSTEM_CLOCK, Clock
from cupcake_chassis.storage import storage_failure

T = TypeVar("T")
K = TypeVar("K")
V = TypeVar("V")
# Seconds a read may be served from its last rendering while the database cannot answer.
STALE_IF_ERROR = 300.0


class RenderCache(Generic[T]):
    """What ``render`` returned, kept per ``(key, version)``; at most ``max_entries`` of them.

    Entries of old versions are never looked up again; they leave as new ones come in.
    Each key's last value is kept too, with when it was last known current, to be served
    for up to ``stale_seconds`` while rendering fails for want of a database.
    """

    def __init__(
        self,
        max_entries: int = 64,
        *,
        stale_seconds: float = STALE_IF_ERROR,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self._entries: dict[tuple[Hashable, Hashable], T] = {}
        self._last: dict[Hashable, tuple[T, float]] = {}
        self._lock = threading.Lock()
        self._max_entries = max_entries
        self._stale_seconds = stale_seconds
        self._clock = clock

    def get(self, key: Hashable, *, version: Hashable | None, render: Callable[[], T]) -> T:
        """The value kept for ``key`` at ``version``, rendered now if there is none.

        ``version`` None (the data has no version: e.g. its row was emptied) renders every
        time. Two threads missing at once both render; the value is the same. A render that
        fails for want of a database gives the key's last value, if recent enough.
        """
        entry = (key, version)
        if version is not None:
            with self._lock:
                if entry in self._entries:
                    value = self._entries[entry]
                    self._last[key] = (value, self._clock.monotonic())
                    return value
        try:
            value = render()
        except Exception as exc:
            return self._last_value(key, exc)
        with self._lock:
            self._kept(self._last, key, (value, self._clock.monotonic()))
            if version is not None:
                self._kept(self._entries, entry, value)
        return value

    def _last_value(self, key: Hashable, error: Exception) -> T:
        """The key's last value, while it is recent enough and ``error`` is the database's;
        else ``error`` raised again."""
        with self._lock:
            last = self._last.get(key)
        if last is None or storage_failure(error) is None:
            raise error
        value, known_current = last
        if self._clock.monotonic() - known_current > self._stale_seconds:
            raise error
        return value

    def _kept(self, table: dict[K, V], key: K, value: V) -> None:
        """Put ``value`` in ``table``, the oldest entry out if it is full (lock held)."""
        if key not in table and len(table) >= self._max_entries:
            del table[next(iter(table))]
        table[key] = value

    def clear(self) -> None:
        """Forget every kept value."""
        with self._lock:
            self._entries.clear()
            self._last.clear()
