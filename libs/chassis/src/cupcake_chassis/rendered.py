"""Answers rendered once per version of the data they show, kept in the process.

A catalogue read is the same bytes until the catalogue changes, yet rendering it (ORM
query, serialisation, JSON, hash) costs far more than the rest of the request. So each
service keeps what it rendered under the token of its catalogue's change signal
(``cupcake_chassis.changes``), which changes with every committed write, and renders anew
only for a token it has not seen.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class RenderCache(Generic[T]):
    """What ``render`` returned, kept per ``(key, version)``; at most ``max_entries`` of them.

    Entries of old versions are never looked up again; they leave as new ones come in.
    """

    def __init__(self, max_entries: int = 64) -> None:
        self._entries: dict[tuple[Hashable, Hashable], T] = {}
        self._lock = threading.Lock()
        self._max_entries = max_entries

    def get(self, key: Hashable, *, version: Hashable | None, render: Callable[[], T]) -> T:
        """The value kept for ``key`` at ``version``, rendered now if there is none.

        ``version`` None (the data has no version: e.g. its row was emptied) renders every
        time. Two threads missing at once both render; the value is the same.
        """
        if version is None:
            return render()
        entry = (key, version)
        with self._lock:
            if entry in self._entries:
                return self._entries[entry]
        value = render()
        with self._lock:
            if entry not in self._entries and len(self._entries) >= self._max_entries:
                del self._entries[next(iter(self._entries))]
            self._entries[entry] = value
        return value

    def clear(self) -> None:
        """Forget every kept value."""
        with self._lock:
            self._entries.clear()
