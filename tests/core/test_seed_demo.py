import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ocop.core.enums import Role
from ocop.core.models import User
from ocop.demo.seed import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_one_account_per_role_and_is_repeatable(capsys):
    call_command("seed_demo")
    call_command("seed_demo")

    users = User.objects.filter(username__endswith=".demo").order_by("username")
    assert sorted(r for u in users for r in u.roles) == sorted(Role)
    district = User.objects.get(username="huyen.demo")
    assert district.jurisdiction.name == "Huyện Tân Lạc"
    assert district.check_password(DEMO_PASSWORD)
    assert "huyen.demo" in capsys.readouterr().out


def test_seed_demo_has_a_dossier_in_every_state_and_an_intact_audit_log():
    from evaluations.enums import DossierState
    from evaluations.models import Dossier
    from ocop.core.audit import verify_audit_chain
    from products.models import Producer

    call_command("seed_demo")

    # Every state at least once (the councils' sessions add more recognised dossiers).
    assert set(Dossier.objects.values_list("state", flat=True)) == set(DossierState.values)
    assert sorted(Producer.objects.values_list("state", flat=True)) == ["pending", "verified"]
    assert verify_audit_chain().ok is True


def test_seed_demo_is_refused_under_production_settings(settings):
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


def test_seed_demo_seeds_councils_and_their_sessions_once():
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

    call_command("seed_demo")
    seeded = _council_counts()
    call_command("seed_demo")
    assert _council_counts() == seeded

    def roster(council):
        return sorted((m.role, m.user.username) for m in council.members.select_related("user"))

    district = Council.objects.get(level=Level.DISTRICT, unit__code="155")
    province = Council.objects.get(level=Level.PROVINCE, unit__code="17")
    assert district.decision_number and district.term_end
    assert roster(district) == [
        ("chair", "chutich.huyen"),
        ("member", "thanhvien1.huyen"),
        ("member", "thanhvien2.huyen"),
        ("member", "thanhvien3.huyen"),
        ("secretary", "thuky.huyen"),
        ("vice_chair", "phochutich.huyen"),
    ]
    assert roster(province) == [
        ("chair", "chutich.tinh"),
        ("member", "thanhvien1.tinh"),
        ("member", "thanhvien2.tinh"),
        ("secretary", "thuky.tinh"),
        ("vice_chair", "phochutich.tinh"),
    ]
    for member in district.members.all() | province.members.all():
        assert member.user.roles == []
        assert member.user.check_password(DEMO_PASSWORD)
        assert member.user.email.endswith("@example.vn")

    today = timezone.localdate()
    district_sessions = Session.objects.filter(council=district).order_by("date")
    finished, still_open = district_sessions
    assert finished.date < today < still_open.date
    assert finished.items.count() >= 4
    assert not finished.items.exclude(state=ItemState.FINAL).exists()
    results = LevelResult.objects.filter(item__session=finished)
    assert {r.outcome for r in results} == {
        Outcome.RECOGNISED,
        Outcome.NOT_RECOGNISED,
        Outcome.FORWARDED,
    }
    assert all(r.level == Level.DISTRICT and r.comments for r in results)
    assert {r.stars for r in results if r.outcome == Outcome.RECOGNISED} == {3}
    assert all(r.display_mean >= 70 for r in results if r.outcome == Outcome.FORWARDED)
    means = sorted(r.display_mean for r in results)
    assert means[0] < 65 and means[-1] >= 80
    # One member recused with a reason; one sheet reopened and submitted again.
    conflict = ConflictDeclaration.objects.get(item__session=finished, has_conflict=True)
    assert conflict.reason and not conflict.automatic
    reopened = ScoreSheet.objects.get(item__session=finished, reopened_count__gt=0)
    assert reopened.state == SheetState.SUBMITTED and reopened.reopen_reason

    (province_session,) = Session.objects.filter(council=province)
    assert province_session.date < today
    assert not province_session.items.exclude(state=ItemState.FINAL).exists()
    province_results = LevelResult.objects.filter(item__session=province_session)
    recognised = [r for r in province_results if r.outcome == Outcome.RECOGNISED]
    assert [(r.level, r.stars) for r in recognised] == [(Level.PROVINCE, 4)]
    forwarded = {r.dossier_id for r in results if r.outcome == Outcome.FORWARDED}
    assert {r.dossier_id for r in province_results} < forwarded
    waiting = forwarded - {r.dossier_id for r in province_results}
    assert {d.state for d in Dossier.objects.filter(pk__in=waiting)} == {DossierState.FORWARDED}
    # The producer htx.demo belongs to has the 4★ product.
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
