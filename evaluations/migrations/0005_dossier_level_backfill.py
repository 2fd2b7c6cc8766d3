"""Dossiers accepted before councils existed get the level that scores them first."""

from django.db import migrations


def backfill(apps, schema_editor):
    Dossier = apps.get_model("evaluations", "Dossier")
    RegimeLevel = apps.get_model("evaluations", "RegimeLevel")
    first_scoring = {}
    for level in RegimeLevel.objects.order_by("regime_id", "order"):
        checking = first_scoring.setdefault(level.regime_id, {"checks": None, "scores": None})
        if level.checks_dossiers and checking["checks"] is None:
            checking["checks"] = level.order
        if (
            level.scores
            and checking["scores"] is None
            and checking["checks"] is not None
            and level.order >= checking["checks"]
        ):
            checking["scores"] = level.level
    for dossier in Dossier.objects.filter(
        state__in=["accepted", "under_evaluation"], level=""
    ).select_related("round"):
        level = first_scoring.get(dossier.round.regime_id, {}).get("scores")
        if level:
            Dossier.objects.filter(pk=dossier.pk).update(level=level)


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0004_councils_and_sessions")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
