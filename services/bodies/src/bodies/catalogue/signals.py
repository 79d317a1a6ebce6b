"""Every committed change to a body tells the catalogue's change signal (``kept``).

The API's writes and the admin's run in ``transaction.atomic`` blocks, and Django sends
``post_save`` and ``post_delete`` inside them. On PostgreSQL the receiver sends ``NOTIFY``
in that transaction, delivered to every listening process when, and only if, it commits;
on every database the signal is told once the transaction has committed. Writes that send
no signal (``QuerySet.update``, ``bulk_create``) would go untold: the service makes none.
"""

from typing import Any

from django.db import connections, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from bodies.catalogue.kept import catalogue_changes
from bodies.catalogue.models import Body


@receiver(post_save, sender=Body, dispatch_uid="catalogue_changes_on_save")
@receiver(post_delete, sender=Body, dispatch_uid="catalogue_changes_on_delete")
def catalogue_changes_tell(sender: type[Body], *, using: str, **kwargs: Any) -> None:
    """Tell the catalogue's change signal, in the transaction and once it commits."""
    signal = catalogue_changes(using)
    if signal.notify_statement:
        with connections[using].cursor() as cursor:
            cursor.execute(signal.notify_statement)
    transaction.on_commit(signal.changed, using=using)
