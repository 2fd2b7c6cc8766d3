"""Demo recognition decisions and certificates, one in each status a reader sees.

- Valid: Phú Thọ's decision recognising the 3★ and 4★ results of this year's round, issued
  today by the province's office (under 1489/2025 the province recognises both).
- Expired and expiring, the history on the old map: three older products of the demo
  cooperative, evaluated by the Tân Lạc district council in two of Hòa Bình's rounds under
  148/2023 (`seed_history`). A decision of 37 months ago
  gave "Mắc khén rừng Mãn Đức (demo)" a certificate that ended a month ago; one of 33 months ago
  gave "Mía tím Tân Lạc (demo)" a certificate ending in three months, inspected 14 months ago
  (a warning), and "Lạp xưởng gác bếp Mãn Đức (demo)" one revoked seven months ago after a
  food-safety violation.
- The daily lifecycle then runs once, as cron would today: the certificate past its date is
  marked expired and the expiring one's producer told.

How the past is dated. The services date what they write by the clock: `timezone.now()`,
which `timezone.localdate()` also reads. They refuse a decision dated in the future, a
dossier after its round's deadline, a session outside its council's term, and every audit
entry records when. So the older products' whole history (round, documents, dossiers,
sessions and score sheets, decision and certificates, inspection, revocation) goes through
the same services as everything else, under `demo_clock(day)`, which patches
`django.utils.timezone.now` to read that day (advancing with the real clock, so entries keep
their order): what the services write, audit entries and notifications included, carries the
day each step took place. The other route, an old `date` on `decision_create` for results
scored now, would have put a three-year-old decision on this year's council results. What the
clock does not change: the accounts and the producer were created today, and the audit log's
sequence is the order of seeding, not of the days it records.

Idempotent: the older history is skipped once its products exist, a decision once its number
exists (or when no result waits for one), and the lifecycle changes nothing twice a day.
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from evaluations.certificates.central import MINISTRY, CentralDecisionInput, record_central_result
from evaluations.certificates.selectors import recognisable_results
from evaluations.certificates.services import (
    certificate_revoke,
    certificates_lifecycle,
    decision_create,
    decision_issue,
    inspection_record,
)
from evaluations.certificates.validity import add_months
from evaluations.councils.services.councils import council_add_member, council_create
from evaluations.councils.services.sessions import session_add_dossiers, session_create
from evaluations.enums import DossierState, Level, Outcome
from evaluations.intake.services.dossiers import dossier_accept
from evaluations.intake.services.rounds import round_open
from evaluations.models import (
    Certificate,
    Council,
    CriteriaVersion,
    Decision,
    Dossier,
    LevelResult,
    Regime,
    Round,
)
from ocop.core.models.units import THREE_TIER_UNTIL
from ocop.demo.councils import (
    COUNCIL_ACCOUNTS,
    Scoring,
    items_in_order,
    score_item,
)
from ocop.demo.dossiers import MANDATORY, _pdf, dossier_in_state
from products.models import Product, ProductChangeRequest, ProductSet
from products.services.change_requests import product_change_request
from products.services.documents import document_upload
from products.services.products import product_create

# Today's decision (valid certificates).
PROVINCE_RECOGNITION = "2841/QĐ-UBND"
PROVINCE_SIGNER = ("Nguyễn Văn Quang", "Phó Chủ tịch UBND tỉnh Phú Thọ")
# The old map's district, which recognised 3★ under 148/2023.
DISTRICT_SIGNER = ("Bùi Văn Thắng", "Phó Chủ tịch UBND huyện Tân Lạc")
# The district council, which scored the older products until the district was abolished.
PAST_COUNCIL_DECISION = "3105/QĐ-UBND"
REVOCATION_DECISION = "1187/QĐ-UBND"


@dataclass(frozen=True)
class PastProduct:
    name: str
    product_set: int
    description: str
    scoring: Scoring


@dataclass(frozen=True)
class PastDecision:
    """A district decision `months_ago` months before today, on the products a council
    session of an earlier round recognised 3★ two months before it."""

    months_ago: int
    number: str
    products: tuple[PastProduct, ...]


MAC_KHEN = PastProduct(
    "Mắc khén rừng Mãn Đức (demo)",
    10,
    "Hạt mắc khén thu hái trên rừng của xã, phơi khô và đóng gói theo mùa.",
    Scoring(
        64,
        3,
        "Đạt 3 sao. Cần đầu tư bao bì, nhãn mác và mở rộng vùng nguyên liệu được khoanh "
        "nuôi, bảo vệ.",
    ),
)
MIA_TIM = PastProduct(
    "Mía tím Tân Lạc (demo)",
    1,
    "Mía tím trồng trên đất bãi ven sông Bưởi, thu hoạch và bó theo lô.",
    Scoring(
        66,
        3,
        "Đạt 3 sao. Cần tem truy xuất nguồn gốc cho từng lô và câu chuyện sản phẩm đầy đủ hơn.",
    ),
)
LAP_XUONG = PastProduct(
    "Lạp xưởng gác bếp Mãn Đức (demo)",
    8,
    "Lạp xưởng thịt lợn bản ướp mắc khén, hun khói trên gác bếp.",
    Scoring(
        61,
        3,
        "Đạt 3 sao. Cần kiểm soát chặt quy trình chế biến và kiểm nghiệm định kỳ các chỉ "
        "tiêu vi sinh.",
    ),
)
PAST_DECISIONS = (
    PastDecision(37, "1935/QĐ-UBND", (MAC_KHEN,)),  # ended a month ago: expired
    PastDecision(33, "412/QĐ-UBND", (MIA_TIM, LAP_XUONG)),  # ends in three months
)
INSPECTED, REVOKED = MIA_TIM.name, LAP_XUONG.name
INSPECTION_MONTHS_AGO, REVOCATION_MONTHS_AGO = 14, 7


@contextmanager
def demo_clock(day: datetime.date) -> Iterator[None]:
    """`timezone.now()` (and so `timezone.localdate()`) reads `day`, from 9 in the morning
    local time, advancing as the real clock does; for seeding the demo's past only."""
    real_now = timezone.now
    started = real_now()
    morning = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    with mock.patch.object(timezone, "now", lambda: morning + (real_now() - started)):
        yield


