"""What can go wrong in the service layer, independent of HTTP.

``problems.py`` turns each of these into an ``application/problem+json`` answer.
"""

from __future__ import annotations

from cupcake_chassis.problems import FieldError
from frostings.rules import RuleViolation


class FrostingsError(Exception):
    """Base class of the service's own errors."""


class FrostingNotFound(FrostingsError):
    """No frosting has this slug."""

    def __init__(self, slug: str) -> None:
        super().__init__(f"no frosting {slug!r}")
        self.slug = slug


class SlugTaken(FrostingsError):
    """A frosting with this slug exists already."""

    def __init__(self, slug: str) -> None:
        super().__init__(f"a frosting {slug!r} exists already")
        self.slug = slug


class InvalidInput(FrostingsError):
    """The input is well-formed JSON but its fields are not acceptable."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))
        self.errors = errors


class RulesBroken(FrostingsError):
    """The pairings would break one or more of the invariants in ``rules.py``."""

    def __init__(self, violations: list[RuleViolation]) -> None:
        super().__init__("; ".join(v.message for v in violations))
        self.violations = violations


class UnknownReferences(FrostingsError):
    """The pairings name bodies or toppings their owners do not know."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


class UpstreamUnavailable(FrostingsError):
    """A peer service needed for the answer is down, too slow, failing or talking nonsense."""

    def __init__(self, service: str, reason: str) -> None:
        super().__init__(f"the {service} service is unavailable: {reason}")
        self.service = service
        self.reason = reason
