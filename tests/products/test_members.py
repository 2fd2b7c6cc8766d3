import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from ocop.core.enums import Role
from ocop.core.models import AuditEntry, Notification
from products.enums import MemberRole
from products.models import ProducerInvitation, ProducerMember
from products.services.invitations import invitation_accept, producer_invite
from tests.factories import TEST_PASSWORD, producer_with_owner, product_for, user_with_role
from tests.fixtures.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db


def invite(client, producer, email="lan@mandu.vn", capture=None):
    with capture(execute=True):
        response = client.post(f"/producers/{producer.pk}/invite/", {"email": email})
    run_queued_tasks()
    return response


def test_desk_shows_state_products_documents_and_members(client, producer):
    producer, owner = producer
    product_for(producer, name="Gạo nếp cẩm")
    client.force_login(owner)

    response = client.get("/producer/")

    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-state="pending"' in body
    assert "Gạo nếp cẩm" in body
    assert 'data-testid="document-list"' in body
    assert 'data-testid="member-row"' in body
    assert 'data-testid="invite-submit"' in body


def test_desk_of_a_member_without_a_producer_says_how_to_join(client, role_users):
    client.force_login(role_users[Role.PRODUCER_MEMBER])

    response = client.get("/producer/")

    assert response.status_code == 200
    assert 'data-testid="no-producer"' in response.content.decode()


def test_desk_is_404_for_officers(client, district_officer):
    client.force_login(district_officer)

    assert client.get("/producer/").status_code == 404


def test_owner_invites_by_mail_and_the_link_lets_a_signed_in_user_join(
    client, producer, django_capture_on_commit_callbacks
):
    producer, owner = producer
    client.force_login(owner)

    response = invite(client, producer, capture=django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["lan@mandu.vn"]]
    path = re.search(r"https?://[^/]+(/invitations/[^/\s]+/)", mail.outbox[0].body).group(1)
    joiner = user_with_role(None, username="lan", email="lan@mandu.vn")
    client.force_login(joiner)
    assert 'data-testid="invitation-accept"' in client.get(path).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path)

    assert response.status_code == 302
    member = ProducerMember.objects.get(user=joiner)
    assert (member.producer, member.role) == (producer, MemberRole.MEMBER)
    joiner.refresh_from_db()
    assert joiner.has_role(Role.PRODUCER_MEMBER)
    assert Notification.objects.filter(user=owner).count() == 1
    assert AuditEntry.objects.filter(action="producer.member_join").count() == 1
    # The link works once.
    again = client.post(path)
    assert again.status_code == 400


def test_only_the_owner_invites(client, producer):
    producer, _owner = producer
    member = user_with_role(Role.PRODUCER_MEMBER, username="member")
    ProducerMember.objects.create(producer=producer, user=member, role=MemberRole.MEMBER)
    client.force_login(member)

    response = client.post(f"/producers/{producer.pk}/invite/", {"email": "x@mandu.vn"})

    assert response.status_code == 404
    assert ProducerInvitation.objects.count() == 0
    assert 'data-testid="invite-submit"' not in client.get("/producer/").content.decode()


def test_owner_of_another_producer_cannot_invite_here(client, units, producer):
    _other, other_owner = producer_with_owner(commune=units["commune"], username="other")
    client.force_login(other_owner)

    response = client.post(f"/producers/{producer[0].pk}/invite/", {"email": "x@mandu.vn"})

    assert response.status_code == 404


def test_an_account_acts_for_one_producer_only(units, producer):
    producer, owner = producer
    other, _ = producer_with_owner(commune=units["commune"], username="other")
    invitation = producer_invite(producer=other, email=owner.email, actor=owner)

    with pytest.raises(ValidationError) as caught:
        invitation_accept(invitation=invitation, user=owner)

    assert caught.value.code == "one_producer"
    assert ProducerMember.objects.filter(user=owner).count() == 1
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_officers_cannot_accept_invitations(producer, district_officer):
    producer, owner = producer
    invitation = producer_invite(producer=producer, email="x@mandu.vn", actor=owner)

    with pytest.raises(ValidationError) as caught:
        invitation_accept(invitation=invitation, user=district_officer)

    assert caught.value.code == "officer"


def test_an_expired_invitation_is_refused(client, producer):
    producer, owner = producer
    invitation = producer_invite(producer=producer, email="x@mandu.vn", actor=owner)
    ProducerInvitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - timedelta(days=30)
    )
    joiner = user_with_role(None, username="late")
    client.force_login(joiner)

    response = client.post(f"/invitations/{invitation.token}/")

    assert response.status_code == 400
    assert not ProducerMember.objects.filter(user=joiner).exists()


def test_someone_without_an_account_signs_up_from_the_invitation(client, producer):
    producer, owner = producer
    invitation = producer_invite(producer=producer, email="hoa@mandu.vn", actor=owner)
    page = client.get(f"/invitations/{invitation.token}/")
    assert 'data-testid="invitation-signup"' in page.content.decode()

    response = client.post(
        f"/invitations/{invitation.token}/signup/",
        {
            "last_name": "Bùi Thị",
            "first_name": "Hoa",
            "username": "hoa",
            "password1": TEST_PASSWORD,
            "password2": TEST_PASSWORD,
        },
    )

    assert response.status_code == 302
    member = ProducerMember.objects.get(user__username="hoa")
    assert (member.producer, member.role, member.user.email) == (
        producer,
        MemberRole.MEMBER,
        "hoa@mandu.vn",
    )
    assert client.get("/producer/").context["producer"] == producer


def test_signup_with_mismatched_passwords_keeps_the_input(client, producer):
    producer, owner = producer
    invitation = producer_invite(producer=producer, email="hoa@mandu.vn", actor=owner)

    response = client.post(
        f"/invitations/{invitation.token}/signup/",
        {
            "last_name": "Bùi Thị",
            "first_name": "Hoa",
            "username": "hoa",
            "password1": TEST_PASSWORD,
            "password2": "something else entirely",
        },
    )

    assert response.status_code == 400
    assert 'value="hoa"' in response.content.decode()
    assert not ProducerMember.objects.filter(user__username="hoa").exists()


def test_first_to_accept_an_officer_made_producers_invitation_becomes_owner(
    client, units, district_officer
):
    producer, _ = producer_with_owner(commune=units["commune"], username="gone")
    ProducerMember.objects.filter(producer=producer).delete()
    client.force_login(district_officer)
    response = client.post(f"/producers/{producer.pk}/invite/", {"email": "owner@mandu.vn"})
    assert response.status_code == 302
    invitation = ProducerInvitation.objects.get()
    joiner = user_with_role(None, username="newowner")

    member = invitation_accept(invitation=invitation, user=joiner)

    assert member.role == MemberRole.OWNER
    # Once it has an owner, officers no longer invite.
    assert client.post(f"/producers/{producer.pk}/invite/", {"email": "x@y.vn"}).status_code == (
        404
    )


def test_unknown_invitation_is_404(client):
    assert client.get("/invitations/nope/").status_code == 404
