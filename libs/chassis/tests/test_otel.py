"""OpenTelemetry: off (and not even imported) unless an OTLP endpoint is configured."""

from __future__ import annotations

import os
import subprocess
import sys

PROBE = """
import sys
from cupcake_chassis.otel import tracing_configure
import cupcake_chassis.upstream, cupcake_chassis.observe, cupcake_chassis.logs
on = tracing_configure("toppings")
print(on, any(name.startswith("opentelemetry") for name in sys.modules))
"""


def probe(**env: str) -> str:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={**environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip()


def test_without_an_endpoint_tracing_is_off_and_costs_no_import() -> None:
    assert probe() == "False False"


def test_with_an_endpoint_tracing_is_on() -> None:
    assert probe(OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:9") == "True True"


def test_a_span_is_exported_as_it_is_with_its_ids_times_and_call_details() -> None:
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.trace import SpanKind, StatusCode

    from cupcake_chassis.otel import span_to_otel
    from cupcake_chassis.spans import Span

    call = Span("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", "b7ad6b7169203331",
                "bodies", "Django", "client", "/api/v1/toppings", "GET", None, 1700000000.5,
                250.0, "toppings", "miss", 2, "open", 900, "timeout")  # fmt: skip

    exported = span_to_otel(call, resource=Resource.create({"service.name": "bodies"}))

    assert exported.context is not None and exported.parent is not None
    assert f"{exported.context.trace_id:032x}" == call.trace_id
    assert f"{exported.context.span_id:016x}" == call.span_id
    assert f"{exported.parent.span_id:016x}" == call.parent_id
    assert exported.kind == SpanKind.CLIENT and exported.name == "GET /api/v1/toppings"
    assert exported.start_time == 1_700_000_000_500_000_000
    assert exported.end_time == exported.start_time + 250_000_000
    assert exported.status.status_code == StatusCode.ERROR
    assert exported.attributes is not None
    assert exported.attributes["cupcake.breaker"] == "open"
    assert exported.attributes["cupcake.attempts"] == 2
