"""Demo producers, products, documents, and today's round of Phú Thọ with a dossier in every
state a working group gives.

The producers and products are fictional (names say so); the real published results in
`../shared/data/results/` are facts about real products and are not reused here. Every
state change goes through the same services the screens use. The states a council gives
(under evaluation, forwarded, recognised, not recognised) come from `ocop.demo.councils`.
"""

import datetime
import hashlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from evaluations.criteria.selectors import form_spec, regime_in_force
from evaluations.enums import DossierState
from evaluations.intake.services.dossiers import (
    AnswerInput,
    CommuneAssessmentInput,
    ReturnItem,
    dossier_accept,
    dossier_create,
    dossier_forward_to_province,
    dossier_resubmit,
    dossier_return,
    dossier_save_answers,
    dossier_set_documents,
    dossier_submit,
    dossier_withdraw,
    forwards_without_scoring,
)
from evaluations.intake.services.required_documents import required_documents_load
from evaluations.intake.services.rounds import round_open
from evaluations.models import CriteriaVersion, Round
from products.enums import ProducerState
from products.models import EvidenceDocument, Producer, ProducerMember, Product, ProductSet
from products.services.documents import document_upload
from products.services.producers import producer_locate_on_todays_map, producer_verify
from products.services.products import product_create

DEMO_PRODUCER_NAME = "HTX Nông nghiệp Mãn Đức (demo)"
# (product name, product set number, final state of its dossier in the demo round). The
# dossier "under evaluation" is left accepted here: `ocop.demo.councils` puts it on the
# agenda of an open province session, the only way a dossier comes under evaluation.
DEMO_PRODUCTS = [
    ("Cam Mãn Đức (demo)", 1, DossierState.DRAFT),
    ("Gạo nếp cẩm Tân Lạc (demo)", 3, DossierState.SUBMITTED),
    ("Mật ong hoa rừng (demo)", 4, DossierState.RETURNED),
    ("Măng khô Mường (demo)", 7, None),  # form 07 is unverified: no dossier possible yet
    ("Cơm lam Mãn Đức (demo)", 6, DossierState.RESUBMITTED),
    ("Rượu cần Mường (demo)", 15, DossierState.ACCEPTED),
    ("Tương ớt Mường (demo)", 9, DossierState.UNDER_EVALUATION),
    ("Thịt lợn bản gác bếp (demo)", 8, DossierState.WITHDRAWN),
]
MANDATORY = [
    ("business_registration", "Giấy chứng nhận đăng ký hợp tác xã"),
    ("product_standard", "Bản công bố chất lượng sản phẩm"),
    ("lab_test", "Phiếu kết quả kiểm nghiệm"),
    ("label", "Nhãn và bao bì sản phẩm"),
    ("product_story", "Câu chuyện sản phẩm"),
]


def _pdf(title: str) -> SimpleUploadedFile:
    body = f"%PDF-1.4\n% OCOP demo document: {title}\n".encode() + b"%%EOF\n"
    name = hashlib.sha1(title.encode()).hexdigest()[:10] + ".pdf"  # noqa: S324 - a file name
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def _answers(dossier) -> dict[str, AnswerInput]:
    """A plausible self-assessment: mostly the second-best option, some the best."""
    answers = {}
    for i, group in enumerate(form_spec(dossier.scoring_form).groups()):
        criteria = group.criteria[:1] if group.choose_one else group.criteria
        for criterion in criteria:
            for leaf in criterion.leaves():
                options = sorted(leaf.options, key=lambda o: o.points)
                pick = options[-1] if (i % 3 == 0 or len(options) < 2) else options[-2]
                answers[leaf.key] = AnswerInput(option=pick.key)
    return answers


DEMO_ROUND_TITLE = "Đợt 1 năm %(year)s (demo)"


def demo_round_of(province) -> Round | None:
    """Today's round (of Phú Thọ, under the regime in force) whose dossiers the demo walks
    through every step."""
    return (
        Round.objects.filter(province=province, title__endswith="(demo)", historical=False)
        .order_by("-year", "-number")
        .first()
    )


