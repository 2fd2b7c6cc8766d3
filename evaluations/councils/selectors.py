"""Reads for councils, sessions, score sheets and results: user-scoped querysets and the
data each page shows, in a fixed number of queries. Views and template tags render what these
return; they do not query."""

from decimal import Decimal
from functools import cached_property

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from evaluations.councils.consolidation import ItemConsolidation, consolidate
from evaluations.councils.models import SheetReopening
from evaluations.criteria.selectors import form_spec, regime_spec
from evaluations.engine.spec import FormSpec
from evaluations.engine.stars import StarBands
from evaluations.enums import DOSSIER_READY_FOR_COUNCIL, ItemState, Level, Outcome, SheetState
from evaluations.models import (
    ConflictDeclaration,
    Council,
    CouncilMember,
    Dossier,
    LevelResult,
    Round,
    ScoreSheet,
    ScoringForm,
    Session,
    SessionItem,
)
from ocop.core.enums import Role
from ocop.core.models import AdministrativeUnit
from ocop.core.selectors import in_unit_q, officer_unit_id
from products.models import EvidenceDocument


def councils_visible_to(user) -> QuerySet[Council]:
    """Administrators see every council; officers those of their jurisdiction and below;
    members their own councils."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Council.objects.none()
    base = Council.objects.select_related("unit__parent")
    if user.has_role(Role.ADMINISTRATOR):
        return base
    q = Q(pk__in=CouncilMember.objects.filter(user_id=user.pk).values("council_id"))
    unit_id = officer_unit_id(user)
    if unit_id:
        q |= in_unit_q(unit_id, field="unit")
    return base.filter(q)


def council_list(user) -> QuerySet[Council]:
    """The councils the user may see, each with its `member_count`."""
    # A subquery, not Count("members"), which would join the members a second time.
    member_count = (
        CouncilMember.objects.filter(council=OuterRef("pk"))
        .order_by()
        .values("council")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return councils_visible_to(user).annotate(
        member_count=Coalesce(Subquery(member_count, output_field=IntegerField()), 0)
    )


def council_members(council: Council) -> list[CouncilMember]:
    return list(council.members.select_related("user").order_by("pk"))


def council_member(council: Council, member_id: int) -> CouncilMember | None:
    """One member of this council (None for another council's member)."""
    return council.members.select_related("user").filter(pk=member_id).first()


def council_sessions(council: Council) -> QuerySet[Session]:
    """The council's sessions, latest first, each with its `product_count`."""
    return (
        council.sessions.select_related("round")
        .annotate(product_count=Count("items"))
        .order_by("-date", "-pk")
    )


def sessions_visible_to(user) -> QuerySet[Session]:
    """Council members see their councils' sessions; officers the sessions of councils of
    their jurisdiction and below."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Session.objects.none()
    q = Q(council_id__in=CouncilMember.objects.filter(user_id=user.pk).values("council_id"))
    unit_id = officer_unit_id(user)
    if unit_id:
        q |= in_unit_q(unit_id, field="council__unit")
    return (
        Session.objects.filter(q).select_related("council__unit", "round").order_by("-date", "-pk")
    )


def session_list(user) -> QuerySet[Session]:
    """The sessions the user may see, each with its `item_count` and `final_count`."""
    return sessions_visible_to(user).annotate(
        item_count=Count("items", distinct=True),
        final_count=Count("items", filter=Q(items__state=ItemState.FINAL), distinct=True),
    )


def agenda_items(session: Session) -> list[SessionItem]:
    """The products on the session's agenda, in their order."""
    return list(
        session.items.select_related(
            "dossier__product__producer", "dossier__product__product_set"
        ).order_by("order", "pk")
    )


def eligible_dossiers(session: Session) -> QuerySet[Dossier]:
    """The dossiers the working group may put on the session's agenda: of the session's
    round, held at the council's level in the council's unit, accepted or forwarded, and on
    no other agenda still scoring; never an imported one (it has no scoring form)."""
    council = session.council
    return (
        Dossier.objects.filter(
            in_unit_q(council.unit_id, field="first_level_unit"),
            import_batch__isnull=True,
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

    def agenda_rows(self, member: CouncilMember | None) -> list[dict]:
        """The session page's rows as `member` (None: an officer) may see them: each item
        with the member's own status; a member recused from an item sees neither its
        consolidation nor its result."""
        rows = []
        for item in self.items:
            consolidation = self.consolidation(item)
            own = (
                next((m for m in consolidation.members if m.member.pk == member.pk), None)
                if member
                else None
            )
            recused_viewer = own is not None and own.recused
            rows.append(
                {
                    "item": item,
                    "own": own,
                    "recused_viewer": recused_viewer,
                    "consolidation": None if recused_viewer else consolidation,
                    "totals_visible": not recused_viewer
                    and consolidation.totals_visible_to(member),
                    "result": getattr(item, "result", None) if not recused_viewer else None,
                }
            )
        return rows


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


# --- one agenda item: the member's declaration, sheet and the producer's evidence ----------


def agenda_item_detail() -> QuerySet[SessionItem]:
    """Agenda items with what their pages show (the session, its council, the dossier)."""
    return SessionItem.objects.select_related(
        "session__council__unit",
        "session__round__regime",
        "session__round__criteria_version",
        "dossier__product__producer",
        "dossier__product__product_set",
        "dossier__scoring_form__version",
    )


def declaration_of(item: SessionItem, member: CouncilMember | None) -> ConflictDeclaration | None:
    """The member's conflict declaration on the item, if made."""
    if member is None:
        return None
    return item.conflicts.filter(member=member).first()


def member_sheet(item: SessionItem, member: CouncilMember | None) -> ScoreSheet | None:
    """The member's score sheet of the item (made with the declaration), if any."""
    if member is None:
        return None
    return (
        ScoreSheet.objects.filter(item=item, member=member)
        .select_related("scoring_form__version")
        .first()
    )


def excused_reopening(sheet: ScoreSheet) -> SheetReopening | None:
    """The sheet's current re-scoring, when the chair excused the member from it."""
    return sheet.reopenings.filter(number=sheet.reopened_count, excused_at__isnull=False).first()


def item_evidence(item: SessionItem) -> QuerySet[EvidenceDocument]:
    """The producer's evidence documents of the item's dossier (its snapshot and answers)."""
    dossier = item.dossier
    return EvidenceDocument.objects.filter(
        Q(dossiers=dossier) | Q(pk__in=dossier.answers.values("documents"))
    ).distinct()


# --- results ---------------------------------------------------------------------------------


class FormSpecs:
    """Form specs by scoring form pk, each read once (a form spec costs a few queries)."""

    def __init__(self, forms=()):
        self._forms: dict[int, ScoringForm] = {form.pk: form for form in forms}
        self._specs: dict[int, FormSpec] = {}

    def get(self, form_id: int) -> FormSpec:
        if form_id not in self._specs:
            form = self._forms.get(form_id) or ScoringForm.objects.select_related(
                "version", "product_set"
            ).get(pk=form_id)
            self._specs[form_id] = form_spec(form)
        return self._specs[form_id]

    def for_result(self, result: LevelResult) -> FormSpec:
        """The form the result was scored on (the dossier's)."""
        return self.get(result.details.get("form") or result.dossier.scoring_form_id)


def final_results(dossier: Dossier, related: str = "item__session__council") -> list[LevelResult]:
    """The dossier's final results, by level, oldest first (one query)."""
    order = {level: index for index, level in enumerate(Level.values)}
    results = (
        LevelResult.objects.filter(dossier_id=dossier.pk, item__state=ItemState.FINAL)
        .select_related(related)
        .order_by("finalised_at", "pk")
    )
    return sorted(results, key=lambda r: (order.get(r.level, len(order)), r.finalised_at))


def council_result_rows(dossier: Dossier, user) -> list[tuple[LevelResult, bool]]:
    """The dossier's final results for its pages' card, each with whether the user (an
    officer who may see the session) gets a link to the minutes."""
    results = final_results(dossier, related="item__session__council__unit__parent__parent")
    officer = bool(getattr(user, "is_authenticated", False) and user.is_officer)
    return [
        (result, officer and user.has_perm("evaluations.view_session", result.item.session))
        for result in results
    ]


def province_final_results(province: AdministrativeUnit) -> QuerySet[LevelResult]:
    """The final results of the province's rounds (what the potential list chooses from)."""
    return LevelResult.objects.filter(
        dossier__round__province=province, item__state=ItemState.FINAL
    )


def province_rounds(province: AdministrativeUnit) -> QuerySet[Round]:
    return Round.objects.filter(province=province).order_by("-year", "-number")


def potential_results(results: QuerySet[LevelResult]) -> QuerySet[LevelResult]:
    """Of `results` (final results, e.g. of a province or one of its rounds), the latest of
    each product, where that result is not recognised or failed a mandatory minimum."""
    latest = (
        results.filter(dossier__product_id=OuterRef("dossier__product_id"))
        .order_by("-finalised_at", "-pk")
        .values("pk")[:1]
    )
    return (
        results.filter(pk=Subquery(latest))
        .filter(Q(outcome=Outcome.NOT_RECOGNISED) | ~Q(details__failed_minimums=[]))
        .select_related(
            "dossier__product__producer",
            "dossier__round",
            "dossier__first_level_unit__parent",
            "dossier__scoring_form__version",
            "dossier__scoring_form__product_set",
        )
        .order_by("-display_mean", "dossier__product__name", "pk")
    )


def final_sheet_totals(
    session: Session,
) -> tuple[list[tuple[int, int, Decimal]], dict[int, Decimal]]:
    """The submitted totals of the session's final products, as (member, item, total), and
    each of those products' mean (for the leniency figures)."""
    sheets = ScoreSheet.objects.filter(
        item__session=session,
        item__state=ItemState.FINAL,
        item__result__isnull=False,
        state=SheetState.SUBMITTED,
    ).values_list("member_id", "item_id", "total", "item__result__mean")
    totals, means = [], {}
    for member_id, item_id, total, mean in sheets:
        totals.append((member_id, item_id, total))
        means[item_id] = mean
    return totals, means
