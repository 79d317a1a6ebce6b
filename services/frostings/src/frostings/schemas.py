"""The JSON shapes of the API (marshmallow): input validation and the OpenAPI document."""

from __future__ import annotations

import re
from typing import Any, overload

from apiflask import Schema
from apiflask.fields import Boolean, Dict, Integer, List, Nested, String
from apiflask.validators import Length, OneOf, Regexp
from marshmallow import RAISE, ValidationError, post_load

from frostings.models import Frosting

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SLUG_MAX_LENGTH = 40
COLOR_PATTERN = r"^#[0-9a-fA-F]{6}$"
MAX_PAIRINGS = 50

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_BUT_NEWLINE_TAB = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class WholeRegexp(Regexp):
    """marshmallow's ``Regexp`` matched against the whole string (and shown in the OpenAPI
    document the same way): with ``match``, a pattern's ``$`` lets a final newline through,
    which a column of the pattern's length (PostgreSQL's VARCHAR) would then refuse."""

    def __init__(self, pattern: str, *, error: str) -> None:
        super().__init__(pattern, error=error)
        self.whole = re.compile(pattern)

    @overload
    def __call__(self, value: str) -> str: ...

    @overload
    def __call__(self, value: bytes) -> bytes: ...

    def __call__(self, value: str | bytes) -> str | bytes:
        """Return ``value`` if the whole of it matches; raise ValidationError otherwise."""
        if not isinstance(value, str) or self.whole.fullmatch(value) is None:
            raise ValidationError(self._format_error(value))
        return value


def is_slug(text: str) -> bool:
    """Tell whether ``text`` is a well-formed slug, as every frosting's slug is."""
    return len(text) <= SLUG_MAX_LENGTH and re.fullmatch(SLUG_PATTERN, text) is not None


def _no_control_characters(value: str) -> None:
    if _CONTROL.search(value):
        raise ValidationError("must not contain control characters")


def _no_control_but_newline_tab(value: str) -> None:
    if _CONTROL_BUT_NEWLINE_TAB.search(value):
        raise ValidationError("must not contain control characters but newline and tab")


def _slug(*, required: bool = False) -> String:
    return String(
        required=required,
        validate=[
            Length(min=1, max=SLUG_MAX_LENGTH),
            WholeRegexp(SLUG_PATTERN, error="must be a slug: a-z, 0-9, -"),
        ],
        metadata={"example": "neon-blue"},
    )


def _slugs(what: str, **kwargs: Any) -> List[str]:
    return List(
        _slug(),
        validate=Length(max=MAX_PAIRINGS),
        metadata={"description": f"slugs of {what} (duplicates are ignored)"},
        **kwargs,
    )


class _Input(Schema):
    class Meta:
        unknown = RAISE

    @post_load
    def _normalise(self, data: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
        if "color" in data:
            data["color"] = data["color"].lower()
        for key in ("bodies", "toppings"):
            if key in data:
                data[key] = sorted(set(data[key]))
        return data


class FrostingReplaceIn(_Input):
    """Every editable field of a frosting (PUT). ``slug``, if given, must match the path."""

    slug = _slug()
    name = String(required=True, validate=[Length(min=1, max=60), _no_control_characters])
    description = String(load_default="", validate=[Length(max=500), _no_control_but_newline_tab])
    color = String(required=True, validate=WholeRegexp(COLOR_PATTERN, error="must be #rrggbb"))
    bodies = _slugs("the bodies it goes on", load_default=list)
    toppings = _slugs("the toppings that go on it", load_default=list)


class FrostingCreateIn(FrostingReplaceIn):
    """A new frosting (POST)."""

    slug = _slug(required=True)


class FrostingPatchIn(_Input):
    """Some editable fields of a frosting (PATCH); the others are kept."""

    slug = _slug()
    name = String(validate=[Length(min=1, max=60), _no_control_characters])
    description = String(validate=[Length(max=500), _no_control_but_newline_tab])
    color = String(validate=WholeRegexp(COLOR_PATTERN, error="must be #rrggbb"))
    bodies = _slugs("the bodies it goes on")
    toppings = _slugs("the toppings that go on it")


class FrostingsQuery(Schema):
    """Filters of the frostings list."""

    body = String(
        validate=[
            Length(min=1, max=SLUG_MAX_LENGTH),
            WholeRegexp(SLUG_PATTERN, error="must be a slug"),
        ],
        metadata={"description": "only frostings that go on this body (a body slug)"},
    )


class FrostingOut(Schema):
    """A frosting."""

    slug = String(required=True)
    name = String(required=True)
    description = String(required=True)
    color = String(required=True, metadata={"example": "#1fb6ff"})
    image_url = String(required=True, metadata={"format": "uri"})
    bodies = List(String(), required=True)
    toppings = List(String(), required=True)


class FrostingInListOut(FrostingOut):
    """A frosting, as listed.

    Its own class because APIFlask registers a schema used both nested and as a
    response body twice in the OpenAPI document.
    """


class FrostingListOut(Schema):
    """The frostings, sorted by slug."""

    items = List(Nested(FrostingInListOut), required=True)


class ToppingOfFrostingOut(Schema):
    """A topping of a frosting: its details when the toppings service has them."""

    slug = String(required=True)
    available = Boolean(required=True)
    name = String()
    description = String()
    color = String()
    image_url = String()


class FrostingToppingsOut(Schema):
    """The toppings of a frosting; ``degraded`` when the toppings service could not answer.

    A degraded answer either holds the details of toppings' last good answer (``stale``)
    or shows every topping unavailable; ``detail`` says which, and it is never cached.
    """

    items = List(Nested(ToppingOfFrostingOut), required=True)
    status = String(
        required=True,
        validate=OneOf(["ok", "degraded"]),
        metadata={"description": "degraded: the toppings service could not answer fresh"},
    )
    detail = String(metadata={"description": "Why the answer is degraded (degraded only)"})
    stale = Boolean(
        metadata={
            "description": "Present and true when the details come from the last good answer "
            "of the toppings service, kept while its stale-if-error allows"
        }
    )


class FieldErrorOut(Schema):
    """Why one field was refused."""

    field = String(required=True)
    message = String(required=True)


class ProblemOut(Schema):
    """An RFC 9457 problem (``application/problem+json``)."""

    type = String(required=True, metadata={"example": "about:blank"})
    title = String(required=True)
    status = Integer(required=True)
    detail = String(required=True)
    errors = List(Nested(FieldErrorOut))
    rule = String()
    service = String()


class HealthOut(Schema):
    """The process is alive."""

    status = String(required=True, validate=OneOf(["ok"]))


class ReadyOut(Schema):
    """Whether the service can serve, with each check's result."""

    status = String(required=True, validate=OneOf(["ok", "degraded", "fail"]))
    checks = Dict(keys=String(), values=Dict(), required=True)


def frosting_out(frosting: Frosting, *, public_url: str) -> dict[str, Any]:
    """The JSON representation of ``frosting``, its picture served under ``public_url``."""
    return {
        "slug": frosting.slug,
        "name": frosting.name,
        "description": frosting.description,
        "color": frosting.color,
        "image_url": f"{public_url}/api/v1/frostings/{frosting.slug}/image.svg",
        "bodies": frosting.bodies,
        "toppings": frosting.toppings,
    }
