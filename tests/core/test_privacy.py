"""Personal data (Decree 13/2023/NĐ-CP, issue 10): a person's own copy, their request to
erase it, and the office carrying it out or refusing it without touching the audit log."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from evaluations.councils.services.councils import council_add_member, council_create
from ocop.core.audit import audit_log
from ocop.core.enums import DeletionRequestState, Role
from ocop.core.models import AuditEntry, DeletionRequest, Notification, User
from ocop.core.services.privacy import deletion_request_create
from ocop.core.services.users import user_update_profile
from tests.evaluations.intake.conftest import (  # noqa: F401 - fixtures
    dossier,
    forms,
    product,
    province_officer,
    regimes,
    required_documents,
    round_148,
)
from tests.factories import TEST_PASSWORD, UserFactory, producer_with_owner

pytestmark = pytest.mark.django_db


@pytest.fixture
def cooperative(units):
    return producer_with_owner(commune=units["commune"], username="htx", name="HTX Mãn Đức")


@pytest.fixture
def owner(cooperative):
    return cooperative[1]


@pytest.fixture
def member(units):
    """A producer member with a notification and a change of their own in the audit log."""
    _producer, user = producer_with_owner(
        commune=units["commune"], username="lan", name="HTX Lan", email="htx-lan@htx.vn"
    )
    user = user_update_profile(
        user=user, actor=user, last_name="Bùi Thị", email="lan@htx.vn", phone="0912345678"
    )
    Notification.objects.create(user=user, subject="Hồ sơ đã nhận", body="Chi tiết")
    return user


@pytest.fixture
def admin(role_users):
    return role_users[Role.ADMINISTRATOR]


def _request_for(user, reason="Tôi không còn làm việc cho HTX"):
    return deletion_request_create(user=user, reason=reason, actor=user)


# --- the person's copy --------------------------------------------------------------------


def test_a_member_downloads_their_own_data_as_json(client, member, role_users):
    Notification.objects.create(user=role_users[Role.PRODUCER_MEMBER], subject="Của người khác")
    client.force_login(member)

    response = client.get("/account/my-data/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["email"] == "lan@htx.vn"
    assert data["account"]["phone"] == "0912345678"
    assert data["account"]["roles"] == ["producer_member"]
    assert [m["producer"] for m in data["products"]["producer_memberships"]] == ["HTX Lan"]
    assert [n["subject"] for n in data["notifications"]] == ["Hồ sơ đã nhận"]
    assert [e["action"] for e in data["audit_entries_as_actor"]] == ["user.update_profile"]
    assert data["audit_entries_as_actor"][0]["data"]  # a change to their own account
    assert data["evaluations"] == {"council_memberships": []}


def test_the_copy_holds_nobody_elses_data(client, owner, cooperative):
    from products.services.invitations import producer_invite

    producer_invite(producer=cooperative[0], email="nguoi-khac@example.vn", actor=owner)
    client.force_login(owner)

    response = client.get("/account/my-data/")

    assert "producer.invite" in [
        e["action"] for e in json.loads(response.content)["audit_entries_as_actor"]
    ]
    assert "nguoi-khac@example.vn" not in response.content.decode()


def test_the_profile_page_offers_the_download_and_the_request(client, member):
    client.force_login(member)

    body = client.get("/account/profile/").content.decode()

    assert 'href="/account/my-data/"' in body
    assert 'href="/account/my-data/erase/"' in body


def test_the_copy_needs_a_login(client):
    response = client.get("/account/my-data/")

    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")


# --- asking -------------------------------------------------------------------------------


def test_a_member_asks_for_erasure_and_it_is_audited(client, member, role_users):
    admin = role_users[Role.ADMINISTRATOR]
    client.force_login(member)

    page = client.get("/account/my-data/erase/")
    response = client.post("/account/my-data/erase/", {"reason": "Tôi nghỉ việc"})

    assert page.status_code == 200
    assert response.status_code == 302
    request = DeletionRequest.objects.get()
    assert (request.user, request.state, request.reason) == (
        member,
        DeletionRequestState.PENDING,
        "Tôi nghỉ việc",
    )
    entry = AuditEntry.objects.order_by("-seq").first()
    assert (entry.action, entry.actor) == ("deletion_request.create", member)
    # The office hears of it at once.
    (told,) = Notification.objects.filter(user=admin)
    assert told.url == f"/privacy/requests/{request.pk}/" and told.body == "Tôi nghỉ việc"
    profile = client.get("/account/profile/").content.decode()
    assert 'data-testid="deletion-request-state"' in profile


def test_a_second_request_while_one_is_pending_is_refused_with_a_message(client, member):
    _request_for(member)
    client.force_login(member)

    page = client.get("/account/my-data/erase/")
    response = client.post("/account/my-data/erase/", {"reason": "Lần nữa"})

    assert 'data-testid="deletion-pending"' in page.content.decode()
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert DeletionRequest.objects.count() == 1


def test_a_too_long_reason_gets_a_field_message_and_keeps_the_input(client, member):
    client.force_login(member)

    response = client.post("/account/my-data/erase/", {"reason": "x" * 2001})

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"reason"}
    assert "x" * 2001 in response.content.decode()
    assert not DeletionRequest.objects.exists()


# --- the office's list and page -----------------------------------------------------------


def test_administrators_list_the_requests(client, member, admin):
    _request_for(member)
    client.force_login(admin)

    response = client.get("/privacy/requests/")

    assert response.status_code == 200
    assert [r.user for r in response.context["requests"]] == [member]


@pytest.mark.parametrize(
    "role", [Role.PRODUCER_MEMBER, Role.PROVINCE_OFFICER, Role.DISTRICT_OFFICER]
)
def test_the_requests_are_404_for_other_roles(client, member, role_users, role):
    request = _request_for(member)
    client.force_login(role_users[role])

    assert client.get("/privacy/requests/").status_code == 404
    assert client.get(f"/privacy/requests/{request.pk}/").status_code == 404
    assert client.post(f"/privacy/requests/{request.pk}/carry-out/").status_code == 404
    assert client.post(f"/privacy/requests/{request.pk}/refuse/", {"note": "x"}).status_code == 404
    request.refresh_from_db()
    assert request.state == DeletionRequestState.PENDING


def test_the_person_cannot_open_their_request_in_the_office_pages(client, member):
    request = _request_for(member)
    client.force_login(member)

    assert client.get(f"/privacy/requests/{request.pk}/").status_code == 404


def test_an_unknown_request_is_404(client, admin):
    client.force_login(admin)

    assert client.get("/privacy/requests/999999/").status_code == 404


def _list_queries(client, user):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/privacy/requests/")
    assert response.status_code == 200
    return len(queries), len(response.context["requests"])


def test_the_request_list_query_count_does_not_grow(client, admin):
    client.force_login(admin)
    _request_for(UserFactory(username="a"))
    one_queries, one_rows = _list_queries(client, admin)
    _request_for(UserFactory(username="b"))
    _request_for(UserFactory(username="c"))
    three_queries, three_rows = _list_queries(client, admin)

    assert (one_rows, three_rows) == (1, 3)
    assert one_queries == three_queries


def test_the_request_page_shows_the_request(client, member, admin):
    request = _request_for(member)
    client.force_login(admin)

    response = client.get(f"/privacy/requests/{request.pk}/")

    assert response.status_code == 200
    body = response.content.decode()
    assert "Tôi không còn làm việc cho HTX" in body
    assert 'data-testid="deletion-carry-out"' in body


# --- carrying out -------------------------------------------------------------------------


def test_carrying_out_anonymises_the_account_and_keeps_the_audit_chain(
    client, member, admin, capsys
):
    request = _request_for(member)
    before = {e.seq: e.hash for e in AuditEntry.objects.all()}
    client.force_login(admin)

    response = client.post(f"/privacy/requests/{request.pk}/carry-out/")

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.username == f"deleted-{member.pk}"
    assert (member.first_name, member.last_name, member.email, member.phone) == ("", "", "", "")
    assert member.is_active is False
    assert member.has_usable_password() is False
    assert list(member.groups.all()) == []
    assert not Notification.objects.filter(user=member).exists()
    request.refresh_from_db()
    assert (request.state, request.decided_by) == (DeletionRequestState.DONE, admin)
    # No entry was changed or removed; one was added.
    after = {e.seq: e.hash for e in AuditEntry.objects.all()}
    assert {seq: after[seq] for seq in before} == before
    assert len(after) == len(before) + 1
    last = AuditEntry.objects.order_by("-seq").first()
    assert (last.action, last.actor, last.object_id) == (
        "user.erase_personal_data",
        admin,
        str(member.pk),
    )
    assert "lan@htx.vn" not in json.dumps(last.data)
    call_command("verify_audit_log")
    assert "Audit log intact" in capsys.readouterr().out
    client.logout()
    assert not client.login(username="lan", password=TEST_PASSWORD)


def test_the_anonymised_persons_past_entries_still_point_at_the_account(member, admin):
    request = _request_for(member)
    from ocop.core.services.privacy import deletion_request_carry_out

    deletion_request_carry_out(request=request, actor=admin)

    entry = AuditEntry.objects.get(action="user.update_profile")
    assert entry.actor_id == member.pk
    assert User.objects.get(pk=member.pk).get_full_name() == ""


@pytest.mark.usefixtures("dossier")
def test_a_sole_owner_with_a_dossier_in_progress_cannot_be_erased(client, owner, admin):
    request = _request_for(owner)
    client.force_login(admin)

    page = client.get(f"/privacy/requests/{request.pk}/")
    response = client.post(f"/privacy/requests/{request.pk}/carry-out/")

    assert 'data-testid="deletion-blockers"' in page.content.decode()
    assert 'data-testid="deletion-carry-out"' not in page.content.decode()
    assert response.status_code == 200
    (error,) = response.context["carry_out_errors"]
    assert "chủ sở hữu duy nhất" in error
    owner.refresh_from_db()
    assert owner.username == "htx"
    request.refresh_from_db()
    assert request.state == DeletionRequestState.PENDING


def test_a_council_member_cannot_be_erased(client, units, admin, role_users):
    person = UserFactory(username="hdh1")
    with transaction.atomic():
        council = council_create(
            level="district",
            unit=units["district"],
            name="Hội đồng OCOP Tân Lạc",
            decision_number="155/QĐ-UBND",
            decision_date=datetime.date(2025, 1, 2),
            term_start=datetime.date(2025, 1, 2),
            actor=role_users[Role.DISTRICT_OFFICER],
        )
        council_add_member(
            council=council, user=person, role="member", actor=role_users[Role.DISTRICT_OFFICER]
        )
    request = _request_for(person)
    client.force_login(admin)

    response = client.post(f"/privacy/requests/{request.pk}/carry-out/")

    assert response.status_code == 200
    assert response.context["carry_out_errors"]
    person.refresh_from_db()
    assert person.is_active is True


def test_an_answered_request_cannot_be_carried_out_again(client, member, admin):
    request = _request_for(member)
    client.force_login(admin)
    client.post(f"/privacy/requests/{request.pk}/refuse/", {"note": "Còn nghĩa vụ lưu trữ"})

    response = client.post(f"/privacy/requests/{request.pk}/carry-out/")

    assert response.status_code == 200
    member.refresh_from_db()
    assert member.username == "lan"


# --- refusing -----------------------------------------------------------------------------


def test_refusing_needs_a_reason_and_keeps_the_form(client, member, admin):
    request = _request_for(member)
    client.force_login(admin)

    response = client.post(f"/privacy/requests/{request.pk}/refuse/", {"note": "  "})

    assert response.status_code == 200
    assert set(response.context["refusal_form"].errors) == {"note"}
    request.refresh_from_db()
    assert request.state == DeletionRequestState.PENDING


def test_refusing_records_the_reason_the_person_reads(client, member, admin):
    request = _request_for(member)
    client.force_login(admin)

    response = client.post(
        f"/privacy/requests/{request.pk}/refuse/", {"note": "Hồ sơ đang xét, chưa thể xóa"}
    )

    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.state, request.decision_note) == (
        DeletionRequestState.REFUSED,
        "Hồ sơ đang xét, chưa thể xóa",
    )
    assert AuditEntry.objects.order_by("-seq").first().action == "deletion_request.refuse"
    assert Notification.objects.filter(user=member).latest("pk").body == (
        "Hồ sơ đang xét, chưa thể xóa"
    )
    client.force_login(member)
    assert "Hồ sơ đang xét, chưa thể xóa" in client.get("/account/profile/").content.decode()


def test_entries_about_requests_have_no_area(member):
    """A request is about nobody's area: only administrators read its entries."""
    with transaction.atomic():
        entry = audit_log(actor=member, action="test.x", obj=_request_for(member))

    assert entry.unit_id is None
