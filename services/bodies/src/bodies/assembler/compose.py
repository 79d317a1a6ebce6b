"""Composing a cupcake: the chosen parts, each layer's choices, the rules, each service's state.

The rules are the frostings service's: a frosting lists the bodies it goes on and the
toppings that go on it. A rule that cannot be checked because its owner is down never
refuses anything; the part is shown unavailable instead.
"""

from __future__ import annotations

from django.conf import settings

from bodies.assembler import words
from bodies.assembler.gather import BodiesRead, Gathered, composition_gather
from bodies.assembler.peers import PeerFrosting, PeerItem
from bodies.assembler.problems import (
    UnknownReference,
    frosting_not_on_body,
    topping_not_on_frosting,
)
from bodies.assembler.schemas import (
    CallOut,
    Choice,
    Choices,
    ChosenPart,
    Composition,
    Part,
    Rules,
    Services,
    ServiceState,
    ServiceStatus,
    UnavailablePart,
)
from bodies.assembler.selectors import body_parts_read
from bodies.assembler.upstream import Upstreams

PART_FIELDS = ("slug", "name", "description", "color", "image_url")

# Parts, choices and calls are built with ``model_construct``: their values were validated
# where they came in (the peers' answers, the database, the chassis' call records);
# validating them again cost about 40 µs of a composition's 550 (measured in-process).


def part_fields(item: Part | PeerItem) -> dict[str, str]:
    """The fields every catalogue item has, whichever layer it is from."""
    return {field: getattr(item, field) for field in PART_FIELDS}


def cupcake_compose(
    *,
    body: str | None,
    frosting: str | None,
    topping: str | None,
    upstreams: Upstreams,
    bodies_read: BodiesRead = body_parts_read,
) -> Composition:
    """Compose the cupcake chosen so far, asking every service at once.

    Raise UnknownReference (422) for a chosen slug its owner does not know, and
    RuleViolation (422) for a combination the rules forbid.
    """
    got = composition_gather(frosting=frosting, upstreams=upstreams, bodies_read=bodies_read)
    references_check(got=got, body=body, frosting=frosting, topping=topping)
    rules = Rules(
        frostings=frostings_rule(got=got, body=body),
        toppings=toppings_rule(got=got, frosting=frosting),
    )
    rules_check(got=got, rules=rules, body=body, frosting=frosting, topping=topping)
    chosen_body = chosen_part(body, got.bodies)
    chosen_frosting = chosen_part(frosting, got.frostings)
    chosen_topping = chosen_part(topping, got.toppings)
    chosen = (chosen_body, chosen_frosting, chosen_topping)
    return Composition(
        body=chosen_body,
        frosting=chosen_frosting,
        topping=chosen_topping,
        choices=Choices(
            bodies=[
                choice_of(part, allowed=True, reason=None) for part in (got.bodies or {}).values()
            ],
            frostings=frosting_choices(got=got, body=body, rule=rules.frostings),
            toppings=topping_choices(got=got, frosting=frosting, rule=rules.toppings),
        ),
        rules=rules,
        services=services_state(got=got, upstreams=upstreams, frosting=frosting),
        # Every part known means every rule could be checked, and none refused it.
        complete=all(isinstance(part, ChosenPart) for part in chosen),
        calls=[CallOut.model_construct(**call.as_dict()) for call in got.calls],
    )


def references_check(
    *, got: Gathered, body: str | None, frosting: str | None, topping: str | None
) -> None:
    """Raise UnknownReference for a chosen slug that an owner who answered does not know."""
    layers = (("body", body, got.bodies), ("frosting", frosting, got.frostings))
    for layer, slug, known in (*layers, ("topping", topping, got.toppings)):
        if slug is not None and known is not None and slug not in known:
            raise UnknownReference(f"no {layer} {slug!r}")


def rules_check(
    *, got: Gathered, rules: Rules, body: str | None, frosting: str | None, topping: str | None
) -> None:
    """Raise RuleViolation when the chosen frosting refuses the body or the topping."""
    if frosting is None or got.frostings is None:
        return
    chosen = got.frostings[frosting]
    if body is not None and body not in chosen.bodies:
        raise frosting_not_on_body(
            frosting=chosen.name, body=got.body_name(body), rule=rules.frostings
        )
    if topping is not None and topping not in chosen.toppings:
        raise topping_not_on_frosting(
            topping=got.topping_name(topping), frosting=chosen.name, rule=rules.toppings
        )


def frostings_rule(*, got: Gathered, body: str | None) -> str | None:
    """The frostings the chosen body takes, in words; None before a body is chosen."""
    if body is None or got.frostings is None:
        return None
    names = [item.name for item in got.frostings.values() if body in item.bodies]
    return words.frostings_rule_in_words(body=got.body_name(body), frostings=names)


