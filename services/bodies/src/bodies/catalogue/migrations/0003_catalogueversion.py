"""The catalogue version: one row, a new random token on every write (cached reads)."""

import secrets

from django.apps.registry import Apps
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def version_create(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Give the catalogue its first, random, version."""
    # The model is historical (dropped by 0004): the type checker cannot see it.
    model = apps.get_model("catalogue", "CatalogueVersion")  # type: ignore[misc]
    model.objects.create(pk=1, version=secrets.token_hex(16))


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0002_seed_bodies")]

    operations = [
        migrations.CreateModel(
            name="CatalogueVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("version", models.CharField(max_length=32)),
            ],
        ),
        migrations.RunPython(version_create, migrations.RunPython.noop),
    ]
