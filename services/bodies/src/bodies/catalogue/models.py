"""The catalogue's model: a cupcake body."""

from django.db import models

from bodies.catalogue import validation


class Body(models.Model):
    """A cupcake body: the cake in its paper case, the bottom layer of a cupcake."""

    slug = models.CharField(
        max_length=validation.SLUG_MAX_LENGTH,
        unique=True,
        validators=[validation.validate_slug],
        help_text="Identifier in URLs; cannot change once created.",
    )
    name = models.CharField(
        max_length=validation.NAME_MAX_LENGTH, validators=[validation.validate_name]
    )
    description = models.CharField(
        max_length=validation.DESCRIPTION_MAX_LENGTH,
        blank=True,
        default="",
        validators=[validation.validate_description],
    )
    color = models.CharField(
        max_length=7,
        validators=[validation.validate_color],
        help_text="The colour the picture of a new body is drawn from, as #rrggbb.",
    )

    class Meta:
        ordering = ["slug"]
        verbose_name_plural = "bodies"

    def __str__(self) -> str:
        return self.slug

    def clean(self) -> None:
        """Store colours in one spelling, lower case, as the API does."""
        self.color = self.color.lower()
