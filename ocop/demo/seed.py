"""The demo data set: Hòa Bình province (three-tier scheme), one account per role, the
district and province councils with their members' accounts, their sessions, and the
recognition decisions with certificates in every status.

The passwords are public (printed by `make demo`), so seeding refuses to run unless the
settings allow it (`OCOP_ALLOW_DEMO_SEED`, never set in production settings).
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from evaluations.criteria.services import criteria_import, regimes_load
from evaluations.models import Certificate, ScoringForm
from ocop.core.enums import Role, UnitLevel, UnitScheme
from ocop.core.models import AdministrativeUnit, User
from ocop.core.services.units import units_load
from ocop.core.services.users import user_set_access
from ocop.demo.certificates import seed_certificates
from ocop.demo.councils import COUNCIL_ACCOUNTS, CouncilAccount, seed_councils_and_sessions

DEMO_PASSWORD = "ocop-demo-2026"
DEMO_PROVINCE_CODE = "17"  # Tỉnh Hòa Bình
DEMO_DISTRICT_CODE = "155"  # Huyện Tân Lạc
DEMO_COMMUNE_NAME = "Mãn Đức"  # a commune of Tân Lạc


@dataclass(frozen=True)
class DemoLogins:
    """What seeding returns: the role accounts, and the council members' accounts."""

    roles: list[tuple["DemoAccount", User]]
    council_members: list[tuple[CouncilAccount, User]]
    certificates: list[Certificate] = field(default_factory=list)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    first_name: str
    last_name: str
    level: str | None


DEMO_ACCOUNTS = (
    DemoAccount("htx.demo", Role.PRODUCER_MEMBER, "Lan", "Bùi Thị", None),
    DemoAccount("xa.demo", Role.COMMUNE_OFFICER, "Minh", "Quách Văn", UnitLevel.COMMUNE),
    DemoAccount("huyen.demo", Role.DISTRICT_OFFICER, "Hùng", "Đinh Công", UnitLevel.DISTRICT),
    DemoAccount("tinh.demo", Role.PROVINCE_OFFICER, "Thu", "Nguyễn Thị", UnitLevel.PROVINCE),
    DemoAccount("admin.demo", Role.ADMINISTRATOR, "Quản trị", "Hệ thống", None),
)


def demo_units() -> dict[str, AdministrativeUnit]:
    units = AdministrativeUnit.objects.filter(scheme=UnitScheme.THREE_TIER)
    province = units.get(level=UnitLevel.PROVINCE, code=DEMO_PROVINCE_CODE)
    district = units.get(level=UnitLevel.DISTRICT, code=DEMO_DISTRICT_CODE, parent=province)
    commune = (
        units.filter(level=UnitLevel.COMMUNE, parent=district, short_name=DEMO_COMMUNE_NAME).first()
        or units.filter(level=UnitLevel.COMMUNE, parent=district).order_by("code").first()
    )
    return {UnitLevel.PROVINCE: province, UnitLevel.DISTRICT: district, UnitLevel.COMMUNE: commune}


def seed_demo() -> DemoLogins:
    if not getattr(settings, "OCOP_ALLOW_DEMO_SEED", False):
        raise ImproperlyConfigured(
            "seed_demo creates accounts with published passwords and is refused under these "
            "settings (OCOP_ALLOW_DEMO_SEED is off, as in production)."
        )
    if not AdministrativeUnit.objects.filter(
        scheme=UnitScheme.THREE_TIER, level=UnitLevel.PROVINCE, code=DEMO_PROVINCE_CODE
    ).exists():
        units_load()
    units = demo_units()
    if not ScoringForm.objects.exists():
        criteria_import()
    regimes_load()
    created = []
    with transaction.atomic():
        for account in DEMO_ACCOUNTS:
            user, created_now = User.objects.get_or_create(
                username=account.username,
                defaults={
                    "first_name": account.first_name,
                    "last_name": account.last_name,
                    "email": f"{account.username}@ocop.localhost",
                },
            )
            if created_now:  # a second run keeps what the demo users changed
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            user = user_set_access(
                user=user,
                roles=[account.role],
                jurisdiction=units[account.level] if account.level else None,
                actor=None,
            )
            created.append((account, user))
    from ocop.demo.dossiers import seed_producers_and_dossiers

    by_username = {a.username: u for a, u in created}
    seed_producers_and_dossiers(units=units, accounts=by_username)
    members = seed_councils_and_sessions(units=units, accounts=by_username, password=DEMO_PASSWORD)
    certificates = seed_certificates(units=units, accounts=by_username, council_users=members)
    return DemoLogins(
        roles=created,
        council_members=[(a, members[a.username]) for a in COUNCIL_ACCOUNTS],
        certificates=certificates,
    )
