"""How much and how the fuzzer generates: one schemathesis configuration for every service.

The seed is fixed, so that a run is repeatable (in CI too); ``FUZZ_SEED=random`` (or a
number) explores other inputs while developing.
"""

from __future__ import annotations

import os
from typing import Any

import schemathesis

DEFAULT_SEED = 20260611
# Examples per operation and phase: what keeps the whole suite within its time budget.
MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "25"))
# Steps of one stateful scenario, and scenarios per service.
STATEFUL_STEPS = 8
STATEFUL_SCENARIOS = int(os.environ.get("FUZZ_STATEFUL_SCENARIOS", "15"))


def fuzz_seed() -> int | None:
    """The seed of this run: fixed unless ``FUZZ_SEED`` says otherwise (``random``: none)."""
    raw = os.environ.get("FUZZ_SEED", "")
    if raw == "random":
        return None
    return int(raw) if raw else DEFAULT_SEED


def fuzz_config(*, base_url: str, bearer: dict[str, str]) -> schemathesis.Config:
    """The configuration of one fuzz run of a service at ``base_url``: every phase, positive
    and negative cases, bounded examples; ``bearer`` maps the document's security scheme
    names to the token to send (empty: no token at all)."""
    data: dict[str, Any] = {
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
    seed = fuzz_seed()
    if seed is not None:
        data["seed"] = seed
    return schemathesis.Config.from_dict(data)
