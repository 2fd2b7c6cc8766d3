"""Recognition decisions, certificates and their 36-month life: draft a decision from final
level results, issue it (certificates in the same transaction, superseding older ones, the
product's standing written), revoke, expire and inspect.

Each function locks what it changes, checks who acts and that the move is legal now, and
writes its audit entries in the same transaction; mail goes out once it has committed.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from evaluations.certificates.selectors import recognisable_results
from evaluations.certificates.signals import inspection_recorded
from evaluations.certificates.validity import (
    certificate_number,
    certified_values,
    latest_expiring_until,
    mark_latest,
    valid_until,
)
from evaluations.certificates.workflow import (
    CERTIFICATE_TRANSITIONS,
    certificate_can_move,
    decision_can_move,
)
from evaluations.enums import (
    CertificateStatus,
    DecisionState,
    InspectionOutcome,
    Level,
    RevocationReason,
)
from evaluations.exceptions import CertificateError
from evaluations.models import (
    Certificate,
    Decision,
    DecisionItem,
    Inspection,
    InspectionAttachment,
    LevelResult,
    Revocation,
)
from ocop.core.audit import audit_log
from ocop.core.limits import LONG_TEXT_MAX_LENGTH, NOTE_MAX_LENGTH, text_length_error
from ocop.core.models import AdministrativeUnit
from ocop.core.public_cache import register_changed
from ocop.core.selectors import province_of, working_group_users
from ocop.core.services.notifications import notify
from ocop.core.uploads import PDF, check_document, removed_if_not_committed
from products.models import Product
from products.selectors import producer_users


def _require(actor, perm: str, obj) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(_("You may not do this with this decision or certificate."))


def _date(value: date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def verify_url(certificate: Certificate) -> str:
    return reverse("evaluations:verify", args=[certificate.number])


# --- decisions ----------------------------------------------------------------------------


def _check_decision_fields(
    *, number: str, date_: date | None, signer_name: str, signer_title: str
) -> dict[str, str]:
    errors = {}
    if not number.strip():
        errors["number"] = _("Enter the decision's number, e.g. 2365/QĐ-UBND.")
    if date_ is None:
        errors["date"] = _("Enter the decision's date.")
    elif date_ > timezone.localdate():
        errors["date"] = _("The decision's date cannot be in the future.")
    if not signer_name.strip():
        errors["signer_name"] = _("Enter who signs the decision.")
    if not signer_title.strip():
        errors["signer_title"] = _("Enter the signer's title.")
    return errors


def decision_create(
    *,
    issuer: AdministrativeUnit,
    number: str,
    date: date,
    signer_name: str,
    signer_title: str,
    results: Iterable[LevelResult],
    actor,
    level: str | None = None,
    issuer_name: str = "",
) -> Decision:
    """Draft a decision of `issuer`'s People's Committee recognising the chosen final results
    (those this level recognises, on no other decision). With `level` (central) and
    `issuer_name` (the ministry): the central decision, recorded by `issuer`'s office."""
    draft = Decision(
        level=level or issuer.level,
        issuer=issuer,
        issuer_name=issuer_name.strip(),
        number=number.strip(),
        year=date.year if date else 0,
        date=date,
        signer_name=signer_name.strip(),
        signer_title=signer_title.strip(),
        created_by=actor,
    )
    _require(actor, "evaluations.issue_decision", draft)
    errors = _check_decision_fields(
        number=number, date_=date, signer_name=signer_name, signer_title=signer_title
    )
    wanted = sorted({r.pk for r in results})
    if not wanted:
        errors["results"] = _("Choose at least one product to recognise.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if Decision.objects.filter(issuer=issuer, year=draft.year, number=draft.number).exists():
            raise ValidationError(
                {
                    "number": _("%(issuer)s already has a decision %(number)s in %(year)s.")
                    % {"issuer": issuer.name, "number": draft.number, "year": draft.year}
                }
            )
        chosen = list(
            _free_results(issuer, draft.level, wanted).order_by("dossier__product__name", "pk")
        )
        # A council's result is final when its chair finalises it; a central result (no
        # session item) is recorded after the ministry's decision, which its own service
        # dates against the province's forwarding (certificates.central).
        latest = max(
            (timezone.localdate(r.finalised_at) for r in chosen if r.item_id), default=None
        )
        if date and latest and date < latest:
            raise ValidationError(
                {
                    "date": _(
                        "The decision cannot be dated before the council's result (%(date)s)."
                    )
                    % {"date": _date(latest)}
                }
            )
        if len(chosen) != len(wanted):
            raise CertificateError(
                _(
                    "Some results cannot go on this decision (not recognised at this level, or "
                    "already on a decision): nothing was saved."
                )
            )
        try:
            with transaction.atomic():
                draft.save()
        except IntegrityError as error:
            raise ValidationError(
                {"number": _("This number was just used by another decision.")}
            ) from error
        for order, result in enumerate(chosen, start=1):
            DecisionItem.objects.create(
                decision=draft,
                result=result,
                stars=result.stars,
                score=result.display_mean,
                order=order,
            )
        audit_log(
            actor=actor,
            action="decision.create",
            obj=draft,
            data={"number": draft.number, "results": [r.pk for r in chosen]},
        )
    return draft


def _free_results(issuer: AdministrativeUnit, level: str, wanted: Iterable[int]):
    """The results of `wanted` that `issuer` may still put on a decision, locked.

    The rows are locked first (in one order, so that two drafts never wait on each other),
    then read again by a second statement: under READ COMMITTED a locking read that waited
    returns the row as its first snapshot saw it, with its joins unchanged, so "on no decision
    yet" must be asked after the wait, when the other draft's items have committed. Asked in
    the locking read, fifty drafts of the same results at once made one decision and dozens of
    IntegrityErrors, answered 500 (tests/evaluations/test_races.py)."""
    wanted = sorted(set(wanted))
    list(
        LevelResult.objects.select_for_update()
        .filter(pk__in=wanted)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return recognisable_results(issuer, level).filter(pk__in=wanted)


def _next_sequence(province_code: str, year: int) -> int:
    last = Certificate.objects.filter(province_code=province_code, year=year).aggregate(
        last=Max("sequence")
    )["last"]
    return (last or 0) + 1


def decision_issue(*, decision: Decision, signed_scan, actor) -> list[Certificate]:
    """Issue a drafted decision with its signed scan (a PDF): it becomes immutable and public,
    each product gets its certificate (superseding the one it held), and the product's
    standing changes, all in one transaction."""
    with removed_if_not_committed() as stored, transaction.atomic():
        decision = Decision.objects.select_for_update().select_related("issuer").get(pk=decision.pk)
        _require(actor, "evaluations.issue_decision", decision)
        if not decision_can_move(decision.state, DecisionState.ISSUED):
            raise CertificateError(_("This decision is already issued: it cannot change."))
        if signed_scan is None:
            raise ValidationError({"signed_scan": _("Upload the signed decision as a PDF.")})
        checked = check_document(signed_scan, kinds=(PDF,))
        items = list(
            decision.items.select_related(
                "result__dossier__product__producer", "result__dossier__current_certificate"
            ).select_for_update(of=("self",))
        )
        if not items:
            raise CertificateError(_("A decision needs at least one product."))
        province = province_of(decision.issuer)
        # One issuer of numbers per province at a time: the province's row is the lock.
        AdministrativeUnit.objects.select_for_update().get(pk=province.pk)
        sequence = _next_sequence(province.code, decision.date.year)
        now = timezone.now()
        decision.signed_scan.save(checked.original_name, checked.content, save=False)
        stored.append(decision.signed_scan)
        decision.scan_sha256 = checked.sha256
        decision.state = DecisionState.ISSUED
        decision.issued_at = now
        decision.save(update_fields=["signed_scan", "scan_sha256", "state", "issued_at"])
        certificates = []
        for item in items:
            certificates.append(_certify(decision, item, province, sequence, actor))
            sequence += 1
        audit_log(
            actor=actor,
            action="decision.issue",
            obj=decision,
            data={
                "number": decision.number,
                "scan_sha256": decision.scan_sha256,
                "certificates": {c.number: c.product_id for c in certificates},
            },
        )
        _notify_certified(certificates)
    return certificates


def _locked_product(item: DecisionItem) -> Product:
    return (
        Product.objects.select_for_update(of=("self",))
        .select_related("producer__address_unit")
        .get(pk=item.result.dossier.product_id)
    )


def _new_certificate(
    decision: Decision, item: DecisionItem, product: Product, province, sequence: int, **extra
) -> Certificate:
    """The certificate row of one decision item, numbered `sequence` in the province's series
    of the decision's year, valid 36 months from the decision, with what it certifies frozen
    (`certified_values`); `extra` sets its status where it is not valid. It becomes the
    product's latest certificate unless one was issued later (an import of an older
    decision); call with the product's row locked. The public pages are read afresh once
    the transaction commits."""
    register_changed()
    certificate = Certificate.objects.create(
        number=certificate_number(
            province=province.code, year=decision.date.year, sequence=sequence
        ),
        decision=decision,
        item=item,
        product=product,
        producer_id=product.producer_id,
        dossier=item.result.dossier,
        stars=item.stars,
        score=item.score,
        **certified_values(product),
        issued_on=decision.date,
        valid_until=valid_until(decision.date),
        province_code=province.code,
        year=decision.date.year,
        sequence=sequence,
        **extra,
    )
    mark_latest(certificate)
    return certificate


def _take_standing(certificate: Certificate, product: Product, actor) -> None:
    """The product's older certificates give way to this one, and its standing is this
    certificate's (none once it has ended)."""
    _supersede_older(certificate, actor)
    standing = certificate.status == CertificateStatus.VALID
    product.ocop_stars = certificate.stars if standing else None
    product.certificate_number = certificate.number if standing else ""
    product.certificate_valid_until = certificate.valid_until if standing else None
    product.save(update_fields=["ocop_stars", "certificate_number", "certificate_valid_until"])


def _certify(decision: Decision, item: DecisionItem, province, sequence: int, actor) -> Certificate:
    """The certificate of one decision item, numbered `sequence` in the province's series;
    the older certificate superseded and the product's standing written. Call inside the
    transaction that holds the province's row."""
    product = _locked_product(item)
    certificate = _new_certificate(decision, item, product, province, sequence)
    _take_standing(certificate, product, actor)
    return certificate


def certificate_record_imported(
    *, decision: Decision, item: DecisionItem, province, today: date, actor
) -> Certificate:
    """The certificate of an imported decision's item (evaluations.history), numbered in the
    province's series of the decision's year. It supersedes the product's older ones; when
    the product already holds a later certificate, it is recorded superseded by that one.
    One already past its date is recorded expired (nobody is told: it ended long ago). Call
    inside the import's transaction, which holds the province's row; audited there."""
    product = _locked_product(item)
    later = (
        Certificate.objects.filter(product=product, issued_on__gt=decision.date)
        .order_by("issued_on", "pk")
        .first()
    )
    expired = valid_until(decision.date) < today
    certificate = _new_certificate(
        decision,
        item,
        product,
        province,
        _next_sequence(province.code, decision.date.year),
        status=(
            CertificateStatus.SUPERSEDED
            if later
            else CertificateStatus.EXPIRED
            if expired
            else CertificateStatus.VALID
        ),
        superseded_by=later,
        expired_notified_on=today if expired else None,
    )
    if later is None:
        _take_standing(certificate, product, actor)
    return certificate


def _notify_certified(certificates: list[Certificate]) -> None:
    for certificate in certificates:
        notify(
            users=producer_users(certificate.producer_id),
            subject=_("OCOP certificate %(number)s: %(product)s %(stars)d★")
            % {
                "number": certificate.number,
                "product": certificate.product.name,
                "stars": certificate.stars,
            },
            body=_(
                "Decision %(decision)s of %(date)s recognises %(product)s with %(stars)d★. "
                "Certificate %(number)s is valid until %(until)s."
            )
            % {
                "decision": certificate.decision.number,
                "date": _date(certificate.decision.date),
                "product": certificate.product.name,
                "stars": certificate.stars,
                "number": certificate.number,
                "until": _date(certificate.valid_until),
            },
            url=verify_url(certificate),
        )


def central_decision_add(*, decision: Decision, result: LevelResult, actor) -> Certificate:
    """Add a central result to the ministry's decision already recorded for another of the
    province's products (one ministry decision lists many): its item and certificate, in the
    province's series. Only a central decision, issued, of the office's province."""
    with transaction.atomic():
        decision = Decision.objects.select_for_update().select_related("issuer").get(pk=decision.pk)
        _require(actor, "evaluations.issue_decision", decision)
        if decision.level != Level.CENTRAL or decision.state != DecisionState.ISSUED:
            raise CertificateError(_("Only a recorded central decision takes more products."))
        if not list(_free_results(decision.issuer, Level.CENTRAL, [result.pk])):
            raise CertificateError(
                _("This result cannot go on this decision (not recognised 5★, or already on one).")
            )
        province = province_of(decision.issuer)
        AdministrativeUnit.objects.select_for_update().get(pk=province.pk)
        order = (decision.items.aggregate(Max("order"))["order__max"] or 0) + 1
        item = DecisionItem.objects.create(
            decision=decision,
            result=result,
            stars=result.stars,
            score=result.display_mean,
            order=order,
        )
        sequence = _next_sequence(province.code, decision.date.year)
        certificate = _certify(decision, item, province, sequence, actor)
        audit_log(
            actor=actor,
            action="decision.add_central_result",
            obj=decision,
            data={"result": result.pk, "certificate": certificate.number},
        )
        _notify_certified([certificate])
    return certificate


def _supersede_older(certificate: Certificate, actor) -> None:
    """The product's earlier certificates still standing (valid or expired) give way to the
    new one: by the dossier's link for a re-evaluation or an upgrade, else by the product."""
    older = (
        Certificate.objects.select_for_update()
        .filter(
            product_id=certificate.product_id,
            status__in=sorted(CERTIFICATE_TRANSITIONS.sources(CertificateStatus.SUPERSEDED)),
        )
        .exclude(pk=certificate.pk)
    )
    for old in older:
        old.status = CertificateStatus.SUPERSEDED
        old.superseded_by = certificate
        old.save(update_fields=["status", "superseded_by"])
        audit_log(
            actor=actor,
            action="certificate.supersede",
            obj=old,
            data={"by": certificate.number, "stars": [old.stars, certificate.stars]},
        )


# --- revocation ---------------------------------------------------------------------------


def _clear_standing(certificate: Certificate) -> None:
    product = Product.objects.select_for_update().get(pk=certificate.product_id)
    if product.certificate_number == certificate.number:
        product.ocop_stars = None
        product.certificate_number = ""
        product.certificate_valid_until = None
        product.save(update_fields=["ocop_stars", "certificate_number", "certificate_valid_until"])


def certificate_revoke(
    *,
    certificate: Certificate,
    reason: str,
    decision_number: str,
    decision_date: date,
    note: str = "",
    actor,
) -> Revocation:
    """Revoke a certificate ("thu hồi") by a decision; the product loses its standing and the
    public page says so at once."""
    errors = {}
    if reason not in RevocationReason.values:
        errors["reason"] = _("Choose the reason for the revocation.")
    if not decision_number.strip():
        errors["decision_number"] = _("Enter the number of the revoking decision.")
    if decision_date is None:
        errors["decision_date"] = _("Enter the date of the revoking decision.")
    elif decision_date > timezone.localdate():
        errors["decision_date"] = _("The decision's date cannot be in the future.")
    if (too_long := text_length_error(note, NOTE_MAX_LENGTH)) is not None:
        errors["note"] = too_long
    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("decision__issuer", "product")
            .get(pk=certificate.pk)
        )
        _require(actor, "evaluations.revoke_certificate", certificate)
        if not certificate_can_move(certificate.status, CertificateStatus.REVOKED):
            raise CertificateError(
                _("This certificate is %(status)s: it cannot be revoked.")
                % {"status": certificate.get_status_display().lower()}
            )
        if errors:
            raise ValidationError(errors)
        revocation = Revocation.objects.create(
            certificate=certificate,
            reason=reason,
            decision_number=decision_number.strip(),
            decision_date=decision_date,
            note=note.strip(),
            revoked_by=actor,
        )
        certificate.status = CertificateStatus.REVOKED
        certificate.save(update_fields=["status"])
        register_changed()
        _clear_standing(certificate)
        audit_log(
            actor=actor,
            action="certificate.revoke",
            obj=certificate,
            data={"reason": reason, "decision": revocation.decision_number},
        )
        notify(
            users=producer_users(certificate.producer_id),
            subject=_("OCOP certificate %(number)s revoked") % {"number": certificate.number},
            body=_(
                "Decision %(decision)s of %(date)s revokes the certificate of %(product)s: "
                "%(reason)s."
            )
            % {
                "decision": revocation.decision_number,
                "date": _date(decision_date),
                "product": certificate.product.name,
                "reason": revocation.get_reason_display().lower(),
            },
            url=verify_url(certificate),
        )
    return revocation


# --- the daily lifecycle ------------------------------------------------------------------


@dataclass
class LifecycleReport:
    expired: list[Certificate] = field(default_factory=list)
    expiring_notified: list[Certificate] = field(default_factory=list)


def certificates_lifecycle(*, today: date | None = None) -> LifecycleReport:
    """Mark certificates past their date expired (the product loses its standing), notify
    their producers, and notify producers once when a certificate enters the expiring period;
    the OCOP offices get the lists. Safe to run more than once a day."""
    today = today or timezone.localdate()
    report = LifecycleReport()
    with transaction.atomic():
        ended = (
            Certificate.objects.select_for_update(of=("self",))
            .filter(
                status__in=sorted(CERTIFICATE_TRANSITIONS.sources(CertificateStatus.EXPIRED)),
                valid_until__lt=today,
            )
            .select_related("product", "decision__issuer")
            .order_by("valid_until", "pk")
        )
        for certificate in ended:
            certificate.status = CertificateStatus.EXPIRED
            certificate.expired_notified_on = today
            certificate.save(update_fields=["status", "expired_notified_on"])
            _clear_standing(certificate)
            register_changed()
            audit_log(
                actor=None,
                action="certificate.expire",
                obj=certificate,
                data={"valid_until": certificate.valid_until},
            )
            notify(
                users=producer_users(certificate.producer_id),
                subject=_("OCOP certificate %(number)s has expired")
                % {"number": certificate.number},
                body=_(
                    "The certificate of %(product)s was valid until %(until)s. Register the "
                    "product for re-evaluation to be recognised again."
                )
                % {"product": certificate.product.name, "until": _date(certificate.valid_until)},
                url=verify_url(certificate),
            )
            report.expired.append(certificate)
        expiring = (
            Certificate.objects.select_for_update(of=("self",))
            .filter(
                status=CertificateStatus.VALID,
                valid_until__gte=today,
                valid_until__lte=latest_expiring_until(today),
                expiring_notified_on__isnull=True,
            )
            .select_related("product", "decision__issuer")
            .order_by("valid_until", "pk")
        )
        for certificate in expiring:
            certificate.expiring_notified_on = today
            certificate.save(update_fields=["expiring_notified_on"])
            notify(
                users=producer_users(certificate.producer_id),
                subject=_("OCOP certificate %(number)s expires on %(until)s")
                % {"number": certificate.number, "until": _date(certificate.valid_until)},
                body=_(
                    "The certificate of %(product)s is valid until %(until)s. Register the "
                    "product for re-evaluation in the next round so that it keeps its stars."
                )
                % {"product": certificate.product.name, "until": _date(certificate.valid_until)},
                url=verify_url(certificate),
            )
            report.expiring_notified.append(certificate)
        _notify_offices(report)
    return report


def _notify_offices(report: LifecycleReport) -> None:
    by_province: dict[int, list[str]] = {}
    for certificate in report.expired + report.expiring_notified:
        province = province_of(certificate.decision.issuer)
        state = (
            _("expired")
            if certificate in report.expired
            else _("expiring %(until)s") % {"until": _date(certificate.valid_until)}
        )
        by_province.setdefault(province.pk, []).append(
            f"{certificate.number} · {certificate.product.name} · {state}"
        )
    for province_id, lines in by_province.items():
        notify(
            users=working_group_users(AdministrativeUnit.objects.get(pk=province_id)),
            subject=_("OCOP certificates: %(count)d expired or expiring") % {"count": len(lines)},
            body="\n".join(lines),
            url=reverse("evaluations:certificate_list"),
        )


# --- inspections --------------------------------------------------------------------------


def inspection_record(
    *,
    certificate: Certificate,
    date: date,
    inspector: str,
    findings: str,
    outcome: str,
    attachments: Iterable = (),
    actor,
) -> Inspection:
    errors = {}
    if date is None:
        errors["date"] = _("Enter the date of the inspection.")
    elif date > timezone.localdate():
        errors["date"] = _("The inspection's date cannot be in the future.")
    if not inspector.strip():
        errors["inspector"] = _("Enter who inspected.")
    if not findings.strip():
        errors["findings"] = _("Write what the inspection found.")
    elif (too_long := text_length_error(findings.strip(), LONG_TEXT_MAX_LENGTH)) is not None:
        errors["findings"] = too_long
    if outcome not in InspectionOutcome.values:
        errors["outcome"] = _("Choose the outcome.")
    checked = []
    for upload in attachments:
        try:
            checked.append(check_document(upload))
        except ValidationError as error:
            errors["attachments"] = error.messages[0]
    with removed_if_not_committed() as stored, transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("decision__issuer", "product__producer__address_unit")
            .get(pk=certificate.pk)
        )
        _require(actor, "evaluations.inspect_certificate", certificate)
        if errors:
            raise ValidationError(errors)
        inspection = Inspection.objects.create(
            certificate=certificate,
            date=date,
            inspector=inspector.strip(),
            findings=findings.strip(),
            outcome=outcome,
            recorded_by=actor,
        )
        for item in checked:
            attachment = InspectionAttachment(
                inspection=inspection,
                original_name=item.original_name,
                content_type=item.kind.content_type,
                size=item.size,
                sha256=item.sha256,
            )
            attachment.file.save(item.original_name, item.content, save=False)
            stored.append(attachment.file)
            attachment.save()
        audit_log(
            actor=actor,
            action="certificate.inspect",
            obj=certificate,
            data={"inspection": inspection.pk, "outcome": outcome, "files": len(checked)},
        )
        # In the same transaction: what others record about it commits with it.
        inspection_recorded.send(sender=Inspection, inspection=inspection, actor=actor)
    return inspection
