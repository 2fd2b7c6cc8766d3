"""A cooperative of Mãn Đức (Tân Lạc, Hoà Bình) registering products to a round of the
province under Decision 148/2023: the district's working group checks its dossiers."""

import datetime
import hashlib

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone, translation

from evaluations.intake.services.dossiers import AnswerInput, dossier_create, dossier_save_answers
from evaluations.intake.services.rounds import round_open
from evaluations.models import CriteriaVersion, Regime
from ocop.core.enums import Role
from products.models import EvidenceDocument
from tests.factories import UnitFactory, producer_with_owner, product_for, user_with_role
from tests.fixtures import reference

MANDATORY_KINDS = (
    "business_registration",
    "product_standard",
    "lab_test",
    "label",
    "product_story",
)


@pytest.fixture(autouse=True)
def _english(client):
    """Messages are asserted in English, the source language, in services and pages."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


# The reference data is loaded once per test database (tests/fixtures/reference.py); these
# names stay here for the modules that import the fixtures from this one.
FORMS_USED = reference.FORMS_USED
forms = reference.forms
regimes = reference.regimes
required_documents = reference.required_documents


@pytest.fixture
def district_officer(role_users):
    return role_users[Role.DISTRICT_OFFICER]


@pytest.fixture
def province_officer(role_users):
    return role_users[Role.PROVINCE_OFFICER]


@pytest.fixture
def other_district_officer(units):
    return user_with_role(Role.DISTRICT_OFFICER, units["other_district"], username="dabac")


@pytest.fixture
def cooperative(units):
    return producer_with_owner(commune=units["commune"], username="htx", name="HTX Mãn Đức")


@pytest.fixture
def owner(cooperative):
    return cooperative[1]


@pytest.fixture
def product(cooperative, forms):
    return product_for(cooperative[0], number=1, name="Cam Mãn Đức")


def open_round(
    officer,
    province,
    *,
    regime="148/2023",
    number=1,
    today=None,
    historical=None,
    year=None,
    **dates,
):
    """A round with deadlines from `today`. A regime no longer in force (148/2023, the test
    world's) makes it a round entered as history, of the last year that regime was in force,
    unless `historical` and `year` say otherwise."""
    today = today or timezone.localdate()
    regime = Regime.objects.get(code=regime)
    if historical is None:
        historical = not regime.in_force_on(today)
    if year is None:
        year = min(today.year, regime.effective_until.year) if historical else today.year
    return round_open(
        province=province,
        year=year,
        number=number,
        title=f"Đợt {number} năm {year}",
        regime=regime,
        historical=historical,
        criteria_version=CriteriaVersion.objects.get(code="148/2023"),
        submission_deadline=dates.get("submission_deadline", today + datetime.timedelta(days=30)),
        first_level_deadline=dates.get("first_level_deadline", today + datetime.timedelta(days=60)),
        province_deadline=dates.get("province_deadline", today + datetime.timedelta(days=90)),
        actor=officer,
    )


@pytest.fixture
def round_148(forms, regimes, required_documents, units, province_officer):
    return open_round(province_officer, units["province"])


@pytest.fixture
def dossier(round_148, product, owner):
    return dossier_create(round=round_148, product=product, kind="first", actor=owner)


def make_document(producer, kind, *, uploaded_by, title=None, valid_until=None, product=None):
    content = f"%PDF-1.4\n% {kind} {title or ''}\n".encode()
    document = EvidenceDocument(
        producer=producer,
        product=product,
        kind=kind,
        title=title or kind.replace("_", " ").capitalize(),
        original_name=f"{kind}.pdf",
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        valid_until=valid_until,
        uploaded_by=uploaded_by,
    )
    document.file.save(f"{kind}.pdf", ContentFile(content), save=False)
    document.save()
    return document


@pytest.fixture
def library(cooperative):
    producer, owner = cooperative
    return {kind: make_document(producer, kind, uploaded_by=owner) for kind in MANDATORY_KINDS}


def best_answers(spec) -> dict[str, AnswerInput]:
    """Every leaf answered with its best option (a choose-one group: its first case)."""
    answers = {}
    for group in spec.groups():
        criteria = group.criteria[:1] if group.choose_one else group.criteria
        for criterion in criteria:
            for leaf in criterion.leaves():
                best = max(leaf.options, key=lambda o: o.points)
                answers[leaf.key] = AnswerInput(option=best.key)
    return answers


def complete(dossier, owner, library, *, skip=()):
    """Answer every criterion and attach the mandatory documents, as the producer would."""
    from evaluations.criteria.selectors import form_spec
    from evaluations.intake.services.dossiers import dossier_set_documents

    answers = best_answers(form_spec(dossier.scoring_form))
    for key in skip:
        answers.pop(key)
    dossier_save_answers(dossier=dossier, answers=answers, actor=owner)
    dossier_set_documents(dossier=dossier, documents=list(library.values()), actor=owner)
    return dossier


@pytest.fixture
def ready_dossier(dossier, owner, library):
    return complete(dossier, owner, library)


@pytest.fixture
def other_province():
    return UnitFactory(code="19", name="Tỉnh Thái Nguyên", short_name="Thái Nguyên")
