"""The pages an office opens show the imported history: nothing breaks on a score, a signer,
a producer's numbers or a scoring form the published decisions did not give."""

import pytest

from evaluations.models import Certificate, Decision, Dossier
from ocop.core.enums import Role, UnitScheme
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def hue_office(sample_map, importer, sample_bytes, client):
    from tests.evaluations.history.test_import import run

    assert run(sample_bytes, importer).imported
    officer = user_with_role(
        Role.PROVINCE_OFFICER, sample_map[(UnitScheme.TWO_TIER, "46")], username="ocop.hue"
    )
    client.force_login(officer)
    return officer


def test_the_offices_pages_show_the_imported_history(client, hue_office):
    certificate = Certificate.objects.filter(decision__number="2919/QĐ-UBND").first()
    decision = certificate.decision
    forwarded = Dossier.objects.filter(state="forwarded").first()
    producer = certificate.producer
    pages = [
        "/desk/",
        "/inbox/?state=all",
        "/certificates/",
        "/certificates/?format=xlsx",
        "/decisions/",
        "/decisions/?format=xlsx",
        "/producers/",
        "/producers/?format=xlsx",
        "/potential/",
        "/reports/funnel/?year=2020",
        "/reports/funnel/?year=2022&format=xlsx",
        "/reports/progress/",
        f"/certificates/{certificate.number}/",
        f"/decisions/{decision.pk}/",
        f"/decisions/{decision.pk}/draft.docx",
        f"/decisions/{decision.pk}/certificates.docx",
        f"/dossiers/{certificate.dossier_id}/",
        f"/dossiers/{forwarded.pk}/",
        f"/dossiers/{forwarded.pk}/central-result/",
        f"/dossiers/{certificate.dossier_id}/result/",
        f"/dossiers/{certificate.dossier_id}/history/",
        f"/certificates/{certificate.number}/certificate.pdf",
        f"/producers/{producer.pk}/",
        f"/verify/{certificate.number}/",
        "/api/v1/certificates/?status=valid",
        "/results/import/",
    ]
    answers = {url: client.get(url).status_code for url in pages}

    assert answers == dict.fromkeys(pages, 200)
    assert Decision.objects.filter(number="2919/QĐ-UBND").exists()
    cert_page = client.get(f"/certificates/{certificate.number}/").content.decode()
    assert (
        "decision_scan" not in cert_page and f"/decisions/{decision.pk}/scan.pdf" not in cert_page
    )
    # What was not published reads as unknown, never "None".
    profile = client.get(f"/producers/{producer.pk}/").content.decode()
    assert 'data-testid="producer-imported"' in profile
    assert "None" not in profile
    assert "None" not in client.get("/producers/").content.decode()


def test_the_public_verification_shows_an_imported_certificate(client, hue_office):
    client.logout()
    certificate = Certificate.objects.get(product__name="Gạo hữu cơ An Lỗ")

    page = client.get(f"/verify/{certificate.number}/").content.decode()

    assert "Gạo hữu cơ An Lỗ" in page and "2919/QĐ-UBND" in page