def _scan(number: str) -> SimpleUploadedFile:
    """The signed decision's scan: a small PDF named after the number (1268-qd-ubnd.pdf)."""
    body = f"%PDF-1.4\n% OCOP demo: Quyết định {number} (bản ký, đóng dấu)\n".encode()
    name = slugify(number.replace("/", "-").replace("Đ", "D")) or "quyet-dinh"
    return SimpleUploadedFile(f"{name}.pdf", body + b"%%EOF\n", content_type="application/pdf")


def seed_certificates(*, units, accounts) -> list[Certificate]:
    """Seed what is missing (see the module's docstring); returns every certificate."""
    _record_central(units["province"], accounts["tinh.demo"])
    _recognise_today(
        units["province"], accounts["tinh.demo"], PROVINCE_RECOGNITION, PROVINCE_SIGNER
    )
    certificates_lifecycle()
    _ask_to_rename(accounts["htx.demo"])
    return list(
        Certificate.objects.select_related("product", "decision").order_by("issued_on", "number")
    )


def _recognise_today(issuer, officer, number: str, signer: tuple[str, str]) -> list[Certificate]:
    """The issuer's decision recognising the results waiting for one, issued today."""
    today = timezone.localdate()
    if Decision.objects.filter(issuer=issuer, number=number).exists():
        return []
    results = list(recognisable_results(issuer))
    if not results:
        return []  # an older demo database without the councils' results
    with transaction.atomic():
        decision = decision_create(
            issuer=issuer,
            number=number,
            date=today,
            signer_name=signer[0],
            signer_title=signer[1],
            results=results,
            actor=officer,
        )
        return decision_issue(decision=decision, signed_scan=_scan(number), actor=officer)


CENTRAL_PRODUCT = "Gạo Séng Cù Mường Bi (demo)"
CENTRAL_DECISION = "1519/QĐ-BNNMT"


def _record_central(province, officer) -> None:
    """The central council recognised one of the two candidates Phú Thọ forwarded 5★: the
    office records its result and the ministry's decision (the other still waits)."""
    dossier = Dossier.objects.filter(
        round__province=province,
        product__name=CENTRAL_PRODUCT,
        state=DossierState.FORWARDED,
        level=Level.CENTRAL,
    ).first()
    if dossier is None:
        return  # recorded already, or an older demo database
    record_central_result(
        dossier=dossier,
        score=Decimal("92.40"),
        stars=5,
        comments="Sản phẩm tiêu biểu của vùng cao, đạt hạng 5 sao cấp quốc gia.",
        decision=CentralDecisionInput(
            number=CENTRAL_DECISION,
            date=timezone.localdate(),
            issuer_name=MINISTRY,
            signer_name="Trần Thanh Nam",
            signer_title="Thứ trưởng Bộ Nông nghiệp và Môi trường",
            signed_scan=_scan(CENTRAL_DECISION),
        ),
        actor=officer,
    )


