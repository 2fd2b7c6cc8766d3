"""One shared world of objects for the permission matrix, built through the services.

Mãn Đức (Tân Lạc, Hoà Bình) is the area: producer A and producer B are cooperatives there;
Thái Nguyên is the other province, where the out-of-area officers work. The district council
of Tân Lạc holds a session with two of A's dossiers on its agenda: one still being scored
(one member has declared no conflict and holds a blank sheet, another is recused), one
scored, finalised 3★ and recognised by an issued district decision, whose certificate has
an inspection with a file.

The helpers of tests/dossiers, tests/sessions and tests/certificates build the pieces; this
module only strings them together once per test module.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from evaluations.certificates.services import decision_create, decision_issue, inspection_record
from evaluations.councils.services.scoring import conflict_declare
from evaluations.councils.services.sessions import session_add_dossiers, session_create
from evaluations.criteria.services import criteria_import, regimes_load
from evaluations.enums import DossierState
from evaluations.followup.schedule import report_periods
from evaluations.followup.services import (
    AnswerInput,
    commitment_add,
    plan_item_add,
    self_report_save,
)
from evaluations.intake.services.dossiers import dossier_create, dossier_set_documents
from evaluations.intake.services.required_documents import required_documents_load
from evaluations.models import Dossier, DossierVersion
from ocop.core.enums import Role
from products.models import ProductSet
from products.services.change_requests import product_change_request
from products.services.invitations import producer_invite
from products.services.products import product_photo_add
from products.services.sales import outlet_create, sales_point_create
from tests.evaluations.certificates.conftest import _score_all, scan
from tests.evaluations.councils.conftest import accepted_dossier, make_council
from tests.evaluations.intake.conftest import make_document, open_round
from tests.factories import (
    hoa_binh_units,
    producer_with_owner,
    product_for,
    thai_nguyen_units,
    user_with_role,
)
from tests.products.files import PDF, png

# Every role of the matrix, in the order the reports list them.
ROLES = (
    "anonymous",
    "producer_a",
    "producer_b",
    "commune_in",
    "commune_out",
    "district_in",
    "district_out",
    "province_in",
    "province_out",
    "member_assigned",
    "member_unassigned",
    "member_recused",
    "chair",
    "secretary",
    "administrator",
)


@dataclass
class World:
    users: dict  # role → User (no entry for "anonymous")
    objects: dict = field(default_factory=dict)  # name → model instance
    clients: dict = field(default_factory=dict)  # role → signed-in Client

    def __getattr__(self, name):
        try:
            return self.__dict__["objects"][name]
        except KeyError:
            raise AttributeError(name) from None


def _producer(units, *, username, name, sets):
    """A verified cooperative of Mãn Đức with a product per set, a document and a photo."""
    producer, owner = producer_with_owner(commune=units["commune"], username=username, name=name)
    products = [
        product_for(producer, number=number, name=f"{name} sản phẩm {number}") for number in sets
    ]
    document = make_document(producer, "label", uploaded_by=owner, product=products[0])
    photo = product_photo_add(
        product=products[0],
        upload=SimpleUploadedFile("anh.png", png(), content_type="image/png"),
        caption="Ảnh sản phẩm",
        actor=owner,
    )
    return producer, owner, products, document, photo


def build_world() -> World:
    units = hoa_binh_units()
    away = thai_nguyen_units()
    criteria_import(only={1, 2, 3})
    regimes_load()
    required_documents_load()

    users = {
        "administrator": user_with_role(Role.ADMINISTRATOR, username="pm_admin"),
        "commune_in": user_with_role(Role.COMMUNE_OFFICER, units["commune"], username="pm_xa"),
        "district_in": user_with_role(
            Role.DISTRICT_OFFICER, units["district"], username="pm_huyen"
        ),
        "province_in": user_with_role(Role.PROVINCE_OFFICER, units["province"], username="pm_tinh"),
        "commune_out": user_with_role(Role.COMMUNE_OFFICER, away["commune"], username="pm_xa2"),
        "district_out": user_with_role(
            Role.DISTRICT_OFFICER, away["district"], username="pm_huyen2"
        ),
        "province_out": user_with_role(
            Role.PROVINCE_OFFICER, away["province"], username="pm_tinh2"
        ),
    }
    round_obj = open_round(users["province_in"], units["province"])

    producer_a, owner_a, products_a, document_a, photo_a = _producer(
        units, username="pm_htx_a", name="HTX A", sets=(1, 2, 3)
    )
    producer_b, owner_b, products_b, document_b, photo_b = _producer(
        units, username="pm_htx_b", name="HTX B", sets=(1,)
    )
    users["producer_a"] = owner_a
    users["producer_b"] = owner_b

    # A's dossiers: a draft (product 3), one being scored (product 1), one recognised
    # (product 2); B's draft.
    dossier_draft = dossier_create(
        round=round_obj, product=products_a[2], kind="first", actor=owner_a
    )
    dossier_scoring = dossier_create(
        round=round_obj, product=products_a[0], kind="first", actor=owner_a
    )
    dossier_set_documents(dossier=dossier_scoring, documents=[document_a], actor=owner_a)
    Dossier.objects.filter(pk=dossier_scoring.pk).update(
        state=DossierState.ACCEPTED, version=1, level="district", accepted_at=timezone.now()
    )
    dossier_scoring.refresh_from_db()
    # The version it was sent as (a shortcut past the self-assessment: its receipt's data).
    DossierVersion.objects.create(
        dossier=dossier_scoring,
        number=1,
        submitted_at=timezone.now(),
        submitted_by=owner_a,
        snapshot={"totals": {"total": "0"}, "documents": []},
    )
    dossier_done = accepted_dossier(round_obj, products_a[1], owner_a)
    dossier_b = dossier_create(round=round_obj, product=products_b[0], kind="first", actor=owner_b)

    # The district council of Tân Lạc (pm1 chair, pm2 vice-chair, pm3-pm5 members, pmtk
    # secretary) and the province's council, whose members sit on no district session.
    district = users["district_in"]
    council = make_council("district", units["district"], district, prefix="pm")
    province_council = make_council(
        "province",
        units["province"],
        users["province_in"],
        prefix="pmt",
        scoring=3,
        secretary=False,
    )
    members = {m.user.username: m for m in council.members.select_related("user")}
    users["chair"] = members["pm1"].user
    users["member_assigned"] = members["pm3"].user
    users["member_recused"] = members["pm5"].user
    users["secretary"] = members["pmtk"].user
    users["member_unassigned"] = province_council.members.get(user__username="pmt3").user

    session = session_create(
        council=council,
        round=round_obj,
        date=timezone.localdate(),
        place="Hội trường UBND huyện Tân Lạc",
        actor=district,
    )
    item_scoring, item_done = session_add_dossiers(
        session=session, dossiers=[dossier_scoring, dossier_done], actor=district
    )
    # Scored by every scoring member, finalised by the chair: 3★ at the district.
    result = _score_all(item_done, council, Decimal(70))
    assert result.stars == 3
    # On the item still being scored: pm3 has a blank sheet, pm5 is recused.
    conflict_declare(item=item_scoring, has_conflict=False, actor=users["member_assigned"])
    conflict_declare(
        item=item_scoring,
        has_conflict=True,
        reason="Người thân làm việc tại HTX A",
        actor=users["member_recused"],
    )

    decision = decision_create(
        issuer=units["district"],
        number="1520/QĐ-UBND",
        date=timezone.localdate(),
        signer_name="Bùi Văn Cường",
        signer_title="Phó Chủ tịch UBND huyện Tân Lạc",
        results=[result],
        actor=district,
    )
    (certificate,) = decision_issue(decision=decision, signed_scan=scan(), actor=district)
    inspection = inspection_record(
        certificate=certificate,
        date=timezone.localdate() - datetime.timedelta(days=1),
        inspector="Đoàn kiểm tra huyện Tân Lạc",
        findings="Cơ sở duy trì điều kiện sản xuất.",
        outcome="compliant",
        attachments=[SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf")],
        actor=district,
    )
    inspection_file = inspection.attachments.get()
    # The follow-up: A's commitment, its first self-report drafted with a file, and the
    # province's plan taking the product up this year.
    commitment = commitment_add(
        certificate=certificate,
        kind="lab_tests",
        text="Kiểm nghiệm an toàn thực phẩm mỗi 12 tháng",
        actor=owner_a,
    )
    report_year = report_periods(certificate.issued_on, certificate.valid_until)[0].year
    self_report = self_report_save(
        certificate=certificate,
        year=report_year,
        answers={
            commitment.pk: AnswerInput(
                status="in_progress",
                evidence=SimpleUploadedFile("kiem-nghiem.pdf", PDF, content_type="application/pdf"),
            )
        },
        actor=owner_a,
    )
    self_report_answer = self_report.answers.get()
    plan_item = plan_item_add(
        province=units["province"],
        year=timezone.localdate().year,
        certificate=certificate,
        month=timezone.localdate().month,
        inspector="Đoàn kiểm tra liên ngành tỉnh",
        actor=users["province_in"],
    )
    # B's member asks the office to erase their personal data.
    from ocop.core.services.privacy import deletion_request_create

    deletion_request = deletion_request_create(
        user=owner_b, reason="Tôi không còn làm việc cho HTX B", actor=owner_b
    )
    # A mail that failed for good, on the office's failed-tasks page.
    import smtplib

    from ocop.core.mail import send_one_mail

    failed_task = send_one_mail.enqueue(subject="S", body="B", to="sai@example.vn").db_result
    failed_task.set_failed(smtplib.SMTPRecipientsRefused({"sai@example.vn": (550, b"No")}))
    invitation = producer_invite(
        producer=producer_a, email="thanhvienmoi@example.vn", actor=owner_a
    )
    certificate.product.refresh_from_db()
    change_request = product_change_request(
        product=certificate.product,
        name="HTX A mật ong hoa bạc hà",
        product_set=ProductSet.objects.get(number=2),
        reason="Đổi tên theo nhãn mới",
        actor=owner_a,
    )

    # The certified product's photo is public, in the catalogue.
    photo_certified = product_photo_add(
        product=certificate.product,
        upload=SimpleUploadedFile("anh.png", png(), content_type="image/png"),
        actor=owner_a,
    )
    # Where to buy: A's page on Shopee, and an OCOP point of sale of today's Phú Thọ (which
    # took in Hòa Bình) marked by the administrator: the world's province officers work on
    # the old map, and outlets are of today's.
    sales_point_a = sales_point_create(
        producer=producer_a,
        actor=owner_a,
        kind="marketplace",
        name="HTX A trên Shopee",
        url="https://shopee.vn/htx-a",
        products=[products_a[0]],
    )
    outlet = outlet_create(
        province=units["new_province"],
        actor=users["administrator"],
        kind="point_of_sale",
        name="Điểm bán sản phẩm OCOP Phú Thọ",
        address_unit=units["new_commune"],
        address_detail="Số 1 đường Hùng Vương",
        products=[products_a[0]],
    )

    world = World(users=users)
    world.objects.update(
        photo_certified=photo_certified,
        units=units,
        away=away,
        round=round_obj,
        producer_a=producer_a,
        producer_b=producer_b,
        product_a=products_a[0],
        product_certified=products_a[1],
        product_b=products_b[0],
        document_a=document_a,
        document_b=document_b,
        photo_a=photo_a,
        photo_b=photo_b,
        dossier_draft=dossier_draft,
        dossier_scoring=dossier_scoring,
        dossier_done=dossier_done,
        dossier_b=dossier_b,
        council=council,
        province_council=province_council,
        member_pm4=members["pm4"],
        session=session,
        item_scoring=item_scoring,
        item_done=item_done,
        decision=decision,
        certificate=certificate,
        inspection=inspection,
        inspection_file=inspection_file,
        commitment=commitment,
        self_report=self_report,
        self_report_answer=self_report_answer,
        plan_item=plan_item,
        invitation=invitation,
        change_request=change_request,
        sales_point_a=sales_point_a,
        outlet=outlet,
        deletion_request=deletion_request,
        failed_task=failed_task,
    )
    world.clients["anonymous"] = Client()
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        world.clients[role] = client
    assert set(world.clients) == set(ROLES)
    return world
