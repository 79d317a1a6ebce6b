"""OpenTelemetry export, on only when ``OTEL_EXPORTER_OTLP_ENDPOINT`` is set.

Unset (the lab's default), nothing of OpenTelemetry is even imported: exporting costs
nothing. Set, every span this process records (``cupcake_chassis.spans``: its server spans
and its calls' client spans) is also handed, as it is, to a batch processor exporting over
OTLP/HTTP: the spans a tracing UI shows are those the lab page shows, with the same ids.
No framework instrumentation is needed: the chassis' middleware already times every request.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from cupcake_chassis import spans

if TYPE_CHECKING:
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import ReadableSpan

ENDPOINT_ENV = "OTEL_EXPORTER_OTLP_ENDPOINT"
_configured = False


def tracing_wanted() -> bool:
    """Whether spans are to be exported (an OTLP endpoint is configured)."""
    return bool(os.environ.get(ENDPOINT_ENV))


def span_to_otel(span: spans.Span, *, resource: Resource) -> ReadableSpan:
    """``span`` as an OpenTelemetry span, ready for a span processor."""
    from opentelemetry.sdk.trace import ReadableSpan
    from opentelemetry.trace import SpanContext, SpanKind, Status, StatusCode, TraceFlags

    sampled = TraceFlags(TraceFlags.SAMPLED)
    trace_id = int(span.trace_id, 16)
    parent = None
    if span.parent_id is not None:
        parent = SpanContext(trace_id, int(span.parent_id, 16), is_remote=True, trace_flags=sampled)
    start_ns = int(span.start * 1e9)
    failed = span.error is not None or (span.status is not None and span.status >= 500)
    attributes = {
        key: value
        for key, value in (
            ("http.request.method", span.method),
            ("http.response.status_code", span.status),
            ("cupcake.framework", span.framework),
            ("server.address", span.peer),
            ("cupcake.cache", span.cache),
            ("cupcake.attempts", span.attempts),
            ("cupcake.breaker", span.breaker),
            ("cupcake.budget_ms", span.budget_ms),
            ("error.type", span.error),
        )
        if value is not None
    }
    return ReadableSpan(
        name=f"{span.method} {span.name}",
        context=SpanContext(trace_id, int(span.span_id, 16), is_remote=False, trace_flags=sampled),
        parent=parent,
        resource=resource,
        attributes=attributes,
        kind=SpanKind.SERVER if span.kind == "server" else SpanKind.CLIENT,
        status=Status(StatusCode.ERROR if failed else StatusCode.UNSET),
        start_time=start_ns,
        end_time=start_ns + int(span.duration_ms * 1e6),
    )


def tracing_configure(service: str) -> bool:
    """Export this process's spans as ``service`` if an endpoint is set; whether it is on.

    Called once per process; later calls do nothing.
    """
    global _configured
    if not tracing_wanted():
        return False
    if _configured:
        return True
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import SERVICE_NAME, Resource
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    resource = Resource.create({SERVICE_NAME: service})
    processor = BatchSpanProcessor(OTLPSpanExporter())

    def export(span: spans.Span) -> None:
        processor.on_end(span_to_otel(span, resource=resource))

    spans.span_sinks.append(export)
    _configured = True
    return True
