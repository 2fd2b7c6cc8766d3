"""Reads for decisions and certificates: what an office may put on a decision, who sees
which certificates, and the public register."""

from datetime import date

from django.db.models import Q, QuerySet

from evaluations.certificates.validity import with_status
from evaluations.enums import DossierState, ItemState, Outcome
from evaluations.models import Certificate, Decision, LevelResult
from ocop.core.models import AdministrativeUnit
from ocop.core.selectors import in_unit_q, officer_unit_id


def recognisable_results(issuer: AdministrativeUnit) -> QuerySet[LevelResult]:
    """Final results whose stars `issuer`'s level recognises, for dossiers of its area, that
    are on no decision yet: the products its People's Committee may recognise now."""
    level = issuer.level
    return (
        LevelResult.objects.filter(
            in_unit_q(issuer.pk, field="dossier__first_level_unit"),
            item__state=ItemState.FINAL,
            dossier__state=DossierState.RECOGNISED,
            decision_item__isnull=True,
        )
        .filter(
            Q(outcome=Outcome.RECOGNISED, level=level)
            | Q(outcome=Outcome.REFERRED_DOWN, to_level=level)
        )
        .select_related(
            "dossier__product__producer", "dossier__product__product_set", "dossier__round"
        )
        .order_by("dossier__product__name", "pk")
    )


def decisions_visible_to(user) -> QuerySet[Decision]:
    """Officers see the decisions of their jurisdiction's People's Committees and below."""
    unit_id = officer_unit_id(user)
    if not unit_id:
        return Decision.objects.none()
    return Decision.objects.filter(in_unit_q(unit_id, field="issuer")).select_related("issuer")


def certificates_visible_to(user, today: date) -> QuerySet[Certificate]:
    """Officers see the certificates issued in their jurisdiction; members of a producer its
    own; with `current_status`."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Certificate.objects.none()
    q = Q(pk__in=[])
    unit_id = officer_unit_id(user)
    if unit_id:
        q |= in_unit_q(unit_id, field="decision__issuer") | in_unit_q(
            unit_id, field="dossier__first_level_unit"
        )
    q |= Q(producer__members__user_id=user.pk)
    return with_status(
        Certificate.objects.filter(q).distinct().select_related("product_set", "decision__issuer"),
        today,
    )


def public_certificates(today: date) -> QuerySet[Certificate]:
    """Every certificate of an issued decision, for the public page and the open-data API."""
    return with_status(
        Certificate.objects.select_related(
            "product_set",
            "producer_address_unit__parent__parent",
            "decision__issuer",
        ),
        today,
    ).order_by("-issued_on", "number")
