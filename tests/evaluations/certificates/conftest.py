"""Final council results of Tân Lạc (Hoà Bình) under 148/2023, ready for decisions: two
products recognised 3★ by the district, one forwarded and recognised 4★ by the province.
Built through the services (tests.evaluations.councils.conftest for the councils and sheets)."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from evaluations.certificates.services import decision_create, decision_issue
from evaluations.councils.services.scoring import conflict_declare, item_finalise, sheet_submit
from evaluations.councils.services.sessions import session_add_dossiers, session_create
from evaluations.criteria.selectors import form_spec
from tests.evaluations.councils import conftest as session_fixtures
from tests.evaluations.councils.conftest import answers_below

_english = session_fixtures._english
district_officer = session_fixtures.district_officer
province_officer = session_fixtures.province_officer
forms = session_fixtures.forms
regimes = session_fixtures.regimes
required_documents = session_fixtures.required_documents
round_148 = session_fixtures.round_148
district_council = session_fixtures.district_council
province_council = session_fixtures.province_council
producers = session_fixtures.producers
dossiers = session_fixtures.dossiers
session = session_fixtures.session
items = session_fixtures.items
other_user = session_fixtures.other_user

# A small PDF that passes the upload checks (a signed scan stands in for the real one).
SCAN = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def scan(name="quyet-dinh.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, SCAN, content_type="application/pdf")


def issued(issuer, number, results, actor):
    """The certificates of a decision of `issuer` on `results`, drafted and issued today."""
    decision = decision_create(
        issuer=issuer,
        number=number,
        date=timezone.localdate(),
        signer_name="A",
        signer_title="B",
        results=results,
        actor=actor,
    )
    return decision_issue(decision=decision, signed_scan=scan(), actor=actor)


def _score_all(item, council, ceiling):
    spec = form_spec(item.dossier.scoring_form)
    answers = answers_below(spec, ceiling)
    scoring = council.members.filter(role__in=["chair", "vice_chair", "member"])
    for member in scoring:
        conflict_declare(item=item, has_conflict=False, actor=member.user)
        sheet_submit(
            sheet=item.sheets.get(member=member), answers=answers, notes={}, actor=member.user
        )
    return item_finalise(item=item, actor=council.members.get(role="chair").user)


@pytest.fixture
def results(items, district_council, province_council, round_148, province_officer):
    """{"district": [3★, 3★], "province": [4★]} final results, recognisable now."""
    first = _score_all(items[0], district_council, Decimal(70))
    forwarded = _score_all(items[1], district_council, Decimal(101))
    third = _score_all(items[2], district_council, Decimal(70))
    province_session = session_create(
        council=province_council,
        round=round_148,
        date=timezone.localdate(),
        place="UBND tỉnh Hoà Bình",
        actor=province_officer,
    )
    province_item = session_add_dossiers(
        session=province_session, dossiers=[forwarded.dossier], actor=province_officer
    )[0]
    province_result = _score_all(province_item, province_council, Decimal(90))
    assert (first.stars, third.stars, province_result.stars) == (3, 3, 4)
    return {"district": [first, third], "province": [province_result]}


@pytest.fixture
def district_decision(results, units, district_officer):
    return decision_create(
        issuer=units["district"],
        number="1520/QĐ-UBND",
        date=timezone.localdate(),
        signer_name="Bùi Văn Cường",
        signer_title="Phó Chủ tịch UBND huyện Tân Lạc",
        results=results["district"],
        actor=district_officer,
    )


@pytest.fixture
def certificates(district_decision, district_officer):
    return decision_issue(decision=district_decision, signed_scan=scan(), actor=district_officer)


@pytest.fixture
def province_certificates(results, units, province_officer):
    decision = decision_create(
        issuer=units["province"],
        number="2365/QĐ-UBND",
        date=timezone.localdate(),
        signer_name="Đinh Công Sứ",
        signer_title="Phó Chủ tịch UBND tỉnh Hoà Bình",
        results=results["province"],
        actor=province_officer,
    )
    return decision_issue(decision=decision, signed_scan=scan(), actor=province_officer)


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)