@transaction.atomic
def seed_producers(*, units, accounts) -> Producer:
    """The demo cooperative, recorded in Mãn Đức on the old map when it first registered (its
    history is seeded next), verified, with its documents; and a household business that
    registered today in Xã Tân Lạc, waiting for the commune's verification. Idempotent."""
    producer = Producer.objects.filter(name=DEMO_PRODUCER_NAME).first()
    if producer is not None:
        return producer
    today = timezone.localdate()
    owner = accounts["htx.demo"]
    required_documents_load()
    producer = Producer.objects.create(
        kind="cooperative",
        name=DEMO_PRODUCER_NAME,
        registration_no="5400000001",
        tax_code="5400000001",
        representative_name="Bùi Thị Lan",
        representative_title="Giám đốc",
        representative_gender="female",
        representative_ethnic_minority=True,
        address_unit=units["old_commune"],
        address_detail="Xóm Chiềng",
        phone="0912345678",
        email="htx.demo@ocop.localhost",
    )
    ProducerMember.objects.create(producer=producer, user=owner, role="owner")
    # The commune's officer verifies it: Xã Tân Lạc took over Mãn Đức's area.
    producer = producer_verify(producer=producer, actor=accounts["xa.demo"])
    Producer.objects.create(
        kind="household",
        name="Hộ kinh doanh Quách Văn Bình (demo)",
        registration_no="5400000002",
        tax_code="5400000002",
        representative_name="Quách Văn Bình",
        representative_title="Chủ hộ",
        representative_gender="male",
        representative_ethnic_minority=True,
        address_unit=units["commune"],
        phone="0987654321",
        state=ProducerState.PENDING,
    )
    for kind, title in MANDATORY:
        document_upload(
            producer=producer,
            actor=owner,
            kind=kind,
            title=title,
            upload=_pdf(title),
            issued_on=today - datetime.timedelta(days=200),
            valid_until=today + datetime.timedelta(days=700),
        )
    document_upload(
        producer=producer,
        actor=owner,
        kind="food_safety",
        title="Giấy chứng nhận cơ sở đủ điều kiện ATTP (cũ)",
        upload=_pdf("attp cũ"),
        issued_on=today - datetime.timedelta(days=1200),
        valid_until=today - datetime.timedelta(days=30),
    )
    return producer


@transaction.atomic
def seed_todays_round(*, units, accounts, producer) -> Round | None:
    """The cooperative says which commune of today's map it is in (asked once), then Phú
    Thọ's office opens this year's round under the regime in force and the cooperative
    registers its products; Xã Tân Lạc's working group checks them. Idempotent: does
    nothing once the round exists. All or nothing."""
    province = units["province"]
    if demo_round_of(province) is not None:
        return None
    today = timezone.localdate()
    owner, officer = accounts["htx.demo"], accounts["xa.demo"]
    if not producer.address_unit.in_force_on(today):
        producer = producer_locate_on_todays_map(
            producer=producer, commune=units["commune"], actor=owner
        )
    library = producer_library(producer)
    demo_round = round_open(
        province=province,
        year=today.year,
        number=Round.objects.filter(province=province, year=today.year).count() + 1,
        title=DEMO_ROUND_TITLE % {"year": today.year},
        regime=regime_in_force(today),
        criteria_version=CriteriaVersion.objects.get(code="148/2023"),
        submission_deadline=today + datetime.timedelta(days=30),
        first_level_deadline=today + datetime.timedelta(days=60),
        province_deadline=today + datetime.timedelta(days=90),
        actor=accounts["tinh.demo"],
    )
    for name, number, state in DEMO_PRODUCTS:
        product = Product.objects.filter(producer=producer, name=name).first() or product_create(
            producer=producer,
            actor=owner,
            name=name,
            product_set=ProductSet.objects.get(number=number),
            description="Sản phẩm mẫu của dữ liệu demo.",
        )
        if state is not None:
            dossier_in_state(demo_round, product, state, owner, officer, library, today)
    return demo_round


def producer_library(producer: Producer) -> list[EvidenceDocument]:
    """The producer's current mandatory documents (what each demo dossier attaches)."""
    kinds = [kind for kind, _title in MANDATORY]
    return list(
        EvidenceDocument.objects.filter(
            producer=producer, kind__in=kinds, superseded_by__isnull=True, product__isnull=True
        ).order_by("kind", "pk")
    )


