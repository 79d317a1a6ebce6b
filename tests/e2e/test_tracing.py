"""OpenTelemetry on a real lab: with an OTLP endpoint set, one composition is one trace whose
spans come from all three services, exported over OTLP/HTTP to a receiver run here: the
very spans bodies' trace API shows (same ids), since both come from the chassis' one model."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.trace.v1.trace_pb2 import Span

from tests.e2e.conftest import SERVICES, RunningLab, start_lab, stop_lab, wait_until
from tests.e2e.test_observability import SEEN_WITHIN, log_records

pytestmark = pytest.mark.e2e

TRACE_ID = "5b8efff798038103d269b633813fc60c"
TRACEPARENT = f"00-{TRACE_ID}-eee19b7ec3c1b174-01"


@dataclass(frozen=True)
class Received:
    """One span as the receiver got it."""

    service: str
    trace_id: str
    span_id: str
    name: str
    kind: int


class Receiver(ThreadingHTTPServer):
    """An OTLP/HTTP trace receiver on loopback, keeping every span it is sent."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), ReceiverHandler)
        self.spans: list[Received] = []
        self.lock = threading.Lock()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def of_trace(self, trace_id: str) -> list[Received]:
        with self.lock:
            return [span for span in self.spans if span.trace_id == trace_id]


class ReceiverHandler(BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:  # noqa: N802 (the name http.server looks for)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        export = ExportTraceServiceRequest()
        export.ParseFromString(body)
        for resource_spans in export.resource_spans:
            attributes = {a.key: a.value.string_value for a in resource_spans.resource.attributes}
            for scope in resource_spans.scope_spans:
                with self.server.lock:
                    self.server.spans.extend(
                        Received(
                            attributes["service.name"],
                            s.trace_id.hex(),
                            s.span_id.hex(),
                            s.name,
                            s.kind,
                        )
                        for s in scope.spans
                    )
        answer = ExportTraceServiceResponse().SerializeToString()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *_args: object) -> None:
        """Quiet: the test says what it needs."""


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory, receiver: Receiver) -> Iterator[RunningLab]:
    env = {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint, "OTEL_BSP_SCHEDULE_DELAY": "100"}
    running = start_lab(tmp_path_factory.mktemp("lab"), extra_env=env)
    yield running
    assert stop_lab(running) == 0, running.output.read_text()


def test_one_composition_is_one_trace_across_the_three_services(
    lab: RunningLab, receiver: Receiver
) -> None:
    url = lab.urls["bodies"] + "/api/v1/cupcake?body=vanilla&frosting=vanilla&topping=sprinkles"
    answer = httpx.get(url, headers={"traceparent": TRACEPARENT}, timeout=10)
    assert answer.status_code == 200
    deadline = time.monotonic() + 15
    services: set[str] = set()
    while time.monotonic() < deadline and services != set(SERVICES):
        time.sleep(0.2)
        services = {span.service for span in receiver.of_trace(TRACE_ID)}
    spans = receiver.of_trace(TRACE_ID)
    assert services == set(SERVICES), spans
    kinds = {(span.service, span.kind) for span in spans}
    server, client = Span.SpanKind.SPAN_KIND_SERVER, Span.SpanKind.SPAN_KIND_CLIENT
    for service in SERVICES:
        assert (service, server) in kinds, f"no server span from {service}"
    # bodies asked both peers, and frostings asked toppings: client spans of httpx.
    assert ("bodies", client) in kinds
    assert ("frostings", client) in kinds

    def logged(service: str) -> bool:
        return any(r.get("trace_id") == TRACE_ID for r in log_records(lab, service))

    # The spans the page shows are those exported: the same ids, from the one model.
    shown = httpx.get(lab.urls["bodies"] + f"/api/v1/traces/{TRACE_ID}", timeout=10).json()
    shown_ids = {span["span_id"] for span in shown["spans"]}
    wait_until(
        lambda: shown_ids <= {span.span_id for span in receiver.of_trace(TRACE_ID)},
        timeout=SEEN_WITHIN,
    )

    # The log lines name the same trace (written off the request path: they may come later).
    wait_until(lambda: all(logged(service) for service in SERVICES), timeout=SEEN_WITHIN)
