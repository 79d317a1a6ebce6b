"""Changing bodies: each write is one transaction, all of it or nothing."""

from django.db import IntegrityError, transaction

from bodies.catalogue.models import Body
from bodies.catalogue.selectors import body_get
from bodies.core.problems import Conflict, InvalidInput
from cupcake_chassis.problems import FieldError

EDITABLE_FIELDS = ("name", "description", "color")


def body_create(*, slug: str, name: str, description: str, color: str) -> Body:
    """Create a body; raise Conflict (409) when the slug is taken."""
    try:
        with transaction.atomic():
            return Body.objects.create(slug=slug, name=name, description=description, color=color)
    except IntegrityError:
        raise Conflict(f"a body {slug!r} exists already") from None


def body_update(*, slug: str, changes: dict[str, str]) -> Body:
    """Set the given editable fields of body ``slug``; raise NotFound (404) if none.

    A ``slug`` among the changes must equal ``slug``: slugs are immutable.
    """
    if changes.get("slug", slug) != slug:
        raise InvalidInput(
            "the slug of a body cannot change",
            errors=[FieldError("slug", f"must be {slug!r}, the slug in the path")],
        )
    fields = [field for field in EDITABLE_FIELDS if field in changes]
    with transaction.atomic():
        body = body_get(slug=slug)
        for field in fields:
            setattr(body, field, changes[field])
        if fields:
            body.save(update_fields=fields)
    return body


def body_delete(*, slug: str) -> None:
    """Delete body ``slug``; raise NotFound (404) if there is none."""
    with transaction.atomic():
        body_get(slug=slug).delete()
