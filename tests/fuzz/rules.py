"""After a fuzz run: no write the rules forbid was accepted, read back from the services."""

from __future__ import annotations

from typing import Any

import httpx

from tests.catalogue import frosting_obeys_invariants, invariants_hold, pairing_table_allows
from tests.inprocess import WsgiApp


def read_json(app: WsgiApp, base_url: str, path: str) -> Any:
    """GET ``path`` of ``app`` and its JSON answer (which must be a 200)."""
    with httpx.Client(transport=httpx.WSGITransport(app=app), base_url=base_url) as client:
        answer = client.get(path)
    assert answer.status_code == 200, (path, answer.status_code, answer.text)
    return answer.json()


def stored_frostings(frostings: WsgiApp, base_url: str) -> list[dict[str, Any]]:
    """Every frosting the service holds."""
    items: list[dict[str, Any]] = read_json(frostings, base_url, "/api/v1/frostings")["items"]
    return items


def frostings_breaking_the_rules(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The frostings of ``items`` whose pairings break the catalogue's two invariants
    (docs/architecture.md)."""
    return [
        item
        for item in items
        if not frosting_obeys_invariants(item["slug"], item["bodies"], item["toppings"])
    ]


def gallery(bodies: WsgiApp, base_url: str) -> list[dict[str, Any]]:
    """Every cupcake in the gallery, page by page."""
    cupcakes: list[dict[str, Any]] = []
    page = 1
    while True:
        answer = read_json(bodies, base_url, f"/api/v1/cupcakes?page={page}&page_size=50")
        cupcakes.extend(answer["items"])
        if answer["next"] is None:
            return cupcakes
        page += 1


def cupcakes_breaking_the_rules(cupcakes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The cupcakes of ``cupcakes`` that the seeded pairing table or the invariants forbid
    (the frostings the bodies fuzz bakes with keeps its seeded pairings)."""
    broken = []
    for cupcake in cupcakes:
        parts = (cupcake["body"]["slug"], cupcake["frosting"]["slug"], cupcake["topping"]["slug"])
        if not (invariants_hold(*parts) and pairing_table_allows(*parts)):
            broken.append(cupcake)
    return broken
