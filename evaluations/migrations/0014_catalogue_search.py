"""The public catalogue's search (evaluations.catalogue): each certificate's product and
producer names folded (`search_text`), and on PostgreSQL the pg_trgm extension with a
trigram index on that column, which serves both `LIKE '%word%'` and the typo-forgiving
`word_similarity()` (decision 0028). SQLite (the demo) scans, and learns WORD_SIMILARITY()
from ocop.core.search."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

from ocop.core.search import fold

INDEX = "evaluations_certificate_search_trgm"


def fill_search_text(apps, schema_editor):
    Certificate = apps.get_model("evaluations", "Certificate")
    certificates = list(Certificate.objects.only("pk", "product_name", "producer_name"))
    for certificate in certificates:
        certificate.search_text = fold(f"{certificate.product_name} {certificate.producer_name}")
    Certificate.objects.bulk_update(certificates, ["search_text"], batch_size=1000)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {INDEX} ON evaluations_certificate "
            "USING gin (search_text gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0013_followup"),
    ]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="search_text",
            field=models.CharField(default="", editable=False, max_length=401),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        TrigramExtension(),
        migrations.RunPython(create_index, drop_index),
    ]
