"""API schemas of bodies, with the validation rules of docs/architecture.md."""

from typing import Annotated, Any

from django.conf import settings
from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from bodies.catalogue import validation
from bodies.catalogue.models import Body


def _checked_name(value: str) -> str:
    if problem := validation.name_problem(value):
        raise PydanticCustomError("name", problem)
    return value


def _checked_description(value: str) -> str:
    if problem := validation.description_problem(value):
        raise PydanticCustomError("description", problem)
    return value


Slug = Annotated[
    str,
    Field(
        min_length=1,
        max_length=validation.SLUG_MAX_LENGTH,
        pattern=validation.SLUG_PATTERN,
        examples=["red-velvet"],
    ),
]
Name = Annotated[
    str,
    Field(min_length=1, max_length=validation.NAME_MAX_LENGTH, examples=["Red Velvet"]),
    AfterValidator(_checked_name),
]
Description = Annotated[
    str,
    Field(max_length=validation.DESCRIPTION_MAX_LENGTH, examples=["Cocoa, buttermilk, red."]),
    AfterValidator(_checked_description),
]
Color = Annotated[
    str,
    Field(pattern=validation.COLOR_PATTERN, examples=["#a4243b"]),
    AfterValidator(str.lower),
]


class BodyOut(Schema):
    """A cupcake body as the API shows it."""

    slug: str
    name: str
    description: str
    color: str
    image_url: str

    @staticmethod
    def resolve_image_url(obj: Body) -> str:
        """Absolute URL of the body's picture."""
        return f"{settings.PUBLIC_URL}/api/v1/bodies/{obj.slug}/image.svg"


class BodyList(Schema):
    """All bodies, sorted by slug."""

    items: list[BodyOut]


class BodyCreate(Schema):
    """A new body."""

    model_config = ConfigDict(extra="forbid")

    slug: Slug
    name: Name
    description: Description = ""
    color: Color


# The default of optional fields that are not nullable: pydantic never validates a default,
# and NotNull refuses an explicit null. Typed Any, as it stands in for a str left out.
UNSET: Any = None


class NotNull(Schema):
    """A schema whose optional fields, when given, must not be null."""

    @field_validator("*", mode="before")
    @classmethod
    def _given_not_null(cls, value: object) -> object:
        if value is None:
            raise PydanticCustomError("not_null", "must not be null")
        return value


class BodyReplace(NotNull):
    """Every editable field of a body (PUT); the slug comes from the path."""

    model_config = ConfigDict(extra="forbid")

    slug: Slug = Field(default=UNSET, description="If given, must equal the path's slug.")
    name: Name
    description: Description = ""
    color: Color


class BodyChange(NotNull):
    """Some editable fields of a body (PATCH); the slug comes from the path."""

    model_config = ConfigDict(extra="forbid")

    slug: Slug = Field(default=UNSET, description="If given, must equal the path's slug.")
    name: Name = UNSET
    description: Description = UNSET
    color: Color = UNSET
