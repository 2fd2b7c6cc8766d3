"""The session's minutes: a Vietnamese PDF, for those who may see the session."""

import io
import unicodedata
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from evaluations.councils.minutes import minutes_pdf, points_vi
from evaluations.councils.services.councils import council_update
from evaluations.councils.services.scoring import (
    conflict_declare,
    item_finalise,
    item_record_discussion,
)
from evaluations.councils.services.sessions import session_add_dossiers, session_create
from evaluations.criteria.selectors import form_spec
from evaluations.engine.stars import round_half_up_2dp
from ocop.core.enums import Role
from products.enums import MemberRole
from products.models import ProducerMember
from tests.evaluations.councils.conftest import score, total_of
from tests.factories import user_with_role

# `items` and what they are built from: built once for the module's tests that use them.
from tests.fixtures.items_world import *  # noqa: F403

pytestmark = pytest.mark.django_db

RECUSAL = "Là người thân của chủ nhiệm hợp tác xã"


def pdf_text(data: bytes) -> str:
    """The PDF's text, NFC-normalised, with whitespace runs collapsed to one space."""
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


def scoring_members(members):
    return members["chair"] + members["vice_chair"] + members["member"]


@pytest.fixture
def scored(items, members, district_officer):
    """Product 1: four members score (one of them middling), the fifth is recused; the chair
    records the discussion and finalises (this council lets a discussion alone clear a wide
    spread). Product 2: only the chair has scored. Product 3: nobody. Returns the expected
    mean of product 1."""
    first, second, _third = items
    council_update(
        council=first.session.council, discussion_clears_spread=True, actor=district_officer
    )
    chair, vice, m3, m4, m5 = scoring_members(members)
    for member, choice in ((chair, "best"), (vice, "best"), (m3, "middle"), (m4, "best")):
        score(first, member, choice)
    conflict_declare(item=first, has_conflict=True, reason=RECUSAL, actor=m5.user)
    item_record_discussion(
        item=first, conclusion="Hội đồng thống nhất giữ nguyên điểm.", actor=chair.user
    )
    item_finalise(item=first, comments="Cần bổ sung câu chuyện sản phẩm.", actor=chair.user)
    score(second, chair, "best")
    spec = form_spec(first.dossier.scoring_form)
    best, middle = total_of(spec, "best"), total_of(spec, "middle")
    return round_half_up_2dp((3 * best + middle) / Decimal(4)), best, middle


def test_points_are_written_the_vietnamese_way():
    assert points_vi(Decimal("72.5")) == "72,50"
    assert points_vi(Decimal("72.509")) == "72,51"  # rounded half-up, as published
    assert points_vi(Decimal("72.504")) == "72,50"
    assert points_vi(Decimal("67.125")) == "67,13"
    assert points_vi(Decimal(80)) == "80,00"
    assert points_vi(None) == "—"


def test_minutes_of_a_session_in_progress(session, items, members, scored):
    mean, best, middle = scored
    text = pdf_text(minutes_pdf(session))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "BIÊN BẢN HỌP HỘI ĐỒNG ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP" in text
    assert session.council.name in text
    assert session.council.decision_number in text
    assert "Hội trường UBND huyện Tân Lạc" in text
    for member in scoring_members(members):
        assert member.name in text
    # The secretary keeps the minutes and signs them.
    assert members["hdhtk"].name in text
    assert "CHỦ TỊCH HỘI ĐỒNG" in text and "THƯ KÝ" in text
    assert RECUSAL in text
    for name in ("Gạo nếp cẩm", "Mật ong bạc hà", "Chè shan tuyết"):
        assert name in text
    for producer in ("HTX Số 1", "HTX Số 2", "HTX Số 3"):
        assert producer in text
    # Product 1 is final: the members' totals, the mean cut to 2 decimals, Vietnamese style.
    assert points_vi(mean) in text
    assert "," in points_vi(mean)
    assert points_vi(best) in text and points_vi(middle) in text
    assert "rút lui" in text
    assert "Hội đồng thống nhất giữ nguyên điểm." in text
    assert "Cần bổ sung câu chuyện sản phẩm." in text
    # Products 2 and 3 are still scoring: no official result, members not done, a draft.
    assert text.count("Chưa có kết quả chính thức") >= 2
    assert "chưa nộp" in text
    assert "DỰ THẢO" in text


def test_the_members_totals_of_an_open_product_are_not_printed(session, items, members):
    chair = members["chair"][0]
    score(items[0], chair, "worst")
    spec = form_spec(items[0].dossier.scoring_form)
    text = pdf_text(minutes_pdf(session))
    assert points_vi(total_of(spec, "worst")) not in text
    assert "đã nộp" in text


@pytest.fixture
def final_session(district_council, round_148, dossiers, members, district_officer):
    """A session with one product, scored by all and finalised."""
    session = session_create(
        council=district_council,
        round=round_148,
        date=timezone.localdate(),
        place="UBND huyện Tân Lạc",
        actor=district_officer,
    )
    (item,) = session_add_dossiers(session=session, dossiers=dossiers[:1], actor=district_officer)
    for member in scoring_members(members):
        score(item, member, "best")
    item_finalise(item=item, actor=members["chair"][0].user)
    return session


def test_minutes_with_every_product_final_are_not_a_draft(final_session, members):
    text = pdf_text(minutes_pdf(final_session))
    assert "DỰ THẢO" not in text
    assert "Chưa có kết quả chính thức" not in text
    assert "Gạo nếp cẩm" in text
    assert "Không có thành viên nào rút lui." in text


# --- the view ------------------------------------------------------------------------------


def minutes_url(session):
    return reverse("evaluations:session_minutes", args=[session.pk])


def test_a_council_member_gets_the_pdf(client, session, items, members):
    client.force_login(members["member"][0].user)
    response = client.get(minutes_url(session))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="bien-ban-{session.pk}.pdf"'
    assert "BIÊN BẢN HỌP" in pdf_text(response.content)


def test_the_district_officer_gets_the_pdf(client, session, items, district_officer):
    client.force_login(district_officer)
    response = client.get(minutes_url(session))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")


def test_others_get_404(client, session, items, units, django_user_model):
    other = user_with_role(Role.DISTRICT_OFFICER, units["other_district"], username="x")
    client.force_login(other)
    assert client.get(minutes_url(session)).status_code == 404
    producer = django_user_model.objects.get(username="htx1")
    client.force_login(producer)
    assert client.get(minutes_url(session)).status_code == 404


def test_anonymous_users_are_sent_to_sign_in(client, session):
    response = client.get(minutes_url(session))
    assert response.status_code == 302


def test_an_automatic_recusal_is_marked(session, dossiers, producers, members, district_officer):
    ProducerMember.objects.create(
        producer=producers[0][0], user=members["hdh5"].user, role=MemberRole.MEMBER
    )
    session_add_dossiers(session=session, dossiers=dossiers[:1], actor=district_officer)
    text = pdf_text(minutes_pdf(session))
    assert "HTX Số 1. (tự động)" in text
