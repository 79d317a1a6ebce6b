"""The bodies API: catalogue reads (cacheable) and writes (admin token)."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from bodies.catalogue import selectors, services
from bodies.catalogue.kept import catalogue_kept
from bodies.catalogue.pictures import body_picture_svg
from bodies.catalogue.schemas import BodyChange, BodyCreate, BodyList, BodyOut, BodyReplace
from bodies.core.auth import AdminToken
from bodies.core.conditional import conditional_response
from bodies.core.problem_schemas import Problem, ValidationProblem
from cupcake_chassis.conditional import etag_for

router = Router(tags=["bodies"])

CACHE_HEADERS = {
    "ETag": {"description": "Strong entity tag of the body", "schema": {"type": "string"}},
    "Cache-Control": {"description": "Caching rules of the answer", "schema": {"type": "string"}},
}
CACHEABLE: dict[str, Any] = {
    "responses": {200: {"headers": CACHE_HEADERS}, 304: {"headers": CACHE_HEADERS}}
}
WRITE_ERRORS = {(400, 401, 403, 411, 413, 415): Problem, 422: ValidationProblem}


def body_url(slug: str) -> str:
    """Return the absolute URL of a body."""
    return f"{settings.PUBLIC_URL}/api/v1/bodies/{slug}"


def json_bytes(schema: BodyOut | BodyList) -> bytes:
    """Return a schema's JSON, the exact bytes its ETag is taken from."""
    return schema.model_dump_json().encode()


@router.get(
    "",
    response={200: BodyList, 304: None},
    url_name="body_list",
    operation_id="list_bodies",
    summary="List every body, sorted by slug",
    openapi_extra=CACHEABLE,
)
def list_bodies(request: HttpRequest) -> HttpResponse:
    """All bodies, sorted by slug; 304 when If-None-Match matches.

    Served as rendered for the catalogue's current version; rendered anew after a write.
    """
    content, etag = catalogue_kept(("list",), body_list_rendered)
    return conditional_response(
        request, content=content, content_type="application/json", etag=etag
    )


def body_list_rendered() -> tuple[bytes, str]:
    """The list of bodies read from the database now: its JSON and their ETag."""
    bodies = BodyList(items=[BodyOut.model_validate(body) for body in selectors.body_list()])
    content = json_bytes(bodies)
    return content, etag_for(content)


@router.get(
    "/{slug}",
    response={200: BodyOut, 304: None, 404: Problem},
    url_name="body_detail",
    operation_id="read_body",
    summary="Read one body",
    openapi_extra=CACHEABLE,
)
def read_body(request: HttpRequest, slug: str) -> HttpResponse:
    """One body; 304 when If-None-Match matches. Kept rendered like the list."""
    content, etag = catalogue_kept(("detail", slug), lambda: body_rendered(slug=slug))
    return conditional_response(
        request, content=content, content_type="application/json", etag=etag
    )


def body_rendered(*, slug: str) -> tuple[bytes, str]:
    """Body ``slug`` read from the database now (NotFound: 404): its JSON and their ETag."""
    content = json_bytes(BodyOut.model_validate(selectors.body_get(slug=slug)))
    return content, etag_for(content)


@router.get(
    "/{slug}/image.svg",
    response={200: None, 304: None, 404: Problem},
    url_name="body_image",
    operation_id="read_body_image",
    summary="The body's picture",
    openapi_extra={
        "responses": {
            200: {
                "description": "SVG picture, viewBox 0 0 200 200, transparent",
                "content": {"image/svg+xml": {"schema": {"type": "string"}}},
                "headers": CACHE_HEADERS,
            },
            304: {"headers": CACHE_HEADERS},
        }
    },
)
def read_body_image(request: HttpRequest, slug: str) -> HttpResponse:
    """The body's SVG picture; 304 when If-None-Match matches."""
    body = selectors.body_get(slug=slug)
    svg = body_picture_svg(slug=body.slug, color=body.color)
    response = conditional_response(request, content=svg.encode(), content_type="image/svg+xml")
    # A picture opened on its own must not run anything, whatever it might contain.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@router.post(
    "",
    auth=AdminToken(),
    response={201: BodyOut, 409: Problem, **WRITE_ERRORS},
    url_name="body_create",
    operation_id="create_body",
    summary="Create a body",
    openapi_extra={
        "responses": {
            201: {
                "headers": {
                    "Location": {"description": "URL of the new body", "schema": {"type": "string"}}
                }
            }
        }
    },
)
def create_body(request: HttpRequest, payload: BodyCreate, response: HttpResponse) -> Status[Any]:
    """Create a body; 201 with its Location, 409 if the slug is taken."""
    body = services.body_create(**payload.model_dump())
    response["Location"] = body_url(body.slug)
    return Status(201, BodyOut.model_validate(body))


@router.put(
    "/{slug}",
    auth=AdminToken(),
    response={200: BodyOut, 404: Problem, **WRITE_ERRORS},
    operation_id="replace_body",
    summary="Replace every editable field of a body",
)
def replace_body(request: HttpRequest, slug: str, payload: BodyReplace) -> BodyOut:
    """Set name, description and colour; a description left out becomes empty."""
    changes = payload.model_dump(exclude_unset=True)
    changes.setdefault("description", "")
    body = services.body_update(slug=slug, changes=changes)
    return BodyOut.model_validate(body)


@router.patch(
    "/{slug}",
    auth=AdminToken(),
    response={200: BodyOut, 404: Problem, **WRITE_ERRORS},
    operation_id="change_body",
    summary="Change some fields of a body",
)
def change_body(request: HttpRequest, slug: str, payload: BodyChange) -> BodyOut:
    """Set only the fields given."""
    body = services.body_update(slug=slug, changes=payload.model_dump(exclude_unset=True))
    return BodyOut.model_validate(body)


@router.delete(
    "/{slug}",
    auth=AdminToken(),
    response={204: None, 401: Problem, 403: Problem, 404: Problem},
    operation_id="delete_body",
    summary="Delete a body",
)
def delete_body(request: HttpRequest, slug: str) -> HttpResponse:
    """Delete a body; 204."""
    services.body_delete(slug=slug)
    no_content = HttpResponse(status=204)
    del no_content["Content-Type"]
    return no_content
