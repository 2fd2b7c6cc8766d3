"""`seed_demo` on an empty registry, then run again. Seeding costs seconds, so the module seeds
once and reruns once (`demo_world`, in a transaction the module's end rolls back); each test
reads that database in its own savepoint, with the counts and the output of both runs."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from ocop.core.enums import Role
from ocop.core.models import User
from ocop.demo.seed import DEMO_PASSWORD
from tests.fixtures.reference import empty_reference_tables

pytestmark = [pytest.mark.django_db]


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker):
    """The demo seeded on an empty registry (seed_demo loads the reference data itself when
    the registry has none), then seeded again: {"out": [first, second], "counts": [after
    the first, after the second]} (the model counts of `_council_counts` and
    `_certificate_counts`)."""
    with django_db_blocker.unblock(), transaction.atomic():
        empty_reference_tables()
        outs, counts = [], []
        for _ in range(2):
            outs.append(_seed())
            counts.append({**_council_counts(), **_certificate_counts()})
        yield {"out": outs, "counts": counts}
        transaction.set_rollback(True)


@pytest.fixture
def seeded(demo_world, db):
    return demo_world


def test_seed_demo_creates_one_account_per_role_and_is_repeatable(seeded):
    users = User.objects.filter(username__endswith=".demo").order_by("username")
    assert sorted(r for u in users for r in u.roles) == sorted(Role)
    # Today's map for today's offices; the abolished district's office for its history.
    assert User.objects.get(username="tinh.demo").jurisdiction.name == "Tỉnh Phú Thọ"
    assert User.objects.get(username="xa.demo").jurisdiction.name == "Xã Tân Lạc"
    district = User.objects.get(username="huyen.demo")
    assert district.jurisdiction.name == "Huyện Tân Lạc"
    assert district.check_password(DEMO_PASSWORD)
    assert "huyen.demo" in "".join(seeded["out"])


def test_seed_demo_tells_todays_story_under_1489_on_todays_map_with_its_history(seeded):
    """Issue 12: this year's round is Phú Thọ's, under the regime in force, checked by Xã Tân
    Lạc; no district takes part in it. Hòa Bình's rounds are history, under 148/2023, dated
    in their years, and Phú Thọ's officer sees them."""
    from django.utils import timezone

    from evaluations.intake.selectors import rounds_visible_to
    from evaluations.models import Council, Dossier, Round
    from products.models import Producer

    today = timezone.localdate()
    current = Round.objects.get(year=today.year, province__code="25", title__endswith="(demo)")
    # The earlier round of the year, behind its deadlines (see the late unit's test below).
    late = Round.objects.filter(province__code="25", title__contains="chậm tiến độ")
    assert (current.regime.code, current.historical) == ("1489/2025", False)
    assert set(current.dossiers.values_list("first_level_unit__name", flat=True)) == {"Xã Tân Lạc"}
    assert not Council.objects.filter(level="district", sessions__round=current).exists()
    history = Round.objects.filter(province__code="17").order_by("year")
    assert history.count() == 2
    assert {r.regime.code for r in history} == {"148/2023"}
    assert all(r.submission_deadline.year <= r.year + 1 < today.year + 1 for r in history)
    officer = User.objects.get(username="tinh.demo")
    assert set(rounds_visible_to(officer)) == {current, *late, *history}
    assert {d.first_level_unit.name for d in Dossier.objects.filter(round__in=history)} == {
        "Huyện Tân Lạc"
    }
    # The cooperative first registered in Mãn Đức; it has since said it is in Xã Tân Lạc.
    cooperative = Producer.objects.get(name__startswith="HTX Nông nghiệp Mãn Đức")
    assert cooperative.address_unit.name == "Xã Tân Lạc"


def test_seed_demo_has_a_dossier_in_every_state_and_an_intact_audit_log(seeded):
    from evaluations.enums import DossierState
    from evaluations.models import Dossier
    from ocop.core.audit import verify_audit_chain
    from products.models import Producer

    # Every state at least once (the councils' sessions add more recognised dossiers).
    assert set(Dossier.objects.values_list("state", flat=True)) == set(DossierState.values)
    assert sorted(Producer.objects.filter(imported=False).values_list("state", flat=True)) == [
        "pending",
        "verified",
    ]
    assert verify_audit_chain().ok is True


