"""The dossiers' part of each desk (ocop.core.desk): the producer's dossiers to correct and
to submit and the rounds it may register in; the working group's dossiers to check; the
province office's late units."""

from datetime import date

from django.db.models import Case, Count, F, Min, Q, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from evaluations.criteria.selectors import unverified_forms
from evaluations.enums import DOSSIER_WAITING_FOR_CHECK, DossierState, Level
from evaluations.intake.selectors import (
    dossier_list,
    dossiers_visible_to,
    inbox_for,
    rounds_taking_dossiers_for_member,
    rounds_visible_to,
)
from evaluations.models import Dossier
from ocop.core.desk import DeskSection, DeskTask, limited
from ocop.core.enums import Role, UnitLevel
from ocop.core.selectors import in_unit_q
from products.models import Product
from products.selectors import member_producer_ids


def _day(value: date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def _member_dossiers(user, state: str):
    return (
        dossier_list(
            dossiers_visible_to(user).filter(
                state=state, product__producer_id__in=member_producer_ids(user)
            )
        )
        .annotate(deadline=Coalesce("deadline_extended_to", "round__submission_deadline"))
        .order_by("deadline", "pk")
    )


def _member_dossier_section(user, *, key, state, title, todo, empty, order) -> DeskSection:
    """The producer's dossiers in one state, nearest deadline first; `todo` says what to do
    with each ("%(round)s · ...")."""
    dossiers, total = limited(_member_dossiers(user, state))
    return DeskSection(
        key=key,
        title=title,
        tasks=[
            DeskTask(
                title=d.product.name,
                url=reverse("evaluations:dossier_detail", args=[d.pk]),
                detail=todo % {"round": d.round},
                due=d.deadline,
            )
            for d in dossiers
        ],
        total=total,
        empty=empty,
        more_url=reverse("evaluations:dossier_list"),
        more_label=_("All my dossiers"),
        order=order,
    )


def producer_sections(user, today: date) -> list[DeskSection]:
    if not user.has_role(Role.PRODUCER_MEMBER) or not member_producer_ids(user):
        return []
    rounds, rounds_total = limited(
        rounds_taking_dossiers_for_member(user, today).select_related("province")
    )
    return [
        _member_dossier_section(
            user,
            key="returned",
            state=DossierState.RETURNED,
            title=_("Dossiers returned for correction"),
            todo=_("%(round)s · correct what the working group asked, then resubmit"),
            empty=_("No dossier of yours is waiting for a correction."),
            order=10,
        ),
        _member_dossier_section(
            user,
            key="drafts",
            state=DossierState.DRAFT,
            title=_("Drafts to submit"),
            todo=_("%(round)s · fill in the self-assessment and documents, then submit"),
            empty=_("No draft dossier."),
            order=20,
        ),
        DeskSection(
            key="open_rounds",
            title=_("Rounds taking dossiers"),
            tasks=[
                DeskTask(
                    title=str(r),
                    url=f"{reverse('evaluations:dossier_create')}?round={r.pk}",
                    detail=_("%(province)s · register a product before the deadline")
                    % {"province": r.province.short_name or r.province.name},
                    due=r.submission_deadline,
                )
                for r in rounds
            ],
            total=rounds_total,
            empty=_(
                "No round of your province takes dossiers now. The province's OCOP office "
                "opens rounds; you will be notified."
            ),
            info=True,
            order=90,
        ),
    ]


def working_group_sections(user, today: date) -> list[DeskSection]:
    if not user.is_officer or not user.jurisdiction_id:
        return []
    if not user.has_perm("evaluations.check_dossier"):
        return []
    # Its own work: what was received by its unit, or forwarded to its level (the dossiers
    # waiting in the units below are theirs; the office sees them as late units).
    own = Q(first_level_unit_id=user.jurisdiction_id) | Q(
        state=DossierState.FORWARDED, level=user.jurisdiction.level
    )
    waiting, total = limited(
        inbox_for(user)
        .filter(own, waiting_order=0)
        .select_related("round")
        .annotate(
            due=Case(
                When(state=DossierState.FORWARDED, then=F("round__province_deadline")),
                default=F("round__first_level_deadline"),
            )
        )
        .order_by("due", F("submitted_at").asc(nulls_last=True), "pk")
    )
    tasks = []
    for d in waiting:
        tasks.append(
            DeskTask(
                title=d.product.name,
                url=reverse("evaluations:dossier_check", args=[d.pk]),
                detail=_("%(producer)s · %(state)s · %(round)s")
                % {
                    "producer": d.product.producer.name,
                    "state": d.get_state_display(),
                    "round": d.round,
                },
                due=d.due,
                since=d.submitted_at,
            )
        )
    return [
        DeskSection(
            key="to_check",
            title=_("Dossiers to check"),
            tasks=tasks,
            total=total,
            empty=_(
                "No dossier waits for your working group. Dossiers arrive when producers of "
                "your area submit them, or when the level below forwards them."
            ),
            more_url=reverse("evaluations:inbox"),
            more_label=_("Dossier inbox"),
            order=10,
        )
    ]


def blocked_forms_section(user, today: date) -> list[DeskSection]:
    """For the province office: the scoring forms not verified yet, with how many products
    of its province each keeps from being registered (one query); for the administrators who
    correct them, the same forms with the products of the whole country."""
    office = user.has_role(Role.PROVINCE_OFFICER) and user.jurisdiction_id
    corrects = user.has_perm("evaluations.change_scoringform")
    if not office and not corrects:
        return []
    forms = {f.product_set_id: f for f in unverified_forms()}
    if not forms:
        return []
    area = in_unit_q(user.jurisdiction_id, field="producer__address_unit") if office else Q()
    counts = dict(
        Product.objects.filter(
            area,
            product_set_id__in=list(forms),
        )
        .values_list("product_set_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = sorted(forms.values(), key=lambda f: (-counts.get(f.product_set_id, 0), f.pk))
    return [
        DeskSection(
            key="blocked_forms",
            title=_("Scoring forms not verified yet"),
            tasks=[
                DeskTask(
                    title=str(f.product_set),
                    url=reverse(
                        "evaluations:form_detail",
                        kwargs={"version": f.version.slug, "number": f.product_set.number},
                    ),
                    detail=(
                        ngettext(
                            "%(n)s product of your province cannot be registered until an "
                            "administrator corrects the form",
                            "%(n)s products of your province cannot be registered until an "
                            "administrator corrects the form",
                            counts.get(f.product_set_id, 0),
                        )
                        if office
                        else ngettext(
                            "%(n)s product cannot be registered until you correct the form",
                            "%(n)s products cannot be registered until you correct the form",
                            counts.get(f.product_set_id, 0),
                        )
                    )
                    % {"n": counts.get(f.product_set_id, 0)},
                )
                for f in rows
            ],
            total=len(rows),
            # Work for who corrects the forms; information for the office.
            info=not corrects,
            order=95 if not corrects else 40,
        )
    ]


def late_units_section(user, today: date) -> list[DeskSection]:
    """Per round past its first-level deadline, the units whose working group still holds
    dossiers (waiting for a check, or accepted and not yet scored): one query."""
    if not user.has_role(Role.PROVINCE_OFFICER) or not user.jurisdiction_id:
        return []
    if user.jurisdiction.level != UnitLevel.PROVINCE:
        return []
    rounds = rounds_visible_to(user).filter(historical=False, first_level_deadline__lt=today)
    held = [*DOSSIER_WAITING_FOR_CHECK, DossierState.ACCEPTED]
    late = (
        Dossier.objects.filter(round__in=rounds.values("pk"), state__in=held)
        .exclude(level=Level.PROVINCE)
        .values(
            "round_id",
            "round__year",
            "round__number",
            "round__first_level_deadline",
            "first_level_unit__name",
        )
        .annotate(
            waiting=Count("pk"),
            to_check=Count("pk", filter=Q(state__in=list(DOSSIER_WAITING_FOR_CHECK))),
            oldest=Min("submitted_at"),
        )
        .order_by("round__first_level_deadline", "oldest", "first_level_unit__name")
    )
    rows, total = limited(late)
    tasks = [
        DeskTask(
            title=row["first_level_unit__name"],
            url=reverse("evaluations:round_detail", args=[row["round_id"]]),
            detail=_(
                "Round %(number)s/%(year)s · %(waiting)s dossiers still held "
                "(%(to_check)s not checked) · deadline was %(deadline)s"
            )
            % {
                "number": row["round__number"],
                "year": row["round__year"],
                "waiting": row["waiting"],
                "to_check": row["to_check"],
                "deadline": _day(row["round__first_level_deadline"]),
            },
            due=row["round__first_level_deadline"],
            since=row["oldest"],
        )
        for row in rows
    ]
    return [
        DeskSection(
            key="late_units",
            title=_("Units past the first-level deadline"),
            tasks=tasks,
            total=total,
            empty=_("No unit is late: every round's first-level deadline is met or ahead."),
            more_url=reverse("evaluations:report_progress"),
            more_label=_("Progress of the round"),
            order=40,
        )
    ]
