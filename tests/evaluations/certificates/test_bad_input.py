"""Issue 10, part 5: bad input to the OCOP office's pages gives a form error, never a 500
or a half-saved object."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from evaluations.certificates.forms import DecisionForm
from evaluations.certificates.services import certificate_revoke, inspection_record
from evaluations.enums import CertificateStatus
from evaluations.models import Decision, DecisionItem, Inspection, LevelResult, Revocation
from ocop.core.limits import LONG_TEXT_MAX_LENGTH, NOTE_MAX_LENGTH

# `results` and what it is built from: built once for the module's tests that use it.
from tests.fixtures.results_world import *  # noqa: F403

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


def decision_post(chosen, **overrides):
    data = {
        "number": "1521/QĐ-UBND",
        "date": timezone.localdate().isoformat(),
        "signer_name": "Bùi Văn Cường",
        "signer_title": "Phó Chủ tịch UBND huyện Tân Lạc",
        "results": [r.pk for r in chosen],
    }
    return data | overrides


@pytest.mark.parametrize("value", [HUGE, "-" + HUGE, "9223372036854775808", "1e400"])
def test_drafting_refuses_an_id_out_of_range(client, results, district_officer, value):
    client.force_login(district_officer)
    chosen = results["district"][:1]

    response = client.post(
        reverse("evaluations:decision_create"),
        decision_post(chosen, results=[chosen[0].pk, value]),
    )

    assert response.status_code == 400
    assert response.context["form"].errors["results"] == [
        "A chosen product cannot go on this decision."
    ]
    assert 'value="Bùi Văn Cường"' in response.content.decode()
    assert Decision.objects.count() == 0
    assert DecisionItem.objects.count() == 0


def test_decision_form_refuses_a_huge_id_without_a_query(results, django_assert_num_queries):
    form = DecisionForm(data=decision_post([], results=[HUGE]), results=LevelResult.objects.all())

    with django_assert_num_queries(0):
        valid = form.is_valid()

    assert not valid
    assert form.errors["results"] == ["A chosen product cannot go on this decision."]


# --- free text past its limit -----------------------------------------------------------------


def test_a_revocation_note_too_long_keeps_the_form_and_revokes_nothing(
    client, certificates, district_officer
):
    certificate = certificates[0]
    client.force_login(district_officer)
    note = "Vi phạm an toàn thực phẩm. " * 100  # 2,700 characters

    response = client.post(
        reverse("evaluations:certificate_revoke", args=[certificate.number]),
        {
            "reason": "quality_violation",
            "decision_number": "88/QĐ-UBND",
            "decision_date": timezone.localdate().isoformat(),
            "note": note,
        },
    )

    assert response.status_code == 400
    assert response.context["revoke_form"].errors["note"] == [
        f"Write at most {NOTE_MAX_LENGTH} characters; this text has {len(note.strip())}."
    ]
    assert 'value="88/QĐ-UBND"' in response.content.decode()
    assert Revocation.objects.count() == 0
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.VALID


def test_inspection_findings_too_long_keep_the_form_and_save_nothing(
    client, certificates, district_officer
):
    client.force_login(district_officer)
    findings = "Nhãn đúng, sản xuất đúng quy trình. " * 150  # 5,400 characters
    page = client.get(reverse("evaluations:certificate_detail", args=[certificates[0].number]))

    response = client.post(
        reverse("evaluations:inspection_create", args=[certificates[0].number]),
        {
            "date": timezone.localdate().isoformat(),
            "inspector": "Đoàn kiểm tra liên ngành huyện Tân Lạc",
            "findings": findings,
            "outcome": "compliant",
        },
    )

    assert f'maxlength="{LONG_TEXT_MAX_LENGTH}"' in page.content.decode()
    assert response.status_code == 400
    assert list(response.context["inspection_form"].errors) == ["findings"]
    assert "Đoàn kiểm tra liên ngành huyện Tân Lạc" in response.content.decode()
    assert Inspection.objects.count() == 0


def test_the_services_also_refuse_text_too_long(certificates, district_officer):
    with pytest.raises(ValidationError) as findings:
        inspection_record(
            certificate=certificates[0],
            date=timezone.localdate(),
            inspector="Đoàn kiểm tra",
            findings="x" * (LONG_TEXT_MAX_LENGTH + 1),
            outcome="compliant",
            actor=district_officer,
        )
    with pytest.raises(ValidationError) as note:
        certificate_revoke(
            certificate=certificates[0],
            reason="quality_violation",
            decision_number="88/QĐ-UBND",
            decision_date=timezone.localdate(),
            note="x" * (NOTE_MAX_LENGTH + 1),
            actor=district_officer,
        )

    assert [e.code for e in findings.value.error_dict["findings"]] == ["max_length"]
    assert [e.code for e in note.value.error_dict["note"]] == ["max_length"]
    assert Inspection.objects.count() == 0
    assert Revocation.objects.count() == 0
