"""The chassis' WSGI middleware around the Pyramid app: CORS outermost, then admission
control, observation, chaos, then deadlines."""

from __future__ import annotations

from typing import Any

from cupcake_chassis.admission import admission_wrap
from cupcake_chassis.chaos import chaos_wrap
from cupcake_chassis.clock import SYSTEM_CLOCK, Clock
from cupcake_chassis.cors import cors_wrap
from cupcake_chassis.deadline import DeadlineMiddleware, WsgiApp
from cupcake_chassis.observe import observe_wrap

from .settings import (
    ADMIN_TOKEN,
    ADMISSION,
    CHAOS_ENABLED,
    CORS_ALLOWED_ORIGINS,
    REQUEST_DEADLINE,
    STATE_DIR,
)


def middleware_wrap(
    app: WsgiApp, settings: dict[str, Any], *, clock: Clock = SYSTEM_CLOCK
) -> WsgiApp:
    """Wrap ``app`` so that it honours deadlines, CORS, admission control and, in the local
    lab, chaos, and is observed (trace context, spans, ``/metrics``); chaos's latency and
    expiry run on ``clock``."""
    with_deadlines = DeadlineMiddleware(app, default_seconds=settings[REQUEST_DEADLINE])
    with_chaos = chaos_wrap(
        with_deadlines,
        service="toppings",
        state_dir=settings[STATE_DIR],
        enabled=settings[CHAOS_ENABLED],
        token=settings[ADMIN_TOKEN],
        clock=clock,
    )
    observed = observe_wrap(with_chaos, service="toppings", framework="Pyramid")
    admitted = admission_wrap(observed, policy=settings[ADMISSION])
    return cors_wrap(admitted, allowed_origins=settings[CORS_ALLOWED_ORIGINS])
