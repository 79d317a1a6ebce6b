"""Every change to a body gives the catalogue a new version, in the same transaction.

The API's writes and the admin's run in ``transaction.atomic`` blocks, and Django sends
``post_save`` and ``post_delete`` inside them, so the new version commits with the change.
Writes that send no signal (``QuerySet.update``, ``bulk_create``) would leave the version
as it was: the service makes none.
"""

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from bodies.catalogue.models import Body, CatalogueVersion
from cupcake_chassis.rendered import version_token


@receiver(post_save, sender=Body, dispatch_uid="catalogue_version_on_save")
@receiver(post_delete, sender=Body, dispatch_uid="catalogue_version_on_delete")
def catalogue_version_bump(sender: type[Body], **kwargs: Any) -> None:
    """Give the catalogue a new version token."""
    CatalogueVersion.objects.update(version=version_token())
