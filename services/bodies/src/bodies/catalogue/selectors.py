"""Reading bodies."""

from operator import attrgetter

from bodies.catalogue import validation
from bodies.catalogue.models import Body
from bodies.core.problems import NotFound


def body_list() -> list[Body]:
    """Return every body, sorted by slug (character by character)."""
    # Sorted here: a database's collation may order slugs otherwise (PostgreSQL's en_US
    # ignores hyphens), and the API promises one order on every database.
    return sorted(Body.objects.all(), key=attrgetter("slug"))


def body_get(*, slug: str) -> Body:
    """Return the body named ``slug``; raise NotFound (404) when there is none."""
    # What is no slug names no body, and must not reach the database: PostgreSQL refuses
    # a NUL character in a query.
    if not validation.is_slug(slug):
        raise NotFound(f"no body {slug!r}")
    try:
        return Body.objects.get(slug=slug)
    except Body.DoesNotExist:
        raise NotFound(f"no body {slug!r}") from None
