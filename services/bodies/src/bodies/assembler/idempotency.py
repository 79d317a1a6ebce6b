"""Idempotency-Key: the first answer to a bake is kept with its key and replayed to retries."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from bodies.assembler.models import IDEMPOTENCY_KEY_MAX_LENGTH, IdempotencyRecord
from bodies.assembler.problems import IdempotencyKeyReused
from bodies.core.problems import MalformedRequest

KEY_PATTERN = re.compile(rf"[\x20-\x7e]{{1,{IDEMPOTENCY_KEY_MAX_LENGTH}}}")


@dataclass(frozen=True)
class Answer:
    """An answer to a bake, as sent and as kept: status, JSON body and Location."""

    status: int
    body: str
    location: str = ""
    replayed: bool = False


def idempotency_key_check(value: str | None) -> str | None:
    """Return the key of an ``Idempotency-Key`` header (None when absent); 400 if malformed."""
    if value is None:
        return None
    if not KEY_PATTERN.fullmatch(value):
        raise MalformedRequest(
            f"Idempotency-Key must be 1 to {IDEMPOTENCY_KEY_MAX_LENGTH} printable ASCII characters"
        )
    return value


def request_fingerprint(payload: Mapping[str, Any]) -> str:
    """Return the SHA-256 of the payload's canonical JSON (sorted keys, no spaces)."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def answer_replay(*, key: str, fingerprint: str) -> Answer | None:
    """Return the answer kept for ``key``, or None; raise IdempotencyKeyReused (422) when the
    key was used for another request."""
    record = IdempotencyRecord.objects.filter(key=key).first()
    if record is None:
        return None
    if record.fingerprint != fingerprint:
        raise IdempotencyKeyReused(
            "this Idempotency-Key was used for another request; use a new key for a new cupcake"
        )
    return Answer(
        status=record.status,
        body=record.response_body,
        location=record.location,
        replayed=True,
    )


def answer_commit(
    *, key: str | None, fingerprint: str, answer_make: Callable[[], Answer]
) -> Answer:
    """Make the answer (``answer_make`` may write) and keep it under ``key``, in one transaction.

    Two requests with one key may both get here; the unique key lets exactly one commit.
    The other one's writes are rolled back, and it answers what the first one answered.
    """
    try:
        with transaction.atomic():
            answer = answer_make()
            if key is not None:
                IdempotencyRecord.objects.create(
                    key=key,
                    fingerprint=fingerprint,
                    status=answer.status,
                    response_body=answer.body,
                    location=answer.location,
                )
    except IntegrityError:
        replayed = answer_replay(key=key, fingerprint=fingerprint) if key is not None else None
        if replayed is None:
            raise
        return replayed
    return answer
