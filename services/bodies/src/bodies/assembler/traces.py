"""The trace API: every span of a recent request, gathered from the three services.

Each composition's peers return their spans with their answers (``cupcake_chassis.spans``);
this worker keeps them with its own, so a trace can be read back by its id while it is
among the most recent ones kept (``CUPCAKE_SPANS_KEPT``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Path, Router, Schema
from pydantic import ConfigDict, Field

from bodies.core.problem_schemas import Problem, ValidationProblem
from bodies.core.problems import NotFound
from cupcake_chassis.spans import span_store

router = Router(tags=["traces"])

TRACE_ID_PATTERN = r"^[0-9a-f]{32}$"
TraceId = Annotated[
    str,
    Path(
        pattern=TRACE_ID_PATTERN,
        description="32 lower-case hex digits, as in `traceparent` and `traceresponse`",
    ),
]


class SpanOut(Schema):
    """One span: a request a service answered (server) or a call it made (client)."""

    model_config = ConfigDict(extra="forbid")

    trace_id: str
    span_id: str
    parent_id: str | None = Field(description="The span this one was made in; null at the root")
    service: str
    framework: str
    kind: Literal["server", "client"]
    name: str = Field(description="The route matched (server) or the path asked (client)")
    method: str
    status: int | None = Field(description="HTTP status; null for a call that got none")
    start: float = Field(description="Wall-clock start, seconds since the epoch")
    duration_ms: float
    peer: str | None = Field(default=None, description="Calls: the service called")
    cache: str | None = Field(default=None, description="Calls: miss, hit, revalidated, stale")
    attempts: int | None = Field(default=None, description="Calls: tries made")
    breaker: str | None = Field(default=None, description="Calls: the circuit breaker's state")
    budget_ms: int | None = Field(default=None, description="Calls: the deadline sent, in ms")
    error: str | None = Field(default=None, description="Calls: why no usable answer came")


class TraceOut(Schema):
    """A trace's spans, earliest start first; nest them by ``parent_id``."""

    trace_id: str
    spans: list[SpanOut]


@router.get(
    "/{trace_id}",
    response={200: TraceOut, 404: Problem, 422: ValidationProblem},
    url_name="trace_read",
    operation_id="read_trace",
    summary="A recent trace's spans from all three services",
)
def read_trace(request: HttpRequest, trace_id: TraceId) -> HttpResponse:
    """The spans this worker kept of ``trace_id``; 404 when it kept none."""
    spans = span_store().trace(trace_id)
    if not spans:
        raise NotFound(f"no spans of trace {trace_id} are kept here (too old, or unknown)")
    trace = TraceOut(trace_id=trace_id, spans=[SpanOut(**span.as_dict()) for span in spans])
    return HttpResponse(
        trace.model_dump_json(),
        content_type="application/json",
        headers={"Cache-Control": "no-store"},
    )
