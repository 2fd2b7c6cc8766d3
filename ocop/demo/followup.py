"""The demo's follow-up after certification (issue 14): the cooperative's commitments on its
certificates of today, and Phú Thọ's inspection plan of the year with the product the risk
ranking puts first (inspected with a warning, its yearly reports not sent). Idempotent:
nothing is added once the commitments exist."""

import datetime

from django.db import transaction
from django.utils import timezone

from evaluations.certificates.validity import add_months
from evaluations.enums import CertificateStatus, CommitmentKind
from evaluations.followup.services import commitment_add, plan_item_add
from evaluations.models import Certificate, Commitment

# (product, kind, text, months after the certificate's issue it is due, or None)
COMMITMENTS = [
    (
        "Gạo Séng Cù Mường Bi (demo)",
        CommitmentKind.STANDARD,
        "Duy trì tiêu chuẩn cơ sở TCCS 01:2026/HTX-MĐ cho gạo Séng Cù đóng túi 2 kg và 5 kg.",
        None,
    ),
    (
        "Gạo Séng Cù Mường Bi (demo)",
        CommitmentKind.LAB_TESTS,
        "Kiểm nghiệm lại các chỉ tiêu chất lượng và dư lượng thuốc bảo vệ thực vật mỗi năm.",
        12,
    ),
    (
        "Gạo Séng Cù Mường Bi (demo)",
        CommitmentKind.TRACEABILITY,
        "Dán tem truy xuất nguồn gốc QR cho 100% bao bì bán ra.",
        3,
    ),
    (
        "Bưởi đỏ Tân Lạc (demo)",
        CommitmentKind.VOLUME,
        "Mở rộng vùng trồng lên 15 ha, sản lượng 120 tấn mỗi năm.",
        24,
    ),
]
PLAN_INSPECTOR = "Đoàn kiểm tra liên ngành tỉnh Phú Thọ"


@transaction.atomic
def seed_followup(*, accounts) -> None:
    if Commitment.objects.exists():
        return
    today = timezone.localdate()
    owner, office = accounts["htx.demo"], accounts["tinh.demo"]
    valid = Certificate.objects.filter(
        status=CertificateStatus.VALID, decision__import_batch__isnull=True
    )
    for product, kind, text, months in COMMITMENTS:
        certificate = valid.filter(product__name=product).order_by("-issued_on").first()
        if certificate is None:
            continue
        due_on = add_months(certificate.issued_on, months) if months else None
        commitment_add(certificate=certificate, kind=kind, text=text, due_on=due_on, actor=owner)
    # The product inspected with a warning, its reports not sent: planned for next month.
    warned = valid.filter(product__name="Mía tím Tân Lạc (demo)").first()
    if warned is not None and warned.valid_until > today:
        month = (today.replace(day=1) + datetime.timedelta(days=32)).month
        year = today.year if month > today.month else today.year + 1
        plan_item_add(
            province=accounts["tinh.demo"].jurisdiction,
            year=year,
            certificate=warned,
            month=month,
            inspector=PLAN_INSPECTOR,
            actor=office,
        )
