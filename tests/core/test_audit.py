import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from ocop.core.audit import AuditOutsideTransactionError, audit_log, verify_audit_chain
from ocop.core.enums import Role
from ocop.core.models import AuditEntry
from ocop.core.models.audit import GENESIS_HASH, AppendOnlyError
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _append(n, actor=None, obj=None, **data):
    entries = []
    for i in range(n):
        with transaction.atomic():
            entries.append(
                audit_log(actor=actor, action="test.append", obj=obj, data={"i": i, **data})
            )
    return entries


def test_entries_are_chained_from_the_genesis_hash():
    first, second, third = _append(3)

    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert [first.seq, second.seq, third.seq] == [1, 2, 3]


def test_an_intact_chain_verifies():
    _append(5, note="Sản phẩm đạt 4 sao", amount=1.5)

    report = verify_audit_chain()

    assert report.ok is True
    assert report.checked == 5


def test_the_hash_survives_a_round_trip_through_the_database():
    user = UserFactory()
    (entry,) = _append(1, actor=user, nested={"a": [1, 2], "b": None})

    reloaded = AuditEntry.objects.get(pk=entry.pk)

    assert reloaded.compute_hash() == entry.hash


@pytest.mark.django_db(transaction=True)
def test_audit_log_outside_a_transaction_is_refused():
    with pytest.raises(AuditOutsideTransactionError):
        audit_log(actor=None, action="test.bare")

    assert AuditEntry.objects.count() == 0


def test_the_orm_refuses_to_change_an_entry():
    (entry,) = _append(1)
    entry.action = "test.forged"

    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="test.forged")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()


def test_the_database_refuses_a_raw_update():
    (entry,) = _append(1)

    with (
        pytest.raises(Exception, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE core_auditentry SET action = 'x' WHERE id = %s", [entry.pk])


def _tamper(sql, params):
    """What a superuser of the database could still do: switch triggers off and edit rows."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")


def test_an_edited_entry_is_detected_by_verify_audit_log():
    entries = _append(4)
    _tamper("UPDATE core_auditentry SET data = '{\"i\": 99}' WHERE id = %s", [entries[2].pk])

    report = verify_audit_chain()

    assert report.ok is False
    assert report.broken_seq == 3
    assert report.reason == "content does not match its hash"
    with pytest.raises(CommandError, match="broken at entry #3"):
        call_command("verify_audit_log")


def test_a_deleted_entry_is_detected():
    entries = _append(4)
    _tamper("DELETE FROM core_auditentry WHERE id = %s", [entries[1].pk])

    report = verify_audit_chain()

    assert (report.ok, report.broken_seq) == (False, 3)


def test_a_deleted_last_entry_is_detected():
    entries = _append(3)
    _tamper("DELETE FROM core_auditentry WHERE id = %s", [entries[2].pk])

    report = verify_audit_chain()

    assert (report.ok, report.broken_seq) == (False, 3)


def test_a_rehashed_forgery_breaks_the_next_link():
    entries = _append(3)
    forged = AuditEntry.objects.get(pk=entries[1].pk)
    forged.data = {"i": 42}
    new_hash = forged.compute_hash()
    _tamper(
        "UPDATE core_auditentry SET data = '{\"i\": 42}', hash = %s WHERE id = %s",
        [new_hash, forged.pk],
    )

    report = verify_audit_chain()

    assert (report.ok, report.broken_seq) == (False, 3)
    assert report.reason == "link to the previous entry is broken"


def test_verify_audit_log_command_reports_an_intact_chain(capsys):
    _append(2)

    call_command("verify_audit_log")

    assert "Audit log intact: 2 entries." in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain():
    errors = []

    def writer(k):
        try:
            for i in range(5):
                with transaction.atomic():
                    audit_log(actor=None, action="test.concurrent", data={"w": k, "i": i})
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    report = verify_audit_chain()
    assert (report.ok, report.checked) == (True, 20)


def test_audit_page_lists_entries_for_a_province_officer(client, role_users):
    client.force_login(role_users[Role.PROVINCE_OFFICER])

    response = client.get("/audit/")

    assert response.status_code == 200
    actions = [e.action for e in response.context["entries"]]
    assert actions[0] == "user.set_access"


def test_audit_page_verifies_the_chain_on_request(client, role_users):
    client.force_login(role_users[Role.ADMINISTRATOR])

    response = client.get("/audit/", {"verify": "1"})

    assert response.context["chain_report"].ok is True
    assert 'data-testid="chain-ok"' in response.content.decode()


@pytest.mark.parametrize("role", [Role.PRODUCER_MEMBER, Role.DISTRICT_OFFICER])
def test_audit_page_is_404_for_other_roles(client, role_users, role):
    client.force_login(role_users[role])

    assert client.get("/audit/").status_code == 404


def _audit_page_queries(client, user):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/audit/")
    assert response.status_code == 200
    return len(queries), len(response.context["entries"])


def test_audit_page_query_count_does_not_grow_with_entries(client, role_users):
    user = role_users[Role.PROVINCE_OFFICER]
    actor = role_users[Role.ADMINISTRATOR]
    # Entries about an account of the officer's province (a district officer's).
    about = role_users[Role.DISTRICT_OFFICER]
    base_queries, base_rows = _audit_page_queries(client, user)
    _append(1, actor=actor, obj=about)
    one_queries, _ = _audit_page_queries(client, user)
    _append(2, actor=user, obj=about)
    three_queries, three_rows = _audit_page_queries(client, user)

    assert three_rows == base_rows + 3
    assert base_queries == one_queries == three_queries
