"""Guided failure tours: the failure demos as the lab page plays them, step by step.

Each step sets the lab's faults through the chaos drawer's own API, says what to watch, and
names the page state that shows it (a status light, the breaker or cache of a call on the
wire, the bake's outcome, the lab's health), which the page waits for within a time bound.
The page (``static/lab/tours.js``) gives every fault an expiry and renews it while the tour
runs, so that faults end by themselves when the page goes away mid-tour. Tours are handed to
the page only in a lab run with chaos, as the drawer is.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings

from cupcake_chassis.chaos import MAX_EXPIRES_IN_S, ChaosSettings

SERVICES = ("bodies", "frostings", "toppings")
# Page states a step can wait for, and the values each may take (``a|b``: either).
WATCH_VALUES = {
    "status": {"ok", "degraded", "unavailable"},
    "breaker": {"open", "half-open"},
    "cache": {"stale", "hit", "miss", "revalidated"},
    "bake": {"retry", "baked", "refused"},
    "health": {"ok", "degraded", "unavailable"},
}
# What the page shows while a tour runs: a whole cupcake, so that every service has a layer.
WHOLE_CUPCAKE = {"body": "vanilla", "frosting": "vanilla", "topping": "cherry"}
DOWN = ChaosSettings(down=True)
# Far past the front door's 1 s deadline: no caller waits that long.
STALLED = ChaosSettings(latency_ms=5000)
# Past the deadline, but an answer does come.
SLOW = ChaosSettings(latency_ms=1500)


@dataclass(frozen=True)
class Watch:
    """A page state to wait for: ``kind`` of ``service`` (none for bake and health) is
    ``value`` (or one of ``a|b``)."""

    kind: str
    value: str
    service: str | None = None


@dataclass(frozen=True)
class Step:
    """One step: the faults the lab has during it (services not named have none), whether
    the page bakes, what to watch in words, and the states that show it, all within
    ``within_s`` seconds."""

    does: str
    watch: str
    until: tuple[Watch, ...]
    faults: dict[str, ChaosSettings] = field(default_factory=dict)
    bake: bool = False
    within_s: float = 20.0


@dataclass(frozen=True)
class Tour:
    """A tour: what it shows, the cupcake it shows it on, and its steps."""

    id: str
    title: str
    summary: str
    steps: tuple[Step, ...]
    choices: dict[str, str] = field(default_factory=lambda: dict(WHOLE_CUPCAKE))


def status_is(service: str, value: str) -> Watch:
    """The status light of ``service`` shows ``value``."""
    return Watch(kind="status", service=service, value=value)


def breaker_is(service: str, value: str) -> Watch:
    """The wire panel shows the circuit to ``service`` in state ``value``."""
    return Watch(kind="breaker", service=service, value=value)


def breaker_opens(service: str, faults: ChaosSettings, *, does: str) -> Step:
    """The step after ``service`` failed (``faults`` kept): the breaker to it opens."""
    return Step(
        does=does,
        watch="After three failures the assembler stops asking: the wire panel marks the "
        f"{service} call “circuit open”, and answers come at once again.",
        faults={service: faults},
        until=(breaker_is(service, "open"),),
    )


TOURS: tuple[Tour, ...] = (
    Tour(
        id="killed",
        title="A service killed",
        summary="Toppings stops answering at all; the rest of the cupcake stays.",
        steps=(
            Step(
                does="Toppings goes down: every request to it is refused (503), as if it crashed.",
                watch="The toppings light goes red and its panel says it is unavailable; "
                "the body and the frosting stay drawn.",
                faults={"toppings": DOWN},
                until=(status_is("toppings", "unavailable"), status_is("bodies", "ok")),
            ),
            breaker_opens("toppings", DOWN, does="Toppings stays down; the page keeps composing."),
        ),
    ),
    Tour(
        id="stalled",
        title="A service stalled",
        summary="Toppings takes every request and does not answer; nobody waits for it.",
        steps=(
            Step(
                does="Toppings stalls: each request waits 5 s before it is answered, "
                "far past the 1 s deadline.",
                watch="Compositions take about the deadline, then toppings is shown "
                "unavailable (timed out) while the page still answers.",
                faults={"toppings": STALLED},
                until=(status_is("toppings", "unavailable"),),
            ),
            breaker_opens("toppings", STALLED, does="Toppings is still stalled."),
        ),
    ),
    Tour(
        id="flaky",
        title="A flaky service",
        summary="Toppings fails a share of its answers; retries and the cache hide it.",
        steps=(
            Step(
                does="Toppings answers 60 % of its requests with a 500.",
                watch="Failed reads are tried again; when both tries fail the last good "
                "answer is served from the cache: toppings turns amber (degraded) and the "
                "wire marks its call “stale”.",
                faults={"toppings": ChaosSettings(error_rate=0.6)},
                until=(
                    status_is("toppings", "degraded"),
                    Watch(kind="cache", service="toppings", value="stale"),
                ),
                within_s=40.0,
            ),
        ),
    ),
    Tour(
        id="slow",
        title="A slow service, past the deadline",
        summary="Frostings answers in 1.5 s, more than the 1 s deadline.",
        steps=(
            Step(
                does="Frostings answers every request 1.5 s late.",
                watch="The page still answers within its 1 s deadline; frostings is shown "
                "unavailable, and the body stays.",
                faults={"frostings": SLOW},
                until=(status_is("frostings", "unavailable"), status_is("bodies", "ok")),
            ),
            breaker_opens("frostings", SLOW, does="Frostings stays slow."),
        ),
    ),
    Tour(
        id="bake-rule-owner-down",
        title="Baking while a rule owner is down",
        summary="Frostings owns the pairing rules; without it nothing is baked on a guess.",
        steps=(
            Step(
                does="Frostings, which owns the pairing rules, goes down.",
                watch="The frostings light goes red; the cupcake keeps its body.",
                faults={"frostings": DOWN},
                until=(status_is("frostings", "unavailable"),),
            ),
            Step(
                does="The page presses Bake.",
                watch="“Not baked yet: try again”: the lab answered 503 with Retry-After "
                "and saved nothing.",
                faults={"frostings": DOWN},
                bake=True,
                until=(Watch(kind="bake", value="retry"),),
            ),
            Step(
                does="Frostings comes back.",
                watch="The frostings light goes green again by itself.",
                until=(status_is("frostings", "ok"),),
            ),
            Step(
                does="The page presses Try again, with the same Idempotency-Key.",
                watch="The cupcake is baked, once, and is first in the gallery.",
                bake=True,
                until=(Watch(kind="bake", value="baked"),),
            ),
        ),
    ),
    Tour(
        id="recovery",
        title="Recovery",
        summary="Two services go down and come back; the page heals without a reload.",
        steps=(
            Step(
                does="Frostings and toppings both go down.",
                watch="Both lights go red; only the body is left, and the page still answers.",
                faults={"frostings": DOWN, "toppings": DOWN},
                until=(status_is("frostings", "unavailable"), status_is("toppings", "unavailable")),
            ),
            Step(
                does="Both come back.",
                watch="Two seconds after opening, each breaker lets one trial call through "
                "in the background; it succeeds, the circuits close and every light goes "
                "green, with no reload.",
                until=(Watch(kind="health", value="ok"),),
            ),
        ),
    ),
)


def watch_json(watch: Watch) -> dict[str, Any]:
    """A watched state as the page reads it."""
    return {key: value for key, value in asdict(watch).items() if value is not None}


def faults_json(faults: ChaosSettings) -> dict[str, Any]:
    """A service's faults as the chaos API takes them (the expiry is the page's)."""
    return {key: value for key, value in asdict(faults).items() if key != "expires_in_s"}


def step_json(step: Step) -> dict[str, Any]:
    """One step as the page plays it."""
    return {
        "does": step.does,
        "watch": step.watch,
        "until": [watch_json(watch) for watch in step.until],
        "faults": {service: faults_json(faults) for service, faults in step.faults.items()},
        "bake": step.bake,
        "withinMs": round(step.within_s * 1000),
    }


def tour_json(tour: Tour) -> dict[str, Any]:
    """One tour as the page's configuration carries it."""
    return {
        "id": tour.id,
        "title": tour.title,
        "summary": tour.summary,
        "choices": tour.choices,
        "steps": [step_json(step) for step in tour.steps],
    }


def tours_config() -> dict[str, Any] | None:
    """The tours for the page's configuration: None unless the lab runs with chaos."""
    if not settings.CUPCAKE_CHAOS:
        return None
    return {
        "chaosExpiryS": min(float(settings.TOUR_CHAOS_EXPIRY), MAX_EXPIRES_IN_S),
        "list": [tour_json(tour) for tour in TOURS],
    }
