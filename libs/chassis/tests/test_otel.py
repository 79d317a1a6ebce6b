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
