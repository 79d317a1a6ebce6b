"""A rate such as ``60/minute``: how many requests one client may make per period."""

import re
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

PERIODS = {"second": 1.0, "minute": 60.0, "hour": 3600.0}
RATE_PATTERN = re.compile(r"\s*(\d+)\s*/\s*(second|minute|hour)\s*")


@dataclass(frozen=True)
class Rate:
    """``count`` requests per ``period`` seconds, in bursts of up to ``count``."""

    count: int
    period: float

    @property
    def per_second(self) -> float:
        """How fast a client's allowance refills."""
        return self.count / self.period

    def __str__(self) -> str:
        unit = next((name for name, seconds in PERIODS.items() if seconds == self.period), None)
        return f"{self.count}/{unit}" if unit else f"{self.count} per {self.period:g} s"


def rate_parse(raw: str, *, name: str) -> Rate | None:
    """Return the rate ``N/second|minute|hour`` written in ``raw``; None for ``off``.

    Anything else stops the service at start-up, with the setting's ``name``.
    """
    if raw.strip().lower() == "off":
        return None
    match = RATE_PATTERN.fullmatch(raw)
    if match is None or int(match[1]) < 1:
        raise ImproperlyConfigured(
            f"{name} must be like 60/minute (N/second, N/minute or N/hour) or off, not {raw!r}"
        )
    return Rate(count=int(match[1]), period=PERIODS[match[2]])
