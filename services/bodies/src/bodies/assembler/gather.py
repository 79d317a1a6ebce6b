"""Asking every service at once what a composition needs, and holding what they answered."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TypeVar

from django.db import DatabaseError

from bodies.assembler.peers import (
    PeerAnswer,
    PeerFrosting,
    PeerFrostingToppings,
    PeerItem,
    PeerRead,
    frosting_toppings,
    frostings_all,
    toppings_all,
)
from bodies.assembler.pool import task_submit
from bodies.assembler.schemas import Part
from bodies.assembler.upstream import Upstreams
from cupcake_chassis.calls import Call

BodiesRead = Callable[[], Sequence[Part]]
T = TypeVar("T")


@dataclass(frozen=True)
class Gathered:
    """What the three services answered for one composition; ``None`` where one failed."""

    bodies: dict[str, Part] | None
    bodies_problem: str | None
    frostings_answer: PeerAnswer[list[PeerFrosting]]
    paired_answer: PeerAnswer[PeerFrostingToppings] | None
    toppings_answer: PeerAnswer[list[PeerItem]]

    @property
    def frostings(self) -> dict[str, PeerFrosting] | None:
        """Every frosting by slug, or None when frostings is unavailable."""
        items = self.frostings_answer.value
        return None if items is None else {item.slug: item for item in items}

    @property
    def toppings(self) -> dict[str, PeerItem] | None:
        """Every topping by slug, or None when toppings is unavailable."""
        items = self.toppings_answer.value
        return None if items is None else {item.slug: item for item in items}

    @property
    def calls(self) -> list[Call]:
        """The peer calls, in the order they were started."""
        answers = [self.frostings_answer, self.paired_answer, self.toppings_answer]
        return [answer.call for answer in answers if answer is not None]

    def body_name(self, slug: str) -> str:
        """The body's name, or its slug while this service's database cannot tell."""
        return self.bodies[slug].name if self.bodies and slug in self.bodies else slug

    def topping_name(self, slug: str) -> str:
        """The topping's name, or its slug while toppings cannot tell."""
        toppings = self.toppings
        return toppings[slug].name if toppings and slug in toppings else slug


def bodies_gather(bodies_read: BodiesRead) -> tuple[dict[str, Part] | None, str | None]:
    """Read the bodies; a database that does not answer makes them unavailable, not a 500."""
    try:
        parts = bodies_read()
    except DatabaseError as exc:
        return None, f"the bodies database did not answer ({type(exc).__name__})"
    return {part.slug: part for part in parts}, None


def soon(read: PeerRead[T]) -> Future[PeerAnswer[T]]:
    """A peer's answer: taken at once when it is fresh in memory, else asked in the pool.

    Handing a read to a pool thread and waiting for it costs more than the read itself when
    its answer is in memory (most compositions); only a read that may wait goes there.
    """
    answer = read.fresh()
    if answer is None:
        return task_submit(read)
    done: Future[PeerAnswer[T]] = Future()
    done.set_result(answer)
    return done


def composition_gather(
    *, frosting: str | None, upstreams: Upstreams, bodies_read: BodiesRead
) -> Gathered:
    """Run the peer calls side by side in the pool while this thread reads the bodies
    (answers fresh in memory are taken at once: nothing to wait for).

    The database is read here, not in the pool: Django's connections belong to the
    thread that opened them, and the request's thread closes its own when it ends. The
    pool's tasks run in a copy of this thread's context, so the request's deadline bounds them.
    """
    frostings = soon(frostings_all(upstreams.frostings))
    paired = None if frosting is None else soon(frosting_toppings(upstreams.frostings, frosting))
    toppings = soon(toppings_all(upstreams.toppings))
    bodies, bodies_problem = bodies_gather(bodies_read)
    return Gathered(
        bodies=bodies,
        bodies_problem=bodies_problem,
        frostings_answer=frostings.result(),
        paired_answer=paired.result() if paired is not None else None,
        toppings_answer=toppings.result(),
    )
