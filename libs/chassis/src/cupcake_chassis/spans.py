"""Spans: one model of the work a request did, kept in memory and handed between services.

A span is a server span (a request this process answered) or a client span (a call it
made to another service). Each process keeps its recent spans in a bounded store
(``CUPCAKE_SPANS_KEPT`` spans in all, at most ``SPANS_PER_TRACE`` per trace, the oldest
traces evicted first). A caller that sends ``Trace-Spans: ask`` gets back, in a
``Trace-Spans`` response header, the spans its request produced in the callee (and
those the callee's own peers returned): the whole trace reaches the front door with the
answers, with no collector and no second round trip.
"""

from __future__ import annotations

import json
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from cupcake_chassis.env import SettingError, whole_parse

SPANS_HEADER = "Trace-Spans"
SPANS_ASK = "ask"
KEPT_ENV = "CUPCAKE_SPANS_KEPT"
GATHER_ENV = "CUPCAKE_TRACE_GATHER"
DEFAULT_KEPT = 4000
SPANS_PER_TRACE = 200
# A response header must stay well below the HTTP clients' header limits (h11: 64 KiB
# for all of them together): about 120 bytes a span.
HEADER_SPANS = 32
HEADER_MAX_CHARS = 8192
# One encoder for every header: json.dumps with separators builds a new one per call.
_COMPACT = json.JSONEncoder(separators=(",", ":"))


class Span(NamedTuple):
    """One span: a request served (``kind`` "server") or a call made (``kind`` "client").

    A named tuple: thousands are kept per worker, and a tuple is the smallest record
    Python has. ``start`` is wall-clock seconds since the epoch (spans of three processes
    share one time axis only that way); ``name`` is the route matched (server) or the
    path asked (client). The fields from ``peer`` on belong to client spans.
    """

    trace_id: str
    span_id: str
    parent_id: str | None
    service: str
    framework: str
    kind: str
    name: str
    method: str
    status: int | None
    start: float
    duration_ms: float
    peer: str | None = None
    cache: str | None = None
    attempts: int | None = None
    breaker: str | None = None
    budget_ms: int | None = None
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The span as JSON-ready data."""
        return self._asdict()


class SpanStore:
    """The recent spans of one process, by trace, within fixed bounds.

    ``kept`` spans in all (0 keeps none); a trace holds at most ``per_trace`` (spans past
    that are dropped, the trace's first ones being the most telling). When full, whole
    traces go, oldest first: a trace is wanted whole or not at all.
    """

    def __init__(self, *, kept: int = DEFAULT_KEPT, per_trace: int = SPANS_PER_TRACE) -> None:
        self.kept = kept
        self.per_trace = per_trace
        self._traces: OrderedDict[str, list[Span]] = OrderedDict()
        self._count = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return self._count

    def add(self, spans: Iterable[Span]) -> None:
        """Keep ``spans``, evicting the oldest traces when over the limit."""
        if self.kept <= 0:
            return
        with self._lock:
            for span in spans:
                held = self._traces.get(span.trace_id)
                if held is None:
                    held = self._traces[span.trace_id] = []
                if len(held) >= self.per_trace:
                    continue
                held.append(span)
                self._count += 1
            while self._count > self.kept:
                _oldest, evicted = self._traces.popitem(last=False)
                self._count -= len(evicted)

    def trace(self, trace_id: str) -> list[Span]:
        """The spans kept of ``trace_id``, oldest start first (empty when unknown)."""
        with self._lock:
            spans = list(self._traces.get(trace_id, ()))
        return sorted(spans, key=lambda span: span.start)


def spans_encode(trace_id: str, spans: Iterable[Span]) -> str:
    """The ``Trace-Spans`` header value for ``spans`` of ``trace_id``: compact JSON, at most
    ``HEADER_SPANS`` spans and ``HEADER_MAX_CHARS`` characters (the last spans dropped)."""
    rows = [list(span[1:]) for span in spans if span.trace_id == trace_id][:HEADER_SPANS]
    while True:
        # One encoding of the whole document: a header of usual size is made once.
        text = _COMPACT.encode({"trace": trace_id, "spans": rows})
        if len(text) <= HEADER_MAX_CHARS:
            return text
        rows = rows[: len(rows) * 3 // 4]


_FIELD_TYPES: tuple[tuple[type, ...], ...] = tuple(
    (str,) if name in ("span_id", "service", "framework", "kind", "name", "method")
    else (int, float) if name in ("start", "duration_ms")
    else (int, type(None)) if name in ("status", "attempts", "budget_ms")
    else (str, type(None))
    for name in Span._fields[1:]
)  # fmt: skip


def spans_decode(value: str | None, *, trace_id: str) -> list[Span]:
    """The spans of ``trace_id`` in a ``Trace-Spans`` header value; none when it is absent,
    malformed, or of another trace (a cached answer carries the header of its own trace)."""
    if not value or len(value) > HEADER_MAX_CHARS:
        return []
    try:
        doc = json.loads(value)
    except ValueError:
        return []
    if not isinstance(doc, dict) or doc.get("trace") != trace_id:
        return []
    rows = doc.get("spans")
    if not isinstance(rows, list):
        return []
    return [
        Span(trace_id, *row)
        for row in rows[:HEADER_SPANS]
        if isinstance(row, list) and _row_valid(row)
    ]


def _row_valid(row: list[Any]) -> bool:
    if len(row) != len(_FIELD_TYPES):
        return False
    for value, types in zip(row, _FIELD_TYPES, strict=True):
        if isinstance(value, bool) or not isinstance(value, types):
            return False
    return True


# The process's store and settings, made on first use (never at import, never before a fork).
_store: SpanStore | None = None
_gather: bool | None = None
_store_lock = threading.Lock()
# Called with each span this process produces (not those its peers returned): the
# OpenTelemetry export, when configured.
span_sinks: list[Callable[[Span], None]] = []


def span_store() -> SpanStore:
    """This process's span store, sized by ``CUPCAKE_SPANS_KEPT`` (default 4000)."""
    global _store
    store = _store
    if store is not None:  # every request asks: no lock once the store is made
        return store
    with _store_lock:
        if _store is None:
            raw = os.environ.get(KEPT_ENV)
            kept = DEFAULT_KEPT if raw is None else whole_parse(raw, name=KEPT_ENV)
            _store = SpanStore(kept=kept)
        return _store


def gathering_on() -> bool:
    """Whether calls ask their peers for their spans (``CUPCAKE_TRACE_GATHER``, default on)."""
    global _gather
    if _gather is None:
        raw = os.environ.get(GATHER_ENV, "on").strip().lower()
        if raw not in ("on", "off", "1", "0", "true", "false"):
            raise SettingError(f"{GATHER_ENV} must be on or off, not {raw!r}")
        _gather = raw in ("on", "1", "true")
    return _gather


def spans_reset(*, store: SpanStore | None = None, gather: bool | None = None) -> None:
    """Replace the process's store and gathering setting (tests; None: read the env again)."""
    global _store, _gather
    with _store_lock:
        _store, _gather = store, gather
