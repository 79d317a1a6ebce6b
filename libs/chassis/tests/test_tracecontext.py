"""Trace context: W3C traceparent continued or started, request ids kept or made, passed on."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import httpx
import pytest

from cupcake_chassis.problems import StartResponse
from cupcake_chassis.tracecontext import (
    TraceContextMiddleware,
    current_ids,
    outbound_headers,
    request_id_accept,
    trace_context_start,
    traceparent_parse,
)

PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def ids_echo(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    """A WSGI app answering with the ids it would log and the headers it would send on."""
    start_response("200 OK", [("Content-Type", "application/json")])
    return [json.dumps({"ids": current_ids(), "outbound": outbound_headers()}).encode()]


def client() -> httpx.Client:
    app = TraceContextMiddleware(ids_echo)
    return httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://svc.test")


def test_a_valid_traceparent_is_parsed() -> None:
    assert traceparent_parse(PARENT) == (
        "4bf92f3577b34da6a3ce929d0e0e4736",
        "00f067aa0ba902b7",
        True,
    )


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "garbage",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  # forbidden version
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",  # zero trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",  # zero parent id
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",  # upper case
        PARENT + "-extra",  # version 00 has exactly four fields
    ],
)
def test_an_invalid_traceparent_is_ignored(value: str | None) -> None:
    assert traceparent_parse(value) is None


def test_a_later_version_may_carry_more_fields() -> None:
    later = "01" + PARENT[2:] + "-more"
    assert traceparent_parse(later) is not None


def test_the_not_sampled_flag_is_kept() -> None:
    parsed = traceparent_parse(PARENT[:-2] + "00")
    assert parsed is not None and parsed[2] is False


def test_a_request_continues_its_callers_trace_in_a_span_of_its_own() -> None:
    context = trace_context_start(PARENT, None)
    assert context.trace_id == "4bf92f3577b34da6a3ce929d0e0e4736"
    assert context.span_id != "00f067aa0ba902b7"
    assert len(context.span_id) == 16


def test_a_request_without_a_trace_starts_one() -> None:
    first, second = trace_context_start(None, None), trace_context_start(None, None)
    assert len(first.trace_id) == 32
    assert first.trace_id != second.trace_id


@pytest.mark.parametrize("sent", ["abc-123", "req.7:x_y"])
def test_a_plain_request_id_is_kept(sent: str) -> None:
    assert request_id_accept(sent) == sent


@pytest.mark.parametrize("sent", [None, "", "has space", "x" * 129, "new\nline", "é"])
def test_an_odd_request_id_is_replaced(sent: str | None) -> None:
    made = request_id_accept(sent)
    assert made != sent
    assert len(made) == 32


def test_the_middleware_logs_and_passes_on_the_same_trace() -> None:
    answer = client().get("/", headers={"traceparent": PARENT, "X-Request-ID": "req-1"})
    body = answer.json()
    assert body["ids"]["trace_id"] == "4bf92f3577b34da6a3ce929d0e0e4736"
    assert body["ids"]["request_id"] == "req-1"
    sent = traceparent_parse(body["outbound"]["traceparent"])
    assert sent is not None
    trace_id, parent_id, sampled = sent
    assert trace_id == "4bf92f3577b34da6a3ce929d0e0e4736"
    assert parent_id not in ("00f067aa0ba902b7", body["ids"]["span_id"])
    assert sampled
    assert body["outbound"]["X-Request-ID"] == "req-1"
    assert answer.headers["X-Request-ID"] == "req-1"


def test_the_middleware_says_a_made_request_id_back() -> None:
    answer = client().get("/")
    assert answer.headers["X-Request-ID"] == answer.json()["ids"]["request_id"]


def test_outside_a_request_there_is_nothing_to_log_or_pass_on() -> None:
    assert current_ids() == {}
    assert outbound_headers() == {}


def test_a_new_request_gets_three_different_ids_in_lower_case_hex() -> None:
    context = trace_context_start(None, None)
    ids = (context.trace_id, context.span_id, context.request_id)
    assert [len(i) for i in ids] == [32, 16, 32]
    assert len(set(ids)) == 3
    assert all(set(i) <= set("0123456789abcdef") for i in ids)
