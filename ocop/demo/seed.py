"""The demo data set, as a province runs OCOP today (issue 12):

- today's story: the merged Phú Thọ province (two-tier map) and its 2026 round under
  Decision 1489/2025: the demo cooperative's dossiers checked by the working group of Xã
  Tân Lạc, the province council's sessions, the province's decision and certificates;
- its history: the rounds Hòa Bình (merged into Phú Thọ on 01/07/2025) ran under 148/2023 on
  the old map, dated in their years: the Tân Lạc district council, its decisions and the
  certificates they gave, which Phú Thọ's officers now see.

One account per role, the councils' members' accounts, and certificates in every status;
where to buy the cooperative's products (its places, the province's point of sale and fair).

The passwords are public (printed by `make demo`), so seeding refuses to run unless the
settings allow it (`OCOP_ALLOW_DEMO_SEED`, never set in production settings).
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from evaluations.criteria.services import criteria_import, regimes_load
from evaluations.history.services import PUBLISHED_SAMPLE, ImportReport, results_import
from evaluations.models import Certificate, ScoringForm
from ocop.core.enums import Role, UnitLevel, UnitScheme
from ocop.core.models import AdministrativeUnit, User
from ocop.core.services.units import units_load
from ocop.core.services.users import user_set_access
from ocop.demo.certificates import seed_certificates
from ocop.demo.councils import (
    COUNCIL_ACCOUNTS,
    CouncilAccount,
    council_users,
    seed_councils_and_sessions,
)

DEMO_PASSWORD = "ocop-demo-2026"
# Today's map (two-tier, from 01/07/2025).
DEMO_PROVINCE_CODE = "25"  # Tỉnh Phú Thọ, which absorbed Hoà Bình and Vĩnh Phúc
DEMO_COMMUNE_CODE = "05128"  # Xã Tân Lạc, which absorbed Mãn Đức
# The old map (three-tier, until 30/06/2025): the history.
OLD_PROVINCE_CODE = "17"  # Tỉnh Hòa Bình
OLD_DISTRICT_CODE = "155"  # Huyện Tân Lạc
OLD_COMMUNE_NAME = "Mãn Đức"  # a commune of Tân Lạc


@dataclass(frozen=True)
class DemoLogins:
    """What seeding returns: the role accounts, and the council members' accounts."""

    roles: list[tuple["DemoAccount", User]]
    council_members: list[tuple[CouncilAccount, User]]
    certificates: list[Certificate] = field(default_factory=list)
    published: "ImportReport | None" = None


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    first_name: str
    last_name: str
    unit: str | None  # the key of its jurisdiction in `demo_units()`


DEMO_ACCOUNTS = (
    DemoAccount("htx.demo", Role.PRODUCER_MEMBER, "Lan", "Bùi Thị", None),
    DemoAccount("xa.demo", Role.COMMUNE_OFFICER, "Minh", "Quách Văn", "commune"),
    # The district abolished on 01/07/2025: the account of its office, for its history.
    DemoAccount("huyen.demo", Role.DISTRICT_OFFICER, "Hùng", "Đinh Công", "district"),
    DemoAccount("tinh.demo", Role.PROVINCE_OFFICER, "Thu", "Nguyễn Thị", "province"),
    DemoAccount("admin.demo", Role.ADMINISTRATOR, "Quản trị", "Hệ thống", None),
)


def demo_units() -> dict[str, AdministrativeUnit]:
    """Today's province and commune, and the old province, district and commune they
    absorbed."""
    units = AdministrativeUnit.objects
    province = units.get(
        scheme=UnitScheme.TWO_TIER, level=UnitLevel.PROVINCE, code=DEMO_PROVINCE_CODE
    )
    commune = units.get(scheme=UnitScheme.TWO_TIER, level=UnitLevel.COMMUNE, code=DEMO_COMMUNE_CODE)
    old = units.filter(scheme=UnitScheme.THREE_TIER)
    old_province = old.get(level=UnitLevel.PROVINCE, code=OLD_PROVINCE_CODE)
    district = old.get(level=UnitLevel.DISTRICT, code=OLD_DISTRICT_CODE, parent=old_province)
    old_commune = (
        old.filter(level=UnitLevel.COMMUNE, parent=district, short_name=OLD_COMMUNE_NAME).first()
        or old.filter(level=UnitLevel.COMMUNE, parent=district).order_by("code").first()
    )
    return {
        "province": province,
        "commune": commune,
        "old_province": old_province,
        "district": district,
        "old_commune": old_commune,
    }


def seed_demo() -> DemoLogins:
    if not getattr(settings, "OCOP_ALLOW_DEMO_SEED", False):
        raise ImproperlyConfigured(
            "seed_demo creates accounts with published passwords and is refused under these "
            "settings (OCOP_ALLOW_DEMO_SEED is off, as in production)."
        )
    if not (
        AdministrativeUnit.objects.filter(scheme=UnitScheme.TWO_TIER, code=DEMO_PROVINCE_CODE)
        .filter(level=UnitLevel.PROVINCE, predecessors__isnull=False)
        .exists()
    ):
        units_load()  # both maps and the links between them
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
                jurisdiction=units[account.unit] if account.unit else None,
                actor=None,
                abolished_ok=True,  # huyen.demo: the abolished district's office
            )
            created.append((account, user))
    from ocop.demo.certificates import seed_history
    from ocop.demo.dossiers import seed_late_round, seed_producers, seed_todays_round

    by_username = {a.username: u for a, u in created}
    members = council_users(DEMO_PASSWORD)
    # In the order things happened: the cooperative and its history on the old map, then,
    # the address located on today's map, the 2026 round and its councils.
    producer = seed_producers(units=units, accounts=by_username)
    seed_history(units=units, accounts=by_username, council_users=members, producer=producer)
    seed_late_round(units=units, accounts=by_username, producer=producer)
    producer.refresh_from_db()  # located on today's map by the earlier round
    seed_todays_round(units=units, accounts=by_username, producer=producer)
    seed_councils_and_sessions(units=units, accounts=by_username, password=DEMO_PASSWORD)
    certificates = seed_certificates(units=units, accounts=by_username)
    from ocop.demo.followup import seed_followup

    seed_followup(accounts=by_username)
    from ocop.demo.sales import seed_sales

    seed_sales(units=units, accounts=by_username)
    published = seed_published_results(by_username["admin.demo"])
    from ocop.demo.catalogue import seed_catalogue

    seed_catalogue()
    return DemoLogins(
        roles=created,
        council_members=[(a, members[a.username]) for a in COUNCIL_ACCOUNTS],
        certificates=certificates,
        published=published,
    )


def seed_published_results(actor) -> ImportReport:
    """The real published results (evaluations/history/data), through the historical import
    as an office would load them; a second run creates nothing."""
    report = results_import(
        file_name=PUBLISHED_SAMPLE.name, content=PUBLISHED_SAMPLE.read_bytes(), actor=actor
    )
    if not report.ok:
        raise RuntimeError(f"The published results did not import: {report.errors}")
    return report
