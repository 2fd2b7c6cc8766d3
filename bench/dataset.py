"""A national-scale data set for the benchmark: 20,000 products, 5 years of rounds, ~20,000
certificates.

Benchmark data, not a user journey: rows are planned in memory and written with
`bulk_create`, without the services' permission checks, audit entries or mail (the tests
cover those). What is real: the administrative units (the project's loader, both maps), the
148/2023 taxonomy, the criteria versions, one scoring form (set 1, imported from its CSV)
and the regimes. Every certificate has the chain the public pages and the API read, and the
rows the foreign keys need:

    Round → Council → Session → SessionItem → LevelResult → DecisionItem → Certificate
    Dossier (round, product, scoring form, first-level unit)    Decision (issuer, number)

Choices, to keep it small and consistent:
- Years: the current one and the four before (5 years of rounds); two rounds a year.
  Rounds before 1 July 2025 are on the three-tier map (63 provinces), later ones on the
  two-tier map (34 provinces); the regime is the one in force on the submission deadline
  (1048/2019, 148/2023, 1489/2025), which fixes who recognises the stars: the province
  under 1048/2019 and 1489/2025, the district (3★) or the province (4★) under 148/2023.
- Producers: 70 % registered in a three-tier commune, certified in rounds before the
  reform; 30 % in a two-tier commune, certified after it. 1 to 3 products each.
- Stars: 3★ (65 %) or 4★. No 5★: those are recognised by the central level, whose
  decisions have no administrative unit as issuer in this schema yet.
- 7.5 % of the products have no certificate (evaluated once, not recognised: under 50
  points), 7.5 % two (the older superseded by an upgrade
  or a re-evaluation), the rest one: as many certificates as products.
- Stored status as the daily command leaves it: "expired" once past the date; 2 % revoked
  (with their revocation). Expiring and valid follow from the dates.
- Every dossier uses the one imported scoring form, whatever its product set.
"""

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from evaluations.certificates.validity import (
    certificate_number,
    certified_values,
    valid_until,
    with_status,
)
from evaluations.criteria.services import criteria_import, regimes_load
from evaluations.enums import (
    CertificateStatus,
    CouncilRole,
    DecisionState,
    DossierKind,
    DossierState,
    ItemState,
    Level,
    Outcome,
    RevocationReason,
)
from evaluations.models import (
    Certificate,
    Council,
    CouncilMember,
    CriteriaVersion,
    Decision,
    DecisionItem,
    Dossier,
    LevelResult,
    Regime,
    Revocation,
    Round,
    ScoringForm,
    Session,
    SessionItem,
)
from ocop.core.enums import UnitLevel, UnitScheme
from ocop.core.models import AdministrativeUnit, User
from ocop.core.services.units import units_load
from products.enums import Gender, ProducerKind, ProducerState
from products.models import Producer, Product, ProductSet

REFORM = date(2025, 7, 1)  # the two-tier map from this day
BATCH = 2000

