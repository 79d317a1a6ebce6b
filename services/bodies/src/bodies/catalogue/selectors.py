"""Reading bodies."""

from bodies.catalogue.models import Body
from bodies.core.problems import NotFound


def body_list() -> list[Body]:
    """Return every body, sorted by slug."""
    return list(Body.objects.order_by("slug"))


def body_get(*, slug: str) -> Body:
    """Return the body named ``slug``; raise NotFound (404) when there is none."""
    try:
        return Body.objects.get(slug=slug)
    except Body.DoesNotExist:
        raise NotFound(f"no body {slug!r}") from None
