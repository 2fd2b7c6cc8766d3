"""Demo producers, products, documents and a round of Hòa Bình with a dossier in every state.

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

from evaluations.criteria.selectors import form_spec
from evaluations.enums import DossierState
from evaluations.intake.services.dossiers import (
    AnswerInput,
    ReturnItem,
    dossier_accept,
    dossier_create,
    dossier_resubmit,
    dossier_return,
    dossier_save_answers,
    dossier_set_documents,
    dossier_submit,
    dossier_withdraw,
)
from evaluations.intake.services.required_documents import required_documents_load
from evaluations.intake.services.rounds import round_open
from evaluations.models import CriteriaVersion, Regime, Round
from products.enums import ProducerState
from products.models import EvidenceDocument, Producer, ProducerMember, Product, ProductSet
from products.services.documents import document_upload
from products.services.producers import producer_verify
from products.services.products import product_create

DEMO_PRODUCER_NAME = "HTX Nông nghiệp Mãn Đức (demo)"
# (product name, product set number, final state of its dossier in the demo round). The
# dossier "under evaluation" is left accepted here: `ocop.demo.councils` puts it on the
# agenda of an open district session, the only way a dossier comes under evaluation.
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


@transaction.atomic
def seed_producers_and_dossiers(*, units, accounts) -> Round | None:
    """Idempotent: does nothing when the demo round exists. All or nothing."""
    province, commune = units["province"], units["commune"]
    today = timezone.localdate()
    if Round.objects.filter(province=province, year=today.year, number=1).exists():
        return None
    owner = accounts["htx.demo"]
    officer = accounts["huyen.demo"]
    province_officer = accounts["tinh.demo"]
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
        address_unit=commune,
        address_detail="Xóm Chiềng",
        phone="0912345678",
        email="htx.demo@ocop.localhost",
    )
    ProducerMember.objects.create(producer=producer, user=owner, role="owner")
    producer = producer_verify(producer=producer, actor=officer)
    Producer.objects.create(
        kind="household",
        name="Hộ kinh doanh Quách Văn Bình (demo)",
        registration_no="5400000002",
        tax_code="5400000002",
        representative_name="Quách Văn Bình",
        representative_title="Chủ hộ",
        representative_gender="male",
        representative_ethnic_minority=True,
        address_unit=commune,
        phone="0987654321",
        state=ProducerState.PENDING,
    )
    library = [
        document_upload(
            producer=producer,
            actor=owner,
            kind=kind,
            title=title,
            upload=_pdf(title),
            issued_on=today - datetime.timedelta(days=200),
            valid_until=today + datetime.timedelta(days=700),
        )
        for kind, title in MANDATORY
    ]
    document_upload(
        producer=producer,
        actor=owner,
        kind="food_safety",
        title="Giấy chứng nhận cơ sở đủ điều kiện ATTP (cũ)",
        upload=_pdf("attp cũ"),
        issued_on=today - datetime.timedelta(days=1200),
        valid_until=today - datetime.timedelta(days=30),
    )
    demo_round = round_open(
        province=province,
        year=today.year,
        number=1,
        title=f"Đợt 1 năm {today.year} (demo)",
        regime=Regime.objects.get(code="148/2023"),
        criteria_version=CriteriaVersion.objects.get(code="148/2023"),
        submission_deadline=today + datetime.timedelta(days=30),
        first_level_deadline=today + datetime.timedelta(days=60),
        province_deadline=today + datetime.timedelta(days=90),
        actor=province_officer,
    )
    for name, number, state in DEMO_PRODUCTS:
        product = product_create(
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
            producer=producer, kind__in=kinds, superseded_by__isnull=True
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
