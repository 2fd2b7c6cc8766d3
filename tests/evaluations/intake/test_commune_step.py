"""The commune's step under 1489/2025, on today's map (issue 12): Xã Tân Lạc's working group
checks the dossier of a cooperative recorded in Mãn Đức (old map), records its assessment of
the product's local origin and of the dossier, and forwards it to Phú Thọ with its letter;
the province sees, per commune, what is waiting. No district takes part."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from evaluations.enums import DossierState, Level
from evaluations.exceptions import DossierError
from evaluations.intake.services.dossiers import (
    dossier_accept,
    dossier_create,
    dossier_submit,
)
from evaluations.models import CommuneAssessment, Dossier
from ocop.core.enums import Role
from ocop.core.models import AuditEntry, Notification
from tests.evaluations.intake.conftest import MANDATORY_KINDS, complete, make_document, open_round
from tests.factories import producer_with_owner, product_for, user_with_role

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

LETTER = b"%PDF-1.4\n% Cong van 125/UBND-KT\n%%EOF\n"


@pytest.fixture
def today_world(forms, regimes, required_documents, units):
    province_officer = user_with_role(Role.PROVINCE_OFFICER, units["new_province"], username="pt")
    return {
        "round": open_round(province_officer, units["new_province"], regime="1489/2025"),
        "province_officer": province_officer,
        "commune_officer": user_with_role(
            Role.COMMUNE_OFFICER, units["new_commune"], username="xa"
        ),
    }


@pytest.fixture
def submitted(today_world, product, owner, library):
    dossier = dossier_create(round=today_world["round"], product=product, kind="first", actor=owner)
    complete(dossier, owner, library)
    return dossier_submit(dossier=dossier, actor=owner)


def _post(**changes) -> dict:
    data = {
        "samples_count": "5",
        "samples_received_on": timezone.localdate().isoformat(),
        "local_origin_met": "yes",
        "local_origin_note": "Cam trồng tại các xóm của xã; sơ chế tại hợp tác xã.",
        "dossier_assessment": "Hồ sơ đầy đủ, phù hợp với minh chứng.",
        "letter_number": "125/UBND-KT",
        "letter_date": timezone.localdate().isoformat(),
        "letter": SimpleUploadedFile("cv.pdf", LETTER, content_type="application/pdf"),
    }
    data.update({k: v() if callable(v) else v for k, v in changes.items()})
    return {k: v for k, v in data.items() if v is not None}


def test_the_commune_forwards_with_its_assessment_and_letter(
    client, units, today_world, submitted, owner, role_users
):
    officer = today_world["commune_officer"]
    client.force_login(officer)

    page = client.get(f"/inbox/{submitted.pk}/")
    with pytest.raises(DossierError, match="forwards them to the province"):
        dossier_accept(
            dossier=submitted,
            samples_count=5,
            samples_received_on=timezone.localdate(),
            actor=officer,
        )
    response = client.post(f"/inbox/{submitted.pk}/forward/", _post())

    assert submitted.first_level_unit == units["new_commune"]
    assert 'data-testid="forward-form"' in page.text
    assert 'data-testid="accept-form"' not in page.text
    # The dossier first (checklist, self-assessment), the decision after it (issue 13).
    text = page.text
    assert text.index('data-testid="summary"') < text.index('data-testid="forward-form"')
    assert 'href="#decide"' in text and 'data-testid="decision-errors"' not in text
    assert response.status_code == 302
    dossier = Dossier.objects.get(pk=submitted.pk)
    assert (dossier.state, dossier.level) == (DossierState.ACCEPTED, Level.PROVINCE)
    assessment = CommuneAssessment.objects.get(dossier=dossier)
    assert assessment.local_origin_met and assessment.forwarded_by == officer
    assert assessment.letter.read() == LETTER
    entry = AuditEntry.objects.filter(action="dossier.accept").get()
    assert entry.data["letter_number"] == "125/UBND-KT" and entry.data["to_level"] == "province"
    notice = Notification.objects.filter(user=owner).latest("pk")
    assert notice.subject == "Dossier forwarded to the province: Cam Mãn Đức"
    # The producer and the province read the assessment and the letter; the district of the
    # old map, whose commune this was, sees nothing of today's round.
    for reader in (owner, today_world["province_officer"]):
        client.force_login(reader)
        assert client.get(f"/dossiers/{dossier.pk}/").context["commune_assessment"] == assessment
        letter = client.get(f"/dossiers/{dossier.pk}/commune-letter/")
        assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    client.force_login(role_users[Role.DISTRICT_OFFICER])
    assert client.get(f"/dossiers/{dossier.pk}/").status_code == 404
    assert client.get(f"/inbox/{dossier.pk}/").status_code == 404
    assert client.get(f"/dossiers/{dossier.pk}/commune-letter/").status_code == 404


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"local_origin_met": "no"}, "local_origin_met", "return the dossier to the producer"),
        ({"local_origin_met": None}, "local_origin_met", "Say whether the product meets"),
        ({"dossier_assessment": "  "}, "dossier_assessment", "This field is required."),
        ({"letter": None}, "letter", "Upload the signed forwarding letter as a PDF."),
        (
            {"letter": lambda: SimpleUploadedFile("cv.pdf", b"not a pdf")},
            "letter",
            "not one of the accepted types",
        ),
        ({"letter_date": "2999-01-01"}, "letter_date", "cannot be in the future"),
    ],
)
def test_a_forward_with_bad_input_keeps_it_and_saves_nothing(
    client, today_world, submitted, changes, field, message
):
    client.force_login(today_world["commune_officer"])

    response = client.post(f"/inbox/{submitted.pk}/forward/", _post(**changes))

    assert response.status_code == 400
    assert 'data-testid="decision-errors"' in response.text  # said at the top of the page
    form = response.context["forward_form"]
    assert field in form.errors and message in " ".join(form.errors[field])
    assert form["letter_number"].value() == "125/UBND-KT"
    assert Dossier.objects.get(pk=submitted.pk).state == DossierState.SUBMITTED
    assert not CommuneAssessment.objects.exists()


def test_the_province_sees_per_commune_what_waits_in_constant_queries(
    client, units, today_world, submitted, owner, library
):
    officer = today_world["province_officer"]
    client.force_login(officer)
    url = f"/rounds/{today_world['round'].pk}/"

    with CaptureQueriesContext(connection) as one:
        page = client.get(url)
    producer = submitted.product.producer
    dossier_create(
        round=today_world["round"],
        product=product_for(producer, number=2),
        kind="first",
        actor=owner,
    )  # a draft: not counted
    # A cooperative of another commune of Phú Thọ submits too.
    other, other_owner = producer_with_owner(
        commune=units["new_province"].children.get(code="04831"), username="dabac"
    )
    other_library = {k: make_document(other, k, uploaded_by=other_owner) for k in MANDATORY_KINDS}
    dossier = dossier_create(
        round=today_world["round"],
        product=product_for(other, number=3),
        kind="first",
        actor=other_owner,
    )
    complete(dossier, other_owner, other_library)
    dossier_submit(dossier=dossier, actor=other_owner)
    with CaptureQueriesContext(connection) as three:
        again = client.get(url)

    assert [(r["first_level_unit__name"], r["to_check"]) for r in page.context["by_unit"]] == [
        ("Xã Tân Lạc", 1)
    ]
    assert [
        (r["first_level_unit__name"], r["to_check"], r["total"]) for r in again.context["by_unit"]
    ] == [("Xã Đà Bắc", 1, 1), ("Xã Tân Lạc", 1, 2)]
    assert "By commune: what waits where" in again.text
    assert len(one) == len(three)


def test_a_dossier_of_a_148_round_is_still_accepted_by_its_district(
    round_148, ready_dossier, owner, district_officer
):
    """History entered under 148/2023 keeps its own steps: the district accepts."""
    dossier = dossier_submit(dossier=ready_dossier, actor=owner)

    accepted = dossier_accept(
        dossier=dossier,
        samples_count=5,
        samples_received_on=timezone.localdate() - datetime.timedelta(days=1),
        actor=district_officer,
    )

    assert (accepted.state, accepted.level) == (DossierState.ACCEPTED, Level.DISTRICT)