PRODUCT_NAMES = [
    "Chè Shan tuyết",
    "Mật ong bạc hà",
    "Gạo ST25",
    "Nước mắm cốt",
    "Cam Cao Phong",
    "Bưởi da xanh",
    "Miến dong",
    "Rượu men lá",
    "Cà phê rang xay",
    "Tinh dầu sả chanh",
    "Nấm linh chi",
    "Măng khô",
    "Thịt trâu gác bếp",
    "Bánh chưng",
    "Hạt điều rang muối",
    "Chả mực",
    "Tương bần",
    "Dầu lạc",
    "Trà hoa vàng",
    "Mứt gừng",
]
PRODUCER_WORDS = ["Hợp tác xã", "Công ty TNHH", "Công ty cổ phần", "Tổ hợp tác", "Hộ kinh doanh"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Bùi", "Đinh", "Vũ", "Đặng", "Hà"]
GIVEN = ["Văn An", "Thị Bình", "Văn Cường", "Thị Dung", "Minh Đức", "Thị Hoa", "Văn Hùng"]


@dataclass
class RoundPlan:
    year: int
    number: int
    scheme: str
    regime_code: str
    submission: date
    first_level: date
    province_deadline: date


@dataclass(eq=False)
class CertPlan:
    product_index: int
    round_index: int
    stars: int
    second: bool = False  # the newer certificate of a product that has two
    older: "CertPlan | None" = None
    # Filled while planning and writing:
    score: Decimal = Decimal(0)
    objects: dict = field(default_factory=dict)


def _aware(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _round_plans(today: date, years: int) -> list[RoundPlan]:
    plans = []
    for year in range(today.year - years + 1, today.year + 1):
        for number, (sub, first, prov) in enumerate(
            [((3, 31), (4, 30), (5, 31)), ((8, 31), (9, 30), (10, 31))], start=1
        ):
            submission = date(year, *sub)
            province_deadline = date(year, *prov)
            if province_deadline >= today:
                continue
            scheme = UnitScheme.THREE_TIER if submission < REFORM else UnitScheme.TWO_TIER
            if submission >= date(2025, 7, 6):
                regime = "1489/2025"
            elif submission >= date(2023, 2, 24):
                regime = "148/2023"
            else:
                regime = "1048/2019"
            plans.append(
                RoundPlan(
                    year, number, scheme, regime, submission, date(year, *first), province_deadline
                )
            )
    return plans


def _recogniser(regime_code: str, stars: int) -> str:
    if regime_code == "148/2023" and stars == 3:
        return Level.DISTRICT
    return Level.PROVINCE


def build(*, products: int = 20_000, years: int = 5, seed: int = 20261129, log=print) -> dict:
    """Write the data set into the current (empty, migrated) database; return its sizes."""
    rng = random.Random(seed)
    today = timezone.localdate()
    started = datetime.now()

    def step(message: str) -> None:
        log(f"  [{(datetime.now() - started).total_seconds():5.1f}s] {message}")

    # --- reference data, with the project's loaders ----------------------------------------
    units_load()
    step("administrative units loaded (vietnam-provinces, both maps)")
    criteria_import(only={1})
    regimes_load()
    step("taxonomy, criteria versions, scoring form of set 1, regimes loaded")
    user = User.objects.create(username="bench", first_name="Bench", last_name="OCOP")
    user.set_unusable_password()
    user.save(update_fields=["password"])
    version = CriteriaVersion.objects.get(code="148/2023")
    form = ScoringForm.objects.get(version=version, product_set__number=1, is_current=True)
    regimes = {r.code: r for r in Regime.objects.all()}
    product_sets = list(ProductSet.objects.order_by("number"))

    units = {
        u.pk: u
        for u in AdministrativeUnit.objects.only(
            "pk", "scheme", "level", "code", "name", "parent_id"
        )
    }
    communes = {UnitScheme.THREE_TIER: [], UnitScheme.TWO_TIER: []}
    provinces = {UnitScheme.THREE_TIER: [], UnitScheme.TWO_TIER: []}
    for u in units.values():
        if u.level == UnitLevel.COMMUNE:
            communes[u.scheme].append(u)
        elif u.level == UnitLevel.PROVINCE:
            provinces[u.scheme].append(u)
    for scheme_units in (*communes.values(), *provinces.values()):
        scheme_units.sort(key=lambda u: u.code)

    def district_of(commune):
        return units[commune.parent_id] if commune.scheme == UnitScheme.THREE_TIER else None

    def province_of(unit):
        while unit.parent_id is not None:
            unit = units[unit.parent_id]
        return unit

    # --- plan: rounds, producers, products, certificates -----------------------------------
    round_plans = _round_plans(today, years)
    by_scheme = defaultdict(list)
    for index, plan in enumerate(round_plans):
        by_scheme[plan.scheme].append(index)

    producer_rows = []  # (commune, scheme)
    product_rows = []  # (producer index, name, product set)
    while len(product_rows) < products:
        scheme = UnitScheme.THREE_TIER if rng.random() < 0.7 else UnitScheme.TWO_TIER
        producer_rows.append((rng.choice(communes[scheme]), scheme))
        for _ in range(rng.choices([1, 2, 3], weights=[55, 30, 15])[0]):
            if len(product_rows) == products:
                break
            name = f"{rng.choice(PRODUCT_NAMES)} {len(product_rows) + 1}"
            product_rows.append((len(producer_rows) - 1, name, rng.choice(product_sets)))

    indexes = list(range(products))
    rng.shuffle(indexes)
    share = round(products * 0.075)
    without = set(indexes[:share])
    old_products = [
        i for i in indexes[share:] if producer_rows[product_rows[i][0]][1] == UnitScheme.THREE_TIER
    ]
    twice = set(old_products[:share])
    cert_plans: list[CertPlan] = []
    for i in range(products):
        if i in without:
            continue
        scheme = producer_rows[product_rows[i][0]][1]
        rounds = by_scheme[scheme]
        stars = 3 if rng.random() < 0.65 else 4
        if i in twice:
            # Certified in the first half of the three-tier rounds, then again (upgraded or
            # re-evaluated) at least a year later.
            first = rng.choice(rounds[: len(rounds) // 2 + 1])
            later = [r for r in rounds if r >= first + 2] or [rounds[-1]]
            older = CertPlan(i, first, 3 if stars == 4 else rng.choice([3, 3, 4]))
            newer = CertPlan(i, rng.choice(later), max(stars, older.stars), True, older)
            cert_plans += [older, newer]
        else:
            cert_plans.append(CertPlan(i, rng.choice(rounds), stars))
    for plan in cert_plans:
        low = Decimal(50) if plan.stars == 3 else Decimal(70)
        plan.score = low + Decimal(rng.randrange(0, 1999)) / 100
    # The products without a certificate were evaluated once and not recognised (under 50
    # points): the province's potential list.
    failed_plans = [
        CertPlan(i, rng.choice(by_scheme[producer_rows[product_rows[i][0]][1]]), 2)
        for i in sorted(without)
    ]

    def evaluated(plan: CertPlan, stars: int) -> date:
        """Where and by whom `plan`'s product is evaluated for `stars` (the council that
        recognises them); the deadline of that level in its round."""
        rplan = round_plans[plan.round_index]
        commune = producer_rows[product_rows[plan.product_index][0]][0]
        level = _recogniser(rplan.regime_code, stars)
        unit = district_of(commune) if level == Level.DISTRICT else province_of(commune)
        deadline = rplan.first_level if level == Level.DISTRICT else rplan.province_deadline
        plan.objects = {
            "commune": commune,
            "district": district_of(commune),
            "province": province_of(commune),
            "level": level,
            "unit": unit,
            "session_date": deadline - timedelta(days=5),
        }
        return deadline

    for plan in failed_plans:
        plan.score = Decimal(30) + Decimal(rng.randrange(0, 1999)) / 100
        evaluated(plan, 3)

    # Who recognises each product, and the decisions: one per issuing unit and round, issued
    # some weeks after the deadline.
    decision_plans: dict[tuple[int, int], dict] = {}
    decision_numbers: Counter = Counter()
    for plan in cert_plans:
        deadline = evaluated(plan, plan.stars)
        level, unit = plan.objects["level"], plan.objects["unit"]
        key = (unit.pk, plan.round_index)
        if key not in decision_plans:
            day = min(deadline + timedelta(days=rng.randint(5, 40)), today)
            decision_numbers[(unit.pk, day.year)] += 1
            serial = decision_numbers[(unit.pk, day.year)]
            decision_plans[key] = {
                "order": len(decision_plans),
                "date": day,
                "level": level,
                "unit": unit,
                "number": f"{serial}{rng.randint(10, 99)}/QĐ-UBND",
            }
        plan.objects["decision"] = decision_plans[key]

    # Numbers per province and year in the order of issue; the status the daily command
    # leaves; 2 % revoked; the product's standing as decision_issue and revocation write it.
    sequences: Counter = Counter()
    in_order = sorted(
        cert_plans,
        key=lambda p: (p.objects["decision"]["date"], p.objects["decision"]["order"]),
    )
    for plan in in_order:
        decision = plan.objects["decision"]
        province = province_of(decision["unit"])
        issued_on = decision["date"]
        sequences[(province.code, issued_on.year)] += 1
        plan.objects.update(
            issued_on=issued_on,
            valid_until=valid_until(issued_on),
            province_code=province.code,
            sequence=sequences[(province.code, issued_on.year)],
            number=certificate_number(
                province=province.code,
                year=issued_on.year,
                sequence=sequences[(province.code, issued_on.year)],
            ),
            status=(
                CertificateStatus.EXPIRED
                if valid_until(issued_on) < today
                else CertificateStatus.VALID
            ),
        )
    for plan in cert_plans:
        if plan.older is not None:
            plan.older.objects["status"] = CertificateStatus.SUPERSEDED
    standing = [p for p in cert_plans if p.objects["status"] != CertificateStatus.SUPERSEDED]
    revoked = rng.sample(standing, round(len(cert_plans) * 0.02))
    for plan in revoked:
        plan.objects["status"] = CertificateStatus.REVOKED
    product_standing: dict[int, CertPlan] = {}
    for plan in in_order:
        if plan.objects["status"] != CertificateStatus.SUPERSEDED:
            product_standing[plan.product_index] = plan
    step(
        f"planned {len(round_plans)} rounds a province, {len(producer_rows)} producers, "
        f"{products} products, {len(decision_plans)} decisions, {len(cert_plans)} certificates"
    )

    with transaction.atomic():
        # Rounds: every province of the map in force, every planned round.
        rounds = {}
        round_objs = []
        for index, plan in enumerate(round_plans):
            for province in provinces[plan.scheme]:
                obj = Round(
                    province_id=province.pk,
                    year=plan.year,
                    number=plan.number,
                    title=f"Đợt {plan.number} năm {plan.year} · {province.name}",
                    regime=regimes[plan.regime_code],
                    criteria_version=version,
                    submission_deadline=plan.submission,
                    first_level_deadline=plan.first_level,
                    province_deadline=plan.province_deadline,
                    created_by=user,
                )
                rounds[(index, province.pk)] = obj
                round_objs.append(obj)
        Round.objects.bulk_create(round_objs, batch_size=BATCH)

        producer_objs = []
        for n, (commune, _scheme) in enumerate(producer_rows, start=1):
            word = rng.choice(PRODUCER_WORDS)
            producer_objs.append(
                Producer(
                    kind=rng.choice(ProducerKind.values),
                    name=f"{word} {rng.choice(PRODUCT_NAMES)} {commune.name} {n}",
                    registration_no=f"{4000000000 + n}",
                    tax_code=f"{5000000000 + n}",
                    representative_name=f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}",
                    representative_title="Giám đốc",
                    representative_gender=rng.choice(Gender.values),
                    address_unit_id=commune.pk,
                    address_detail=f"Thôn {rng.randint(1, 12)}",
                    phone=f"09{n:08d}",
                    email=f"producer{n}@example.vn",
                    state=ProducerState.VERIFIED,
                    verified_at=_aware(date(2021, 1, 4)),
                    verified_by=user,
                )
            )
        Producer.objects.bulk_create(producer_objs, batch_size=BATCH)
        product_objs = []
        for index, (producer_index, name, product_set) in enumerate(product_rows):
            held = product_standing.get(index)
            if held is not None and held.objects["status"] == CertificateStatus.REVOKED:
                held = None
            product_objs.append(
                Product(
                    producer=producer_objs[producer_index],
                    name=name,
                    product_set=product_set,
                    description="Sản phẩm đặc trưng của địa phương.",
                    packaging="Hộp giấy 500 g",
                    shelf_life="12 tháng",
                    ocop_stars=held.stars if held else None,
                    certificate_number=held.objects["number"] if held else "",
                    certificate_valid_until=held.objects["valid_until"] if held else None,
                )
            )
        Product.objects.bulk_create(product_objs, batch_size=BATCH)
        step(
            f"{len(round_objs)} rounds, {len(producer_objs)} producers, "
            f"{len(product_objs)} products"
        )

        # Councils (one per recognising unit) with a chair, sessions (one per council and
        # round), dossiers, agenda items and final results.
        councils: dict[tuple[str, int], Council] = {}
        sessions: dict[tuple[str, int, int], Session] = {}
        dossier_objs, item_objs, result_objs = [], [], []
        failed = set(map(id, failed_plans))
        for plan in [*cert_plans, *failed_plans]:
            recognised = id(plan) not in failed
            level, unit = plan.objects["level"], plan.objects["unit"]
            council = councils.get((level, unit.pk))
            if council is None:
                council = councils[(level, unit.pk)] = Council(
                    level=level,
                    unit_id=unit.pk,
                    name=f"Hội đồng đánh giá, phân hạng sản phẩm OCOP {unit.name}",
                    decision_number=f"{rng.randint(100, 999)}/QĐ-UBND",
                    decision_date=date(today.year - years, 1, 15),
                    term_start=date(today.year - years, 1, 15),
                )
            round_obj = rounds[(plan.round_index, plan.objects["province"].pk)]
            session = sessions.get((level, unit.pk, plan.round_index))
            if session is None:
                session = sessions[(level, unit.pk, plan.round_index)] = Session(
                    council=council,
                    round=round_obj,
                    date=plan.objects["session_date"],
                    place=f"Hội trường UBND {unit.name}",
                    created_by=user,
                )
            rplan = round_plans[plan.round_index]
            older = plan.older
            dossier = Dossier(
                round=round_obj,
                product=product_objs[plan.product_index],
                kind=(
                    (DossierKind.UPGRADE if plan.stars > older.stars else DossierKind.REEVALUATION)
                    if older
                    else DossierKind.FIRST
                ),
                current_certificate_number=older.objects["number"] if older else "",
                state=DossierState.RECOGNISED if recognised else DossierState.NOT_RECOGNISED,
                version=1,
                scoring_form=form,
                first_level_unit_id=(plan.objects["district"] or plan.objects["commune"]).pk,
                level=level,
                created_by=user,
                submitted_at=_aware(rplan.submission - timedelta(days=10)),
                accepted_at=_aware(rplan.submission + timedelta(days=3)),
            )
            item = SessionItem(session=session, dossier=dossier, state=ItemState.FINAL)
            result = LevelResult(
                item=item,
                dossier=dossier,
                level=level,
                mean=plan.score,
                display_mean=plan.score,
                band_stars=plan.stars,
                stars=plan.stars,
                spread=Decimal("4.50"),
                outcome=Outcome.RECOGNISED if recognised else Outcome.NOT_RECOGNISED,
                reason=(
                    "Đạt số điểm và các tiêu chí bắt buộc của hạng sao."
                    if recognised
                    else "Chưa đạt 50 điểm."
                ),
                details={"failed_minimums": []},
                finalised_by=user,
                finalised_at=_aware(session.date, 16),
            )
            plan.objects.update(dossier=dossier, result=result)
            dossier_objs.append(dossier)
            item_objs.append(item)
            result_objs.append(result)
        # bulk_create takes the foreign keys' ids from the parents written before it.
        Council.objects.bulk_create(councils.values(), batch_size=BATCH)
        CouncilMember.objects.bulk_create(
            [
                CouncilMember(council=c, user=user, role=CouncilRole.CHAIR)
                for c in councils.values()
            ],
            batch_size=BATCH,
        )
        Session.objects.bulk_create(sessions.values(), batch_size=BATCH)
        Dossier.objects.bulk_create(dossier_objs, batch_size=BATCH)
        SessionItem.objects.bulk_create(item_objs, batch_size=BATCH)
        LevelResult.objects.bulk_create(result_objs, batch_size=BATCH)
        step(
            f"{len(councils)} councils, {len(sessions)} sessions, {len(dossier_objs)} dossiers "
            "with their agenda items and final results"
        )

        decisions = {}
        for key, d in decision_plans.items():
            decisions[key] = Decision(
                level=d["level"],
                issuer_id=d["unit"].pk,
                number=d["number"],
                year=d["date"].year,
                date=d["date"],
                signer_name=f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}",
                signer_title=f"Phó Chủ tịch UBND {d['unit'].name}",
                state=DecisionState.ISSUED,
                signed_scan=f"decisions/{d['unit'].pk}/{d['date'].year}/quyet-dinh.pdf",
                scan_sha256="0" * 64,
                created_by=user,
                issued_at=_aware(d["date"], 15),
            )
        Decision.objects.bulk_create(decisions.values(), batch_size=BATCH)
        decision_items = []
        for order, plan in enumerate(cert_plans):
            decision = decisions[(plan.objects["unit"].pk, plan.round_index)]
            plan.objects["decision_obj"] = decision
            plan.objects["decision_item"] = DecisionItem(
                decision=decision,
                result=plan.objects["result"],
                stars=plan.stars,
                score=plan.score,
                order=order,
            )
            decision_items.append(plan.objects["decision_item"])
        DecisionItem.objects.bulk_create(decision_items, batch_size=BATCH)

        # Certificates: the standing ones first, then the superseded ones (which point at
        # their successors).
        def certificate(plan: CertPlan) -> Certificate:
            o = plan.objects
            product = product_objs[plan.product_index]
            cert = Certificate(
                number=o["number"],
                decision=o["decision_obj"],
                item=o["decision_item"],
                product=product,
                producer_id=product.producer_id,
                dossier=o["dossier"],
                stars=plan.stars,
                score=plan.score,
                **certified_values(product),
                issued_on=o["issued_on"],
                valid_until=o["valid_until"],
                status=o["status"],
                # The older of a product's two certificates is the superseded one.
                latest=o["status"] != CertificateStatus.SUPERSEDED,
                province_code=o["province_code"],
                year=o["issued_on"].year,
                sequence=o["sequence"],
            )
            o["certificate"] = cert
            return cert

        superseded = [p for p in in_order if p.objects["status"] == CertificateStatus.SUPERSEDED]
        first = [
            certificate(p) for p in in_order if p.objects["status"] != CertificateStatus.SUPERSEDED
        ]
        Certificate.objects.bulk_create(first, batch_size=BATCH)
        successors = {id(p.older): p for p in cert_plans if p.older is not None}
        second = []
        for plan in superseded:
            cert = certificate(plan)
            cert.superseded_by = successors[id(plan)].objects["certificate"]
            second.append(cert)
        Certificate.objects.bulk_create(second, batch_size=BATCH)
        # The renewal dossiers point at the certificate they renew.
        Dossier.objects.exclude(current_certificate_number="").update(
            current_certificate=Subquery(
                Certificate.objects.filter(number=OuterRef("current_certificate_number")).values(
                    "pk"
                )[:1]
            )
        )
        Revocation.objects.bulk_create(
            [
                Revocation(
                    certificate=plan.objects["certificate"],
                    reason=rng.choice(RevocationReason.values),
                    decision_number=f"{rng.randint(100, 999)}/QĐ-UBND",
                    decision_date=min(
                        plan.objects["issued_on"] + timedelta(days=rng.randint(60, 700)), today
                    ),
                    note="Thu hồi sau hậu kiểm.",
                    revoked_by=user,
                )
                for plan in revoked
            ],
            batch_size=BATCH,
        )
        step(
            f"{len(decisions)} decisions, {len(first) + len(second)} certificates "
            f"({len(second)} superseded, {len(revoked)} revoked)"
        )

    # The throwaway cluster runs without autovacuum: give the planner its statistics, as
    # autovacuum's analyze would in production.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    step("VACUUM ANALYZE done")

    statuses = Counter(
        with_status(Certificate.objects.all(), today).values_list("current_status", flat=True)
    )
    return {
        "administrative units": AdministrativeUnit.objects.count(),
        "producers": len(producer_objs),
        "products": len(product_objs),
        "rounds": len(round_objs),
        "years": f"{round_plans[0].year}–{round_plans[-1].year}",
        "councils": len(councils),
        "sessions": len(sessions),
        "dossiers": len(dossier_objs),
        "decisions": len(decisions),
        "certificates": Certificate.objects.count(),
        "by status today": dict(sorted(statuses.items())),
    }
