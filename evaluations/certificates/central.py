"""The central level: a product a province council forwarded (90 points or more, 5★ by its
minimums) is scored by the ministry's council, outside the registry. The province's OCOP
office records that council's result and, when it recognises 5★, the ministry's decision
with its signed scan; the certificate then follows through the same services as every other
(`decision_create`, `decision_issue`): numbered in the province's series, public, verifiable.

A central result below 5★ goes back to the level that recognises those stars (the province,
for 3★–4★; `level_outcome`), whose office recognises it in its own decision.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from evaluations.certificates.services import (
    central_decision_add,
    decision_create,
    decision_issue,
)
from evaluations.criteria.selectors import regime_spec
from evaluations.engine.regimes import OutcomeKind, level_outcome
from evaluations.engine.stars import StarBands, stars_for_score
from evaluations.enums import DossierState, Level, Outcome
from evaluations.exceptions import CertificateError
from evaluations.intake.services.dossiers import dossier_apply_result
from evaluations.models import Certificate, Decision, Dossier, LevelResult
from ocop.core.audit import audit_log
from ocop.core.limits import LONG_TEXT_MAX_LENGTH, text_length_error

MINISTRY = "Bộ Nông nghiệp và Môi trường"


@dataclass(frozen=True)
class CentralDecisionInput:
    """The ministry's decision recognising 5★ (only when the central council gave 5★)."""

    number: str
    date: date | None
    issuer_name: str
    signer_name: str
    signer_title: str
    signed_scan: object | None


@dataclass(frozen=True)
class CentralOutcome:
    result: LevelResult
    certificate: Certificate | None


def record_central_result(
    *,
    dossier: Dossier,
    score,
    stars: int,
    comments: str = "",
    decision: CentralDecisionInput | None = None,
    actor,
) -> CentralOutcome:
    """Record the central council's result for a forwarded dossier, and with 5★ the
    ministry's decision: one transaction, from the result to the certificate. The decision is
    kept by the province of the recording office: the round's, or, for a round of an old
    province merged into it, its own (`evaluations.record_central_result`)."""
    province = dossier.round.province
    office = getattr(actor, "jurisdiction", None)
    if office is not None and office.pk != province.pk and office.contains(province):
        province = office
    if not actor.has_perm("evaluations.record_central_result", dossier):
        raise PermissionDenied(_("Only the OCOP office of the dossier's province may do this."))
    errors: dict[str, str] = {}
    try:
        score = Decimal(str(score)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        score = None
    if score is None or not Decimal(0) <= score <= Decimal(100):
        errors["score"] = _("Enter the central council's score, from 0 to 100.")
    bands = StarBands(dossier.round.criteria_version.star_thresholds)
    if stars not in (1, 2, 3, 4, 5):
        errors["stars"] = _("Choose the stars the central council gave.")
    elif "score" not in errors and stars > stars_for_score(score=score, bands=bands):
        errors["stars"] = _("%(score)s points cannot give %(stars)d★.") % {
            "score": score,
            "stars": stars,
        }
    if (error := text_length_error(comments.strip(), LONG_TEXT_MAX_LENGTH)) is not None:
        errors["comments"] = error
    if stars == 5 and not errors and decision is None:
        errors["decision_number"] = _("Enter the ministry's decision recognising 5★.")
    if stars == 5 and decision is not None and decision.date is not None:
        forwarded_on = _forwarded_on(dossier)
        if forwarded_on is not None and decision.date < forwarded_on:
            errors["decision_date"] = _(
                "The ministry's decision cannot be dated before the province forwarded the "
                "product (%(date)s)."
            ) % {"date": date_format(forwarded_on, "SHORT_DATE_FORMAT")}
    if errors:
        raise ValidationError(errors)
    spec = regime_spec(dossier.round.regime)
    outcome = level_outcome(regime=spec, level=Level.CENTRAL, stars=stars, mean=score)
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if locked.state != DossierState.FORWARDED or locked.level != Level.CENTRAL:
            raise CertificateError(_("This dossier is not waiting for the central level's result."))
        now = timezone.now()
        result = LevelResult.objects.create(
            item=None,
            dossier=locked,
            level=Level.CENTRAL,
            mean=score,
            display_mean=score,
            band_stars=stars_for_score(score=score, bands=bands),
            stars=stars,
            spread=Decimal(0),
            outcome=Outcome(outcome.kind.value),
            to_level=outcome.to_level or "",
            reason=outcome.reason,
            comments=comments.strip(),
            details={"recorded": True, "failed_minimums": []},
            finalised_by=actor,
            finalised_at=now,
        )
        dossier_apply_result(
            dossier=locked, outcome=result.outcome, to_level=result.to_level, actor=actor
        )
        audit_log(
            actor=actor,
            action="result.central_record",
            obj=locked,
            data={
                "result": result.pk,
                "score": score,
                "stars": stars,
                "outcome": result.outcome,
                "to_level": result.to_level,
            },
        )
        certificate = None
        if outcome.kind == OutcomeKind.RECOGNISED:
            certificate = _ministry_certificate(province, result, decision, actor)
    return CentralOutcome(result, certificate)


def _forwarded_on(dossier: Dossier) -> date | None:
    """The day the province council forwarded the dossier to the central level."""
    moment = (
        LevelResult.objects.filter(
            dossier=dossier, outcome=Outcome.FORWARDED, to_level=Level.CENTRAL
        )
        .order_by("-finalised_at")
        .values_list("finalised_at", flat=True)
        .first()
    )
    return timezone.localdate(moment) if moment else None


def _ministry_certificate(province, result, decision: CentralDecisionInput, actor) -> Certificate:
    """The 5★ certificate: on the ministry's decision already recorded for another of the
    province's products (one decision lists many), or on that decision recorded now."""
    recorded = (
        Decision.objects.filter(
            issuer=province,
            level=Level.CENTRAL,
            year=decision.date.year,
            number=decision.number.strip(),
        ).first()
        if decision.date is not None
        else None  # decision_create says the date is missing
    )
    if recorded is not None:
        if recorded.date != decision.date:
            raise ValidationError(
                {
                    "decision_date": _("Decision %(number)s is recorded with the date %(date)s.")
                    % {
                        "number": recorded.number,
                        "date": date_format(recorded.date, "SHORT_DATE_FORMAT"),
                    }
                }
            )
        return central_decision_add(decision=recorded, result=result, actor=actor)
    draft = decision_create(
        issuer=province,
        level=Level.CENTRAL,
        issuer_name=decision.issuer_name or MINISTRY,
        number=decision.number,
        date=decision.date,
        signer_name=decision.signer_name,
        signer_title=decision.signer_title,
        results=[result],
        actor=actor,
    )
    (certificate,) = decision_issue(decision=draft, signed_scan=decision.signed_scan, actor=actor)
    return certificate