def test_seed_demo_has_a_late_unit_on_the_progress_page(seeded):
    """The earlier round of the year is behind its deadlines: Xã Tân Lạc still holds a
    dossier it never checked, and a draft was never submitted."""
    from django.test import Client
    from django.utils import timezone

    from evaluations.models import Round
    from evaluations.reports.progress import round_progress
    from ocop.core.models import User

    late_round = Round.objects.get(title__contains="chậm tiến độ")
    progress = round_progress(late_round, timezone.localdate())
    assert [row.name for row in progress.rows if row.late] == ["Xã Tân Lạc"]
    assert {item.stage for item in progress.late_items} == {"draft", "check"}
    client = Client()
    client.force_login(User.objects.get(username="tinh.demo"))
    page = client.get("/reports/progress/")
    assert page.context["round_obj"] == late_round  # the running round due first
    assert 'data-late="true"' in page.content.decode()


def test_seed_demo_follows_its_certified_products_up(seeded):
    """Commitments on today's certificates; the product inspected with a warning, whose
    yearly reports were not sent, on the plan for next month."""
    from evaluations.models import Commitment, PlanItem

    assert Commitment.objects.count() == 4
    assert {c.certificate.product.name for c in Commitment.objects.all()} == {
        "Gạo Séng Cù Mường Bi (demo)",
        "Bưởi đỏ Tân Lạc (demo)",
    }
    (item,) = PlanItem.objects.all()
    assert item.certificate.product.name == "Mía tím Tân Lạc (demo)"


def test_seed_demo_says_where_to_buy_the_cooperatives_products(seeded):
    """The cooperative's shop, Shopee page and website; Phú Thọ's OCOP point of sale (for
    all its OCOP products) and a fair after today listing two products; once, however often
    the demo is seeded."""
    from django.utils import timezone

    from ocop.demo.sales import FAIR, POINT_OF_SALE
    from products.models import Outlet, Product, SalesPoint
    from products.selectors import where_to_buy

    today = timezone.localdate()
    assert sorted(SalesPoint.objects.values_list("kind", flat=True)) == [
        "marketplace",
        "shop",
        "website",
    ]
    shop = SalesPoint.objects.get(kind="shop")
    assert (shop.phone, shop.address_unit.name) == ("0912 345 678", "Xã Tân Lạc")
    fair = Outlet.objects.get(kind="fair")
    assert today < fair.first_day <= fair.last_day
    assert fair.products.count() == 2
    assert Outlet.objects.count() == 2
    rice = Product.objects.select_related("producer__address_unit__parent__parent").get(
        name="Gạo Séng Cù Mường Bi (demo)"
    )
    where = where_to_buy(rice, today)
    assert [p.kind for p in where.sales_points] == ["shop", "website", "marketplace"]
    assert [o.name for o in where.outlets] == [FAIR]
    assert [o.name for o in where.province_outlets] == [POINT_OF_SALE]


def test_seeding_again_moves_an_ended_demo_fair_after_today(seeded):
    import datetime

    from django.utils import timezone

    from ocop.demo.sales import seed_sales
    from ocop.demo.seed import demo_units
    from products.models import Outlet

    today = timezone.localdate()
    Outlet.objects.filter(kind="fair").update(
        first_day=today - datetime.timedelta(days=9), last_day=today - datetime.timedelta(days=5)
    )
    accounts = {u.username: u for u in User.objects.filter(username__endswith=".demo")}

    seed_sales(units=demo_units(), accounts=accounts)

    fair = Outlet.objects.get(kind="fair")
    assert fair.first_day > today
    assert Outlet.objects.count() == 2


def test_seed_demo_imports_the_published_results_once(seeded):
    """The real published results (evaluations/history/data), through the historical import:
    27 certificates on three decisions, three products forwarded to the central level; the
    second run found them all."""
    from evaluations.models import Certificate, Decision, ResultImport

    (batch,) = ResultImport.objects.all()
    assert batch.imported_by.username == "admin.demo"
    imported = Certificate.objects.filter(decision__import_batch=batch)
    assert sorted(imported.values_list("stars", flat=True)) == [3] * 18 + [4] * 9
    assert Decision.objects.filter(import_batch=batch).count() == 3
    first, second = seeded["out"]
    assert "Published results (published-results.csv, 30 rows): imported, 27 certificates" in (
        first
    )
    assert "Published results (published-results.csv, 30 rows): already imported" in second


def test_seed_demo_is_refused_under_production_settings(settings):
    empty_reference_tables()
    settings.OCOP_ALLOW_DEMO_SEED = False

    with pytest.raises(CommandError, match="refused"):
        call_command("seed_demo")

    assert not User.objects.filter(username__endswith=".demo").exists()


