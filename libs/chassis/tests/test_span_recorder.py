"""Spans recorded per request: a server span per answer, a client span per call, and the
peer's spans returned with its answer when asked for."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import httpx
import pytest

from cupcake_chassis.observe import observe_wrap, request_done
from cupcake_chassis.problems import StartResponse
from cupcake_chassis.spans import SpanStore, spans_decode, spans_reset
from cupcake_chassis.upstream import ResilientUpstream, UpstreamPolicy
from cupcake_testing.clock import ManualClock, ManualSpawn

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT = f"00-{TRACE}-00f067aa0ba902b7-01"


@pytest.fixture
def store(span_store: SpanStore) -> SpanStore:
    """This test's own span store (``cupcake_testing``'s), peers asked for their spans."""
    return span_store


def back(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    """The peer: one route, answered in JSON."""
    request_done(method="GET", route="/items", path="/items", status=200, seconds=0.001)
    start_response("200 OK", [("Content-Type", "application/json")])
    return [b'{"items": []}']


def front_app(peer: httpx.BaseTransport) -> Any:
    """The front door: asks the peer once per request."""
    upstream = ResilientUpstream(
        "back",
        "http://back.test",
        policy=UpstreamPolicy(),
        transport=peer,
        clock=ManualClock(),
        spawn=ManualSpawn(),
    )

    def front(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        outcome = upstream.get("/items")
        request_done(method="GET", route="/page", path="/page", status=200, seconds=0.001)
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps({"peer": outcome.status_code}).encode()]

    return front


def chain() -> httpx.Client:
    """The front door calling the peer, both observed, in process."""
    peer = httpx.WSGITransport(app=observe_wrap(back, service="back", framework="Pyramid"))
    front = observe_wrap(front_app(peer), service="front", framework="Django")
    return httpx.Client(transport=httpx.WSGITransport(app=front), base_url="http://front.test")


def test_a_request_and_its_call_are_spans_nested_under_the_callers(store: SpanStore) -> None:
    answer = chain().get("/page", headers={"traceparent": PARENT})
    assert answer.json() == {"peer": 200}
    spans = {(span.service, span.kind): span for span in store.trace(TRACE)}
    assert set(spans) == {("front", "server"), ("front", "client"), ("back", "server")}
    server, call, peer = spans["front", "server"], spans["front", "client"], spans["back", "server"]
    assert server.parent_id == "00f067aa0ba902b7" and server.name == "/page"
    assert server.framework == "Django" and server.status == 200
    assert call.parent_id == server.span_id
    assert (call.peer, call.cache, call.attempts, call.breaker) == ("back", "miss", 1, "closed")
    assert call.budget_ms is not None
    assert peer.parent_id == call.span_id and peer.name == "/items"
    assert answer.headers["traceresponse"] == f"00-{TRACE}-{server.span_id}-01"


def test_spans_are_returned_to_a_caller_that_asks_only(store: SpanStore) -> None:
    client = chain()
    plain = client.get("/page", headers={"traceparent": PARENT})
    assert "trace-spans" not in plain.headers
    asked = client.get("/page", headers={"traceparent": PARENT, "Trace-Spans": "ask"})
    returned = spans_decode(asked.headers["trace-spans"], trace_id=TRACE)
    assert [(span.service, span.kind) for span in returned] == [
        ("front", "server"), ("front", "client"), ("back", "server"),
    ]  # fmt: skip


def test_without_gathering_the_peers_spans_stay_with_the_peer(store: SpanStore) -> None:
    spans_reset(store=store, gather=False)
    chain().get("/page", headers={"traceparent": PARENT})
    # One store stands for both processes here: the peer's span is kept, but by the peer.
    assert len(store.trace(TRACE)) == 3
    answer = chain().get("/page", headers={"traceparent": PARENT, "Trace-Spans": "ask"})
    returned = spans_decode(answer.headers["trace-spans"], trace_id=TRACE)
    assert {span.service for span in returned} == {"front"}


def test_a_refused_call_is_a_client_span_with_no_peer_span(store: SpanStore) -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    front = observe_wrap(front_app(httpx.MockTransport(down)), service="front")
    client = httpx.Client(transport=httpx.WSGITransport(app=front), base_url="http://f.test")
    client.get("/page", headers={"traceparent": PARENT})
    spans = store.trace(TRACE)
    assert {(span.kind, span.error) for span in spans} == {
        ("server", None),
        ("client", "unreachable"),
    }
