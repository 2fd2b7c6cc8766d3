"""The follow-up's world: Tân Lạc (Hoà Bình) with certified products issued on chosen days.

The certificates are made directly (a recognised dossier, its final result, an issued
decision and the certificate, as the historical import makes them), not through councils:
the follow-up reads certificates, and its tests need them issued years back, on 29 February
or at a month's end. The pages and services under test are the real ones."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from evaluations.certificates.validity import (
    add_months,
    certificate_number,
    certified_values,
    mark_latest,
)
from evaluations.certificates.validity import valid_until as valid_until_of
from evaluations.enums import (
    CertificateStatus,
    DecisionState,
    DossierKind,
    DossierState,
    Level,
    Outcome,
)
from evaluations.models import Certificate, Decision, DecisionItem, Dossier, LevelResult
from ocop.core.enums import Role
from tests.evaluations.intake.conftest import open_round
from tests.factories import (
    hoa_binh_units,
    producer_with_owner,
    product_for,
    role_users_of,
    thai_nguyen_units,
    user_with_role,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="phieu-kiem-nghiem.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def today() -> datetime.date:
    return timezone.localdate()


def years_ago(n: int, *, days: int = 0) -> datetime.date:
    """The day `n` years before today (clamped like a certificate's anniversary), `days`
    earlier still."""
    return add_months(today(), -12 * n) - datetime.timedelta(days=days)


class World:
    """Builds certified products of Tân Lạc for the tests, one call each."""

    def __init__(self, units, users, round_):
        self.units = units
        self.users = users
        self.round = round_
        self.count = 0

    @property
    def district_officer(self):
        return self.users[Role.DISTRICT_OFFICER]

    @property
    def province_officer(self):
        return self.users[Role.PROVINCE_OFFICER]

    def certificate(
        self,
        *,
        issued_on: datetime.date | None = None,
        producer=None,
        unit=None,
        issuer=None,
        name: str | None = None,
        status: str = CertificateStatus.VALID,
        valid_until: datetime.date | None = None,
        stars: int = 3,
        score: Decimal | None = Decimal(60),
        product_set: int = 1,
        producer_name: str | None = None,
        product=None,
    ) -> Certificate:
        """A certificate as the services record it (the product's latest kept), of a new
        product unless `product` (recognised again) is given."""
        self.count += 1
        n = self.count
        issued_on = issued_on or today()
        if product is not None:
            producer = product.producer
        if producer is None:
            producer, _owner = producer_with_owner(
                commune=self.units["commune"],
                username=f"fu{n}",
                name=producer_name or f"HTX Theo dõi {n}",
            )
        if product is None:
            product = product_for(
                producer, number=product_set, name=name or f"Sản phẩm theo dõi {n}"
            )
        unit = unit or self.units["district"]
        issuer = issuer or self.units["district"]
        actor = self.district_officer
        moment = timezone.now()
        # A product recognised again was evaluated in another round.
        round_ = self.round
        if product is not None:
            round_ = open_round(self.province_officer, self.units["province"], number=n + 1)
        dossier = Dossier.objects.create(
            round=round_,
            product=product,
            kind=DossierKind.FIRST,
            state=DossierState.RECOGNISED,
            version=1,
            first_level_unit=unit,
            level=Level.DISTRICT,
            created_by=actor,
        )
        result = LevelResult.objects.create(
            dossier=dossier,
            level=Level.DISTRICT,
            mean=score,
            display_mean=score,
            band_stars=stars,
            stars=stars,
            outcome=Outcome.RECOGNISED,
            reason="Đạt 3 sao",
            finalised_by=actor,
            finalised_at=moment,
        )
        decision = Decision.objects.create(
            level=Level.DISTRICT,
            issuer=issuer,
            number=f"{n}/QĐ-UBND",
            year=issued_on.year,
            date=issued_on,
            signer_name="Bùi Văn Cường",
            signer_title="Phó Chủ tịch UBND huyện Tân Lạc",
            state=DecisionState.ISSUED,
            signed_scan="decisions/test.pdf",
            created_by=actor,
            issued_at=moment,
        )
        item = DecisionItem.objects.create(
            decision=decision, result=result, stars=stars, score=score
        )
        certificate = Certificate.objects.create(
            number=certificate_number(province="17", year=issued_on.year, sequence=n),
            decision=decision,
            item=item,
            product=product,
            producer_id=product.producer_id,
            dossier=dossier,
            stars=stars,
            score=score,
            **certified_values(product),
            issued_on=issued_on,
            valid_until=valid_until or valid_until_of(issued_on),
            province_code="17",
            year=issued_on.year,
            sequence=n,
            status=status,
        )
        mark_latest(certificate)
        return certificate


@pytest.fixture(autouse=True)
def _english(client):
    """Messages are asserted in English, the source language, in services and pages."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def units(db):
    return hoa_binh_units()


@pytest.fixture
def users(units):
    return role_users_of(units)


@pytest.fixture
def world(units, users):
    return World(units, users, open_round(users[Role.PROVINCE_OFFICER], units["province"]))


@pytest.fixture
def district_officer(world):
    return world.district_officer


@pytest.fixture
def province_officer(world):
    return world.province_officer


@pytest.fixture
def away(db):
    return thai_nguyen_units()


@pytest.fixture
def outsiders(away):
    """Officers of Thái Nguyên and a member of an unrelated producer."""
    _producer, stranger = producer_with_owner(
        commune=away["commune"], username="stranger", name="HTX Xa"
    )
    return {
        "province": user_with_role(Role.PROVINCE_OFFICER, away["province"], username="tn_tinh"),
        "district": user_with_role(Role.DISTRICT_OFFICER, away["district"], username="tn_huyen"),
        "producer": stranger,
    }


def owner_of(certificate: Certificate):
    return certificate.producer.members.get().user
