"""The chaos drawer's API: read and set each service's faults (only in a lab with chaos on)."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema
from pydantic import ConfigDict, Field

from bodies.core.json_body import json_object_from_request
from bodies.core.problem_schemas import Problem, ValidationProblem
from bodies.core.problems import InvalidInput
from bodies.lab.chaos import (
    chaos_enabled_check,
    lab_chaos_read,
    service_chaos_set,
    service_check,
    settings_field,
)
from cupcake_chassis.chaos import MAX_EXPIRES_IN_S, MAX_LATENCY_MS, ChaosSettings
from cupcake_chassis.problems import FieldError

router = Router(tags=["lab"])

JSON = "application/json"
NO_STORE = {"Cache-Control": "no-store"}
CHAOS_OFF = "404 unless the lab runs with chaos enabled (`CUPCAKE_CHAOS=1`)."


class ChaosSettingsOut(Schema):
    """One service's injected faults: added latency, a share of 500s, or down (503)."""

    model_config = ConfigDict(extra="forbid")

    latency_ms: int = Field(ge=0, le=MAX_LATENCY_MS, description="Added to every request")
    error_rate: float = Field(ge=0, le=1, description="Share of requests answered 500")
    down: bool = Field(description="Every request but the chaos controls answers 503")
    expires_in_s: float | None = Field(
        gt=0, le=MAX_EXPIRES_IN_S, description="Seconds until these faults end by themselves"
    )


class ChaosSettingsIn(Schema):
    """The faults to inject; a field left out is none of that fault."""

    model_config = ConfigDict(extra="forbid")

    latency_ms: int = Field(default=0, ge=0, le=MAX_LATENCY_MS)
    error_rate: float = Field(default=0.0, ge=0, le=1)
    down: bool = False
    expires_in_s: float | None = Field(
        default=None,
        gt=0,
        le=MAX_EXPIRES_IN_S,
        description="End these faults by themselves after this many seconds (null: never)",
    )


class LabChaosServices(Schema):
    """Each service's chaos; null where that service could not be asked."""

    bodies: ChaosSettingsOut
    frostings: ChaosSettingsOut | None
    toppings: ChaosSettingsOut | None


class LabChaos(Schema):
    """The lab's chaos, service by service."""

    services: LabChaosServices


def settings_out(chaos: ChaosSettings) -> ChaosSettingsOut:
    """The API's view of one service's settings."""
    return ChaosSettingsOut(**dataclasses.asdict(chaos))


def asked_out(chaos: ChaosSettings | None) -> ChaosSettingsOut | None:
    """The settings of a peer, or None when it could not be asked."""
    return None if chaos is None else settings_out(chaos)


def json_response(schema: Schema) -> HttpResponse:
    """A JSON answer that no cache keeps."""
    return HttpResponse(schema.model_dump_json(), content_type=JSON, headers=NO_STORE)


@router.get(
    "/chaos",
    response={200: LabChaos, 404: Problem},
    url_name="lab_chaos",
    operation_id="read_lab_chaos",
    summary="Every service's chaos settings",
    description=CHAOS_OFF,
)
def read_lab_chaos(request: HttpRequest) -> HttpResponse:
    """Bodies' own chaos and what frostings and toppings say of theirs."""
    chaos_enabled_check()
    chaos = lab_chaos_read()
    services = LabChaosServices(
        bodies=settings_out(chaos.bodies),
        frostings=asked_out(chaos.frostings),
        toppings=asked_out(chaos.toppings),
    )
    return json_response(LabChaos(services=services))


REQUEST_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {JSON: {"schema": ChaosSettingsIn.model_json_schema()}},
    },
    "responses": {503: {"headers": {"Retry-After": {"schema": {"type": "string"}}}}},
}


@router.put(
    "/chaos/{service}",
    response={
        200: ChaosSettingsOut,
        (400, 404, 411, 413, 415, 503): Problem,
        422: ValidationProblem,
    },
    url_name="lab_chaos_service",
    operation_id="set_service_chaos",
    summary="Set one service's chaos settings",
    description=f"{CHAOS_OFF} Bodies applies its own; the others are set through their "
    "`/_chaos` with the admin token (503 when that service cannot be reached).",
    openapi_extra=REQUEST_BODY,
)
def set_service_chaos(request: HttpRequest, service: str) -> HttpResponse:
    """Validate the settings (ChaosSettings.from_json) and apply them to ``service``."""
    chaos_enabled_check()
    service_check(service)
    raw = json_object_from_request(request)
    try:
        new = ChaosSettings.from_json(raw)
    except ValueError as exc:
        message = str(exc)
        raise InvalidInput(message, errors=[FieldError(settings_field(message), message)]) from None
    return json_response(settings_out(service_chaos_set(service=service, new=new)))
