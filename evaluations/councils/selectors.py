"""Reads for councils, sessions, score sheets and results."""

from functools import cached_property

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from evaluations.councils.consolidation import ItemConsolidation, consolidate
from evaluations.councils.models import SheetReopening
from evaluations.criteria.selectors import form_spec, regime_spec
from evaluations.engine.stars import StarBands
from evaluations.enums import DOSSIER_READY_FOR_COUNCIL, ItemState
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
from ocop.core.enums import Role
from ocop.core.selectors import in_unit_q, officer_unit_id


def councils_visible_to(user) -> QuerySet[Council]:
    """Administrators see every council; officers those of their jurisdiction and below;
    members their own councils."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Council.objects.none()
    base = Council.objects.select_related("unit__parent")
    if user.has_role(Role.ADMINISTRATOR):
        return base
    q = Q(members__user_id=user.pk)
    unit_id = officer_unit_id(user)
    if unit_id:
        q |= in_unit_q(unit_id, field="unit")
    return base.filter(q).distinct()


def council_members(council: Council) -> list[CouncilMember]:
    return list(council.members.select_related("user").order_by("pk"))


def sessions_visible_to(user) -> QuerySet[Session]:
    """Council members see their councils' sessions; officers the sessions of councils of
    their jurisdiction and below."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Session.objects.none()
    q = Q(council__members__user_id=user.pk)
    unit_id = officer_unit_id(user)
    if unit_id:
        q |= in_unit_q(unit_id, field="council__unit")
    return (
        Session.objects.filter(q)
        .distinct()
        .select_related("council__unit", "round")
        .order_by("-date", "-pk")
    )


def eligible_dossiers(session: Session) -> QuerySet[Dossier]:
    """The dossiers the working group may put on the session's agenda: of the session's
    round, held at the council's level in the council's unit, accepted or forwarded, and on
    no other agenda still scoring."""
    council = session.council
    return (
        Dossier.objects.filter(
            in_unit_q(council.unit_id, field="first_level_unit"),
            round_id=session.round_id,
            level=council.level,
            state__in=list(DOSSIER_READY_FOR_COUNCIL),
        )
        .exclude(session_items__state=ItemState.SCORING)
        .select_related("product__producer", "product__product_set", "first_level_unit")
        .order_by("product__name", "pk")
    )


class SessionView:
    """A session with everything its pages show, read in a fixed number of queries: the
    council and its members, the items with their dossiers, declarations, sheets and results,
    and one form spec per scoring form used."""

    def __init__(self, session: Session, items: list[SessionItem] | None = None):
        self.session = session
        self.council = session.council
        self.members = council_members(self.council)
        self.items = (
            items
            if items is not None
            else list(
                session.items.select_related(
                    "dossier__product__producer",
                    "dossier__product__product_set",
                    "dossier__scoring_form__version",
                    "result",
                )
                .prefetch_related(
                    Prefetch("conflicts", queryset=ConflictDeclaration.objects.order_by("pk")),
                    Prefetch(
                        "sheets",
                        queryset=ScoreSheet.objects.select_related("member__user").prefetch_related(
                            Prefetch(
                                "reopenings",
                                queryset=SheetReopening.objects.select_related(
                                    "requested_by", "excused_by"
                                ).order_by("number"),
                            )
                        ),
                    ),
                )
                .order_by("order", "pk")
            )
        )
        self._specs: dict[int, object] = {}

    def spec(self, item: SessionItem):
        form = item.dossier.scoring_form
        if form.pk not in self._specs:
            self._specs[form.pk] = form_spec(form)
        return self._specs[form.pk]

    @cached_property
    def regime(self):
        return regime_spec(self.session.round.regime)

    @cached_property
    def bands(self) -> StarBands:
        return StarBands(self.session.round.criteria_version.star_thresholds)

    def consolidation(
        self, item: SessionItem, *, sheets: list[ScoreSheet] | None = None
    ) -> ItemConsolidation:
        return consolidate(
            item=item,
            members=self.members,
            declarations=item.conflicts.all(),
            sheets=item.sheets.all() if sheets is None else sheets,
            spec=self.spec(item),
            regime=self.regime,
            bands=self.bands,
            level=self.council.level,
            quorum=self.council.quorum,
            spread_threshold=self.council.spread_threshold,
            discussion_clears_spread=self.council.discussion_clears_spread,
            session_date=self.session.date,
            today=timezone.localdate(),
        )

    def member_for(self, user) -> CouncilMember | None:
        return next((m for m in self.members if m.user_id == getattr(user, "pk", None)), None)


def session_view(session: Session) -> SessionView:
    return SessionView(session)


def item_consolidation(item: SessionItem) -> ItemConsolidation:
    """One item's consolidation, read afresh (for the services, which lock the item first)."""
    sheets = list(
        ScoreSheet.objects.filter(item=item)
        .select_related("member__user")
        .prefetch_related("reopenings")
    )
    return SessionView(item.session, items=[item]).consolidation(item, sheets=sheets)


def results_of(dossier: Dossier) -> QuerySet[LevelResult]:
    return dossier.results.select_related("item__session__council").order_by("finalised_at")