def _ask_to_rename(member) -> None:
    """The demo cooperative asks the province office to rename one certified product, so
    that the office finds a request waiting (seeded once)."""
    if ProductChangeRequest.objects.exists():
        return
    today = timezone.localdate()
    product = (
        Product.objects.filter(
            producer__members__user=member,
            certificate_number__gt="",
            certificate_valid_until__gte=today,
        )
        .order_by("pk")
        .first()
    )
    if product is None:
        return
    product_change_request(
        product=product,
        name=f"{product.name} Mãn Đức",
        product_set=product.product_set,
        reason="Sản phẩm vừa được cấp nhãn hiệu tập thể “Mãn Đức”; đề nghị đổi tên theo nhãn.",
        actor=member,
    )


# --- the older products, under the demo clock ---------------------------------------------


@transaction.atomic
def seed_history(*, units, accounts, council_users, producer) -> None:
    """Hòa Bình's rounds on the old map, dated in their years (see the module's docstring).
    The decisions fall before 01/07/2025 while the demo runs before April 2028 (33 months);
    after that the dates would need the map and regime of their own day (refused loudly)."""
    names = [p.name for d in PAST_DECISIONS for p in d.products]
    if Product.objects.filter(producer=producer, name__in=names).exists():
        return
    today = timezone.localdate()
    district = units["district"]
    council = None
    for past in PAST_DECISIONS:
        decided = add_months(today, -past.months_ago)
        session_day = decided - datetime.timedelta(days=60)
        if council is None:
            council = _past_council(district, session_day, today, accounts, council_users)
        if decided > THREE_TIER_UNTIL:
            raise RuntimeError(
                f"The demo's history decision {past.number} would fall on {decided}, after the "
                "district was abolished: move PAST_DECISIONS to the two-tier map."
            )
        dossiers = _past_dossiers(units["old_province"], producer, past, decided, accounts)
        with demo_clock(session_day - datetime.timedelta(days=15)):
            session = session_create(
                council=council,
                round=dossiers[0].round,
                date=session_day,
                place="Hội trường UBND huyện Tân Lạc",
                actor=accounts["huyen.demo"],
            )
            items = session_add_dossiers(
                session=session, dossiers=dossiers, actor=accounts["huyen.demo"]
            )
        with demo_clock(session_day):
            for item, product in zip(items_in_order(items, dossiers), past.products, strict=True):
                score_item(item, product.scoring)
        results = LevelResult.objects.filter(
            dossier__in=dossiers, level=Level.DISTRICT, outcome=Outcome.RECOGNISED
        )
        with demo_clock(decided):
            decision = decision_create(
                issuer=district,
                number=past.number,
                date=decided,
                signer_name=DISTRICT_SIGNER[0],
                signer_title=DISTRICT_SIGNER[1],
                results=results,
                actor=accounts["huyen.demo"],
            )
            decision_issue(
                decision=decision, signed_scan=_scan(past.number), actor=accounts["huyen.demo"]
            )
    _inspect_and_revoke(today, accounts)


def _past_council(district, first_session, today, accounts, council_users) -> Council:
    """The district council: from 20 December of the year before `first_session` to the day
    the district was abolished (30/06/2025)."""
    council = Council.objects.filter(unit=district, decision_number=PAST_COUNCIL_DECISION).first()
    if council is not None:
        return council
    term_end = THREE_TIER_UNTIL
    decided = datetime.date(first_session.year - 1, 12, 20)
    officer = accounts["huyen.demo"]
    with demo_clock(decided):
        council = council_create(
            level=Level.DISTRICT,
            unit=district,
            name=f"Hội đồng đánh giá, phân hạng sản phẩm OCOP huyện Tân Lạc "
            f"(nhiệm kỳ {decided.year + 1}–{term_end.year})",
            decision_number=PAST_COUNCIL_DECISION,
            decision_date=decided,
            term_start=decided,
            term_end=term_end,
            actor=officer,
        )
        for account in COUNCIL_ACCOUNTS:
            if account.level == Level.DISTRICT:
                council_add_member(
                    council=council,
                    user=council_users[account.username],
                    role=account.role,
                    organisation=account.organisation,
                    title=account.title,
                    actor=officer,
                )
    return council


