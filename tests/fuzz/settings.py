"""How much and how the fuzzer generates: one schemathesis configuration for every service.

The seed is fixed, so that a run is repeatable (in CI too); ``FUZZ_SEED=random`` (or a
number) explores other inputs while developing.
"""

from __future__ import annotations

import functools
import os
import random
from typing import Any

import schemathesis

from tests.catalogue import BODIES, FROSTINGS, TOPPINGS

DEFAULT_SEED = 20260611
# Examples per operation and phase: what keeps the whole suite within its time budget.
MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "15"))
# Steps of one stateful scenario (a sequence of linked calls).
STATEFUL_STEPS = 8

# How often a slug the fuzzer sends is one of the seeded catalogue's, rather than made up:
# real slugs reach past "not found" to the rules (sprinkles on neon blue, ...).
CATALOGUE_SLUG_SHARE = 0.5
# Where a slug goes, by schemathesis' parameter name, and which layer's slugs fit there.
SLUG_PLACES = {
    "path.slug": "catalogue",
    "query.slug": "toppings",
    "query.body": "bodies",
    "query.frosting": "frostings",
    "query.topping": "toppings",
    "body.slug": "catalogue",
    "body.body": "bodies",
    "body.frosting": "frostings",
    "body.topping": "toppings",
    "body.bodies[*]": "bodies",
    "body.toppings[*]": "toppings",
}


def catalogue_dictionaries(*, skipped: set[str]) -> dict[str, Any]:
    """The seeded catalogue's slugs, as schemathesis dictionaries, and where to use them
    (but in the ``skipped`` places)."""
    layers = {"bodies": BODIES, "frostings": FROSTINGS, "toppings": TOPPINGS}
    words = {name: {"values": list(slugs)} for name, slugs in layers.items()}
    words["catalogue"] = {"values": sorted({slug for slugs in layers.values() for slug in slugs})}
    places = {
        place: {"dictionary": words_name, "probability": CATALOGUE_SLUG_SHARE}
        for place, words_name in SLUG_PLACES.items()
        if place not in skipped
    }
    return {"dictionaries": words, "parameters": places}


@functools.cache
def fuzz_seed() -> int:
    """The seed of this run: fixed unless ``FUZZ_SEED`` gives one (``random``: a new one,
    drawn once per run and printed, so that a failure can be replayed)."""
    raw = os.environ.get("FUZZ_SEED", "")
    if raw == "random":
        return random.randrange(2**32)
    return int(raw) if raw else DEFAULT_SEED


def fuzz_config(
    *, base_url: str, bearer: dict[str, str], referenced_parameters: set[str]
) -> schemathesis.Config:
    """The configuration of one fuzz run of a service at ``base_url``: every phase, positive
    and negative cases, bounded examples; ``bearer`` maps the document's security scheme
    names to the token to send (empty: no token at all). Catalogue slugs are not put in
    the ``referenced_parameters`` (``path.slug``, ...), whose schema is a ``$ref``: schemathesis
    4.32 fails to check dictionary entries against those."""
    data: dict[str, Any] = {
        **catalogue_dictionaries(skipped=referenced_parameters),
        "base-url": base_url,
        "generation": {
            "mode": "all",
            "max-examples": MAX_EXAMPLES,
            # No example database: what a run tries depends on the seed alone.
            "database": "none",
        },
        "phases": {"stateful": {"max-steps": STATEFUL_STEPS}},
        "checks": {
            # A well-formed request may still name what does not exist (404), clash with
            # what does (409) or break a pairing rule the schema cannot express (422);
            # without the token, a write is refused (401, 403).
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "404", "409", "422"]
                + ([] if bearer else ["401", "403"])
            },
            # Its probes reach in-process apps with arguments only a network session takes
            # (schemathesis 4.32); the lab's own writes_need_the_admin_token check covers it:
            # every request to a protected operation without the admin token must be refused.
            "ignored_auth": {"enabled": False},
        },
    }
    if bearer:
        data["auth"] = {"openapi": {name: {"bearer": token} for name, token in bearer.items()}}
    data["seed"] = fuzz_seed()
    return schemathesis.Config.from_dict(data)