def _council_counts() -> dict[str, int]:
    from evaluations.models import (
        ConflictDeclaration,
        Council,
        CouncilMember,
        Dossier,
        LevelResult,
        ScoreSheet,
        Session,
        SessionItem,
    )

    models = (
        Council,
        CouncilMember,
        Session,
        SessionItem,
        ConflictDeclaration,
        ScoreSheet,
        LevelResult,
        Dossier,
        User,
    )
    return {model.__name__: model.objects.count() for model in models}


def test_seed_demo_seeds_councils_and_their_sessions_once(seeded):
    from django.utils import timezone

    from evaluations.enums import DossierState, ItemState, Level, Outcome, SheetState
    from evaluations.models import (
        ConflictDeclaration,
        Council,
        Dossier,
        LevelResult,
        ScoreSheet,
        Session,
    )
    from ocop.demo.councils import OPEN_SESSION_PRODUCT

    first, second = seeded["counts"]
    names = _council_counts()
    assert {name: second[name] for name in names} == {name: first[name] for name in names}

    def roster(council):
        return sorted((m.role, m.user.username) for m in council.members.select_related("user"))

    province = Council.objects.get(level=Level.PROVINCE, unit__code="25")
    # The district council of the old map, whose term ended with the district.
    (district,) = Council.objects.filter(level=Level.DISTRICT, unit__code="155")
    assert district.term_end.isoformat() == "2025-06-30"
    assert province.decision_number and province.term_end
    assert roster(province) == [
        ("chair", "chutich.tinh"),
        ("member", "thanhvien1.tinh"),
        ("member", "thanhvien2.tinh"),
        ("member", "thanhvien3.tinh"),
        ("secretary", "thuky.tinh"),
        ("vice_chair", "phochutich.tinh"),
    ]
    assert roster(district) == [
        ("chair", "chutich.huyen"),
        ("member", "thanhvien1.huyen"),
        ("member", "thanhvien2.huyen"),
        ("member", "thanhvien3.huyen"),
        ("secretary", "thuky.huyen"),
        ("vice_chair", "phochutich.huyen"),
    ]
    for member in district.members.all() | province.members.all():
        assert member.user.roles == []
        assert member.user.check_password(DEMO_PASSWORD)
        assert member.user.email.endswith("@example.vn")

    today = timezone.localdate()
    finished, still_open = Session.objects.filter(council=province).order_by("date")
    assert finished.date < today < still_open.date
    assert finished.items.count() >= 5
    assert not finished.items.exclude(state=ItemState.FINAL).exists()
    results = LevelResult.objects.filter(item__session=finished)
    assert {r.outcome for r in results} == {
        Outcome.RECOGNISED,
        Outcome.NOT_RECOGNISED,
        Outcome.FORWARDED,
    }
    assert all(r.level == Level.PROVINCE and r.comments for r in results)
    assert {r.stars for r in results if r.outcome == Outcome.RECOGNISED} == {3, 4}
    # Two 5★ candidates went to the central level: one recognised there, one still waits.
    forwarded = [r for r in results if r.outcome == Outcome.FORWARDED]
    assert all(r.display_mean >= 90 and r.stars == 5 for r in forwarded)
    assert sorted(r.dossier.state for r in forwarded) == [
        DossierState.FORWARDED,
        DossierState.RECOGNISED,
    ]
    assert {r.dossier.level for r in forwarded} == {Level.CENTRAL}
    means = sorted(r.display_mean for r in results)
    assert means[0] < 65 and means[-1] >= 90
    # One member recused with a reason; one sheet reopened and submitted again.
    conflict = ConflictDeclaration.objects.get(item__session=finished, has_conflict=True)
    assert conflict.reason and not conflict.automatic
    reopened = ScoreSheet.objects.get(item__session=finished, reopened_count__gt=0)
    assert reopened.state == SheetState.SUBMITTED and reopened.reopen_reason
    # The producer htx.demo belongs to has the recognised products.
    recognised = [r for r in results if r.outcome == Outcome.RECOGNISED]
    assert recognised[0].dossier.product.producer.members.filter(user__username="htx.demo")

    (item,) = still_open.items.all()
    assert item.state == ItemState.SCORING
    assert item.dossier.product.name == OPEN_SESSION_PRODUCT
    assert item.dossier.state == DossierState.UNDER_EVALUATION
    states = sorted(item.sheets.values_list("state", flat=True))
    assert states.count(SheetState.DRAFT) == 1 and states.count(SheetState.SUBMITTED) >= 2
    # Every dossier under evaluation is on the agenda of a session still scoring.
    for dossier in Dossier.objects.filter(state=DossierState.UNDER_EVALUATION):
        assert dossier.session_items.filter(state=ItemState.SCORING).exists()


