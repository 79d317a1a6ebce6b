"""What one outbound call did: the record the page's wire panel and the logs show."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class Call:
    """One call to an upstream service, as it happened."""

    service: str
    method: str
    path: str
    status: int | None
    ms: float
    cache: str  # miss, hit, revalidated or stale
    error: str | None = None
    attempts: int = 1
    budget_ms: int | None = None  # the deadline sent downstream
    breaker: str = "closed"

    def as_dict(self) -> dict[str, Any]:
        """The call as JSON-ready data (every field is a plain value: no deep copy needed)."""
        return {field.name: getattr(self, field.name) for field in fields(self)}


@dataclass(frozen=True)
class Outcome:
    """What a resilient GET produced: data (perhaps stale), or the reason there is none.

    ``data`` may be shared with other callers (answers are kept fresh and stale in memory
    and handed out as they are): never change it.
    """

    call: Call
    status_code: int | None
    data: Any = None
    stale: bool = False

    @property
    def available(self) -> bool:
        """Whether there is an answer to use (fresh or stale)."""
        return self.status_code is not None
