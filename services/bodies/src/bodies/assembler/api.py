"""The assembler API: compose a cupcake, bake it, and the gallery of baked cupcakes."""

from __future__ import annotations

import time
from collections.abc import Collection
from typing import Annotated, Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import HeaderEx, P, Query, Router
from pydantic import WithJsonSchema

from bodies.assembler import selectors
from bodies.assembler.apps import app_upstreams
from bodies.assembler.bake import cupcake_bake
from bodies.assembler.compose import cupcake_compose
from bodies.assembler.idempotency import Answer, idempotency_key_check
from bodies.assembler.models import IDEMPOTENCY_KEY_MAX_LENGTH
from bodies.assembler.rate_limit import bake_allowance_take, client_address
from bodies.assembler.schemas import (
    AssemblyProblem,
    Composition,
    CompositionQuery,
    CupcakeIn,
    CupcakeOut,
    CupcakePage,
    GalleryQuery,
)
from bodies.assembler.timing import server_timing
from bodies.catalogue.api import CACHEABLE
from bodies.core.conditional import conditional_response
from bodies.core.problem_schemas import Problem
from bodies.core.problems import MalformedRequest
from cupcake_chassis.problems import PROBLEM_MEDIA_TYPE

router = Router(tags=["assembler"])

NO_STORE = "no-store"
JSON = "application/json"
KEY_DOC = "1 to 255 printable ASCII characters; the same key and payload replay the first answer"
# The key as the document shows it; the view checks it (400 when malformed).
IdempotencyKey = Annotated[
    str,
    WithJsonSchema(
        {
            "type": "string",
            "minLength": 1,
            "maxLength": IDEMPOTENCY_KEY_MAX_LENGTH,
            "pattern": r"^[\x20-\x7e]+$",
        }
    ),
]


def header(description: str) -> dict[str, Any]:
    """An OpenAPI response header of type string."""
    return {"description": description, "schema": {"type": "string"}}


def query_names_check(request: HttpRequest, *, allowed: Collection[str]) -> None:
    """Refuse (400) a query parameter this operation does not know, or one given twice."""
    unknown = sorted(set(request.GET) - set(allowed))
    if unknown:
        raise MalformedRequest(
            f"unknown query parameter {unknown[0]!r}; known: {', '.join(sorted(allowed))}"
        )
    repeated = sorted(name for name, values in request.GET.lists() if len(values) > 1)
    if repeated:
        raise MalformedRequest(f"query parameter {repeated[0]!r} is given more than once")


@router.get(
    "/cupcake",
    response={200: Composition, 400: Problem, 422: AssemblyProblem},
    url_name="cupcake_compose",
    operation_id="compose_cupcake",
    summary="Compose a cupcake: the chosen parts, the choices, the services' states",
    openapi_extra={
        "responses": {
            200: {
                "headers": {
                    "Server-Timing": header(
                        'Each peer call (e.g. frostings-1;dur=3.1;desc="GET /api/v1/frostings")'
                        " and the total, in milliseconds"
                    )
                }
            }
        }
    },
)
def compose_cupcake(request: HttpRequest, query: Query[CompositionQuery]) -> HttpResponse:
    """The cupcake chosen so far; 200 even when a peer is down, 422 when the rules forbid it."""
    started = time.perf_counter()
    query_names_check(request, allowed=CompositionQuery.model_fields)
    composition = cupcake_compose(
        body=query.body, frosting=query.frosting, topping=query.topping, upstreams=app_upstreams()
    )
    content = composition.model_dump_json()
    total_ms = (time.perf_counter() - started) * 1000
    return HttpResponse(
        content,
        content_type=JSON,
        headers={
            "Cache-Control": NO_STORE,
            "Server-Timing": server_timing(composition.calls, total_ms=total_ms),
        },
    )


def answer_response(answer: Answer) -> HttpResponse:
    """Send a bake's answer, first or replayed, exactly as it was kept."""
    response = HttpResponse(
        answer.body,
        status=answer.status,
        content_type=JSON if answer.status < 400 else PROBLEM_MEDIA_TYPE,
        headers={"Cache-Control": NO_STORE},
    )
    if answer.location:
        response["Location"] = answer.location
    if answer.replayed:
        response["Idempotent-Replayed"] = "true"
    return response


