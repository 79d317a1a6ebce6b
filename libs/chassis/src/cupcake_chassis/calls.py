"""What one outbound call did: the record the page's wire panel and the logs show."""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any


class Failure(StrEnum):
    """Why a call got no usable answer: what code branches on (``Call.error`` is for people)."""

    CIRCUIT_OPEN = "circuit_open"  # not sent: the breaker refused it
    DEADLINE_EXHAUSTED = "deadline_exhausted"  # not sent: no time was left
    TIMEOUT = "timeout"  # sent, no answer in time
    UNREACHABLE = "unreachable"  # sent, no answer: refused, reset, broken
    ANSWERED_ERROR = "answered_error"  # answered a 5xx (``Call.status``)
    NOT_JSON = "not_json"  # answered 200 with something that is not JSON
    BAD_SHAPE = "bad_shape"  # answered JSON the caller cannot read


@dataclass(frozen=True)
class Call:
    """One call to an upstream service, as it happened."""

    service: str
    method: str
    path: str
    status: int | None
    ms: float
    cache: str  # miss, hit, revalidated or stale
    error: str | None = None  # the failure in a word or two, for logs and the wire panel
    failure: Failure | None = None
    attempts: int = 1
    budget_ms: int | None = None  # the deadline sent downstream
    breaker: str = "closed"

    def as_dict(self) -> dict[str, Any]:
        """The call as JSON-ready data (every field is a plain value, ``failure`` a string
        enum: no deep copy needed)."""
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


def failure_in_words(call: Call, *, limit: float | None = None) -> str:
    """Say in words why ``call`` got no usable answer (to follow the service's name).

    ``limit`` is the call's time limit in seconds, said when it timed out (time-outs are
    not retried, so the call had one attempt and that limit).
    """
    match call.failure:
        case Failure.CIRCUIT_OPEN:
            return "is not being asked for now (circuit open after repeated failures)"
        case Failure.DEADLINE_EXHAUSTED:
            return "was not asked: the request's deadline had run out"
        case Failure.TIMEOUT if limit is not None:
            return f"did not answer within {round(limit, 2):g} s"
        case Failure.TIMEOUT:
            return "did not answer in time"
        case Failure.ANSWERED_ERROR:
            return f"answered HTTP {call.status}"
        case Failure.NOT_JSON:
            return "answered something that is not JSON"
        case Failure.BAD_SHAPE:
            return "answered in a shape that cannot be read"
        case Failure.UNREACHABLE:
            return f"could not be reached ({call.error})"
        case None:
            return "gave no answer"
