"""The decisions' and certificates' part of each desk (ocop.core.desk): the OCOP office's
products to put on a decision, its drafts to issue and the central results to record; the
producer's certificates nearing their end."""

from datetime import date

from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _

from evaluations.certificates.selectors import (
    certificates_visible_to,
    decisions_visible_to,
    draft_for,
    recognisable_results,
)
from evaluations.criteria.selectors import regime_in_force
from evaluations.engine.regimes import REGIMES
from evaluations.enums import CertificateStatus, DecisionState, DossierState, Level
from evaluations.intake.selectors import dossiers_visible_to
from ocop.core.desk import DeskSection, DeskTask, limited
from ocop.core.enums import Role, UnitLevel
from products.selectors import member_producer_ids


def producer_sections(user, today: date) -> list[DeskSection]:
    producer_ids = member_producer_ids(user) if user.has_role(Role.PRODUCER_MEMBER) else ()
    if not producer_ids:
        return []
    expiring, total = limited(
        certificates_visible_to(user, today)
        .filter(producer_id__in=producer_ids, current_status=CertificateStatus.EXPIRING)
        .order_by("valid_until", "pk")
    )
    return [
        DeskSection(
            key="expiring",
            title=_("Certificates nearing their end"),
            tasks=[
                DeskTask(
                    title=c.product_name,
                    url=reverse("evaluations:certificate_detail", args=[c.number]),
                    detail=_(
                        "%(number)s · %(stars)s★ · register the product for re-evaluation "
                        "in a round before it expires"
                    )
                    % {"number": c.number, "stars": c.stars},
                    due=c.valid_until,
                )
                for c in expiring
            ],
            total=total,
            empty=_("No certificate of yours ends within the coming months."),
            more_url=reverse("evaluations:certificate_list"),
            more_label=_("My certificates"),
            order=30,
        )
    ]


def _recognises_today(unit, today: date) -> bool:
    """The unit is on today's map and its level recognises stars under today's regime."""
    regime = regime_in_force(today)
    if regime is None or not unit.in_force_on(today) or regime.code not in REGIMES:
        return False
    try:
        return bool(REGIMES[regime.code].get(unit.level).recognises)
    except ValueError:  # the regime has no such level
        return False


def office_sections(user, today: date) -> list[DeskSection]:
    draft = draft_for(user)
    if draft is None:
        return []
    issuer = draft.issuer
    results, results_total = limited(recognisable_results(issuer).order_by("finalised_at", "pk"))
    drafts, drafts_total = limited(
        decisions_visible_to(user)
        .filter(issuer_id=issuer.pk, state=DecisionState.DRAFT)
        .order_by("created_at", "pk")
    )
    if not results_total and not drafts_total and not _recognises_today(issuer, today):
        # A commune under 1489/2025, an abolished district: nothing to decide, nothing to say.
        return []
    sections = [
        DeskSection(
            key="to_decide",
            title=_("Products waiting for a recognition decision"),
            tasks=[
                DeskTask(
                    title=r.dossier.product.name,
                    url=reverse("evaluations:decision_create"),
                    detail=_("%(producer)s · %(stars)s★ · %(round)s")
                    % {
                        "producer": r.dossier.product.producer.name,
                        "stars": r.stars,
                        "round": r.dossier.round,
                    },
                    since=r.finalised_at,
                )
                for r in results
            ],
            total=results_total,
            empty=_("No final result waits for a decision of your People's Committee."),
            more_url=reverse("evaluations:decision_create"),
            more_label=_("Draft a decision"),
            order=20,
        ),
        DeskSection(
            key="draft_decisions",
            title=_("Draft decisions to issue"),
            tasks=[
                DeskTask(
                    title=str(d),
                    url=reverse("evaluations:decision_detail", args=[d.pk]),
                    detail=_("upload the signed scan to issue it and its certificates"),
                    since=d.created_at,
                )
                for d in drafts
            ],
            total=drafts_total,
            empty=_("No draft decision."),
            more_url=reverse("evaluations:decision_list"),
            more_label=_("Recognition decisions"),
            order=25,
        ),
    ]
    if issuer.level == UnitLevel.PROVINCE:
        central, central_total = limited(
            dossiers_visible_to(user)
            # Not the proposals of imported years: their outcome is history, not a task.
            .filter(state=DossierState.FORWARDED, level=Level.CENTRAL, import_batch__isnull=True)
            .select_related("product__producer", "round")
            .order_by(F("accepted_at").asc(nulls_last=True), "pk")
        )
        sections.append(
            DeskSection(
                key="central",
                title=_("Central results to record"),
                tasks=[
                    DeskTask(
                        title=d.product.name,
                        url=reverse("evaluations:central_result", args=[d.pk]),
                        detail=_("%(producer)s · %(round)s · forwarded to the central council")
                        % {"producer": d.product.producer.name, "round": d.round},
                        since=d.accepted_at,
                    )
                    for d in central
                ],
                total=central_total,
                empty=_("No product waits for the central council's result."),
                order=35,
            )
        )
    return sections
