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

    assert sorted(Dossier.objects.values_list("state", flat=True)) == sorted(DossierState.values)
    assert sorted(Producer.objects.values_list("state", flat=True)) == ["pending", "verified"]
    assert verify_audit_chain().ok is True


def test_seed_demo_is_refused_under_production_settings(settings):
    settings.OCOP_ALLOW_DEMO_SEED = False

    with pytest.raises(CommandError, match="refused"):
        call_command("seed_demo")

    assert not User.objects.filter(username__endswith=".demo").exists()
