"""Who reads which audit entries: officers the entries about their area, administrators all
(issue 10). Each entry records the unit of the object it is about; see decision 0014."""

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from ocop.core.audit import audit_log, audit_unit_id, verify_audit_chain
from ocop.core.enums import Role
from ocop.core.models import AuditChainHead, AuditEntry
from tests.factories import (
    producer_with_owner,
    product_for,
    thai_nguyen_units,
    user_with_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def thai_nguyen(db):
    return thai_nguyen_units()


@pytest.fixture
def two_provinces(units, thai_nguyen, role_users):
    """A producer and an officer in Hoà Bình and in Thái Nguyên, one change each audited."""
    hb_producer, _ = producer_with_owner(commune=units["commune"], username="htx-hb")
    tn_producer, _ = producer_with_owner(commune=thai_nguyen["commune"], username="htx-tn")
    tn_officer = user_with_role(
        Role.PROVINCE_OFFICER, thai_nguyen["province"], username="province-tn"
    )
    with transaction.atomic():
        audit_log(actor=None, action="test.producer", obj=hb_producer)
        audit_log(actor=None, action="test.producer", obj=tn_producer)
        audit_log(actor=None, action="test.national", data={"note": "no object"})
    return {
        "hb_producer": hb_producer,
        "tn_producer": tn_producer,
        "hb_officer": role_users[Role.PROVINCE_OFFICER],
        "tn_officer": tn_officer,
        "admin": role_users[Role.ADMINISTRATOR],
    }


def _object_ids(client, user, action="test.producer"):
    client.force_login(user)
    response = client.get("/audit/")
    assert response.status_code == 200
    return [e.object_id for e in response.context["entries"] if e.action == action]


def test_an_entry_records_the_unit_of_its_object(units):
    producer, _ = producer_with_owner(commune=units["commune"])
    product = product_for(producer)

    with transaction.atomic():
        about_producer = audit_log(actor=None, action="test.a", obj=producer)
        about_product = audit_log(actor=None, action="test.b", obj=product)
        about_nothing = audit_log(actor=None, action="test.c")

    assert about_producer.unit_id == units["commune"].pk
    assert about_product.unit_id == units["commune"].pk
    assert about_nothing.unit_id is None


def test_the_unit_is_read_in_one_query_when_the_relation_is_not_loaded(
    units, django_assert_num_queries
):
    producer, _ = producer_with_owner(commune=units["commune"])
    product = type(product_for(producer)).objects.get()

    with django_assert_num_queries(1):
        assert audit_unit_id(product) == units["commune"].pk


def test_province_officers_see_only_entries_about_their_province(client, two_provinces):
    hb, tn = two_provinces["hb_producer"], two_provinces["tn_producer"]

    assert _object_ids(client, two_provinces["hb_officer"]) == [str(hb.pk)]
    assert _object_ids(client, two_provinces["tn_officer"]) == [str(tn.pk)]


def test_administrators_see_every_entry(client, two_provinces):
    hb, tn = two_provinces["hb_producer"], two_provinces["tn_producer"]

    assert _object_ids(client, two_provinces["admin"]) == [str(tn.pk), str(hb.pk)]
    assert _object_ids(client, two_provinces["admin"], "test.national") == [""]


def test_officers_do_not_see_entries_without_an_area(client, two_provinces):
    assert _object_ids(client, two_provinces["hb_officer"], "test.national") == []


def test_a_province_officer_sees_entries_about_its_districts_officers(client, two_provinces):
    """User entries are about the account's jurisdiction (set_access of a district officer)."""
    hb_officer = two_provinces["hb_officer"]

    ids = _object_ids(client, hb_officer, "user.set_access")

    district = AuditEntry.objects.get(action="user.set_access", object_repr="district")
    other_province = AuditEntry.objects.get(action="user.set_access", object_repr="province-tn")
    assert district.object_id in ids
    assert other_province.object_id not in ids


def test_the_scoped_audit_page_keeps_its_verify_button_honest(client, two_provinces):
    client.force_login(two_provinces["hb_officer"])

    response = client.get("/audit/", {"verify": "1"})

    assert response.context["chain_report"].ok is True


# --- the migration path: entries written before `unit` existed ----------------------------

BEFORE = [("core", "0003_notification")]


def _legacy_entry(OldEntry, *, action, obj):
    """What audit_log wrote before this change: no unit, the same hash."""
    head = AuditChainHead.objects.select_for_update().get(pk=1)
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    fields = {
        "seq": head.last_seq + 1,
        "at": timezone.now(),
        "actor_id": None,
        "action": action,
        "content_type_id": ContentType.objects.get_for_model(obj).pk,
        "object_id": str(obj.pk),
        "object_repr": str(obj),
        "data": {},
        "prev_hash": head.last_hash,
    }
    fields["hash"] = AuditEntry(**fields).compute_hash()
    OldEntry.objects.create(**fields)
    AuditChainHead.objects.filter(pk=1).update(last_seq=fields["seq"], last_hash=fields["hash"])


@pytest.mark.django_db(transaction=True)
def test_migration_fills_in_the_units_and_the_chain_still_verifies(
    client, units, thai_nguyen, capsys
):
    hb_producer, _ = producer_with_owner(commune=units["commune"], username="htx-hb")
    tn_producer, _ = producer_with_owner(commune=thai_nguyen["commune"], username="htx-tn")
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    try:
        OldEntry = executor.loader.project_state(BEFORE).apps.get_model("core", "AuditEntry")
        AuditChainHead.objects.get_or_create(pk=1)
        with transaction.atomic():
            _legacy_entry(OldEntry, action="legacy.producer", obj=hb_producer)
            _legacy_entry(OldEntry, action="legacy.producer", obj=tn_producer)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)

    units_by_object = dict(
        AuditEntry.objects.filter(action="legacy.producer").values_list("object_id", "unit_id")
    )
    assert units_by_object == {
        str(hb_producer.pk): units["commune"].pk,
        str(tn_producer.pk): thai_nguyen["commune"].pk,
    }
    assert verify_audit_chain().ok is True
    call_command("verify_audit_log")
    assert f"Audit log intact: {AuditEntry.objects.count()} entries." in capsys.readouterr().out
    with pytest.raises(Exception, match="append-only"), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET unit_id = NULL")
    tn_officer = user_with_role(
        Role.PROVINCE_OFFICER, thai_nguyen["province"], username="province-tn"
    )
    assert _object_ids(client, tn_officer, "legacy.producer") == [str(tn_producer.pk)]
