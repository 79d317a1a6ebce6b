"""The transport layers under the resilient client: a circuit breaker around the network."""

from __future__ import annotations

from email.utils import formatdate

import httpx

from cupcake_chassis.breaker import CircuitBreaker
from cupcake_chassis.calls import Failure
from cupcake_chassis.clock import SYSTEM_CLOCK, Clock


class UpstreamFailed(Exception):
    """The upstream answered, but not usefully: a 5xx, or a 200 that is not JSON."""

    def __init__(self, reason: str, status: int, failure: Failure) -> None:
        super().__init__(reason)
        self.status = status
        self.failure = failure


class BreakerTransport(httpx.BaseTransport):
    """Sends through ``inner`` under a circuit breaker; 5xx and non-JSON 200s count as failures.

    It sits below the HTTP cache, so fresh cached answers are served even while the
    breaker is open; only calls that must reach the network meet it.
    """

    def __init__(
        self, inner: httpx.BaseTransport, breaker: CircuitBreaker, *, clock: Clock = SYSTEM_CLOCK
    ) -> None:
        self.inner = inner
        self.breaker = breaker
        self.clock = clock

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` unless the breaker is open (then CircuitOpen at once)."""
        self.breaker.before_call()
        try:
            response = self._send(request)
        except BaseException:
            self.breaker.record_failure()
            raise
        self.breaker.record_success()
        return response

    def _send(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if "date" not in response.headers:
            # The cache reckons an answer's age from its Date; without one (in-process
            # apps, some proxies) an answer would stay fresh for ever.
            response.headers["Date"] = formatdate(self.clock.time(), usegmt=True)
        if response.status_code >= 500:
            response.close()
            raise UpstreamFailed(
                f"answered {response.status_code}", response.status_code, Failure.ANSWERED_ERROR
            )
        content_type = response.headers.get("content-type", "")
        if response.status_code == 200 and "json" not in content_type:
            response.close()
            raise UpstreamFailed(
                f"answered 200 with {content_type or 'no'} content", 200, Failure.NOT_JSON
            )
        return response

    def close(self) -> None:
        """Close the network transport."""
        self.inner.close()
