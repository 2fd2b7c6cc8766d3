import itertools

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from ocop.core.enums import Role
from ocop.core.models import AuditEntry, Notification, User
from products.enums import MemberRole, ProducerState
from products.models import Producer, ProducerMember
from products.services.producers import (
    officers_receiving,
    producer_create,
    producer_move,
    producer_register,
    producer_reject,
    producer_update,
    producer_verify,
)
from products.workflow import PRODUCER_TRANSITIONS, producer_can_move
from tests.factories import producer_with_owner, user_with_role

pytestmark = pytest.mark.django_db


def profile(units, **overrides) -> dict:
    return {
        "kind": "cooperative",
        "name": "HTX Nông nghiệp Mãn Đức",
        "registration_no": "5400 123 456",
        "tax_code": "5400.123.456",
        "representative_name": "Bùi Văn Nam",
        "representative_title": "Giám đốc",
        "representative_gender": "male",
        "representative_ethnic_minority": True,
        "address_unit": units["commune"],
        "address_detail": "Xóm Đồi",
        "phone": "0912 345 678",
        "email": "htx@mandu.vn",
        **overrides,
    }


def register(units, *, username="namhtx", **overrides):
    return producer_register(
        username=username,
        first_name="Nam",
        last_name="Bùi Văn",
        email=f"{username}@mandu.vn",
        password="mật-khẩu-dài-2026",
        profile=profile(units, **overrides),
    )


def test_register_creates_the_account_the_pending_producer_and_the_owner(units):
    user, producer = register(units)

    assert producer.state == ProducerState.PENDING
    assert (producer.registration_no, producer.tax_code, producer.phone) == (
        "5400123456",
        "5400123456",
        "0912345678",
    )
    assert user.role_names == frozenset({Role.PRODUCER_MEMBER})
    assert user.check_password("mật-khẩu-dài-2026")
    member = ProducerMember.objects.get(producer=producer)
    assert (member.user, member.role) == (user, MemberRole.OWNER)
    actions = list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))
    assert actions[-2:] == ["user.set_access", "producer.register"]


def test_register_tells_the_district_and_commune_officers_of_the_commune(
    units, django_capture_on_commit_callbacks, run_tasks
):
    district = user_with_role(Role.DISTRICT_OFFICER, units["district"], username="tanlac")
    commune = user_with_role(Role.COMMUNE_OFFICER, units["commune"], username="manduc")
    user_with_role(Role.DISTRICT_OFFICER, units["other_district"], username="dabac")
    user_with_role(Role.PROVINCE_OFFICER, units["province"], username="hoabinh")

    with django_capture_on_commit_callbacks(execute=True):
        _user, producer = register(units)
    run_tasks()

    notified = set(Notification.objects.values_list("user__username", flat=True))
    assert notified == {district.username, commune.username}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([district.email, commune.email])
    assert all(f"/producers/{producer.pk}/" in m.body for m in mail.outbox)


def test_officers_receiving_falls_back_to_the_province_when_nobody_is_appointed(units):
    province = user_with_role(Role.PROVINCE_OFFICER, units["province"], username="hoabinh")

    assert officers_receiving(units["commune"]) == [province]


def test_register_with_a_taken_tax_code_says_so_and_saves_nothing(units):
    register(units)
    users_before = User.objects.count()

    with pytest.raises(ValidationError) as caught:
        register(units, username="other", registration_no="5400999999")

    assert caught.value.message_dict["tax_code"] == [
        "A producer with this tax code is already registered. If it is yours, ask its owner "
        "to invite you instead of registering it again."
    ]
    assert Producer.objects.count() == 1
    assert User.objects.count() == users_before


def test_register_with_an_invalid_number_or_a_district_as_address_is_refused(units):
    with pytest.raises(ValidationError) as caught:
        register(units, tax_code="54001", address_unit=units["district"])

    assert set(caught.value.message_dict) == {"tax_code", "address_unit"}
    assert not User.objects.filter(username="namhtx").exists()


def test_officer_creates_a_pending_producer_of_the_area_and_invites_its_owner(
    units, django_capture_on_commit_callbacks, run_tasks
):
    officer = user_with_role(Role.DISTRICT_OFFICER, units["district"], username="tanlac")

    with django_capture_on_commit_callbacks(execute=True):
        producer = producer_create(
            profile=profile(units), actor=officer, owner_email="owner@mandu.vn"
        )
    run_tasks()

    assert producer.state == ProducerState.PENDING
    assert producer.members.count() == 0
    assert [m.to for m in mail.outbox] == [["owner@mandu.vn"]]
    assert f"/invitations/{producer.invitations.get().token}/" in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="producer.create").count() == 1


