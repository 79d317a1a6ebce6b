"""Baking a cupcake: checked with the rule owners, saved with its Idempotency-Key, or nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bodies.assembler.idempotency import Answer, answer_commit, answer_replay, request_fingerprint
from bodies.assembler.models import Cupcake
from bodies.assembler.peers import frosting_read, topping_read
from bodies.assembler.pool import task_submit
from bodies.assembler.problems import (
    RuleViolation,
    UnknownReference,
    UpstreamUnavailable,
    frosting_not_on_body,
    topping_not_on_frosting,
)
from bodies.assembler.schemas import BakedPart, CupcakeOut, cupcake_url
from bodies.assembler.upstream import Upstreams
from bodies.catalogue.models import Body
from bodies.catalogue.schemas import BodyOut
from bodies.catalogue.validation import NAME_MAX_LENGTH

NAME_SEPARATOR = " · "


@dataclass(frozen=True)
class Parts:
    """The three parts of a cupcake, as their owners describe them right now."""

    body: BakedPart
    frosting: BakedPart
    topping: BakedPart


def cupcake_bake(
    *,
    body: str,
    frosting: str,
    topping: str,
    name: str | None,
    idempotency_key: str | None,
    upstreams: Upstreams,
    allowance_take: Callable[[], None] = lambda: None,
) -> Answer:
    """Bake a cupcake and return the answer: 201 with the cupcake, or 422 when refused.

    Either answer is kept with ``idempotency_key`` and replayed for the same request;
    the key with another request raises IdempotencyKeyReused (422). When a rule owner
    cannot answer this raises UpstreamUnavailable (503): nothing is saved, the key
    stays free, and a retry bakes exactly once. ``allowance_take`` is called before a
    new bake, not before a replay (a client resending a bake it got no answer to must
    not be refused for the first attempt); it raises to refuse the bake.
    """
    request = {"body": body, "frosting": frosting, "topping": topping, "name": name}
    fingerprint = request_fingerprint(request)
    if idempotency_key is not None:
        replayed = answer_replay(key=idempotency_key, fingerprint=fingerprint)
        if replayed is not None:
            return replayed
    allowance_take()
    try:
        parts = parts_check(body=body, frosting=frosting, topping=topping, upstreams=upstreams)
    except (RuleViolation, UnknownReference) as refused:
        refusal = Answer(status=refused.status, body=refused.to_response().content.decode())
        return answer_commit(
            key=idempotency_key, fingerprint=fingerprint, answer_make=lambda: refusal
        )

    def created() -> Answer:
        cupcake = cupcake_create(parts=parts, name=name)
        json = CupcakeOut.model_validate(cupcake).model_dump_json()
        return Answer(status=201, body=json, location=cupcake_url(cupcake.id))

    return answer_commit(key=idempotency_key, fingerprint=fingerprint, answer_make=created)


def parts_check(*, body: str, frosting: str, topping: str, upstreams: Upstreams) -> Parts:
    """Ask the owners about each part and check the rules; raise the problem that fits.

    Unknown parts and broken rules are 422 whenever the answers at hand decide them,
    even with the other owner down; otherwise an owner that cannot answer is 503. A stale
    answer (the owner failed, its last answer came from the cache) decides nothing: 503.
    """
    found = Body.objects.filter(slug=body).first()
    if found is None:
        raise UnknownReference(f"no body {body!r}")
    frosting_call = task_submit(frosting_read, upstream=upstreams.frostings, slug=frosting)
    topping_call = task_submit(topping_read, upstream=upstreams.toppings, slug=topping)
    frosting_answer, topping_answer = frosting_call.result(), topping_call.result()
    frosting_failure = frosting_answer.problem or frosting_answer.stale
    if frosting_failure:
        raise UpstreamUnavailable(f"{frosting_failure}; nothing was baked, try again")
    if frosting_answer.missing or frosting_answer.value is None:
        raise UnknownReference(f"no frosting {frosting!r}")
    if topping_answer.missing:
        raise UnknownReference(f"no topping {topping!r}")
    rules = frosting_answer.value
    if body not in rules.bodies:
        raise frosting_not_on_body(frosting=rules.name, body=found.name)
    if topping not in rules.toppings:
        topping_name = topping_answer.value.name if topping_answer.value else topping
        raise topping_not_on_frosting(topping=topping_name, frosting=rules.name)
    topping_failure = topping_answer.problem or topping_answer.stale
    if topping_failure or topping_answer.value is None:
        raise UpstreamUnavailable(f"{topping_failure}; nothing was baked, try again")
    return Parts(
        body=BakedPart(**BodyOut.model_validate(found).model_dump()),
        frosting=BakedPart(**rules.model_dump()),
        topping=BakedPart(**topping_answer.value.model_dump()),
    )


def default_name(parts: Parts) -> str:
    """The three part names, shortened to fit a name when they are long."""
    name = NAME_SEPARATOR.join(part.name for part in (parts.body, parts.frosting, parts.topping))
    return name if len(name) <= NAME_MAX_LENGTH else name[: NAME_MAX_LENGTH - 1] + "…"


def cupcake_create(*, parts: Parts, name: str | None) -> Cupcake:
    """Save a cupcake with a copy of its parts as they are now."""
    return Cupcake.objects.create(
        name=name or default_name(parts),
        **{
            f"{layer}_{field}": getattr(getattr(parts, layer), field)
            for layer in ("body", "frosting", "topping")
            for field in ("slug", "name", "color", "image_url")
        },
    )
