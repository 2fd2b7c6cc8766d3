"""The yearly self-report: the producer answers each commitment (a status, a note, a file
checked by its content), saves drafts and submits once; a submitted report is locked. Open from
the previous anniversary, while the certificate is in force; read by whoever sees the
certificate, written by its producer's members only."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluations.enums import AnswerStatus, CertificateStatus, SelfReportState
from evaluations.exceptions import FollowupError
from evaluations.followup.schedule import report_periods
from evaluations.followup.selectors import certificate_report_rows
from evaluations.followup.services import AnswerInput, commitment_add, self_report_save
from evaluations.models import SelfReport, SelfReportAnswer
from ocop.core.models import AuditEntry
from tests.evaluations.followup.conftest import owner_of, pdf, today, years_ago

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"evaluations:{name}", args=args)


def first_year(certificate) -> int:
    return report_periods(certificate.issued_on, certificate.valid_until)[0].year


def with_commitments(world, n=2, **kwargs):
    certificate = world.certificate(**kwargs)
    owner = owner_of(certificate)
    commitments = [
        commitment_add(
            certificate=certificate, kind="lab_tests", text=f"Cam kết số {i}", actor=owner
        )
        for i in range(1, n + 1)
    ]
    return certificate, owner, commitments


def save(certificate, owner, answers, **kwargs):
    kwargs.setdefault("year", first_year(certificate))
    return self_report_save(certificate=certificate, answers=answers, actor=owner, **kwargs)


# --- services -------------------------------------------------------------------------------


def test_a_draft_then_the_submission_locks_the_report(world):
    certificate, owner, (first, second) = with_commitments(world)

    draft = save(certificate, owner, {first.pk: AnswerInput(status="met", note="Đã kiểm nghiệm")})
    assert draft.state == SelfReportState.DRAFT
    assert AuditEntry.objects.latest("seq").action == "self_report.save"

    report = save(
        certificate,
        owner,
        {
            first.pk: AnswerInput(status="met", note="Đã kiểm nghiệm", evidence=pdf()),
            second.pk: AnswerInput(status="in_progress"),
        },
        submit=True,
    )

    assert report.pk == draft.pk
    assert report.state == SelfReportState.SUBMITTED
    assert report.submitted_by == owner
    answers = {a.commitment_id: a for a in report.answers.all()}
    assert {k: a.status for k, a in answers.items()} == {
        first.pk: AnswerStatus.MET,
        second.pk: AnswerStatus.IN_PROGRESS,
    }
    assert answers[first.pk].commitment_text == "Cam kết số 1"
    assert answers[first.pk].evidence_name == "phieu-kiem-nghiem.pdf"
    assert answers[first.pk].evidence_type == "application/pdf"
    entry = AuditEntry.objects.latest("seq")
    assert entry.action == "self_report.submit"
    assert entry.data["answers"] == {str(first.pk): "met", str(second.pk): "in_progress"}
    assert (entry.data["files"], entry.data["late"]) == (1, False)

    with pytest.raises(FollowupError, match="already submitted"):
        save(certificate, owner, {first.pk: AnswerInput(status="not_met")}, submit=True)
    assert SelfReportAnswer.objects.get(commitment=first).status == AnswerStatus.MET


def test_submitting_needs_every_commitment_answered(world):
    certificate, owner, (first, second) = with_commitments(world)

    with pytest.raises(ValidationError) as refused:
        save(certificate, owner, {first.pk: AnswerInput(status="met")}, submit=True)

    assert refused.value.message_dict == {
        f"status_{second.pk}": ["Answer this commitment before submitting."]
    }
    assert SelfReport.objects.count() == 0


def test_without_commitments_the_note_is_the_report(world):
    certificate = world.certificate()
    owner = owner_of(certificate)

    with pytest.raises(ValidationError) as refused:
        save(certificate, owner, {}, submit=True)
    assert list(refused.value.message_dict) == ["note"]

    report = save(certificate, owner, {}, note="Sản xuất ổn định, không thay đổi.", submit=True)
    assert report.state == SelfReportState.SUBMITTED


def test_a_file_is_checked_by_its_content(world):
    certificate, owner, (first, _second) = with_commitments(world)
    fake = SimpleUploadedFile("ket-qua.pdf", b"not a pdf at all", content_type="application/pdf")

    with pytest.raises(ValidationError) as refused:
        save(certificate, owner, {first.pk: AnswerInput(status="met", evidence=fake)})

    assert list(refused.value.message_dict) == [f"evidence_{first.pk}"]
    assert "not one of the accepted types" in refused.value.message_dict[f"evidence_{first.pk}"][0]
    assert SelfReport.objects.count() == 0


def test_a_bad_status_is_refused(world):
    certificate, owner, (first, _second) = with_commitments(world)

    with pytest.raises(ValidationError) as refused:
        save(certificate, owner, {first.pk: AnswerInput(status="perfect")})

    assert refused.value.message_dict == {
        f"status_{first.pk}": ["Choose met, not met or in progress."]
    }


def test_a_report_opens_on_the_previous_anniversary(world):
    certificate = world.certificate()
    owner = owner_of(certificate)
    periods = report_periods(certificate.issued_on, certificate.valid_until)

    with pytest.raises(FollowupError, match="opens on"):
        save(certificate, owner, {}, year=periods[1].year, note="Sớm")
    with pytest.raises(FollowupError, match="asks for no self-report"):
        save(certificate, owner, {}, year=certificate.issued_on.year, note="Sai năm")
    assert save(certificate, owner, {}, year=periods[0].year, note="Đúng").pk


def test_a_late_report_is_still_taken_and_said_late(world):
    certificate = world.certificate(issued_on=years_ago(1, days=3))
    owner = owner_of(certificate)

    report = save(certificate, owner, {}, note="Nộp muộn", submit=True)

    assert report.year == first_year(certificate)
    assert AuditEntry.objects.latest("seq").data["late"] is True
    (row, _next) = certificate_report_rows(certificate, today())
    assert row.standing == "late"


def test_no_report_once_the_certificate_stopped_standing(world):
    certificate = world.certificate(status=CertificateStatus.SUPERSEDED)

    with pytest.raises(FollowupError, match="no longer in force"):
        save(certificate, owner_of(certificate), {}, note="x")


def test_only_the_producers_members_write_it(world, district_officer, outsiders):
    certificate = world.certificate()
    other = world.certificate()
    for actor in (district_officer, owner_of(other), outsiders["producer"]):
        with pytest.raises(PermissionDenied):
            save(certificate, actor, {}, note="x")
    assert SelfReport.objects.count() == 0


# --- pages ----------------------------------------------------------------------------------


def test_the_producer_writes_and_submits_through_the_page(client, world):
    certificate, owner, (first, second) = with_commitments(world)
    year = first_year(certificate)
    page = url("self_report", certificate.number, year)
    client.force_login(owner)

    response = client.get(page)
    assert response.status_code == 200
    assert response.context["editable"] is True
    assert 'data-testid="self-report-form"' in response.content.decode()

    response = client.post(
        page,
        {
            f"status_{first.pk}": "met",
            f"note_{first.pk}": "Phiếu kiểm nghiệm số 12",
            f"evidence_{first.pk}": pdf(),
            "action": "save",
        },
    )
    assert response.status_code == 302
    assert SelfReport.objects.get().state == SelfReportState.DRAFT

    # Submitting with a commitment unanswered: the page again, with what was typed.
    response = client.post(
        page,
        {f"status_{first.pk}": "met", f"note_{first.pk}": "Phiếu số 12", "action": "submit"},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [f"status_{second.pk}"]
    assert "Phiếu số 12" in response.content.decode()
    assert SelfReport.objects.get().state == SelfReportState.DRAFT

    response = client.post(
        page,
        {
            f"status_{first.pk}": "met",
            f"status_{second.pk}": "not_met",
            f"note_{second.pk}": "Chưa đủ sản lượng",
            "action": "submit",
        },
    )
    assert response.status_code == 302
    report = SelfReport.objects.get()
    assert report.state == SelfReportState.SUBMITTED
    # The file saved with the draft stays with its answer.
    answer = report.answers.get(commitment=first)
    assert answer.evidence_name == "phieu-kiem-nghiem.pdf"

    response = client.get(page)
    assert response.context["editable"] is False
    body = response.content.decode()
    assert 'data-testid="self-report-form"' not in body
    assert "Chưa đủ sản lượng" in body
    download = client.get(url("self_report_file", certificate.number, year, answer.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_the_office_reads_the_report_but_may_not_write_it(client, world, district_officer):
    certificate, owner, (first, _second) = with_commitments(world)
    year = first_year(certificate)
    save(certificate, owner, {first.pk: AnswerInput(status="met", evidence=pdf())})
    answer = SelfReportAnswer.objects.get()
    client.force_login(district_officer)

    response = client.get(url("self_report", certificate.number, year))
    assert response.status_code == 200
    assert response.context["editable"] is False
    assert 'data-testid="self-report-draft"' in response.content.decode()
    assert (
        client.get(url("self_report_file", certificate.number, year, answer.pk)).status_code == 200
    )
    response = client.post(
        url("self_report", certificate.number, year), {"action": "submit", "note": "x"}
    )
    assert response.status_code == 404
    assert SelfReport.objects.get().state == SelfReportState.DRAFT


def test_the_pages_answer_404_to_others_and_to_other_years(client, world, outsiders):
    certificate, owner, (first, _second) = with_commitments(world)
    other = world.certificate()
    year = first_year(certificate)
    save(certificate, owner, {first.pk: AnswerInput(status="met", evidence=pdf())})
    answer = SelfReportAnswer.objects.get()
    for user in (owner_of(other), outsiders["district"], outsiders["province"]):
        client.force_login(user)
        assert client.get(url("self_report", certificate.number, year)).status_code == 404
        assert (
            client.get(url("self_report_file", certificate.number, year, answer.pk)).status_code
            == 404
        )
    client.force_login(owner)
    assert client.get(url("self_report", certificate.number, year + 5)).status_code == 404
    assert client.get(url("self_report", certificate.number, 99999)).status_code == 404
    # The file under another certificate's number.
    client.force_login(owner_of(other))
    assert client.get(url("self_report_file", other.number, year, answer.pk)).status_code == 404


def test_the_page_costs_the_same_with_more_commitments(
    client, world, django_assert_max_num_queries
):
    certificate, owner, commitments = with_commitments(world, n=1)
    page = url("self_report", certificate.number, first_year(certificate))
    client.force_login(owner)
    save(certificate, owner, {commitments[0].pk: AnswerInput(status="met", evidence=pdf())})

    with CaptureQueriesContext(connection) as one:
        assert client.get(page).status_code == 200
    for i in (2, 3):
        commitment = commitment_add(
            certificate=certificate, kind="volume", text=f"Cam kết {i}", actor=owner
        )
        save(
            certificate,
            owner,
            {commitment.pk: AnswerInput(status="in_progress", evidence=pdf())},
        )
    # Bounded, and not growing with the rows.
    with django_assert_max_num_queries(16) as three:
        response = client.get(page)
    assert len(response.context["form"].commitments) == 3
    assert len(three) == len(one)


def test_the_certificate_page_lists_its_reports(client, world):
    certificate = world.certificate(issued_on=years_ago(1, days=2))
    owner = owner_of(certificate)
    client.force_login(owner)

    response = client.get(url("certificate_detail", certificate.number))

    body = response.content.decode()
    assert body.count('data-testid="self-report-row"') == 2
    assert 'data-standing="missed"' in body
    assert 'data-standing="open"' in body
