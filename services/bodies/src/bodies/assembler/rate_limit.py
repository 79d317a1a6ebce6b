"""The bake rate limit: a token bucket per client, kept in the database for all workers."""

from __future__ import annotations

import math
import time

from django.db import IntegrityError, transaction
from django.http import HttpRequest

from bodies.assembler.models import BakeAllowance
from bodies.config.rate import Rate
from bodies.core.problems import ProblemError

CLIENT_MAX_LENGTH = 64


class TooManyRequests(ProblemError):
    """429: this client baked too often; ``Retry-After`` says when it may again."""

    status = 429
    kind = "rate-limited"

    def __init__(self, *, rate: Rate, wait: float) -> None:
        seconds = max(1, math.ceil(wait))
        super().__init__(
            f"at most {rate} bakes per client; try again in {seconds} s",
            headers={"Retry-After": str(seconds)},
        )


def client_address(request: HttpRequest, *, proxy_hops: int) -> str:
    """The client's IP address: the connection's, or, behind ``proxy_hops`` trusted proxies,
    the address the outermost of them saw (``X-Forwarded-For``, counted from the right)."""
    address = str(request.META.get("REMOTE_ADDR") or "unknown")
    if proxy_hops:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            address = hops[-proxy_hops] if len(hops) >= proxy_hops else hops[0]
    return address[:CLIENT_MAX_LENGTH]


def _bucket_take(*, client: str, rate: Rate, now: float) -> float:
    with transaction.atomic():
        bucket = BakeAllowance.objects.select_for_update().filter(client=client).first()
        tokens = float(rate.count)
        if bucket is not None:
            elapsed = max(0.0, now - bucket.updated_at)
            tokens = min(tokens, bucket.tokens + elapsed * rate.per_second)
        if tokens < 1:
            return (1 - tokens) / rate.per_second
        # A bucket idle long enough to be full again is the same as none: forget it.
        BakeAllowance.objects.filter(updated_at__lt=now - rate.period).exclude(
            client=client
        ).delete()
        if bucket is None:
            BakeAllowance.objects.create(client=client, tokens=tokens - 1, updated_at=now)
        else:
            bucket.tokens, bucket.updated_at = tokens - 1, now
            bucket.save(update_fields=["tokens", "updated_at"])
    return 0.0


def bake_allowance_take(*, client: str, rate: Rate, now: float | None = None) -> None:
    """Take one bake from ``client``'s allowance; raise TooManyRequests (429) when none is left.

    One transaction per call: on SQLite it takes the write lock at its start, on PostgreSQL
    the row is locked, so concurrent bakes from several workers are counted exactly.
    """
    now = time.time() if now is None else now
    try:
        wait = _bucket_take(client=client, rate=rate, now=now)
    except IntegrityError:
        # Two first bakes of one client raced to create its bucket: the other one won.
        wait = _bucket_take(client=client, rate=rate, now=now)
    if wait > 0:
        raise TooManyRequests(rate=rate, wait=wait)
