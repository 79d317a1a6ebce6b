"""API schemas of the assembler: the composed cupcake, baking, the gallery."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from django.conf import settings
from ninja import Schema
from pydantic import BaseModel, ConfigDict, Field, field_validator

from bodies.assembler.models import Cupcake
from bodies.catalogue.schemas import UNSET, Name, NotNull, Slug
from bodies.core.problem_schemas import FieldError, Problem
from cupcake_chassis.calls import Failure

ServiceStatus = Literal["ok", "degraded", "unavailable"]
CacheState = Literal["miss", "hit", "revalidated", "stale"]
BreakerState = Literal["closed", "open", "half-open"]


class Composed(BaseModel):
    """Part of a composition, built from values at hand (never from ORM objects).

    Plain pydantic: ninja's ``Schema`` wraps every value it validates in a getter for ORM
    objects, which made building a composition's thirty-odd models its costliest step.
    """


class Part(Composed):
    """A catalogue item of any layer, as its owner describes it."""

    slug: str
    name: str
    description: str
    color: str
    image_url: str


class ChosenPart(Part):
    """A chosen part whose owner answered."""

    available: Literal[True] = True


class UnavailablePart(Composed):
    """A chosen part whose owner could not be reached: only its slug is known."""

    slug: str
    available: Literal[False] = False


class Choice(Part):
    """A card of one layer: whether it can be picked on what is chosen below, and why not."""

    allowed: bool
    reason: str | None


class Choices(Composed):
    """Every item of each layer; a layer whose owner is down has none."""

    bodies: list[Choice]
    frostings: list[Choice]
    toppings: list[Choice]


class Rules(Composed):
    """The rule that limits each layer's choices, in words."""

    frostings: str | None
    toppings: str | None


class ServiceState(Composed):
    """How one service answered this composition."""

    status: ServiceStatus
    framework: str
    url: str
    detail: str | None


class Services(Composed):
    """Each service's state."""

    bodies: ServiceState
    frostings: ServiceState
    toppings: ServiceState


class CallOut(Composed):
    """One call to a peer service made for this composition, as the chassis recorded it."""

    service: str
    method: str
    path: str
    status: int | None = Field(description="The peer's HTTP status; null when none came")
    ms: float = Field(description="Milliseconds the call took, retries included")
    cache: CacheState = Field(
        description="miss: asked the peer; hit: a fresh cached answer; revalidated: the "
        "peer said the cached answer still holds (304); stale: the peer failed and its last "
        "good answer was used"
    )
    error: str | None = Field(description="Why the call failed, when it did, in a word or two")
    failure: Failure | None = Field(
        description="The kind of failure, when it failed: circuit_open and deadline_exhausted "
        "were not sent; timeout and unreachable got no answer; answered_error, not_json and "
        "bad_shape got an answer that could not be used"
    )
    attempts: int = Field(description="Requests sent (failed reads are retried)")
    budget_ms: int | None = Field(
        description="Milliseconds of deadline sent to the peer (Request-Deadline-Ms) on the "
        "last attempt; null when none was sent"
    )
    breaker: BreakerState = Field(description="The peer's circuit breaker after the call")


class Composition(Composed):
    """The composed cupcake: its parts, the choices at each step, and the services' states."""

    body: ChosenPart | UnavailablePart | None
    frosting: ChosenPart | UnavailablePart | None
    topping: ChosenPart | UnavailablePart | None
    choices: Choices
    rules: Rules
    services: Services
    complete: bool
    calls: list[CallOut]


def _empty_documented(schema: dict[str, Any]) -> None:
    """Say in the document that an empty value is taken (as none chosen)."""
    schema["anyOf"].insert(1, {"const": "", "type": "string"})


class CompositionQuery(Schema):
    """The parts chosen so far; an empty value is the same as none."""

    body: Slug | None = Field(default=None, json_schema_extra=_empty_documented)
    frosting: Slug | None = Field(default=None, json_schema_extra=_empty_documented)
    topping: Slug | None = Field(default=None, json_schema_extra=_empty_documented)

    @field_validator("body", "frosting", "topping", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if value == "" else value


class CupcakeIn(NotNull):
    """A cupcake to bake: one part of each layer, and a name."""

    model_config = ConfigDict(extra="forbid")

    body: Slug
    frosting: Slug
    topping: Slug
    name: Name = Field(default=UNSET, description="Defaults to the names of the three parts.")


class BakedPart(Schema):
    """A part of a baked cupcake, as it was when baked."""

    slug: str
    name: str
    color: str
    image_url: str


def cupcake_url(cupcake_id: UUID) -> str:
    """Return the absolute URL of a cupcake."""
    return f"{settings.PUBLIC_URL}/api/v1/cupcakes/{cupcake_id}"


def baked_part(cupcake: Cupcake, layer: Literal["body", "frosting", "topping"]) -> BakedPart:
    """Return one layer of a cupcake, from the copy taken when it was baked."""
    return BakedPart(
        slug=getattr(cupcake, f"{layer}_slug"),
        name=getattr(cupcake, f"{layer}_name"),
        color=getattr(cupcake, f"{layer}_color"),
        image_url=getattr(cupcake, f"{layer}_image_url"),
    )


class CupcakeOut(Schema):
    """A baked cupcake, its parts as they were when baked."""

    id: UUID
    url: str
    name: str
    created_at: datetime
    body: BakedPart
    frosting: BakedPart
    topping: BakedPart

    @staticmethod
    def resolve_url(obj: Cupcake) -> str:
        """Absolute URL of the cupcake."""
        return cupcake_url(obj.id)

    @staticmethod
    def resolve_body(obj: Cupcake) -> BakedPart:
        """The body as baked."""
        return baked_part(obj, "body")

    @staticmethod
    def resolve_frosting(obj: Cupcake) -> BakedPart:
        """The frosting as baked."""
        return baked_part(obj, "frosting")

    @staticmethod
    def resolve_topping(obj: Cupcake) -> BakedPart:
        """The topping as baked."""
        return baked_part(obj, "topping")


class CupcakePage(Schema):
    """One page of the gallery, newest first."""

    items: list[CupcakeOut]
    page: int
    page_size: int
    total: int
    next: str | None
    previous: str | None


# Far more pages than any gallery fills, and an offset far inside a 64-bit integer: a larger
# one would fail in the database (PostgreSQL's and SQLite's integers), not be a 422.
GALLERY_PAGE_MAX = 1_000_000


class GalleryQuery(Schema):
    """Which page of the gallery."""

    page: int = Field(default=1, ge=1, le=GALLERY_PAGE_MAX)
    page_size: int = Field(default=12, ge=1, le=50)


class AssemblyProblem(Problem):
    """422: invalid input (with ``errors``), a rule violation (with ``rule``), an unknown part
    or a reused Idempotency-Key."""

    errors: list[FieldError] | None = None
    rule: str | None = None
