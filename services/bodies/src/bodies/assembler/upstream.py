"""The assembler's peers: one chassis ``ResilientUpstream`` each, and what went wrong in words.

Everything the assembler asks frostings and toppings goes through ``upstream_get``, which
never raises: the chassis client bounds each call by the request's deadline, retries failed
reads, keeps a circuit breaker and an HTTP cache per peer, and serves the last good answer
(marked stale) while the peer fails. Callers get the chassis ``Outcome`` with its ``Call``
record; ``unavailable_reason`` says in words why there is no answer, or a stale one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cupcake_chassis.breaker import CLOSED
from cupcake_chassis.calls import Call, Outcome, failure_in_words
from cupcake_chassis.deadline import current_deadline
from cupcake_chassis.upstream import ResilientUpstream, UpstreamPolicy
from cupcake_chassis.wiring import Wiring


@dataclass(frozen=True)
class Upstream:
    """One peer service: its name, base URL, and the resilient client that reaches it."""

    name: str
    base_url: str
    client: ResilientUpstream

    @property
    def policy(self) -> UpstreamPolicy:
        """How patient and how persistent the client is with this peer."""
        return self.client.policy


@dataclass(frozen=True)
class Upstreams:
    """The peers the assembler calls, and what their clients run on."""

    frostings: Upstream
    toppings: Upstream
    wiring: Wiring = field(default_factory=Wiring)

    def close(self) -> None:
        """Release the clients' pooled connections."""
        self.frostings.client.close()
        self.toppings.client.close()


def upstream_policy(
    *, timeout: float, attempts: int = 2, breaker_failures: int = 3, breaker_reset: float = 2.0
) -> UpstreamPolicy:
    """The chassis policy for one peer: per-call timeout, tries, and circuit breaker."""
    return UpstreamPolicy(
        timeout=timeout,
        attempts=attempts,
        breaker_failures=breaker_failures,
        breaker_reset=breaker_reset,
    )


def upstream_create(
    *, name: str, base_url: str, policy: UpstreamPolicy, wiring: Wiring | None = None
) -> Upstream:
    """Build the client of one peer on ``wiring`` (by default the network and the clock)."""
    client = (wiring or Wiring()).upstream(name, base_url, policy=policy)
    return Upstream(name=name, base_url=base_url, client=client)


def upstreams_create(
    *,
    frostings_url: str,
    toppings_url: str,
    policy: UpstreamPolicy,
    wiring: Wiring | None = None,
) -> Upstreams:
    """Build the clients of both peers: one circuit breaker and one cache each."""
    wiring = wiring or Wiring()
    return Upstreams(
        frostings=upstream_create(
            name="frostings", base_url=frostings_url, policy=policy, wiring=wiring
        ),
        toppings=upstream_create(
            name="toppings", base_url=toppings_url, policy=policy, wiring=wiring
        ),
        wiring=wiring,
    )


def time_limit(policy: UpstreamPolicy) -> float:
    """Seconds a call started now may take: the peer's timeout, or less if the request's
    deadline is nearer (what the chassis gives the call's first attempt)."""
    deadline = current_deadline()
    return policy.timeout if deadline is None else min(policy.timeout, deadline.remaining())


@dataclass(frozen=True)
class Fetched:
    """What one GET to a peer produced (the chassis' outcome), and why it is not fresh."""

    outcome: Outcome
    reason: str | None = None  # in words; None when the peer answered (fresh or cached)

    @property
    def call(self) -> Call:
        """The chassis' record of the call."""
        return self.outcome.call


def upstream_get(*, upstream: Upstream, path: str, revalidate: bool = False) -> Fetched:
    """GET ``path`` from ``upstream``: its JSON answer (fresh, cached or stale), or why not.

    Connection failures, time-outs, 5xx answers and answers that are not JSON all end in an
    outcome without data (or with the last good data, ``stale``); nothing raises. A 4xx with
    a JSON body (e.g. a 404 problem) is an answer like any other: the caller judges it.
    ``revalidate`` asks the peer even when a fresh answer is cached (checks before a write).
    """
    limit = time_limit(upstream.policy)
    outcome = upstream.client.get(path, revalidate=revalidate)
    if outcome.available and not outcome.stale:
        return Fetched(outcome)
    # The chassis client has logged the call (and counted it); here it is put in words.
    return Fetched(outcome, failure_in_words(outcome.call, limit=limit))


def upstream_fresh(*, upstream: Upstream, path: str) -> Fetched | None:
    """GET ``path``'s answer if ``upstream``'s client holds it fresh in memory, else None.

    Never waits: a call that an open circuit refuses is answered here too, at once (it
    needs no thread of its own); what must be asked is ``upstream_get``'s.
    """
    if upstream.client.breaker.current_state != CLOSED:
        return upstream_get(upstream=upstream, path=path)
    outcome = upstream.client.fresh(path)
    return None if outcome is None else Fetched(outcome)
