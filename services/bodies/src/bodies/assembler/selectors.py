"""Reading what the assembler needs from this service's own database."""

from __future__ import annotations

from uuid import UUID

from bodies.assembler.models import Cupcake
from bodies.assembler.schemas import Part
from bodies.catalogue.kept import catalogue_kept
from bodies.catalogue.schemas import BodyOut
from bodies.catalogue.selectors import body_list
from bodies.core.problems import NotFound


def body_parts_read() -> tuple[Part, ...]:
    """Every body of the catalogue, sorted by slug, as a part of a cupcake.

    Kept per catalogue version (read once per write, not once per composition): shared
    between requests, so never to be changed.
    """
    return catalogue_kept("parts", body_parts_from_database)


def body_parts_from_database() -> tuple[Part, ...]:
    """Every body as the database holds it now, as a part of a cupcake."""
    return tuple(Part(**BodyOut.model_validate(body).model_dump()) for body in body_list())


def cupcake_get(*, cupcake_id: str) -> Cupcake:
    """Return the cupcake ``cupcake_id``; raise NotFound (404) for an unknown or malformed id.

    Only the canonical spelling of a UUID names a cupcake, so each has exactly one URL.
    """
    try:
        key = UUID(cupcake_id)
    except ValueError:
        key = None
    if key is None or str(key) != cupcake_id:
        raise NotFound(f"no cupcake {cupcake_id!r}")
    try:
        return Cupcake.objects.get(pk=key)
    except Cupcake.DoesNotExist:
        raise NotFound(f"no cupcake {cupcake_id!r}") from None


def cupcake_page(*, page: int, page_size: int) -> tuple[list[Cupcake], int]:
    """Return one page of cupcakes, newest first, and how many cupcakes there are in all."""
    start = (page - 1) * page_size
    return list(Cupcake.objects.all()[start : start + page_size]), Cupcake.objects.count()
