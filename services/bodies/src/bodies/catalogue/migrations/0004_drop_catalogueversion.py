"""The catalogue version row goes: changes are told by a change signal (``kept``)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0003_catalogueversion")]

    operations = [migrations.DeleteModel(name="CatalogueVersion")]
