"""OpenTelemetry tracing, on only when ``OTEL_EXPORTER_OTLP_ENDPOINT`` is set.

Unset (the lab's default), nothing of OpenTelemetry is even imported: tracing costs nothing.
Set, the process gets a tracer provider exporting spans over OTLP/HTTP in batches, the
outbound httpx calls are instrumented (they carry the span's ``traceparent``), and the
service instruments its own framework with the official instrumentation package. Log lines
then carry the trace and span ids of the current OpenTelemetry span.
"""

from __future__ import annotations

import os

from cupcake_chassis import tracecontext

ENDPOINT_ENV = "OTEL_EXPORTER_OTLP_ENDPOINT"
_configured = False


def tracing_wanted() -> bool:
    """Whether spans are to be exported (an OTLP endpoint is configured)."""
    return bool(os.environ.get(ENDPOINT_ENV))


def _current_span_ids() -> tuple[str, str] | None:
    from opentelemetry import trace

    context = trace.get_current_span().get_span_context()
    if not context.is_valid:
        return None
    return trace.format_trace_id(context.trace_id), trace.format_span_id(context.span_id)


def tracing_configure(service: str) -> bool:
    """Export this process's spans as ``service`` if an endpoint is set; whether it is on.

    Called once per process, before the framework is instrumented; later calls do nothing.
    """
    global _configured
    if not tracing_wanted():
        return False
    if _configured:
        return True
    from opentelemetry import trace
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
    from opentelemetry.sdk.resources import SERVICE_NAME, Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: service}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    HTTPXClientInstrumentor().instrument()
    tracecontext.otel_ids = _current_span_ids
    _configured = True
    return True