def dossier_in_state(
    demo_round,
    product: Product,
    state,
    owner,
    officer,
    library,
    today,
    *,
    returned_once: bool = True,
    samples_received_on: datetime.date | None = None,
):
    """Take a new dossier of `product` to `state` through the producer's and the working
    group's services (at most "accepted": a council takes it further). With
    `returned_once`, the working group returns it once before accepting it."""
    dossier = dossier_create(round=demo_round, product=product, kind="first", actor=owner)
    dossier_save_answers(dossier=dossier, answers=_answers(dossier), actor=owner)
    if state == DossierState.DRAFT:
        return dossier
    dossier_set_documents(dossier=dossier, documents=library, actor=owner)
    if state == DossierState.WITHDRAWN:
        return dossier_withdraw(dossier=dossier, actor=owner, reason="Chưa đủ sản lượng (demo).")
    dossier = dossier_submit(dossier=dossier, actor=owner)
    if state == DossierState.SUBMITTED:
        return dossier
    if returned_once:
        dossier = _return_and_resubmit(dossier, state, owner, officer)
        if state in (DossierState.RETURNED, DossierState.RESUBMITTED):
            return dossier
    if forwards_without_scoring(dossier):
        # Under 1489/2025: the commune's assessment and its letter to the province.
        number = f"{100 + dossier.pk}/UBND-KT"
        return dossier_forward_to_province(
            dossier=dossier,
            samples_count=5,
            samples_received_on=samples_received_on or today,
            assessment=CommuneAssessmentInput(
                local_origin_met=True,
                local_origin_note=(
                    "Nguyên liệu do các hộ thành viên của hợp tác xã sản xuất tại xã; sản phẩm "
                    "được chế biến tại cơ sở của hợp tác xã trên địa bàn xã."
                ),
                dossier_assessment=(
                    "Hồ sơ đầy đủ theo danh mục; phiếu tự đánh giá phù hợp với minh chứng. "
                    "Đề nghị Hội đồng tỉnh đánh giá, phân hạng."
                ),
                letter_number=number,
                letter_date=today,
                letter=_pdf(f"Công văn {number} đề nghị đánh giá, phân hạng sản phẩm OCOP"),
            ),
            actor=officer,
        )
    return dossier_accept(
        dossier=dossier,
        samples_count=5,
        samples_received_on=samples_received_on or today,
        actor=officer,
    )


def _return_and_resubmit(dossier, state, owner, officer):
    dossier = dossier_return(
        dossier=dossier,
        reasons=[
            ReturnItem("document", "lab_test", "Phiếu kiểm nghiệm thiếu chỉ tiêu vi sinh."),
            ReturnItem("other", "", "Bổ sung ảnh bao bì mặt sau."),
        ],
        actor=officer,
    )
    if state == DossierState.RETURNED:
        return dossier
    return dossier_resubmit(dossier=dossier, actor=owner)


# The earlier round of the year, behind its deadlines: the progress page's late unit.
LATE_ROUND_TITLE = "Đợt đầu năm %(year)s (demo, chậm tiến độ)"
# (name, product set, what the cooperative did): submitted and never checked by the commune,
# left a draft past the submission deadline.
LATE_PRODUCTS = [
    ("Khoai sọ Mường (demo)", 1, DossierState.SUBMITTED),
    ("Nếp cái hoa vàng Mãn Đức (demo)", 3, DossierState.DRAFT),
]


@transaction.atomic
def seed_late_round(*, units, accounts, producer) -> Round | None:
    """Phú Thọ's earlier round of the year, opened 100 days ago: its submission deadline
    passed 40 days ago, its first-level deadline 10 days ago, and Xã Tân Lạc's working group
    still holds a dossier it never checked (a draft was never submitted). Dated through the
    demo clock; skipped when 100 days ago falls before today's map and regime (before
    mid-July 2025). Idempotent."""
    from ocop.demo.certificates import demo_clock

    province = units["province"]
    today = timezone.localdate()
    opened = today - datetime.timedelta(days=100)
    regime = regime_in_force(opened)
    if regime is None or not province.in_force_on(opened) or regime.code != "1489/2025":
        return None
    title = LATE_ROUND_TITLE % {"year": opened.year}
    if Round.objects.filter(province=province, title=title).exists():
        return None
    owner, officer = accounts["htx.demo"], accounts["xa.demo"]
    if not producer.address_unit.in_force_on(today):
        producer = producer_locate_on_todays_map(
            producer=producer, commune=units["commune"], actor=owner
        )
    library = producer_library(producer)
    with demo_clock(opened):
        late_round = round_open(
            province=province,
            year=opened.year,
            number=Round.objects.filter(province=province, year=opened.year).count() + 1,
            title=title,
            regime=regime,
            criteria_version=CriteriaVersion.objects.get(code="148/2023"),
            submission_deadline=today - datetime.timedelta(days=40),
            first_level_deadline=today - datetime.timedelta(days=10),
            province_deadline=today + datetime.timedelta(days=30),
            actor=accounts["tinh.demo"],
        )
    for days_ago, (name, number, state) in zip((95, 50), LATE_PRODUCTS, strict=True):
        day = today - datetime.timedelta(days=days_ago)
        with demo_clock(day):
            product = Product.objects.filter(producer=producer, name=name).first() or (
                product_create(
                    producer=producer,
                    actor=owner,
                    name=name,
                    product_set=ProductSet.objects.get(number=number),
                    description="Sản phẩm mẫu của dữ liệu demo.",
                )
            )
            dossier_in_state(late_round, product, state, owner, officer, library, day)
    return late_round
