"""Fill in the area (`unit`) of the audit entries written before it existed.

Each entry's unit is read from the object it is about, along the path that object's model
declares in `audit_unit_path` today, copied here because a migration must not change when the
models do (the core app names other apps only as strings, never by import). Entries whose
object is gone, or that are about national reference data, keep no unit: only administrators
see them.

The audit log is append-only: on PostgreSQL a trigger refuses every UPDATE (0002). This
migration switches that trigger off for its own transaction only, writes nothing but the new
`unit` column, and switches it on again before committing; `unit` is outside the hash, so
`manage.py verify_audit_log` verifies every entry as before (docs/decisions/0014).
"""

from collections import defaultdict

from django.core.exceptions import FieldError
from django.db import migrations

# (app label, model name): path from the object to its administrative unit.
UNIT_PATHS = {
    ("core", "user"): "jurisdiction",
    ("products", "producer"): "address_unit",
    ("products", "product"): "producer__address_unit",
    ("products", "evidencedocument"): "producer__address_unit",
    ("products", "productchangerequest"): "product__producer__address_unit",
    ("evaluations", "round"): "province",
    ("evaluations", "dossier"): "first_level_unit",
    ("evaluations", "council"): "unit",
    ("evaluations", "session"): "council__unit",
    ("evaluations", "sessionitem"): "session__council__unit",
    ("evaluations", "scoresheet"): "item__session__council__unit",
    ("evaluations", "decision"): "issuer",
    ("evaluations", "certificate"): "dossier__first_level_unit",
}

TRIGGER = "core_auditentry_append_only"


def _units_by_entry(apps) -> dict[int, list[int]]:
    """{unit id: [entry ids]} for the entries whose object still exists."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEntry = apps.get_model("core", "AuditEntry")
    found: dict[int, list[int]] = defaultdict(list)
    for (app_label, model_name), path in UNIT_PATHS.items():
        content_type = ContentType.objects.filter(app_label=app_label, model=model_name).first()
        if content_type is None:
            continue
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:  # the app's tables are not there yet: no entries about them either
            continue
        entries = list(
            AuditEntry.objects.filter(content_type_id=content_type.pk, unit__isnull=True)
            .exclude(object_id="")
            .values_list("pk", "object_id")
        )
        if not entries:
            continue
        object_ids = {int(o) for _, o in entries if o.isdigit()}
        try:
            unit_of = dict(
                model._base_manager.filter(pk__in=object_ids).values_list("pk", f"{path}__pk")
            )
        except FieldError:  # an older shape of the model: leave these entries without a unit
            continue
        for entry_id, object_id in entries:
            unit_id = unit_of.get(int(object_id)) if object_id.isdigit() else None
            if unit_id is not None:
                found[unit_id].append(entry_id)
    return found


def backfill(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")  # the plain manager: updates allowed
    found = _units_by_entry(apps)
    if not found:
        return
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        # Deferred constraint checks pending in this transaction would make ALTER TABLE fail.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute(f"ALTER TABLE core_auditentry DISABLE TRIGGER {TRIGGER}")
    for unit_id, entry_ids in found.items():
        for start in range(0, len(entry_ids), 1000):
            AuditEntry.objects.filter(pk__in=entry_ids[start : start + 1000]).update(
                unit_id=unit_id
            )
    if postgres:
        schema_editor.execute(f"ALTER TABLE core_auditentry ENABLE TRIGGER {TRIGGER}")


class Migration(migrations.Migration):
    # One transaction: the trigger is never off outside it.
    atomic = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0004_audit_unit_and_deletion_request"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
