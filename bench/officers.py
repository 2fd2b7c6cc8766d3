"""The officers' side of the benchmark's data set: who is measured, and one council session
in progress to consolidate.

After `dataset.build` (the national register), this adds:
- an account with a session cookie: the OCOP office of the two-tier province with the
  most dossiers (province officer, and secretary of its council);
- in that province's latest round, a council session in progress: 30 products, each scored
  by the chair and 8 members (9 submitted sheets made with the demo's planned answers on
  the real scoring form of set 1, totals from the project's scoring engine), each member's
  declaration of no conflict. The consolidation page of one of those products is measured.

Benchmark data, as in dataset.py: `bulk_create`, no services, audit or mail.
"""

from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Count
from django.test import Client
from django.utils import timezone

from evaluations.criteria.selectors import form_spec
from evaluations.engine.scoring import score_sheet
from evaluations.enums import (
    CouncilRole,
    DossierKind,
    DossierState,
    ItemState,
    Level,
    SheetState,
)
from evaluations.models import (
    ConflictDeclaration,
    Council,
    CouncilMember,
    Dossier,
    Round,
    ScoreSheet,
    ScoringForm,
    Session,
    SessionItem,
)
from ocop.core.enums import Role, UnitScheme
from ocop.core.models import User
from ocop.demo.councils import Scoring, member_answers, planned_answers
from products.models import Product

ITEMS = 30
MEMBERS = 8  # besides the chair


def _login(user: User) -> str:
    """A session cookie for `user` (a real session row, read by the server's middleware)."""
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def build(*, log=print) -> dict:
    province_round = (
        Round.objects.filter(province__scheme=UnitScheme.TWO_TIER)
        .values("province")
        .annotate(dossiers=Count("dossiers"))
        .order_by("-dossiers", "province")
        .first()
    )
    province_id = province_round["province"]
    round_obj = Round.objects.filter(province_id=province_id).order_by("-year", "-number").first()
    province = round_obj.province
    council = Council.objects.get(level=Level.PROVINCE, unit=province)
    form = ScoringForm.objects.get(product_set__number=1, is_current=True)
    spec = form_spec(form)

    with transaction.atomic():
        office = User.objects.create(
            username="bench-province",
            first_name="Văn phòng OCOP",
            last_name=province.name,
            jurisdiction=province,
        )
        office.groups.add(Group.objects.get_or_create(name=Role.PROVINCE_OFFICER)[0])
        office.set_unusable_password()
        office.save(update_fields=["password"])

        members = [CouncilMember.objects.get(council=council, role=CouncilRole.CHAIR)]
        for n in range(1, MEMBERS + 1):
            user = User.objects.create(
                username=f"bench-member-{n}", first_name=f"Thành viên {n}", last_name="Hội đồng"
            )
            members.append(
                CouncilMember.objects.create(council=council, user=user, role=CouncilRole.MEMBER)
            )
        CouncilMember.objects.create(council=council, user=office, role=CouncilRole.SECRETARY)

        # Products of the province with no dossier in the round yet.
        products = list(
            Product.objects.filter(producer__address_unit__parent=province)
            .exclude(dossiers__round=round_obj)
            .order_by("pk")[:ITEMS]
        )
        session = Session.objects.create(
            council=council,
            round=round_obj,
            date=timezone.localdate(),
            place=f"Hội trường UBND {province.name}",
            created_by=office,
        )
        now = timezone.now()
        dossiers = Dossier.objects.bulk_create(
            Dossier(
                round=round_obj,
                product=product,
                kind=DossierKind.FIRST,
                state=DossierState.UNDER_EVALUATION,
                version=1,
                scoring_form=form,
                first_level_unit_id=product.producer.address_unit_id,
                level=Level.PROVINCE,
                created_by=office,
                submitted_at=now,
                accepted_at=now,
            )
            for product in products
        )
        items = SessionItem.objects.bulk_create(
            SessionItem(session=session, dossier=dossier, order=n, state=ItemState.SCORING)
            for n, dossier in enumerate(dossiers)
        )
        sheets, declarations = [], []
        for n, item in enumerate(items):
            scoring = Scoring(target=60 + n % 30, stars=3, comments="")
            base = planned_answers(spec, scoring)
            for seat, member in enumerate(members):
                answers = member_answers(spec, scoring, base, seat)
                sheets.append(
                    ScoreSheet(
                        item=item,
                        member=member,
                        scoring_form=form,
                        state=SheetState.SUBMITTED,
                        answers=answers,
                        total=Decimal(score_sheet(form=spec, answers=answers).total),
                        submitted_at=now,
                    )
                )
                declarations.append(
                    ConflictDeclaration(item=item, member=member, has_conflict=False)
                )
        ScoreSheet.objects.bulk_create(sheets)
        ConflictDeclaration.objects.bulk_create(declarations)
    log(
        f"  officers: {province.name} (office and council secretary); "
        f"a session of {len(items)} products × {len(members)} submitted sheets"
    )
    return {
        "province": province,
        "year": round_obj.year,
        "session": session,
        "items": [item.pk for item in items],
        "cookies": {"province": _login(office)},
    }
