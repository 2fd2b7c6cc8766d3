"""The catalogue's search text again for every certificate: the placeholder name of the
producers a published decision did not name ("(Chủ thể chưa được công bố)") is no name to
find products by ("duoc", "chua" found every imported product without a named producer),
and folding may lengthen a name past the column (evaluations.certificates.validity
.search_text)."""

from django.db import migrations

from ocop.core.search import fold

MAX_LENGTH = 401


def search_text(product_name: str, producer_name: str, name_published: bool) -> str:
    # As evaluations.certificates.validity.search_text wrote it when this migration was made.
    words = f"{product_name} {producer_name}" if name_published else product_name
    return fold(words)[:MAX_LENGTH]


def refill(apps, schema_editor):
    Certificate = apps.get_model("evaluations", "Certificate")
    certificates = list(
        Certificate.objects.select_related("producer").only(
            "pk", "product_name", "producer_name", "producer__name_published"
        )
    )
    for certificate in certificates:
        certificate.search_text = search_text(
            certificate.product_name,
            certificate.producer_name,
            certificate.producer.name_published,
        )
    Certificate.objects.bulk_update(certificates, ["search_text"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0014_catalogue_search"),
        ("products", "0005_producer_product_imported"),
    ]

    operations = [migrations.RunPython(refill, migrations.RunPython.noop)]
