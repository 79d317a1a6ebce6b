"""What the assembler reads from frostings and toppings, checked against their contract.

Each read is one ``upstream_get`` whose JSON is validated into a small model. An answer
of the wrong shape makes the peer ``unavailable``, like a time-out: the assembler never
trusts, and never crashes on, what another service sends.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar, cast

from pydantic import BaseModel, Field, ValidationError

from bodies.assembler.models import URL_MAX_LENGTH
from bodies.assembler.upstream import Fetched, Upstream, upstream_fresh, upstream_get
from bodies.catalogue import validation
from cupcake_chassis.calls import Call, Failure

T = TypeVar("T")


class PeerItem(BaseModel):
    """A catalogue item of a peer: the fields every item has (docs/architecture.md)."""

    slug: str = Field(max_length=validation.SLUG_MAX_LENGTH, pattern=validation.SLUG_PATTERN)
    name: str = Field(max_length=validation.NAME_MAX_LENGTH)
    description: str = Field(max_length=validation.DESCRIPTION_MAX_LENGTH)
    color: str = Field(pattern=validation.COLOR_PATTERN)
    image_url: str = Field(max_length=URL_MAX_LENGTH)


class PeerFrosting(PeerItem):
    """A frosting with its pairings: slugs of the bodies and toppings it goes with."""

    bodies: list[str]
    toppings: list[str]


class PeerFrostingList(BaseModel):
    """``GET /api/v1/frostings``."""

    items: list[PeerFrosting]


class PeerToppingList(BaseModel):
    """``GET /api/v1/toppings``."""

    items: list[PeerItem]


class PeerFrostingToppings(BaseModel):
    """``GET /api/v1/frostings/{slug}/toppings``: frostings' own view of toppings' health."""

    status: Literal["ok", "degraded"]
    detail: str | None = None


@dataclass(frozen=True)
class PeerAnswer(Generic[T]):
    """A read from a peer: its value, or that the item is missing, or why the peer failed.

    A value served from the cache because the peer failed is ``stale`` (why, in words):
    good enough to show, never to bake by.
    """

    call: Call
    value: T | None = None
    missing: bool = False  # the peer answered 404
    problem: str | None = None  # "toppings did not answer within 1 s"
    stale: str | None = None  # "toppings could not be reached (ConnectError)"

    @property
    def available(self) -> bool:
        """Whether the peer gave a usable answer (a value, or a 404)."""
        return self.problem is None


def unreachable(call: Call) -> bool:
    """Whether a failed call never got an answer (refused, timed out, circuit open)."""
    return call.status is None


def answer_from(
    fetched: Fetched, *, service: str, parse: Callable[[Any], T], item: bool = False
) -> PeerAnswer[T]:
    """Turn an outcome into an answer: 200 parsed; 404 ``missing`` when reading one ``item``
    (elsewhere a 404 means a misconfigured peer); anything else a problem."""
    outcome, reason = fetched.outcome, fetched.reason
    if not outcome.available or (outcome.stale and unreachable(outcome.call)):
        # A peer that cannot be reached at all is unavailable, cached copy or not: what
        # it serves (its pictures above all) is gone too, and the page must say so.
        return PeerAnswer(call=outcome.call, problem=f"{service} {reason}")
    if outcome.status_code == 404 and item:
        return PeerAnswer(call=outcome.call, missing=True)
    if outcome.status_code != 200:
        return PeerAnswer(
            call=outcome.call, problem=f"{service} answered HTTP {outcome.status_code}"
        )
    try:
        value = parse(outcome.data)
    except ValidationError:
        return PeerAnswer(
            call=dataclasses.replace(outcome.call, error="BadShape", failure=Failure.BAD_SHAPE),
            problem=f"{service} answered in a shape the assembler does not know",
        )
    stale = f"{service} {reason}" if outcome.stale else None
    return PeerAnswer(call=outcome.call, value=value, stale=stale)


@dataclass(frozen=True)
class PeerRead(Generic[T]):
    """One read a composition makes of a peer: a GET, and how its answer is parsed."""

    upstream: Upstream
    path: str
    parse: Callable[[Any], T]

    def __call__(self) -> PeerAnswer[T]:
        """Ask the peer (within the request's deadline: it may wait on the network)."""
        return self._answer(upstream_get(upstream=self.upstream, path=self.path))

    def fresh(self) -> PeerAnswer[T] | None:
        """The answer if the peer's client holds it fresh in memory (no waiting), else None."""
        fetched = upstream_fresh(upstream=self.upstream, path=self.path)
        return None if fetched is None else self._answer(fetched)

    def _answer(self, fetched: Fetched) -> PeerAnswer[T]:
        return answer_from(fetched, service=self.upstream.name, parse=self._parse_kept)

    def _parse_kept(self, data: Any) -> T:
        """``parse(data)``, reused while the client hands out that very data again (an answer
        kept fresh in memory is one object): validated once, not once per composition."""
        key = (self.upstream.base_url, self.path)
        kept = _parsed.get(key)
        if kept is not None and kept[0] is data:
            return cast(T, kept[1])
        value = self.parse(data)
        _parsed[key] = (data, value)
        return value


# The last answer parsed for each peer URL: (its data, what it was parsed into). Holding the
# data keeps its identity from being reused, so ``is`` tells it is the same answer.
_parsed: dict[tuple[str, str], tuple[Any, Any]] = {}


def frostings_all(upstream: Upstream) -> PeerRead[list[PeerFrosting]]:
    """The read of every frosting with its pairings."""
    return PeerRead(
        upstream, "/api/v1/frostings", lambda data: PeerFrostingList.model_validate(data).items
    )


def frosting_read(*, upstream: Upstream, slug: str) -> PeerAnswer[PeerFrosting]:
    """One frosting with its pairings, as frostings says it now (never a cached answer: the
    rules are checked with it before a bake); ``missing`` when there is no such frosting."""
    fetched = upstream_get(upstream=upstream, path=f"/api/v1/frostings/{slug}", revalidate=True)
    return answer_from(fetched, service=upstream.name, parse=PeerFrosting.model_validate, item=True)


def frosting_toppings(upstream: Upstream, slug: str) -> PeerRead[PeerFrostingToppings]:
    """The read of one frosting's toppings as frostings sees them (it asks toppings in turn)."""
    return PeerRead(
        upstream, f"/api/v1/frostings/{slug}/toppings", PeerFrostingToppings.model_validate
    )


def toppings_all(upstream: Upstream) -> PeerRead[list[PeerItem]]:
    """The read of every topping."""
    return PeerRead(
        upstream, "/api/v1/toppings", lambda data: PeerToppingList.model_validate(data).items
    )


def topping_read(*, upstream: Upstream, slug: str) -> PeerAnswer[PeerItem]:
    """One topping as toppings says it now (checked before a bake, never from the cache);
    ``missing`` when toppings has no such topping."""
    fetched = upstream_get(upstream=upstream, path=f"/api/v1/toppings/{slug}", revalidate=True)
    return answer_from(fetched, service=upstream.name, parse=PeerItem.model_validate, item=True)
