"""What the container tests ask of a lab running as containers, from the host: a composition,
a bake, the gallery."""

from __future__ import annotations

from typing import Protocol

import httpx

FULL = {"body": "vanilla", "frosting": "chocolate", "topping": "cherry"}
SERVICES = ("bodies", "frostings", "toppings")
DOWN = ("degraded", "unavailable")


class Lab(Protocol):
    """A lab whose services the host reaches by URL."""

    def url(self, service: str) -> str:
        """The base URL of ``service``, from the host."""


def composed(lab: Lab) -> dict[str, object]:
    """A composition of the full cupcake, asked of bodies from the host."""
    answer = httpx.get(f"{lab.url('bodies')}/api/v1/cupcake", params=FULL, timeout=10)
    assert answer.status_code == 200, answer.text
    body: dict[str, object] = answer.json()
    return body


def status_of(composition: dict[str, object], service: str) -> str:
    """The status a composition gives ``service``."""
    services = composition["services"]
    assert isinstance(services, dict)
    return str(services[service]["status"])


def statuses(lab: Lab) -> dict[str, str]:
    """Each service's status in a composition of the full cupcake."""
    composition = composed(lab)
    return {service: status_of(composition, service) for service in SERVICES}


def baked(lab: Lab) -> dict[str, object]:
    """Bake the full cupcake; its record as bodies acknowledged it."""
    answer = httpx.post(f"{lab.url('bodies')}/api/v1/cupcakes", json=FULL, timeout=10)
    assert answer.status_code == 201, answer.text
    record: dict[str, object] = answer.json()
    return record


def bake_tried(lab: Lab, acknowledged: set[object]) -> bool:
    """Try one bake; whether bodies acknowledged it (its id then joins ``acknowledged``)."""
    answer = httpx.post(f"{lab.url('bodies')}/api/v1/cupcakes", json=FULL, timeout=10)
    if answer.status_code == 201:
        acknowledged.add(answer.json()["id"])
    return answer.status_code == 201


def gallery_ids(lab: Lab) -> set[object]:
    """The ids of every cupcake in the gallery's first page."""
    answer = httpx.get(f"{lab.url('bodies')}/api/v1/cupcakes", timeout=10)
    assert answer.status_code == 200, answer.text
    return {item["id"] for item in answer.json()["items"]}
