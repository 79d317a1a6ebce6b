"""The assembler's models: baked cupcakes, and the answers kept for Idempotency-Keys."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone

from bodies.catalogue import validation

URL_MAX_LENGTH = 500
IDEMPOTENCY_KEY_MAX_LENGTH = 255


class Cupcake(models.Model):
    """A baked cupcake. Its parts are copied as they were when baked: the catalogues they
    came from may change or lose them later, the cupcake does not."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=validation.NAME_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    body_slug = models.CharField(max_length=validation.SLUG_MAX_LENGTH)
    body_name = models.CharField(max_length=validation.NAME_MAX_LENGTH)
    body_color = models.CharField(max_length=7)
    body_image_url = models.CharField(max_length=URL_MAX_LENGTH)

    frosting_slug = models.CharField(max_length=validation.SLUG_MAX_LENGTH)
    frosting_name = models.CharField(max_length=validation.NAME_MAX_LENGTH)
    frosting_color = models.CharField(max_length=7)
    frosting_image_url = models.CharField(max_length=URL_MAX_LENGTH)

    topping_slug = models.CharField(max_length=validation.SLUG_MAX_LENGTH)
    topping_name = models.CharField(max_length=validation.NAME_MAX_LENGTH)
    topping_color = models.CharField(max_length=7)
    topping_image_url = models.CharField(max_length=URL_MAX_LENGTH)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class IdempotencyRecord(models.Model):
    """The first answer to a bake sent with an Idempotency-Key, replayed to any retry.

    Written in the same transaction as the cupcake it announces, so a key is never
    recorded for a cupcake that was not saved, nor a cupcake saved without its key.
    """

    key = models.CharField(max_length=IDEMPOTENCY_KEY_MAX_LENGTH, unique=True)
    fingerprint = models.CharField(
        max_length=64, help_text="SHA-256 of the request's canonical JSON."
    )
    status = models.PositiveSmallIntegerField()
    response_body = models.TextField()
    location = models.CharField(max_length=URL_MAX_LENGTH, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.key


class BakeAllowance(models.Model):
    """How many bakes one client has left (a token bucket), shared by every worker process.

    Kept in the database rather than in a worker's memory: with several granian workers,
    a per-process count would let a client bake that many times more.
    """

    client = models.CharField(max_length=64, primary_key=True)
    tokens = models.FloatField()
    updated_at = models.FloatField(db_index=True, help_text="Unix time of the last bake.")

    def __str__(self) -> str:
        return self.client
