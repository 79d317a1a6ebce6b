"""The service's own endpoints: liveness and readiness probes."""

from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status

from bodies.core.readiness import readiness_checks
from cupcake_chassis.storage import readiness, readiness_headers

router = Router(tags=["service"])

NO_STORE = "no-store"


class Health(Schema):
    """The process is alive."""

    status: Literal["ok"]


class Check(Schema):
    """One readiness check."""

    status: Literal["ok", "fail"]
    detail: str


class Readiness(Schema):
    """Whether the service can serve, and why not: ``degraded`` (still 200) when it serves
    reads but refuses writes (a SQLite database locked, read-only or out of disk room)."""

    status: Literal["ok", "degraded", "fail"]
    checks: dict[str, Check]


@router.get("/healthz", response=Health, operation_id="healthz", summary="Liveness probe")
def healthz(request: HttpRequest, response: HttpResponse) -> Health:
    """Answer 200 while the process runs."""
    response["Cache-Control"] = NO_STORE
    return Health(status="ok")


@router.get(
    "/readyz",
    response={200: Readiness, 503: Readiness},
    operation_id="readyz",
    summary="Readiness probe",
)
def readyz(request: HttpRequest, response: HttpResponse) -> Status[Readiness]:
    """Answer 200 when the database answers and is migrated to head (``degraded`` when it
    refuses writes), else 503."""
    checks = readiness_checks()
    status, code = readiness(checks)
    response["Cache-Control"] = NO_STORE
    for name, value in readiness_headers(code).items():
        response[name] = value
    return Status(code, Readiness.model_validate({"status": status, "checks": checks}))