def test_officer_cannot_create_a_producer_outside_the_jurisdiction(units):
    officer = user_with_role(Role.DISTRICT_OFFICER, units["other_district"], username="dabac")

    with pytest.raises(ValidationError) as caught:
        producer_create(profile=profile(units), actor=officer)

    assert "address_unit" in caught.value.message_dict
    assert Producer.objects.count() == 0


@pytest.mark.parametrize(
    ("source", "target"), list(itertools.product(ProducerState.values, repeat=2))
)
def test_every_producer_transition_pair(units, source, target):
    producer, _owner = producer_with_owner(commune=units["commune"], state=source)
    admin = user_with_role(None, username="root", is_superuser=True)
    before = AuditEntry.objects.count()

    if producer_can_move(source, target):
        moved = producer_move(producer=producer, target=target, actor=admin, reason="Sai MST")
        producer.refresh_from_db()
        assert producer.state == moved.state == target
        assert AuditEntry.objects.count() == before + 1
        assert AuditEntry.objects.order_by("-seq").first().data["from"] == source
    else:
        with pytest.raises(ValidationError) as caught:
            producer_move(producer=producer, target=target, actor=admin, reason="Sai MST")
        assert caught.value.code == "illegal_transition"
        producer.refresh_from_db()
        assert producer.state == source
        assert AuditEntry.objects.count() == before


def test_the_table_covers_every_state():
    assert set(PRODUCER_TRANSITIONS) == set(ProducerState.values)


def test_verify_records_who_and_when_and_tells_the_members(
    units, django_capture_on_commit_callbacks, run_tasks
):
    producer, owner = producer_with_owner(commune=units["commune"], state="pending")
    officer = user_with_role(Role.DISTRICT_OFFICER, units["district"], username="tanlac")

    with django_capture_on_commit_callbacks(execute=True):
        producer_verify(producer=producer, actor=officer)
    run_tasks()

    producer.refresh_from_db()
    assert (producer.state, producer.verified_by) == (ProducerState.VERIFIED, officer)
    assert producer.verified_at is not None
    assert [m.to for m in mail.outbox] == [[owner.email]]
    assert Notification.objects.get().user == owner


def test_a_second_verification_from_a_stale_page_is_refused_clearly(units):
    producer, _owner = producer_with_owner(commune=units["commune"], state="pending")
    officer = user_with_role(Role.DISTRICT_OFFICER, units["district"], username="tanlac")
    stale_copy = Producer.objects.get(pk=producer.pk)
    producer_verify(producer=producer, actor=officer)

    with pytest.raises(ValidationError) as caught:
        producer_reject(producer=stale_copy, actor=officer, reason="Thiếu giấy phép")

    assert caught.value.code == "illegal_transition"
    producer.refresh_from_db()
    assert producer.state == ProducerState.VERIFIED
    assert AuditEntry.objects.filter(action__startswith="producer.").count() == 1


def test_reject_needs_a_reason(units):
    producer, _owner = producer_with_owner(commune=units["commune"], state="pending")
    officer = user_with_role(Role.DISTRICT_OFFICER, units["district"], username="tanlac")

    with pytest.raises(ValidationError) as caught:
        producer_reject(producer=producer, actor=officer, reason="   ")

    assert "reason" in caught.value.message_dict
    producer.refresh_from_db()
    assert producer.state == ProducerState.PENDING


def test_members_correct_a_returned_profile_and_the_change_is_audited(units):
    producer, owner = producer_with_owner(commune=units["commune"], state="rejected")

    producer_update(producer=producer, actor=owner, phone="0987 654 321", name="HTX Mới")

    producer.refresh_from_db()
    assert (producer.phone, producer.name) == ("0987654321", "HTX Mới")
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == "producer.update"
    assert entry.data["phone"] == {"from": "0912345678", "to": "0987654321"}


def test_a_verified_profile_is_locked(units):
    producer, owner = producer_with_owner(commune=units["commune"], state="verified")

    with pytest.raises(ValidationError) as caught:
        producer_update(producer=producer, actor=owner, name="HTX Khác")

    assert caught.value.code == "locked"
    producer.refresh_from_db()
    assert producer.name != "HTX Khác"


def test_update_to_another_producers_tax_code_is_refused(units):
    first, _ = producer_with_owner(commune=units["commune"], username="a", state="pending")
    second, owner = producer_with_owner(commune=units["commune"], username="b", state="pending")

    with pytest.raises(ValidationError) as caught:
        producer_update(producer=second, actor=owner, tax_code=first.tax_code)

    assert list(caught.value.message_dict) == ["tax_code"]
