"""What the chassis adds to every request, one layer at a time: the list to keep up to date.

Each WSGI wrapper is timed around a trivial app (its cost: wrapped minus bare); each
per-request call is timed alone. Everything goes through the chassis' public entry points, so
that changes to logging or metrics internals change the figures, not this list.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cupcake_chassis.calls import Call
from cupcake_chassis.chaos import chaos_wrap
from cupcake_chassis.cors import cors_wrap
from cupcake_chassis.deadline import DeadlineMiddleware, WsgiApp
from cupcake_chassis.observe import call_done, observe_wrap, request_done
from cupcake_chassis.tracecontext import TraceContextMiddleware

ORIGIN = "https://app.example"
DEADLINE_SECONDS = 1.0


@dataclass(frozen=True)
class Wrapper:
    """A WSGI middleware of the chassis, built around ``app`` (``scratch``: a folder it may
    use); ``environ``: what a request needs for the wrapper to do its work."""

    name: str
    wrap: Callable[[WsgiApp, Path], WsgiApp]
    environ: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PerRequest:
    """A call the chassis makes once per request (or per call to a peer); ``setting``: the
    state it is timed in."""

    name: str
    call: Callable[[], object]
    setting: Callable[[], AbstractContextManager[object]] = nullcontext


def chaos(app: WsgiApp, scratch: Path) -> WsgiApp:
    """Chaos hooks as ``make up`` has them: enabled, no fault set."""
    return chaos_wrap(app, service="bench", state_dir=scratch, enabled=True, token="bench")


def deadline(app: WsgiApp, scratch: Path) -> WsgiApp:
    """The front door's deadline."""
    return DeadlineMiddleware(app, default_seconds=DEADLINE_SECONDS)


def cors(app: WsgiApp, scratch: Path) -> WsgiApp:
    """CORS for one allowed origin."""
    return cors_wrap(app, allowed_origins=[ORIGIN])


def chassis(app: WsgiApp, scratch: Path) -> WsgiApp:
    """Every wrapper, in the order the services stack them (see their ``middleware.py``)."""
    return cors(observe_wrap(chaos(deadline(app, scratch), scratch)), scratch)


WRAPPERS = (
    Wrapper("trace context and the request's server span kept (`TraceContextMiddleware`)",
            lambda app, _: TraceContextMiddleware(app)),
    Wrapper("the same, the caller asking for its spans (`Trace-Spans: ask`)",
            lambda app, _: TraceContextMiddleware(app), {"HTTP_TRACE_SPANS": "ask"}),
    Wrapper("observation: trace context and the `/metrics` check (`observe_wrap`)",
            lambda app, _: observe_wrap(app)),
    Wrapper("the deadline (`DeadlineMiddleware`)", deadline),
    Wrapper("chaos hooks, no fault set (`chaos_wrap`, on in `make up`)", chaos),
    Wrapper("CORS, request from an allowed origin (`cors_wrap`; off unless "
            "`CORS_ALLOWED_ORIGINS` is set)", cors, {"HTTP_ORIGIN": ORIGIN}),
    Wrapper("all of the above, stacked as the services stack them", chassis,
            {"HTTP_ORIGIN": ORIGIN}),
)  # fmt: skip


@contextmanager
def access_log_off() -> Iterator[None]:
    """The access log switched off, so that ``request_done`` only counts."""
    logger = logging.getLogger("cupcake.access")
    was = logger.disabled
    logger.disabled = True
    try:
        yield
    finally:
        logger.disabled = was


def answered() -> None:
    """What every service's request hook does once a request is answered."""
    request_done(
        method="GET", route="/api/v1/toppings", path="/api/v1/toppings", status=200, seconds=0.002
    )


def peer_call() -> Call:
    """A call to a peer as the resilient client records it."""
    return Call("toppings", "GET", "/api/v1/toppings", 200, 1.5, "hit", budget_ms=900)


def call_counted(*, asked: bool) -> Callable[[], object]:
    """``call_done`` for one call to a peer (``asked``: sent over HTTP, so also logged)."""
    call = peer_call()
    return lambda: call_done(call, asked=asked)


LOGGED_AND_COUNTED = "access log line and metrics count (`request_done`)"
COUNTED = "metrics count only (`request_done`, access log off)"
PER_REQUEST = (
    PerRequest(LOGGED_AND_COUNTED, answered),
    PerRequest(COUNTED, answered, access_log_off),
    PerRequest("a call to a peer answered from memory: counted (`call_done`)",
               call_counted(asked=False)),
    PerRequest("a call to a peer over HTTP: counted and logged (`call_done`)",
               call_counted(asked=True)),
)  # fmt: skip


def trivial(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    """The least a WSGI app can do: the bare cost the wrappers are measured against."""
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", "2")])
    return [b"{}"]
