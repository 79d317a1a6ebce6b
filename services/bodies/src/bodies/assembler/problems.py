"""The assembler's own problems: broken rules, unknown parts, reused keys, peers down."""

from __future__ import annotations

from typing import Literal

from bodies.core.problems import ProblemError

# Seconds a client should wait before baking again after a 503.
RETRY_AFTER_SECONDS = 5

Rule = Literal["frosting-not-on-body", "topping-not-on-frosting"]


class RuleViolation(ProblemError):
    """422: the rules of the frostings service forbid this combination."""

    status = 422
    kind = "rule-violation"

    def __init__(self, detail: str, *, rule: Rule) -> None:
        super().__init__(detail, rule=rule)


class UnknownReference(ProblemError):
    """422: a chosen part does not exist at its owner."""

    status = 422
    kind = "unknown-reference"


class IdempotencyKeyReused(ProblemError):
    """422: an Idempotency-Key already used for another request."""

    status = 422
    kind = "idempotency-key-reused"


class UpstreamUnavailable(ProblemError):
    """503: a service whose answer is needed cannot answer; try again later."""

    status = 503
    kind = "upstream-unavailable"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


def frosting_not_on_body(*, frosting: str, body: str, rule: str | None = None) -> RuleViolation:
    """The frosting named ``frosting`` does not go on the body named ``body``."""
    detail = f"{frosting} frosting does not go on {body}"
    return RuleViolation(f"{detail}: {rule}" if rule else detail, rule="frosting-not-on-body")


def topping_not_on_frosting(
    *, topping: str, frosting: str, rule: str | None = None
) -> RuleViolation:
    """The topping named ``topping`` does not go on the frosting named ``frosting``."""
    detail = f"{topping} does not go on {frosting} frosting"
    return RuleViolation(f"{detail}: {rule}" if rule else detail, rule="topping-not-on-frosting")
