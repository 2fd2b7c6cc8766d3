"""A certificate's commitments: recorded and corrected by its producer's members or the office
while it is in force, assessed met or missed by the office; every change audited in its own
transaction, others' certificates 404; the certificate's page shows them."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluations.enums import CertificateStatus, CommitmentState
from evaluations.exceptions import FollowupError
from evaluations.followup.services import commitment_add, commitment_assess, commitment_change
from evaluations.followup.workflow import COMMITMENT_TRANSITIONS
from evaluations.models import Certificate, Commitment
from ocop.core.models import AuditEntry
from tests.evaluations.followup.conftest import owner_of, today, years_ago

pytestmark = pytest.mark.django_db


def add(certificate, actor, **overrides):
    data = {"kind": "lab_tests", "text": "Kiểm nghiệm chỉ tiêu vi sinh mỗi 12 tháng"}
    return commitment_add(certificate=certificate, actor=actor, **(data | overrides))


def url(name, *args):
    return reverse(f"evaluations:{name}", args=args)


# --- services -------------------------------------------------------------------------------


def test_the_producer_records_a_commitment_and_it_is_audited(world):
    certificate = world.certificate()
    owner = owner_of(certificate)

    commitment = add(certificate, owner, due_on=today() + datetime.timedelta(days=90))

    assert (commitment.state, commitment.recorded_by) == (CommitmentState.OPEN, owner)
    entry = AuditEntry.objects.latest("seq")
    assert (entry.action, entry.object_id, entry.actor) == (
        "commitment.add",
        str(commitment.pk),
        owner,
    )
    assert entry.data["certificate"] == certificate.number
    assert entry.unit_id == world.units["district"].pk


def test_the_office_records_one_too(world, district_officer, province_officer):
    certificate = world.certificate()

    add(certificate, district_officer, kind="standard", text="Áp dụng TCCS 01:2024")
    add(certificate, province_officer, kind="volume", text="5 tấn mỗi năm")

    assert Commitment.objects.filter(certificate=certificate).count() == 2


def test_the_change_and_its_audit_entry_commit_together(world):
    certificate = world.certificate()
    before = AuditEntry.objects.count()

    with transaction.atomic():
        add(certificate, owner_of(certificate))
        transaction.set_rollback(True)

    assert (Commitment.objects.count(), AuditEntry.objects.count()) == (0, before)


def test_bad_input_is_refused_with_a_message_per_field(world):
    certificate = world.certificate()

    with pytest.raises(ValidationError) as refused:
        add(
            certificate,
            owner_of(certificate),
            kind="nonsense",
            text="  ",
            due_on=certificate.valid_until + datetime.timedelta(days=1),
        )

    assert set(refused.value.message_dict) == {"kind", "text", "due_on"}
    assert refused.value.message_dict["text"] == ["Write what the producer commits to."]
    assert refused.value.message_dict["due_on"][0].startswith(
        "The due date must fall within the certificate's validity"
    )
    assert Commitment.objects.count() == 0


def test_nothing_changes_on_a_certificate_no_longer_in_force(world):
    ended = world.certificate(issued_on=years_ago(3, days=1))
    revoked = world.certificate(status=CertificateStatus.REVOKED)
    for certificate in (ended, revoked):
        with pytest.raises(FollowupError, match="no longer in force"):
            add(certificate, owner_of(certificate))
    assert Commitment.objects.count() == 0


def test_others_may_not_record_commitments(world, outsiders, users):
    certificate = world.certificate()
    other = world.certificate()
    for actor in (
        owner_of(other),
        outsiders["district"],
        outsiders["province"],
        users["commune_officer"],
    ):
        with pytest.raises(PermissionDenied):
            add(certificate, actor)
    assert Commitment.objects.count() == 0


def test_an_open_commitment_is_corrected_and_the_change_audited(world):
    certificate = world.certificate()
    owner = owner_of(certificate)
    commitment = add(certificate, owner)

    commitment_change(
        commitment=commitment, kind="lab_tests", text="Kiểm nghiệm 6 tháng một lần", actor=owner
    )

    commitment.refresh_from_db()
    assert commitment.text == "Kiểm nghiệm 6 tháng một lần"
    entry = AuditEntry.objects.latest("seq")
    assert entry.action == "commitment.change"
    assert entry.data == {
        "text": ["Kiểm nghiệm chỉ tiêu vi sinh mỗi 12 tháng", "Kiểm nghiệm 6 tháng một lần"]
    }


def test_an_unchanged_commitment_writes_nothing(world):
    certificate = world.certificate()
    owner = owner_of(certificate)
    commitment = add(certificate, owner)
    before = AuditEntry.objects.count()

    commitment_change(
        commitment=commitment, kind=commitment.kind, text=commitment.text, actor=owner
    )

    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize(("source", "target"), COMMITMENT_TRANSITIONS.pairs())
def test_the_office_assesses_only_the_moves_of_the_table(world, district_officer, source, target):
    certificate = world.certificate()
    commitment = add(certificate, district_officer)
    Commitment.objects.filter(pk=commitment.pk).update(state=source)
    before = AuditEntry.objects.count()

    if COMMITMENT_TRANSITIONS.can_move(source, target):
        commitment_assess(commitment=commitment, state=target, actor=district_officer)
        commitment.refresh_from_db()
        assert commitment.state == target
        entry = AuditEntry.objects.latest("seq")
        assert (entry.action, entry.data["from"], entry.data["to"]) == (
            "commitment.assess",
            source,
            target,
        )
    else:
        with pytest.raises(FollowupError, match="cannot become"):
            commitment_assess(commitment=commitment, state=target, actor=district_officer)
        commitment.refresh_from_db()
        assert commitment.state == source
        assert AuditEntry.objects.count() == before


def test_a_missed_commitment_tells_the_producer(
    world, district_officer, mailoutbox, django_capture_on_commit_callbacks, run_tasks
):
    certificate = world.certificate(name="Gạo nếp cẩm")
    commitment = add(certificate, district_officer)

    with django_capture_on_commit_callbacks(execute=True):
        commitment_assess(commitment=commitment, state="missed", actor=district_officer)
    run_tasks()

    assert [m.subject for m in mailoutbox] == ["OCOP commitment missed: Gạo nếp cẩm"]
    assert mailoutbox[0].to == [owner_of(certificate).email]


def test_the_producer_may_not_assess_nor_edit_a_closed_commitment(world, district_officer):
    certificate = world.certificate()
    owner = owner_of(certificate)
    commitment = add(certificate, owner)
    with pytest.raises(PermissionDenied):
        commitment_assess(commitment=commitment, state="met", actor=owner)

    commitment_assess(commitment=commitment, state="met", actor=district_officer)
    with pytest.raises(FollowupError, match="can no longer change"):
        commitment_change(commitment=commitment, kind="other", text="Khác", actor=owner)


# --- pages ----------------------------------------------------------------------------------


def test_the_certificate_page_shows_the_commitments_and_the_buttons(
    client, world, district_officer
):
    certificate = world.certificate()
    owner = owner_of(certificate)
    add(certificate, owner, text="Truy xuất nguồn gốc bằng tem QR")

    client.force_login(owner)
    body = client.get(url("certificate_detail", certificate.number)).content.decode()
    assert "Truy xuất nguồn gốc bằng tem QR" in body
    assert 'data-testid="commitment-add"' in body
    assert 'data-testid="commitment-edit"' in body
    assert 'data-testid="commitment-met"' not in body

    client.force_login(district_officer)
    body = client.get(url("certificate_detail", certificate.number)).content.decode()
    assert 'data-testid="commitment-met"' in body
    assert 'data-testid="commitment-missed"' in body


def test_an_ended_certificate_shows_its_commitments_without_buttons(client, world):
    certificate = world.certificate()
    owner = owner_of(certificate)
    add(certificate, owner)
    Certificate.objects.filter(pk=certificate.pk).update(status=CertificateStatus.EXPIRED)

    client.force_login(owner)
    body = client.get(url("certificate_detail", certificate.number)).content.decode()

    assert 'data-testid="commitment"' in body
    assert 'data-testid="commitment-add"' not in body
    assert 'data-testid="commitment-edit"' not in body


def test_adding_through_the_page(client, world):
    certificate = world.certificate()
    owner = owner_of(certificate)
    client.force_login(owner)

    response = client.post(
        url("commitment_create", certificate.number),
        {"kind": "standard", "text": "Áp dụng TCVN 11041", "due_on": ""},
    )

    assert response.status_code == 302
    assert response.url == url("certificate_detail", certificate.number) + "#commitments"
    assert Commitment.objects.get().text == "Áp dụng TCVN 11041"


def test_bad_input_on_the_page_keeps_what_was_typed(client, world):
    certificate = world.certificate()
    client.force_login(owner_of(certificate))
    late = (certificate.valid_until + datetime.timedelta(days=5)).isoformat()

    response = client.post(
        url("commitment_create", certificate.number),
        {"kind": "volume", "text": "10 tấn mỗi năm", "due_on": late},
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["due_on"]
    body = response.content.decode()
    assert "10 tấn mỗi năm" in body
    assert f'value="{late}"' in body
    assert Commitment.objects.count() == 0


def test_editing_through_the_page(client, world):
    certificate = world.certificate()
    owner = owner_of(certificate)
    commitment = add(certificate, owner)
    client.force_login(owner)
    page = url("commitment_edit", certificate.number, commitment.pk)

    assert client.get(page).context["form"].initial["text"] == commitment.text
    response = client.post(page, {"kind": "traceability", "text": "Tem QR", "due_on": ""})

    assert response.status_code == 302
    commitment.refresh_from_db()
    assert (commitment.kind, commitment.text) == ("traceability", "Tem QR")


def test_assessing_through_the_page(client, world, district_officer):
    certificate = world.certificate()
    commitment = add(certificate, district_officer)
    client.force_login(district_officer)

    response = client.post(
        url("commitment_assess", certificate.number, commitment.pk), {"state": "met"}
    )

    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.state == CommitmentState.MET
    # A move the table refuses: a message, and back to the page.
    response = client.post(
        url("commitment_assess", certificate.number, commitment.pk),
        {"state": "missed"},
        follow=True,
    )
    assert "This commitment cannot take that state now" in response.content.decode()
    commitment.refresh_from_db()
    assert commitment.state == CommitmentState.MET


def test_the_pages_answer_404_to_others(client, world, outsiders):
    certificate = world.certificate()
    other = world.certificate()
    commitment = add(certificate, owner_of(certificate))
    other_commitment = add(other, owner_of(other))
    pages = [
        url("commitment_create", certificate.number),
        url("commitment_edit", certificate.number, commitment.pk),
    ]
    for user in (owner_of(other), outsiders["district"], outsiders["producer"]):
        client.force_login(user)
        for page in pages:
            assert client.get(page).status_code == 404
            assert client.post(page, {"kind": "other", "text": "x"}).status_code == 404
    # Another certificate's commitment under this certificate's number.
    client.force_login(owner_of(certificate))
    assert (
        client.get(url("commitment_edit", certificate.number, other_commitment.pk)).status_code
        == 404
    )
    assert Commitment.objects.count() == 2


def test_the_certificate_page_costs_the_same_with_more_commitments(
    client, world, district_officer, django_assert_max_num_queries
):
    certificate = world.certificate(issued_on=years_ago(1, days=10))
    add(certificate, district_officer)
    client.force_login(district_officer)
    page = url("certificate_detail", certificate.number)

    with CaptureQueriesContext(connection) as one:
        assert client.get(page).status_code == 200
    add(certificate, district_officer, kind="volume", text="5 tấn")
    add(certificate, district_officer, kind="standard", text="TCCS")
    # Bounded, and not growing with the rows.
    with django_assert_max_num_queries(15) as three:
        response = client.get(page)
    assert response.content.decode().count('data-testid="commitment"') == 3
    assert len(three) == len(one)