def _certificate_counts() -> dict[str, int]:
    from evaluations.models import (
        Certificate,
        Decision,
        DecisionItem,
        Inspection,
        Revocation,
        Round,
    )

    models = (Decision, DecisionItem, Certificate, Revocation, Inspection, Round)
    return {model.__name__: model.objects.count() for model in models}


def test_seed_demo_has_certificates_in_every_status_once(seeded):
    from django.utils import timezone

    from evaluations.certificates.validity import status_on
    from evaluations.enums import CertificateStatus, DecisionState
    from evaluations.models import Certificate, Decision, Inspection, Revocation
    from ocop.core.audit import verify_audit_chain
    from ocop.core.models import AuditEntry

    first, second = seeded["counts"]
    names = _certificate_counts()
    assert {name: second[name] for name in names} == {name: first[name] for name in names}

    today = timezone.localdate()
    # The demo's own (the published results it imports are tested above).
    certificates = list(
        Certificate.objects.filter(decision__import_batch__isnull=True).select_related(
            "product", "decision__issuer"
        )
    )
    statuses = [status_on(c, today) for c in certificates]
    assert set(statuses) == {
        CertificateStatus.VALID,
        CertificateStatus.EXPIRING,
        CertificateStatus.EXPIRED,
        CertificateStatus.REVOKED,
    }
    # The daily lifecycle has run: the expired one is stored as expired, its product's
    # standing gone; the expiring one's producer was told.
    (expired,) = [c for c in certificates if status_on(c, today) == CertificateStatus.EXPIRED]
    assert expired.status == CertificateStatus.EXPIRED and expired.product.ocop_stars is None
    (expiring,) = [c for c in certificates if status_on(c, today) == CertificateStatus.EXPIRING]
    assert expiring.expiring_notified_on == today

    # Today's decision, drafted and issued by Phú Thọ's office: under 1489/2025 the province
    # recognises 3★ and 4★.
    province = Decision.objects.get(issuer__code="25", level="province", date=today)
    assert province.number.endswith("/QĐ-UBND") and province.state == DecisionState.ISSUED
    assert province.created_by.username == "tinh.demo"
    assert sorted((c.product.name, c.stars) for c in province.certificates.all()) == [
        ("Bưởi đỏ Tân Lạc (demo)", 3),
        ("Gà đồi Mãn Đức (demo)", 3),
        ("Rượu ngô men lá Mãn Đức (demo)", 4),
        ("Thổ cẩm Mường Bi (demo)", 4),
    ]
    assert {status_on(c, today) for c in province.certificates.all()} == {"valid"}
    # The 5★ recorded from the central level: the ministry's decision, kept by Phú Thọ.
    central = Decision.objects.get(level="central")
    assert (central.issuer.code, central.issuer_name) == ("25", "Bộ Nông nghiệp và Môi trường")
    assert [(c.product.name, c.stars) for c in central.certificates.all()] == [
        ("Gạo Séng Cù Mường Bi (demo)", 5)
    ]
    assert not Decision.objects.filter(issuer__code="155", date__gt="2025-06-30").exists()

    # The older decisions, and what the services wrote for them, carry their own dates.
    older = Decision.objects.exclude(date=today).filter(import_batch__isnull=True)
    assert older.count() == 2
    for decision in older:
        assert timezone.localdate(decision.issued_at) == decision.date
        (issued,) = AuditEntry.objects.filter(action="decision.issue", object_id=decision.pk)
        assert timezone.localdate(issued.at) == decision.date
        for certificate in decision.certificates.all():
            assert certificate.issued_on == decision.date < today
            result = certificate.item.result
            assert result.item.session.date < decision.date
            assert result.dossier.round.year <= decision.date.year
    revocation = Revocation.objects.select_related("certificate").get()
    assert revocation.reason == "quality_violation" and revocation.decision_number
    assert revocation.certificate.issued_on < revocation.decision_date < today
    assert timezone.localdate(revocation.revoked_at) == revocation.decision_date
    (inspection,) = Inspection.objects.all()
    assert inspection.outcome == "warning" and inspection.certificate == expiring
    assert inspection.attachments.count() == 1
    assert verify_audit_chain().ok is True
    # The cooperative has asked the province office to rename one certified product (once).
    from products.models import ProductChangeRequest

    (change,) = ProductChangeRequest.objects.select_related("product", "requested_by")
    assert change.state == "pending" and change.requested_by.username == "htx.demo"
    assert change.product.certificate_number and change.name.endswith("Mãn Đức")

    out = "".join(seeded["out"])
    assert all(c.number in out for c in certificates)
