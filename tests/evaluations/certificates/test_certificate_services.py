"""Issue, supersede, expire and revoke, each with its audit entry; inspections."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from evaluations.certificates.services import (
    certificate_revoke,
    certificates_lifecycle,
    decision_create,
    decision_issue,
    inspection_record,
)
from evaluations.certificates.validity import add_months, status_on
from evaluations.enums import CertificateStatus, DecisionState
from evaluations.exceptions import CertificateError
from evaluations.models import Certificate, Decision
from ocop.core.models import AuditEntry
from tests.evaluations.certificates.conftest import scan

# The council results, built once per module and per `dates` day (tests/fixtures/).
from tests.fixtures.results_world import *  # noqa: F403

pytestmark = pytest.mark.django_db


@pytest.mark.dates
def test_issuing_creates_certificates_writes_the_standing_and_audits(
    district_decision, district_officer, results
):
    audits = AuditEntry.objects.count()

    certificates = decision_issue(
        decision=district_decision, signed_scan=scan(), actor=district_officer
    )

    year = timezone.localdate().year
    assert [c.number for c in certificates] == [f"OCOP-17-{year}-0001", f"OCOP-17-{year}-0002"]
    first = certificates[0]
    assert first.stars == 3
    assert first.valid_until == add_months(first.issued_on, 36)
    first.product.refresh_from_db()
    assert (first.product.ocop_stars, first.product.certificate_number) == (3, first.number)
    decision = Decision.objects.get(pk=district_decision.pk)
    assert decision.state == DecisionState.ISSUED
    assert AuditEntry.objects.count() == audits + 1
    assert AuditEntry.objects.latest("seq").action == "decision.issue"


def test_an_issued_decision_is_immutable(certificates, district_decision, district_officer):
    before = Certificate.objects.count()

    with pytest.raises(CertificateError):
        decision_issue(decision=district_decision, signed_scan=scan(), actor=district_officer)

    assert Certificate.objects.count() == before


def test_only_the_issuing_office_drafts_and_issues(
    results, units, district_officer, province_officer
):
    with pytest.raises(PermissionDenied):
        decision_create(
            issuer=units["district"],
            number="1/QĐ-UBND",
            date=timezone.localdate(),
            signer_name="A",
            signer_title="B",
            results=results["district"],
            actor=province_officer,
        )
    # The district cannot recognise the province's 4★.
    with pytest.raises(CertificateError):
        decision_create(
            issuer=units["district"],
            number="1/QĐ-UBND",
            date=timezone.localdate(),
            signer_name="A",
            signer_title="B",
            results=results["province"],
            actor=district_officer,
        )


@pytest.mark.dates
def test_a_decision_number_is_unique_per_issuer_and_year(
    district_decision, results, units, district_officer
):
    with pytest.raises(ValidationError) as refused:
        decision_create(
            issuer=units["district"],
            number="1520/QĐ-UBND",
            date=timezone.localdate(),
            signer_name="A",
            signer_title="B",
            results=results["district"],
            actor=district_officer,
        )
    assert refused.value.message_dict == {
        "number": [
            f"Huyện Tân Lạc already has a decision 1520/QĐ-UBND in {timezone.localdate().year}."
        ]
    }


def test_the_scan_must_be_a_pdf(district_decision, district_officer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError):
        decision_issue(
            decision=district_decision,
            signed_scan=SimpleUploadedFile("qd.pdf", b"not a pdf at all"),
            actor=district_officer,
        )
    assert Decision.objects.get(pk=district_decision.pk).state == DecisionState.DRAFT
    assert not Certificate.objects.exists()


@pytest.mark.dates
def test_an_upgrade_supersedes_the_products_certificate(
    certificates,
    results,
    units,
    district_council,
    province_council,
    district_officer,
    province_officer,
):
    """The 3★ product registers for an upgrade in a second round, is forwarded and recognised
    4★ by the province: the province's decision supersedes the district's certificate."""
    from decimal import Decimal

    from evaluations.councils.services.sessions import session_add_dossiers, session_create
    from evaluations.intake.services.dossiers import dossier_create
    from tests.evaluations.certificates.conftest import _score_all
    from tests.evaluations.councils.conftest import open_round

    old = certificates[0]
    product = old.product
    round_2 = open_round(province_officer, units["province"], number=2)
    dossier = dossier_create(
        round=round_2,
        product=product,
        kind="upgrade",
        current_certificate_number=old.number,
        actor=product.producer.members.first().user,
    )
    assert dossier.current_certificate == old
    from evaluations.models import Dossier

    Dossier.objects.filter(pk=dossier.pk).update(state="accepted", version=1, level="district")
    district = session_create(
        council=district_council,
        round=round_2,
        date=timezone.localdate(),
        place="UBND huyện",
        actor=district_officer,
    )
    item = session_add_dossiers(session=district, dossiers=[dossier], actor=district_officer)[0]
    _score_all(item, district_council, Decimal(101))
    province = session_create(
        council=province_council,
        round=round_2,
        date=timezone.localdate(),
        place="UBND tỉnh",
        actor=province_officer,
    )
    item = session_add_dossiers(session=province, dossiers=[dossier], actor=province_officer)[0]
    result = _score_all(item, province_council, Decimal(90))
    decision = decision_create(
        issuer=units["province"],
        number="3001/QĐ-UBND",
        date=timezone.localdate(),
        signer_name="Đinh Công Sứ",
        signer_title="Phó Chủ tịch UBND tỉnh",
        results=[result],
        actor=province_officer,
    )
    audits = AuditEntry.objects.count()

    (new,) = decision_issue(decision=decision, signed_scan=scan(), actor=province_officer)

    old.refresh_from_db()
    assert (old.status, old.superseded_by) == (CertificateStatus.SUPERSEDED, new)
    assert (old.latest, new.latest) == (False, True)
    product.refresh_from_db()
    assert (product.ocop_stars, product.certificate_number) == (4, new.number)
    actions = list(
        AuditEntry.objects.filter(seq__gt=audits).order_by("seq").values_list("action", flat=True)
    )
    assert actions == ["certificate.supersede", "decision.issue"]


def test_revoking_changes_status_and_standing_at_once(certificates, district_officer):
    certificate = certificates[0]
    audits = AuditEntry.objects.count()

    certificate_revoke(
        certificate=certificate,
        reason="quality_violation",
        decision_number="77/QĐ-UBND",
        decision_date=timezone.localdate(),
        actor=district_officer,
    )

    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED
    certificate.product.refresh_from_db()
    assert certificate.product.certificate_number == ""
    assert certificate.product.ocop_stars is None
    assert AuditEntry.objects.count() == audits + 1
    with pytest.raises(CertificateError):
        certificate_revoke(
            certificate=certificate,
            reason="quality_violation",
            decision_number="78/QĐ-UBND",
            decision_date=timezone.localdate(),
            actor=district_officer,
        )


def test_revocation_needs_its_decision(certificates, district_officer, other_user):
    with pytest.raises(ValidationError):
        certificate_revoke(
            certificate=certificates[0],
            reason="quality_violation",
            decision_number="",
            decision_date=None,
            actor=district_officer,
        )
    with pytest.raises(PermissionDenied):
        certificate_revoke(
            certificate=certificates[0],
            reason="quality_violation",
            decision_number="1",
            decision_date=timezone.localdate(),
            actor=other_user,
        )
    assert Certificate.objects.get(pk=certificates[0].pk).status == CertificateStatus.VALID


@pytest.mark.dates
def test_the_lifecycle_expires_and_warns(
    certificates, mailoutbox, django_capture_on_commit_callbacks, run_tasks
):
    first, second = certificates
    today = timezone.localdate()
    for certificate, until in (
        (first, today - datetime.timedelta(days=1)),
        (second, today + datetime.timedelta(days=30)),
    ):  # as if issued 36 months before
        Certificate.objects.filter(pk=certificate.pk).update(
            issued_on=add_months(until, -36), valid_until=until
        )
    audits = AuditEntry.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        report = certificates_lifecycle(today=today)
    run_tasks()

    assert [c.pk for c in report.expired] == [first.pk]
    assert [c.pk for c in report.expiring_notified] == [second.pk]
    first.refresh_from_db()
    assert first.status == CertificateStatus.EXPIRED
    first.product.refresh_from_db()
    assert first.product.certificate_number == ""
    assert AuditEntry.objects.count() == audits + 1
    assert AuditEntry.objects.latest("seq").action == "certificate.expire"
    second.refresh_from_db()
    assert status_on(second, today) == CertificateStatus.EXPIRING
    # A second run the same day changes and sends nothing more.
    sent = len(mailoutbox)
    again = certificates_lifecycle(today=today)
    assert (again.expired, again.expiring_notified) == ([], [])
    assert len(mailoutbox) == sent


@pytest.mark.dates
@override_settings(OCOP_CERTIFICATE_EXPIRING_MONTHS=6)
def test_status_by_date(certificates):
    certificate = certificates[0]
    until = certificate.valid_until
    window_start = add_months(until, -6)
    assert status_on(certificate, add_months(until, -7)) == CertificateStatus.VALID
    assert status_on(certificate, window_start - datetime.timedelta(days=1)) == (
        CertificateStatus.VALID
    )
    assert status_on(certificate, window_start) == CertificateStatus.EXPIRING
    assert status_on(certificate, window_start + datetime.timedelta(days=1)) == (
        CertificateStatus.EXPIRING
    )
    assert status_on(certificate, until) == CertificateStatus.EXPIRING
    assert status_on(certificate, until + datetime.timedelta(days=1)) == CertificateStatus.EXPIRED


@pytest.mark.dates
def test_add_months_clamps_to_the_months_end():
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2024, 2, 29), 36) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2026, 11, 29), 36) == datetime.date(2029, 11, 29)


def test_an_inspection_is_recorded_with_its_attachment(certificates, district_officer):
    inspection = inspection_record(
        certificate=certificates[0],
        date=timezone.localdate(),
        inspector="Đoàn kiểm tra liên ngành huyện",
        findings="Nhãn thiếu hạn sử dụng",
        outcome="warning",
        attachments=[scan("bien-ban-kiem-tra.pdf")],
        actor=district_officer,
    )

    assert inspection.attachments.count() == 1
    assert AuditEntry.objects.latest("seq").action == "certificate.inspect"
