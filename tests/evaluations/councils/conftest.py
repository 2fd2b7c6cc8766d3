"""A district council of Tân Lạc (Hoà Bình) with five members who score and a secretary,
a province council of three, and dossiers accepted by the district's working group in a
round under Decision 148/2023 (district recognises 3★ and forwards from 70 points).

Dossiers are put in the accepted state directly: how they get there is tested in
tests/dossiers. Everything from the council on goes through the services.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from evaluations.councils.services.councils import council_add_member, council_create
from evaluations.councils.services.scoring import conflict_declare, sheet_submit
from evaluations.councils.services.sessions import session_add_dossiers, session_create
from evaluations.criteria.selectors import form_spec
from evaluations.enums import CouncilRole, DossierState
from evaluations.intake.services.dossiers import dossier_create
from evaluations.models import Dossier
from tests.evaluations.intake import conftest as dossier_fixtures
from tests.factories import UserFactory, producer_with_owner, product_for, user_with_role

# The dossier tests' fixtures, shared (a round under 148/2023, its forms, the officers).
_english = dossier_fixtures._english
district_officer = dossier_fixtures.district_officer
province_officer = dossier_fixtures.province_officer
forms = dossier_fixtures.forms
regimes = dossier_fixtures.regimes
required_documents = dossier_fixtures.required_documents
round_148 = dossier_fixtures.round_148
open_round = dossier_fixtures.open_round

# Product sets with verified forms among tests.evaluations.intake' FORMS_USED.
SETS = (1, 2, 3)


def make_council(level, unit, actor, *, prefix, scoring=5, secretary=True, **settings):
    """A council with a chair, a vice-chair and members (`scoring` in all) and a secretary.
    Member accounts are `<prefix>1` (the chair) to `<prefix><scoring>`, `<prefix>tk`."""
    # Set up when its unit existed: the old map's before 01/07/2025, today's after.
    decided = max(datetime.date(2025, 1, 2), unit.valid_from or datetime.date.min)
    council = council_create(
        level=level,
        unit=unit,
        name=f"Hội đồng đánh giá, phân hạng sản phẩm OCOP {unit.short_name}",
        decision_number=f"{unit.code}/QĐ-UBND",
        decision_date=decided,
        term_start=decided,
        actor=actor,
        **settings,
    )
    roles = [CouncilRole.CHAIR, CouncilRole.VICE_CHAIR] + [CouncilRole.MEMBER] * (scoring - 2)
    for index, role in enumerate(roles[:scoring], start=1):
        user = UserFactory(
            username=f"{prefix}{index}",
            first_name=f"Thành viên {index}",
            last_name="Hà",
            email=f"{prefix}{index}@example.vn",
        )
        council_add_member(
            council=council, user=user, role=role, organisation="Phòng Nông nghiệp", actor=actor
        )
    if secretary:
        user = UserFactory(username=f"{prefix}tk", first_name="Thư ký", last_name="Đinh")
        council_add_member(council=council, user=user, role=CouncilRole.SECRETARY, actor=actor)
    return council


@pytest.fixture
def district_council(units, district_officer):
    return make_council("district", units["district"], district_officer, prefix="hdh")


@pytest.fixture
def province_council(units, province_officer):
    return make_council(
        "province", units["province"], province_officer, prefix="hdt", scoring=3, secretary=False
    )


@pytest.fixture
def members(district_council):
    """Role → list of members, and username → member."""
    found = {}
    for member in district_council.members.select_related("user"):
        found.setdefault(member.role, []).append(member)
        found[member.user.username] = member
    return found


@pytest.fixture
def producers(units):
    """Three cooperatives of Mãn Đức."""
    return [
        producer_with_owner(commune=units["commune"], username=f"htx{i}", name=f"HTX Số {i}")
        for i in range(1, 4)
    ]


def accepted_dossier(round_obj, product, owner) -> Dossier:
    dossier = dossier_create(round=round_obj, product=product, kind="first", actor=owner)
    Dossier.objects.filter(pk=dossier.pk).update(
        state=DossierState.ACCEPTED, version=1, level="district", accepted_at=timezone.now()
    )
    dossier.refresh_from_db()
    return dossier


@pytest.fixture
def dossiers(round_148, producers, forms):
    """One accepted dossier per producer, on product sets 1, 2 and 3."""
    return [
        accepted_dossier(round_148, product_for(producer, number=number, name=name), owner)
        for (producer, owner), number, name in zip(
            producers, SETS, ("Gạo nếp cẩm", "Mật ong bạc hà", "Chè shan tuyết"), strict=True
        )
    ]


@pytest.fixture
def session(district_council, round_148, district_officer):
    return session_create(
        council=district_council,
        round=round_148,
        date=timezone.localdate(),
        place="Hội trường UBND huyện Tân Lạc",
        actor=district_officer,
    )


@pytest.fixture
def items(session, dossiers, district_officer):
    return session_add_dossiers(session=session, dossiers=dossiers, actor=district_officer)


def answers_at(spec, choice="best") -> dict[str, str]:
    """Every leaf answered (a choose-one group: its first case) with its best, worst or
    middle option."""
    answers = {}
    for group in spec.groups():
        criteria = group.criteria[:1] if group.choose_one else group.criteria
        for criterion in criteria:
            for leaf in criterion.leaves():
                options = sorted(leaf.options, key=lambda o: o.points)
                picked = {"best": options[-1], "worst": options[0]}.get(
                    choice, options[len(options) // 2]
                )
                answers[leaf.key] = picked.key
    return answers


def score(item, member, choice="best", notes=None):
    """The member declares no conflict and submits a sheet of `choice` answers."""
    conflict_declare(item=item, has_conflict=False, actor=member.user)
    sheet = item.sheets.get(member=member)
    spec = form_spec(sheet.scoring_form)
    return sheet_submit(
        sheet=sheet, answers=answers_at(spec, choice), notes=notes or {}, actor=member.user
    )


def total_of(spec, choice) -> Decimal:
    from evaluations.engine.scoring import score_sheet

    return score_sheet(form=spec, answers=answers_at(spec, choice)).total


@pytest.fixture
def other_user(db):
    return user_with_role(None, username="nguoingoai")


def answers_below(spec, ceiling) -> dict[str, str]:
    """The best answers, then criteria without a star mark lowered to their worst option,
    one by one, until the total falls below `ceiling`: a sheet that keeps every mandatory
    minimum but scores less (e.g. 3★ with a ceiling of 70)."""
    from evaluations.engine.scoring import score_sheet

    answers = answers_at(spec, "best")
    marked = {
        leaf.key
        for leaf in spec.leaf_criteria()
        if leaf.min_stars or any(o.min_stars for o in leaf.options)
    }
    for leaf in spec.leaf_criteria():
        if score_sheet(form=spec, answers=answers).total < ceiling:
            break
        if leaf.key in answers and leaf.key not in marked:
            answers[leaf.key] = min(leaf.options, key=lambda o: o.points).key
    return answers
