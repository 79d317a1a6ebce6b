"""Schemathesis schemas of each service's own OpenAPI document, as served by the fuzz lab."""

from __future__ import annotations

import json
from typing import Any

import httpx
import schemathesis

from tests.inprocess import BODIES_URL, FROSTINGS_URL, TOKEN, TOPPINGS_URL

from .lab import FuzzLab
from .settings import fuzz_config

OPENAPI_PATH = "/api/v1/openapi.json"
BASE_URLS = {"bodies": BODIES_URL, "frostings": FROSTINGS_URL, "toppings": TOPPINGS_URL}


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