def toppings_rule(*, got: Gathered, frosting: str | None) -> str | None:
    """The toppings the chosen frosting takes, in words; None before a frosting is chosen."""
    if frosting is None or got.frostings is None or frosting not in got.frostings:
        return None
    chosen = got.frostings[frosting]
    toppings = got.toppings
    # A pairing whose topping was deleted at its owner dangles: it is no choice.
    existing = [s for s in chosen.toppings if toppings is None or s in toppings]
    names = [got.topping_name(slug) for slug in existing]
    return words.toppings_rule_in_words(frosting=chosen.name, toppings=names)


def chosen_part(
    slug: str | None, known: dict[str, Part] | dict[str, PeerFrosting] | dict[str, PeerItem] | None
) -> ChosenPart | UnavailablePart | None:
    """The chosen part with its details, or only its slug while its owner is unavailable."""
    if slug is None:
        return None
    if known is None:
        return UnavailablePart(slug=slug)
    return ChosenPart.model_construct(None, **part_fields(known[slug]))


def choice_of(item: Part | PeerItem, *, allowed: bool, reason: str | None) -> Choice:
    """A card of a layer."""
    return Choice.model_construct(None, **part_fields(item), allowed=allowed, reason=reason)


def frosting_choices(*, got: Gathered, body: str | None, rule: str | None) -> list[Choice]:
    """Every frosting; allowed when it goes on the chosen body."""
    if got.frostings is None:
        return []
    if body is None:
        return [
            choice_of(item, allowed=False, reason=words.CHOOSE_BODY_FIRST)
            for item in got.frostings.values()
        ]
    return [
        choice_of(item, allowed=body in item.bodies, reason=None if body in item.bodies else rule)
        for item in got.frostings.values()
    ]


def topping_choices(*, got: Gathered, frosting: str | None, rule: str | None) -> list[Choice]:
    """Every topping; allowed when the chosen frosting takes it."""
    if got.toppings is None:
        return []
    if frosting is None or got.frostings is None:
        reason = (
            words.CHOOSE_FROSTING_FIRST
            if frosting is None
            else words.pairings_unknown(frosting=frosting)
        )
        return [choice_of(item, allowed=False, reason=reason) for item in got.toppings.values()]
    takes = got.frostings[frosting].toppings
    return [
        choice_of(item, allowed=item.slug in takes, reason=None if item.slug in takes else rule)
        for item in got.toppings.values()
    ]


def services_state(*, got: Gathered, upstreams: Upstreams, frosting: str | None) -> Services:
    """Each service's state: ok, degraded (answered in part) or unavailable."""
    return Services(
        bodies=state("bodies", url=settings.PUBLIC_URL, unavailable=got.bodies_problem),
        frostings=state(
            "frostings",
            url=upstreams.frostings.base_url,
            unavailable=got.frostings_answer.problem,
            degraded=from_cache(got.frostings_answer.stale)
            or frostings_degraded(got=got, frosting=frosting),
        ),
        toppings=state(
            "toppings",
            url=upstreams.toppings.base_url,
            unavailable=got.toppings_answer.problem,
            degraded=from_cache(got.toppings_answer.stale),
        ),
    )


def from_cache(stale: str | None) -> str | None:
    """Why a service is degraded when its data is its last good answer, served from cache."""
    return f"{stale}; the data shown is from cache" if stale else None


FRAMEWORKS = {"bodies": "Django", "frostings": "Flask", "toppings": "Pyramid"}


def state(
    service: str, *, url: str, unavailable: str | None, degraded: str | None = None
) -> ServiceState:
    """One service's state; the first reason given wins."""
    status: ServiceStatus
    if unavailable:
        status, detail = "unavailable", unavailable
    elif degraded:
        status, detail = "degraded", degraded
    else:
        status, detail = "ok", None
    return ServiceState(status=status, framework=FRAMEWORKS[service], url=url, detail=detail)


def frostings_degraded(*, got: Gathered, frosting: str | None) -> str | None:
    """Why frostings answered only in part: its toppings call failed, or it said so itself."""
    paired = got.paired_answer
    if paired is None:
        return None
    if paired.problem:
        return f"{paired.problem} for the toppings of {frosting}"
    if paired.stale:
        return f"{paired.stale} for the toppings of {frosting}; the data shown is from cache"
    if paired.value is not None and paired.value.status == "degraded":
        return f"frostings answered without topping details: {paired.value.detail or 'degraded'}"
    return None
