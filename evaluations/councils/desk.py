"""The councils' part of each desk (ocop.core.desk): a member's sheets to score and sessions
to attend."""

from datetime import date

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from evaluations.councils.models import SheetReopening
from evaluations.enums import SCORING_ROLES, ItemState, SheetState
from evaluations.models import (
    ConflictDeclaration,
    CouncilMember,
    ScoreSheet,
    Session,
    SessionItem,
)
from ocop.core.desk import DeskSection, DeskTask, limited


def sheets_to_score(user):
    """The products on the agenda of the user's councils that the user still has to score:
    being scored, the user a scoring member, not recused, and the user's sheet not submitted
    (nor excused from re-scoring). Oldest session first."""
    memberships = CouncilMember.objects.filter(user_id=user.pk, role__in=list(SCORING_ROLES))
    mine = memberships.filter(council_id=OuterRef("session__council_id"))
    recused = ConflictDeclaration.objects.filter(
        item_id=OuterRef("pk"), member__user_id=user.pk, has_conflict=True
    )
    done = ScoreSheet.objects.filter(item_id=OuterRef("pk"), member__user_id=user.pk).filter(
        Q(state=SheetState.SUBMITTED)
        | Exists(SheetReopening.objects.filter(sheet_id=OuterRef("pk"), excused_at__isnull=False))
    )
    return (
        SessionItem.objects.filter(state=ItemState.SCORING)
        .filter(Exists(mine))
        .exclude(Exists(recused))
        .exclude(Exists(done))
        .select_related("session__council", "dossier__product")
        .order_by("session__date", "session_id", "pk")
    )


def council_sections(user, today: date) -> list[DeskSection]:
    if not CouncilMember.objects.filter(user_id=user.pk).exists():
        return []
    items, items_total = limited(sheets_to_score(user))
    sessions, sessions_total = limited(
        Session.objects.filter(council__members__user_id=user.pk, date__gte=today)
        .select_related("council")
        .order_by("date", "pk")
        .distinct()
    )
    return [
        DeskSection(
            key="sheets",
            title=_("Score sheets to fill in"),
            tasks=[
                DeskTask(
                    title=item.dossier.product.name,
                    url=reverse(
                        "evaluations:sheet", kwargs={"pk": item.session_id, "item": item.pk}
                    ),
                    detail=item.session.council.name,
                    due=item.session.date,
                )
                for item in items
            ],
            total=items_total,
            empty=_("No product waits for your score."),
            more_url=reverse("evaluations:session_list"),
            more_label=_("Council sessions"),
            order=5,
        ),
        DeskSection(
            key="sessions",
            title=_("Council sessions ahead"),
            tasks=[
                DeskTask(
                    title=session.council.name,
                    url=reverse("evaluations:session_detail", args=[session.pk]),
                    detail=session.place,
                    due=session.date,
                )
                for session in sessions
            ],
            total=sessions_total,
            empty=_("No session of your councils is planned."),
            more_url=reverse("evaluations:session_list"),
            more_label=_("Council sessions"),
            order=30,
        ),
    ]