@router.post(
    "/cupcakes",
    response={
        201: CupcakeOut,
        (400, 411, 413, 415): Problem,
        422: AssemblyProblem,
        (429, 503): Problem,
    },
    url_name="cupcake_bake",
    operation_id="bake_cupcake",
    summary="Bake a cupcake (honours Idempotency-Key)",
    openapi_extra={
        "responses": {
            201: {
                "headers": {
                    "Location": header("URL of the new cupcake"),
                    "Idempotent-Replayed": header("true when this answer is a replay"),
                }
            },
            422: {"headers": {"Idempotent-Replayed": header("true when this is a replay")}},
            429: {
                "description": "This client baked more often than BAKE_RATE_LIMIT allows",
                "headers": {"Retry-After": header("Seconds until this client may bake again")},
            },
            503: {"headers": {"Retry-After": header("Seconds to wait before trying again")}},
        }
    },
)
def bake_cupcake(
    request: HttpRequest,
    payload: CupcakeIn,
    idempotency_key: HeaderEx[
        IdempotencyKey | None, P(alias="Idempotency-Key", description=KEY_DOC)
    ] = None,
) -> HttpResponse:
    """Check the combination with the rule owners and bake it: 201, 422, or 503 (nothing saved);
    429 when this client has baked more often than the rate limit allows (a replay of a
    bake already answered is never refused for it)."""
    rate = settings.BAKE_RATE_LIMIT

    def allowance_take() -> None:
        if rate is not None:
            client = client_address(request, proxy_hops=settings.TRUSTED_PROXY_HOPS)
            bake_allowance_take(client=client, rate=rate)

    answer = cupcake_bake(
        body=payload.body,
        frosting=payload.frosting,
        topping=payload.topping,
        name=payload.name,
        idempotency_key=idempotency_key_check(idempotency_key),
        upstreams=app_upstreams(),
        allowance_take=allowance_take,
    )
    return answer_response(answer)


def gallery_url(*, page: int, page_size: int) -> str:
    """The absolute URL of one page of the gallery."""
    return f"{settings.PUBLIC_URL}/api/v1/cupcakes?page={page}&page_size={page_size}"


@router.get(
    "/cupcakes",
    response={200: CupcakePage, 400: Problem, 422: AssemblyProblem},
    url_name="cupcake_list",
    operation_id="list_cupcakes",
    summary="The gallery: baked cupcakes, newest first",
)
def list_cupcakes(request: HttpRequest, query: Query[GalleryQuery]) -> HttpResponse:
    """One page of baked cupcakes, newest first, with links to the pages around it."""
    query_names_check(request, allowed=GalleryQuery.model_fields)
    page, size = query.page, query.page_size
    cupcakes, total = selectors.cupcake_page(page=page, page_size=size)
    last_page = max(1, -(-total // size))
    gallery = CupcakePage.model_validate(
        {
            "items": cupcakes,
            "page": page,
            "page_size": size,
            "total": total,
            "next": gallery_url(page=page + 1, page_size=size) if page < last_page else None,
            "previous": (
                gallery_url(page=min(page - 1, last_page), page_size=size) if page > 1 else None
            ),
        }
    )
    return HttpResponse(
        gallery.model_dump_json(), content_type=JSON, headers={"Cache-Control": NO_STORE}
    )


@router.get(
    "/cupcakes/{cupcake_id}",
    response={200: CupcakeOut, 304: None, 404: Problem},
    url_name="cupcake_detail",
    operation_id="read_cupcake",
    summary="One baked cupcake, its parts as they were when baked",
    openapi_extra=CACHEABLE,
)
def read_cupcake(request: HttpRequest, cupcake_id: str) -> HttpResponse:
    """One cupcake (a baked cupcake never changes: ETag and 304 apply)."""
    cupcake = selectors.cupcake_get(cupcake_id=cupcake_id)
    content = CupcakeOut.model_validate(cupcake).model_dump_json().encode()
    return conditional_response(request, content=content, content_type=JSON)
