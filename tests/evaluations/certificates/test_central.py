"""The central level (issue 12): Phú Thọ's council forwards a 5★ candidate (≥ 90 points) of
its 1489 round; the province's OCOP office records the central council's result and the
ministry's decision; the 5★ certificate follows through the same certificate services, and
the public page and the API show it. Below 5★, the product goes back to the province."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader

from evaluations.certificates.central import MINISTRY
from evaluations.certificates.selectors import recognisable_results
from evaluations.councils.services.sessions import session_add_dossiers, session_create
from evaluations.enums import CertificateStatus, DossierState, Level, Outcome
from evaluations.intake.selectors import central_candidates
from evaluations.intake.services.dossiers import (
    CommuneAssessmentInput,
    dossier_create,
    dossier_forward_to_province,
    dossier_submit,
)
from evaluations.models import Certificate, Decision, Dossier, LevelResult
from ocop.core.enums import Role
from ocop.core.models import AuditEntry
from tests.evaluations.certificates.conftest import SCAN, _score_all
from tests.evaluations.councils.conftest import make_council
from tests.evaluations.intake.conftest import MANDATORY_KINDS, complete, make_document, open_round
from tests.factories import producer_with_owner, product_for, user_with_role

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def _pdf(name="qd.pdf"):
    return SimpleUploadedFile(name, SCAN, content_type="application/pdf")


def _forwarded_to_central(round_obj, producer, owner, number, officers, council):
    """A product of `producer` through the commune and the province council, to the central
    level (all best answers: 100 points, 5★)."""
    today = timezone.localdate()
    commune_officer, office = officers
    library = {k: make_document(producer, k, uploaded_by=owner) for k in MANDATORY_KINDS}
    product = product_for(producer, number=number, name=f"Gạo Séng Cù {number}")
    dossier = dossier_create(round=round_obj, product=product, kind="first", actor=owner)
    complete(dossier, owner, library)
    dossier = dossier_submit(dossier=dossier, actor=owner)
    dossier = dossier_forward_to_province(
        dossier=dossier,
        samples_count=5,
        samples_received_on=today,
        assessment=CommuneAssessmentInput(
            True, "Sản xuất tại xã.", "Hồ sơ đầy đủ.", "12/UBND", today, _pdf("cv.pdf")
        ),
        actor=commune_officer,
    )
    session = session_create(
        council=council, round=round_obj, date=today, place="UBND tỉnh", actor=office
    )
    (item,) = session_add_dossiers(session=session, dossiers=[dossier], actor=office)
    forwarded = _score_all(item, council, Decimal(101))
    dossier.refresh_from_db()
    assert (forwarded.outcome, forwarded.stars) == (Outcome.FORWARDED, 5)
    assert (dossier.state, dossier.level) == (DossierState.FORWARDED, Level.CENTRAL)
    return dossier


@pytest.fixture
def world(forms, regimes, required_documents, units):
    province = units["new_province"]
    office = user_with_role(Role.PROVINCE_OFFICER, province, username="pt")
    commune_officer = user_with_role(Role.COMMUNE_OFFICER, units["new_commune"], username="xa")
    round_obj = open_round(office, province, regime="1489/2025")
    producer, owner = producer_with_owner(commune=units["new_commune"], username="htx")
    council = make_council("province", province, office, prefix="hdt", scoring=3, secretary=False)
    officers = (commune_officer, office)
    dossier = _forwarded_to_central(round_obj, producer, owner, 1, officers, council)
    return {
        "office": office,
        "dossier": dossier,
        "round": round_obj,
        "province": province,
        "more": lambda number: _forwarded_to_central(
            round_obj, producer, owner, number, officers, council
        ),
    }


def _post(**changes) -> dict:
    data = {
        "score": "93.50",
        "stars": "5",
        "comments": "Sản phẩm tiêu biểu, đề nghị công nhận 5 sao.",
        "decision_number": "1234/QĐ-BNNMT",
        "decision_date": timezone.localdate().isoformat(),
        "issuer_name": MINISTRY,
        "signer_name": "Trần Thanh Nam",
        "signer_title": "Thứ trưởng",
        "signed_scan": _pdf(),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_central_result_gives_a_5_star_certificate_shown_to_the_public(client, world):
    office, dossier = world["office"], world["dossier"]
    client.force_login(office)

    round_page = client.get(f"/rounds/{world['round'].pk}/")
    form_page = client.get(f"/dossiers/{dossier.pk}/central-result/")
    response = client.post(f"/dossiers/{dossier.pk}/central-result/", _post())

    assert [d.pk for d in round_page.context["central_candidates"]] == [dossier.pk]
    assert form_page.status_code == 200
    certificate = Certificate.objects.get()
    assert response.status_code == 302
    assert response.url == f"/certificates/{certificate.number}/"
    assert (certificate.stars, certificate.score, certificate.status) == (
        5,
        Decimal("93.50"),
        CertificateStatus.VALID,
    )
    decision = certificate.decision
    assert (decision.level, decision.issuer, decision.issuer_name) == (
        Level.CENTRAL,
        world["province"],
        MINISTRY,
    )
    assert decision.number == "1234/QĐ-BNNMT" and decision.signed_scan
    result = LevelResult.objects.get(dossier=dossier, level=Level.CENTRAL)
    assert (result.item, result.outcome, result.stars) == (None, Outcome.RECOGNISED, 5)
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.RECOGNISED
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"result.central_record", "decision.create", "decision.issue"} <= actions
    assert central_candidates(world["round"]) == []
    # The public page and the open-data API say who recognised it.
    client.logout()
    verify = client.get(f"/verify/{certificate.number}/")
    assert MINISTRY in verify.text and "People's Committee of" not in verify.text
    api = client.get("/api/v1/certificates/").json()
    (row,) = [r for r in api["results"] if r["number"] == certificate.number]
    assert row["stars"] == 5 and MINISTRY in str(row)
    # The certificate PDF names the ministry, not a People's Committee.
    client.force_login(office)
    pdf = client.get(f"/certificates/{certificate.number}/certificate.pdf")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(b"".join(pdf))).pages)
    assert "BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG" in text and "ỦY BAN NHÂN DÂN" not in text


def test_a_central_result_below_5_stars_goes_back_to_the_province(client, world):
    office, dossier = world["office"], world["dossier"]
    client.force_login(office)

    response = client.post(
        f"/dossiers/{dossier.pk}/central-result/",
        _post(score="86", stars="4", decision_number="", signed_scan=None),
    )

    assert response.status_code == 302 and response.url == f"/dossiers/{dossier.pk}/"
    result = LevelResult.objects.get(dossier=dossier, level=Level.CENTRAL)
    assert (result.outcome, result.to_level, result.stars) == (Outcome.REFERRED_DOWN, "province", 4)
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.RECOGNISED
    assert not Certificate.objects.exists()
    # The province's office recognises it 4★ in its own decision.
    assert list(recognisable_results(world["province"])) == [result]
    page = client.get(f"/dossiers/{dossier.pk}/")
    assert page.context["central_result"] == result


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"signed_scan": None}, "signed_scan"),
        ({"decision_number": ""}, "decision_number"),
        ({"score": "80"}, "stars"),  # 80 points cannot give 5★
        ({"score": "101"}, "score"),
        ({"signed_scan": SimpleUploadedFile("x.pdf", b"no pdf")}, "signed_scan"),
        ({"decision_date": "2999-01-01"}, "decision_date"),
    ],
)
def test_bad_input_keeps_it_and_saves_nothing(client, world, changes, field):
    client.force_login(world["office"])

    response = client.post(f"/dossiers/{world['dossier'].pk}/central-result/", _post(**changes))

    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert form["signer_name"].value() == "Trần Thanh Nam"
    assert not LevelResult.objects.filter(level=Level.CENTRAL).exists()
    assert not Decision.objects.exists() and not Certificate.objects.exists()
    assert Dossier.objects.get(pk=world["dossier"].pk).state == DossierState.FORWARDED


def test_only_the_provinces_office_records_it(client, world, units, role_users):
    url = f"/dossiers/{world['dossier'].pk}/central-result/"
    commune = user_with_role(Role.COMMUNE_OFFICER, units["new_commune"], username="xa2")
    for user in (commune, role_users[Role.PROVINCE_OFFICER], role_users[Role.DISTRICT_OFFICER]):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, _post()).status_code == 404
    assert not LevelResult.objects.filter(level=Level.CENTRAL).exists()


def test_the_ministrys_decision_is_dated_after_the_forwarding_not_after_the_recording(
    client, world
):
    """The ministry decides first, the office records it days later."""
    import datetime

    dossier = world["dossier"]
    ten_days_ago = timezone.now() - datetime.timedelta(days=10)
    LevelResult.objects.filter(dossier=dossier, outcome=Outcome.FORWARDED).update(
        finalised_at=ten_days_ago
    )
    client.force_login(world["office"])
    url = f"/dossiers/{dossier.pk}/central-result/"
    today = timezone.localdate()

    too_early = client.post(
        url, _post(decision_date=(today - datetime.timedelta(days=20)).isoformat())
    )
    recorded = client.post(
        url, _post(decision_date=(today - datetime.timedelta(days=3)).isoformat())
    )

    assert too_early.status_code == 400
    assert "before the province forwarded" in too_early.context["form"].errors["decision_date"][0]
    assert recorded.status_code == 302
    assert Certificate.objects.get().issued_on == today - datetime.timedelta(days=3)


def test_phu_tho_records_the_central_result_of_a_hoa_binh_round(client, units, forms, regimes):
    """A 148/2023 round of Hòa Bình (history): district, then province, then the central
    level; today's Phú Thọ office records the ministry's decision and keeps it."""
    from tests.evaluations.councils.conftest import accepted_dossier

    office = user_with_role(Role.PROVINCE_OFFICER, units["new_province"], username="pt")
    district_officer = user_with_role(Role.DISTRICT_OFFICER, units["district"], username="h")
    old_officer = user_with_role(Role.PROVINCE_OFFICER, units["province"], username="hb")
    round_obj = open_round(office, units["province"])
    producer, owner = producer_with_owner(commune=units["commune"], username="htx")
    dossier = accepted_dossier(round_obj, product_for(producer, number=1), owner)
    today = timezone.localdate()
    for level, unit, actor in (
        ("district", units["district"], district_officer),
        ("province", units["province"], old_officer),
    ):
        council = make_council(level, unit, actor, prefix=level[:2], scoring=3, secretary=False)
        session = session_create(
            council=council, round=round_obj, date=today, place="UBND", actor=actor
        )
        (item,) = session_add_dossiers(session=session, dossiers=[dossier], actor=actor)
        assert _score_all(item, council, Decimal(101)).outcome == Outcome.FORWARDED
    client.force_login(office)

    response = client.post(f"/dossiers/{dossier.pk}/central-result/", _post())

    assert response.status_code == 302
    certificate = Certificate.objects.get()
    assert certificate.decision.issuer == units["new_province"]
    assert certificate.number.startswith("OCOP-25-") and certificate.stars == 5


def test_one_ministry_decision_takes_each_of_the_provinces_products(client, world):
    """The ministry's decision lists several products; the office records them one by one
    under the same decision, each with its certificate in the province's series."""
    import datetime

    second = world["more"](3)
    LevelResult.objects.filter(outcome=Outcome.FORWARDED).update(
        finalised_at=timezone.now() - datetime.timedelta(days=10)
    )
    # Two days of one year, both after the forwarding (whatever day the suite runs).
    day = timezone.localdate() - datetime.timedelta(days=4)
    if day.year != (day + datetime.timedelta(days=1)).year:
        day -= datetime.timedelta(days=1)
    decided, other_day = day.isoformat(), (day + datetime.timedelta(days=1)).isoformat()
    client.force_login(world["office"])

    first = client.post(
        f"/dossiers/{world['dossier'].pk}/central-result/", _post(decision_date=decided)
    )
    wrong_date = client.post(
        f"/dossiers/{second.pk}/central-result/", _post(decision_date=other_day)
    )
    again = client.post(f"/dossiers/{second.pk}/central-result/", _post(decision_date=decided))

    assert first.status_code == 302 and again.status_code == 302
    assert wrong_date.status_code == 400
    assert "is recorded with the date" in wrong_date.context["form"].errors["decision_date"][0]
    (decision,) = Decision.objects.all()
    numbers = sorted(c.number for c in decision.certificates.all())
    assert len(numbers) == 2 and numbers[1].endswith("0002")
    assert AuditEntry.objects.filter(action="decision.add_central_result").count() == 1
