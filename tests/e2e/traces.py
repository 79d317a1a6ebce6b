"""Reading a composition's trace: whether its spans nest as the call graph says they must."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

SpanLike = Mapping[str, Any]


def children(
    spans: Sequence[SpanLike], parent: SpanLike, *, service: str, kind: str
) -> list[SpanLike]:
    """The spans of ``service`` and ``kind`` made directly in ``parent``."""
    return [
        span
        for span in spans
        if span["parent_id"] == parent["span_id"]
        and span["service"] == service
        and span["kind"] == kind
    ]


def calls_to(
    spans: Sequence[SpanLike], parent: SpanLike, *, service: str, peer: str
) -> list[SpanLike]:
    """``service``'s calls to ``peer`` made in ``parent``."""
    return [
        span
        for span in children(spans, parent, service=service, kind="client")
        if span["peer"] == peer
    ]


def chain_nested(spans: Sequence[SpanLike]) -> bool:
    """Whether the trace holds the whole chain, each span under its parent: bodies' request,
    its calls to frostings and toppings, frostings' request and its own call to toppings,
    and toppings' requests under both."""
    for root in (s for s in spans if s["service"] == "bodies" and s["kind"] == "server"):
        to_toppings = calls_to(spans, root, service="bodies", peer="toppings")
        direct = any(children(spans, c, service="toppings", kind="server") for c in to_toppings)
        chained = any(
            children(spans, hop, service="toppings", kind="server")
            for call in calls_to(spans, root, service="bodies", peer="frostings")
            for served in children(spans, call, service="frostings", kind="server")
            for hop in calls_to(spans, served, service="frostings", peer="toppings")
        )
        if direct and chained:
            return True
    return False
