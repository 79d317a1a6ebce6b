"""The fuzz lab: each service's real app on a fresh migrated database, its peers real apps
in-process, and schemathesis schemas of each service's own OpenAPI document."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from django.test import override_settings

from tests.inprocess import (
    BODIES_URL,
    FROSTINGS_URL,
    TOKEN,
    TOPPINGS_URL,
    HostRoutingTransport,
    WsgiApp,
    bodies_build,
    frostings_build,
    toppings_build,
)

from .lab import FuzzLab
from .settings import fuzz_config, fuzz_seed

OPENAPI_PATH = "/api/v1/openapi.json"
BASE_URLS = {"bodies": BODIES_URL, "frostings": FROSTINGS_URL, "toppings": TOPPINGS_URL}
REQUESTS = pytest.StashKey[FuzzLab]()


def toppings_served(app: WsgiApp) -> WsgiApp:
    """The toppings app as granian serves it: inside the chassis' deadline middleware."""
    from toppings.middleware import middleware_wrap

    served: WsgiApp = middleware_wrap(app, app.registry.settings)
    return served


def bodies_served(app: WsgiApp) -> WsgiApp:
    """The bodies app as granian serves it: inside the front door's deadline middleware."""
    from bodies.config.wsgi import chassis_wrap

    return chassis_wrap(app)


@pytest.fixture(scope="session")
def fuzz_lab(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FuzzLab]:
    """The three services as they are served (in the chassis' middleware), each fuzzed on
    its own fresh database; the peers they call are real apps too (frostings and toppings
    on databases of their own, left as seeded)."""
    state = tmp_path_factory.mktemp("fuzz")
    peer_toppings = toppings_served(toppings_build(database_file=state / "peer-toppings.sqlite3"))
    bodies = bodies_served(bodies_build(state_dir=state))
    peer_frostings = frostings_build(
        database_file=state / "peer-frostings.sqlite3",
        peers=HostRoutingTransport({"bodies.test": bodies, "toppings.test": peer_toppings}),
    )
    peers = HostRoutingTransport(
        {"bodies.test": bodies, "frostings.test": peer_frostings, "toppings.test": peer_toppings}
    )
    lab = FuzzLab(
        apps={
            "bodies": bodies,
            "frostings": frostings_build(database_file=state / "frostings.sqlite3", peers=peers),
            "toppings": toppings_served(toppings_build(database_file=state / "toppings.sqlite3")),
        }
    )
    request.config.stash[REQUESTS] = lab
    # The assembler in bodies reaches its peers through the same in-process transport.
    with override_settings(
        FROSTINGS_URL=FROSTINGS_URL, TOPPINGS_URL=TOPPINGS_URL, UPSTREAM_TRANSPORT=peers
    ):
        yield lab


def openapi_document(lab: FuzzLab, service: str) -> dict[str, Any]:
    """The OpenAPI document the service serves."""
    transport = httpx.WSGITransport(app=lab.apps[service])
    with httpx.Client(transport=transport, base_url=BASE_URLS[service]) as client:
        document: dict[str, Any] = client.get(OPENAPI_PATH).json()
    return document


def referenced_parameters(document: dict[str, Any]) -> set[str]:
    """The parameters (``path.slug``, ``query.slug``, ...) whose schema holds a ``$ref``."""
    parameters = []
    for item in document["paths"].values():
        parameters += item.get("parameters", [])
        for operation in item.values():
            if isinstance(operation, dict):
                parameters += operation.get("parameters", [])
    return {
        f"{parameter['in']}.{parameter['name']}"
        for parameter in parameters
        if "$ref" in json.dumps(parameter.get("schema", {}))
    }


def fuzz_schema(lab: FuzzLab, service: str, *, with_token: bool) -> schemathesis.BaseSchema:
    """The schemathesis schema of ``service``'s own document, calling its counted app,
    sending the admin token for every scheme the document declares, or no token at all."""
    document = openapi_document(lab, service)
    schemes = document.get("components", {}).get("securitySchemes", {})
    config = fuzz_config(
        base_url=BASE_URLS[service],
        bearer={name: TOKEN for name in schemes} if with_token else {},
        referenced_parameters=referenced_parameters(document),
    )
    return schemathesis.openapi.from_wsgi(OPENAPI_PATH, lab.fuzzed(service), config=config)


def pytest_report_header(config: pytest.Config) -> str:
    """Say which seed the fuzzer runs with, so that a failure can be replayed."""
    seed = fuzz_seed()
    return f"fuzz seed: {seed if seed is not None else 'random'} (FUZZ_SEED)"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print how many requests the fuzzer sent each service, and how many stored items
    were checked against the rules."""
    lab = terminalreporter.config.stash.get(REQUESTS, None)
    if lab is None:
        return
    counts = ", ".join(f"{name} {lab.requests[name]}" for name in sorted(lab.apps))
    terminalreporter.write_line(f"fuzz requests per service: {counts}")
    if lab.checked:
        checked = ", ".join(f"{count} {kind}" for kind, count in sorted(lab.checked.items()))
        terminalreporter.write_line(f"checked against the rules after fuzzing: {checked}")