def _past_round(province, opened: datetime.date, decided: datetime.date, officer) -> Round:
    year = opened.year
    number = Round.objects.filter(province=province, year=year).count() + 1
    regime = Regime.objects.get(code="148/2023")
    with demo_clock(opened):
        return round_open(
            province=province,
            year=year,
            number=number,
            title=f"Đợt {number} năm {year} (demo)",
            regime=regime,
            historical=not regime.in_force_on(opened),
            criteria_version=CriteriaVersion.objects.get(code="148/2023"),
            submission_deadline=decided - datetime.timedelta(days=100),
            first_level_deadline=decided - datetime.timedelta(days=40),
            province_deadline=decided - datetime.timedelta(days=20),
            actor=officer,
        )


def _past_dossiers(province, producer, past: PastDecision, decided, accounts) -> list:
    """The round, then each product with its own documents of the time, its dossier
    submitted and accepted by the district's working group."""
    owner, officer = accounts["htx.demo"], accounts["huyen.demo"]
    opened = decided - datetime.timedelta(days=150)
    demo_round = _past_round(province, opened, decided, accounts["tinh.demo"])
    submitted_on = decided - datetime.timedelta(days=120)
    accepted_on = submitted_on + datetime.timedelta(days=10)
    dossiers = []
    for past_product in past.products:
        with demo_clock(submitted_on):
            product = product_create(
                producer=producer,
                actor=owner,
                name=past_product.name,
                product_set=ProductSet.objects.get(number=past_product.product_set),
                description=past_product.description,
            )
            library = [
                document_upload(
                    producer=producer,
                    actor=owner,
                    kind=kind,
                    title=f"{title} ({submitted_on.year})",
                    upload=_pdf(f"{title} · {past_product.name} · {submitted_on.year}"),
                    product=product,
                    issued_on=submitted_on - datetime.timedelta(days=80),
                    valid_until=submitted_on + datetime.timedelta(days=720),
                )
                for kind, title in MANDATORY
            ]
            dossier = dossier_in_state(
                demo_round,
                product,
                DossierState.SUBMITTED,
                owner,
                officer,
                library,
                submitted_on,
                returned_once=False,
            )
        with demo_clock(accepted_on):
            dossiers.append(
                dossier_accept(
                    dossier=dossier,
                    samples_count=5,
                    samples_received_on=accepted_on,
                    actor=officer,
                )
            )
    return dossiers


def _office_on(day: datetime.date, accounts):
    """Who follows the old district's certificates up on a day: its office until the
    district was abolished, then the province's that absorbed it."""
    if day <= THREE_TIER_UNTIL:
        return accounts["huyen.demo"], "huyện Tân Lạc"
    return accounts["tinh.demo"], "tỉnh Phú Thọ"


def _inspect_and_revoke(today: datetime.date, accounts) -> None:
    inspected = Certificate.objects.get(product__name=INSPECTED)
    day = add_months(today, -INSPECTION_MONTHS_AGO)
    officer, where = _office_on(day, accounts)
    with demo_clock(day):
        inspection_record(
            certificate=inspected,
            date=day,
            inspector=f"Đoàn kiểm tra liên ngành {where}",
            findings="Sản phẩm bày bán tại cửa hàng của hợp tác xã đúng hạng sao được công "
            "nhận. Một số bó mía chưa dán tem truy xuất nguồn gốc theo lô; yêu cầu khắc phục "
            "trong 30 ngày.",
            outcome="warning",
            attachments=[_pdf("Biên bản kiểm tra sau chứng nhận")],
            actor=officer,
        )
    revoked = Certificate.objects.get(product__name=REVOKED)
    day = add_months(today, -REVOCATION_MONTHS_AGO)
    officer, _where = _office_on(day, accounts)
    with demo_clock(day):
        certificate_revoke(
            certificate=revoked,
            reason="quality_violation",
            decision_number=REVOCATION_DECISION,
            decision_date=day,
            note="Mẫu lấy trên thị trường có chỉ tiêu vi sinh vượt giới hạn cho phép (phiếu "
            "kết quả thử nghiệm của Trung tâm Kiểm nghiệm tỉnh Phú Thọ).",
            actor=officer,
        )
