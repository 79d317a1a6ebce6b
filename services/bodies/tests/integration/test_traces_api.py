"""GET /api/v1/traces/{trace_id}: a composition's spans, its peers' returned with their answers."""

from collections.abc import Iterator

import httpx
import pytest
from django.core.wsgi import get_wsgi_application

from bodies.config.wsgi import chassis_wrap
from cupcake_chassis.spans import SPANS_HEADER, Span, SpanStore, spans_encode
from cupcake_chassis.tracecontext import traceparent_parse
from cupcake_chassis.wiring import Wiring
from cupcake_testing.clock import ManualClock, ManualSpawn
from fakes import FROSTINGS_URL, FakePeers

pytestmark = pytest.mark.integration

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
TRACEPARENT = f"00-{TRACE}-00f067aa0ba902b7-01"
FULL = "/api/v1/cupcake?body=vanilla&frosting=strawberry&topping=cherry"


def with_peer_spans(peers: FakePeers) -> httpx.MockTransport:
    """The fake peers, each answering a caller that asks with its own server span."""

    def handle(request: httpx.Request) -> httpx.Response:
        answer = peers.handle(request)
        parsed = traceparent_parse(request.headers.get("traceparent"))
        if parsed is not None and request.headers.get(SPANS_HEADER) == "ask":
            trace_id, parent_id, _sampled = parsed
            service = (
                "frostings" if request.url.host == httpx.URL(FROSTINGS_URL).host else "toppings"
            )
            span = Span(trace_id, "a" * 16, parent_id, service, "Flask", "server",
                        request.url.path, "GET", answer.status_code, 1.0, 0.5)  # fmt: skip
            answer.headers[SPANS_HEADER] = spans_encode(trace_id, [span])
        return answer

    return httpx.MockTransport(handle)


@pytest.fixture
def wiring(peers: FakePeers, clock: ManualClock, spawn: ManualSpawn) -> Wiring:
    """The fake peers, returning their spans when asked, on the test's clock and spawn."""
    return Wiring(transport=with_peer_spans(peers), clock=clock, spawn=spawn)


@pytest.fixture
def front_door(
    database: None, fake_peers: FakePeers, clock: ManualClock, span_store: SpanStore
) -> Iterator[httpx.Client]:
    """An HTTP client of the app inside the chassis, its peers returning spans when asked."""
    app = chassis_wrap(get_wsgi_application(), clock=clock)
    with httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://localhost") as c:
        yield c


def test_a_compositions_trace_holds_its_calls_and_the_spans_its_peers_returned(
    front_door: httpx.Client,
) -> None:
    composed = front_door.get(FULL, headers={"traceparent": TRACEPARENT})
    assert composed.status_code == 200
    assert composed.headers["traceresponse"].startswith(f"00-{TRACE}-")

    answer = front_door.get(f"/api/v1/traces/{TRACE}")

    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-store"
    spans = answer.json()["spans"]
    server = next(s for s in spans if s["kind"] == "server" and s["service"] == "bodies")
    assert server["name"] == "/api/v1/cupcake" and server["framework"] == "Django"
    assert server["parent_id"] == "00f067aa0ba902b7"
    calls = [s for s in spans if s["kind"] == "client"]
    assert sorted(call["peer"] for call in calls) == ["frostings", "frostings", "toppings"]
    assert all(call["parent_id"] == server["span_id"] for call in calls)
    assert all(call["cache"] and call["attempts"] and call["breaker"] for call in calls)
    returned = [s for s in spans if s["kind"] == "server" and s["service"] != "bodies"]
    assert {s["parent_id"] for s in returned} == {call["span_id"] for call in calls}


def test_an_unknown_trace_is_404_problem(front_door: httpx.Client) -> None:
    answer = front_door.get("/api/v1/traces/" + "0" * 31 + "1")
    assert answer.status_code == 404
    assert answer.headers["Content-Type"].startswith("application/problem+json")


@pytest.mark.parametrize("trace_id", ["xyz", "4BF92F3577B34DA6A3CE929D0E0E4736", TRACE + "0"])
def test_a_malformed_trace_id_is_422_problem(front_door: httpx.Client, trace_id: str) -> None:
    answer = front_door.get(f"/api/v1/traces/{trace_id}")
    assert answer.status_code == 422
    assert answer.headers["Content-Type"].startswith("application/problem+json")
