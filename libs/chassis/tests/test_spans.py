"""Spans: the model, the bounded store and the ``Trace-Spans`` header that carries them."""

from __future__ import annotations

import json
import tracemalloc

import pytest

from cupcake_chassis.env import SettingError
from cupcake_chassis.spans import (
    HEADER_MAX_CHARS,
    HEADER_SPANS,
    Span,
    SpanStore,
    gathering_on,
    span_store,
    spans_decode,
    spans_encode,
    spans_reset,
)
from cupcake_chassis.tracecontext import span_id_new

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"


def span(
    trace_id: str = TRACE, *, kind: str = "server", start: float = 1.0, **fields: object
) -> Span:
    """A span of ``trace_id`` with plausible fields."""
    values: dict[str, object] = {
        "trace_id": trace_id,
        "span_id": span_id_new(),
        "parent_id": None,
        "service": "toppings",
        "framework": "Pyramid",
        "kind": kind,
        "name": "/api/v1/toppings",
        "method": "GET",
        "status": 200,
        "start": start,
        "duration_ms": 1.25,
    }
    if kind == "client":
        values.update(peer="toppings", cache="miss", attempts=1, breaker="closed", budget_ms=900)
    values.update(fields)
    return Span(**values)  # type: ignore[arg-type]


def test_a_trace_is_returned_by_its_id_in_order_of_start() -> None:
    store = SpanStore()
    later, earlier = span(start=2.0), span(start=1.0)
    store.add([later, earlier, span("0" * 31 + "1")])
    assert store.trace(TRACE) == [earlier, later]
    assert store.trace("f" * 32) == []


def test_the_oldest_traces_go_first_when_the_store_is_full() -> None:
    store = SpanStore(kept=4)
    traces = [f"{n:032x}" for n in range(1, 4)]
    for trace_id in traces:
        store.add([span(trace_id), span(trace_id)])
    assert store.trace(traces[0]) == []
    assert len(store.trace(traces[1])) == 2 and len(store.trace(traces[2])) == 2
    assert len(store) == 4


def test_a_trace_keeps_at_most_its_share_of_spans() -> None:
    store = SpanStore(kept=100, per_trace=3)
    store.add([span() for _ in range(5)])
    assert len(store.trace(TRACE)) == 3


def test_a_store_of_no_spans_keeps_none() -> None:
    store = SpanStore(kept=0)
    store.add([span()])
    assert store.trace(TRACE) == []


def test_spans_cross_the_header_unchanged() -> None:
    sent = [span(), span(kind="client", error="timeout", status=None)]
    value = spans_encode(TRACE, sent)
    assert value.isascii() and "\n" not in value
    assert spans_decode(value, trace_id=TRACE) == sent


def test_the_header_holds_spans_of_its_trace_only() -> None:
    value = spans_encode(TRACE, [span(), span("1" * 32)])
    assert len(spans_decode(value, trace_id=TRACE)) == 1
    # A cached answer carries the header of another trace: none of it is taken.
    assert spans_decode(value, trace_id="2" * 32) == []


def test_the_header_is_bounded_in_spans_and_size() -> None:
    value = spans_encode(TRACE, [span(name="/x" * 40) for _ in range(100)])
    assert len(value) <= HEADER_MAX_CHARS
    assert 0 < len(spans_decode(value, trace_id=TRACE)) <= HEADER_SPANS


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "not json",
        "[]",
        json.dumps({"trace": TRACE, "spans": "x"}),
        json.dumps({"trace": TRACE, "spans": [[1, 2, 3]]}),
        json.dumps({"trace": TRACE, "spans": [["id", None, "s", "f", "server", "n", "GET",
                                               True, 1.0, 1.0, None, None, None, None, None,
                                               None]]}),
        "x" * (HEADER_MAX_CHARS + 1),
    ],
)  # fmt: skip
def test_a_malformed_header_gives_no_spans(value: str | None) -> None:
    assert spans_decode(value, trace_id=TRACE) == []


def test_the_store_is_sized_by_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CUPCAKE_SPANS_KEPT", "12")
    spans_reset()
    try:
        assert span_store().kept == 12
        monkeypatch.setenv("CUPCAKE_TRACE_GATHER", "off")
        assert gathering_on() is False
        spans_reset()
        monkeypatch.setenv("CUPCAKE_TRACE_GATHER", "sometimes")
        with pytest.raises(SettingError):
            gathering_on()
    finally:
        spans_reset()


def test_a_full_store_holds_about_a_mebibyte(capsys: pytest.CaptureFixture[str]) -> None:
    """The memory a full store of default size takes, as the docs state it (per worker)."""
    kept = 4000
    store = SpanStore(kept=kept)
    # Compositions as the lab makes them: about ten spans a trace, strings made afresh.
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    for n in range(kept // 10):
        trace_id = f"{n:032x}"
        store.add([span(trace_id, kind="client" if i % 2 else "server", start=n + i / 10,
                        name=f"/api/v1/frostings/{n}") for i in range(10)])  # fmt: skip
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    used = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
    per_span = used / kept
    with capsys.disabled():
        print(f"\nspan store: {kept} spans, {used / 2**20:.2f} MiB, {per_span:.0f} B a span")
    assert len(store) == kept
    assert per_span < 600
