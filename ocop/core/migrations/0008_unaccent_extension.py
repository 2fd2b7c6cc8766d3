"""PostgreSQL's unaccent extension, for search that ignores diacritics (ocop.core.search).

On SQLite the operation does nothing: ocop.core.search registers UNACCENT() on each
connection instead."""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_drop_unit_succession_effective_on"),
    ]

    operations = [UnaccentExtension()]
