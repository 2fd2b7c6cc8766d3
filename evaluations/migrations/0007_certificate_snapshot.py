"""Certificates freeze what was certified (product name and set, producer name, kind and
address) when they are issued. Existing certificates take their product's and producer's
current values: the best record there is of them."""

import django.db.models.deletion
from django.db import migrations, models


def _address(producer) -> str:
    parts = []
    if producer.address_detail:
        parts.append(producer.address_detail)
    unit = producer.address_unit
    while unit is not None:
        parts.append(unit.name)
        unit = unit.parent
    return ", ".join(parts)


def backfill(apps, schema_editor):
    Certificate = apps.get_model("evaluations", "Certificate")
    for certificate in Certificate.objects.select_related(
        "product", "producer__address_unit__parent__parent"
    ):
        certificate.product_name = certificate.product.name
        certificate.product_set_id = certificate.product.product_set_id
        certificate.producer_name = certificate.producer.name
        certificate.producer_kind = certificate.producer.kind
        certificate.producer_address = _address(certificate.producer)
        certificate.producer_address_unit_id = certificate.producer.address_unit_id
        certificate.save(
            update_fields=[
                "product_name",
                "product_set",
                "producer_name",
                "producer_kind",
                "producer_address",
                "producer_address_unit",
            ]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_notification"),
        ("evaluations", "0006_decisions_and_certificates"),
        ("products", "0003_member_one_producer_per_account"),
    ]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="product_name",
            field=models.CharField(
                default="", editable=False, max_length=200, verbose_name="product name"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="certificate",
            name="product_set",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="products.productset",
                verbose_name="product set",
            ),
        ),
        migrations.AddField(
            model_name="certificate",
            name="producer_name",
            field=models.CharField(
                default="", editable=False, max_length=200, verbose_name="producer name"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="certificate",
            name="producer_kind",
            field=models.CharField(
                choices=[
                    ("cooperative", "Cooperative (HTX)"),
                    ("enterprise_llc", "Enterprise: limited liability company (TNHH)"),
                    ("enterprise_jsc", "Enterprise: joint-stock company (cổ phần)"),
                    ("enterprise_private", "Enterprise: private enterprise (DNTN)"),
                    ("cooperative_group", "Cooperative group (tổ hợp tác)"),
                    ("household", "Household business (hộ kinh doanh)"),
                ],
                default="",
                editable=False,
                max_length=20,
                verbose_name="kind of producer",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="certificate",
            name="producer_address",
            field=models.CharField(
                default="", editable=False, max_length=500, verbose_name="producer address"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="certificate",
            name="producer_address_unit",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.administrativeunit",
                verbose_name="producer's commune",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="certificate",
            name="product_set",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="products.productset",
                verbose_name="product set",
            ),
        ),
        migrations.AlterField(
            model_name="certificate",
            name="producer_address_unit",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.administrativeunit",
                verbose_name="producer's commune",
            ),
        ),
    ]
