"""Liveness, readiness and the OpenAPI document."""

# Pyramid ships no type hints, so its view decorators erase the views' types.

from __future__ import annotations

from typing import Any

from pyramid.request import Request
from pyramid.view import view_config

from cupcake_chassis.storage import readiness_headers

from ..caching import catalogue_read
from ..readiness import readiness_check


@view_config(route_name="healthz", request_method="GET", renderer="json", openapi=True)
def healthz_view(request: Request) -> dict[str, Any]:
    """``GET /healthz``: the process answers."""
    request.response.cache_control = "no-store"
    return {"status": "ok"}


@view_config(route_name="readyz", request_method="GET", renderer="json", openapi=True)
def readyz_view(request: Request) -> dict[str, Any]:
    """``GET /readyz``: 200 when the database answers and is migrated (``degraded`` when it
    refuses writes), else 503."""
    report, status = readiness_check(
        engine=request.registry["dbengine"], heads=request.registry["migration_heads"]
    )
    request.response.cache_control = "no-store"
    request.response.status_code = status
    request.response.headers.update(readiness_headers(status))
    return report


@view_config(
    route_name="openapi_json",
    request_method="GET",
    renderer="json",
    openapi=True,
    decorator=catalogue_read,
)
def openapi_json_view(request: Request) -> dict[str, Any]:
    """``GET /api/v1/openapi.json``: the service's OpenAPI document."""
    document: dict[str, Any] = request.registry["openapi_document"]
    return document
