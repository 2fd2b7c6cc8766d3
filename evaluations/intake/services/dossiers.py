"""Dossiers: registering a product to a round, the self-assessment, and one service per
move of `DOSSIER_TRANSITIONS`.

Every move re-reads the dossier with `select_for_update()`, checks the actor's permission,
refuses what the transition table does not allow (superusers included), saves with
`update_fields`, records a `DossierEvent` and an audit entry in the same transaction, and
notifies by mail once the transaction has committed.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from evaluations.criteria.selectors import (
    checking_level,
    current_form_for,
    first_scoring_level,
    form_spec,
)
from evaluations.engine.scoring import AnswerError, UnverifiedFormError, score_sheet
from evaluations.engine.spec import FormSpec
from evaluations.enums import (
    DOSSIER_EDITABLE,
    DOSSIER_WAITING_FOR_CHECK,
    DossierAction,
    DossierKind,
    DossierState,
    ReturnItemKind,
)
from evaluations.exceptions import DossierError, SubmissionRefused, TransitionNotAllowed
from evaluations.intake.selectors import (
    dossier_answers,
    dossier_checklist,
    dossier_library,
    dossiers_using_document,
    round_is_open,
)
from evaluations.intake.selfassessment import first_line, leaf_options, missing
from evaluations.intake.snapshots import build_snapshot
from evaluations.intake.workflow import dossier_can_move
from evaluations.models import (
    CommuneAssessment,
    Dossier,
    DossierEvent,
    DossierVersion,
    ReturnReason,
    Round,
    SelfAssessmentAnswer,
)
from ocop.core.audit import audit_log
from ocop.core.limits import (
    LONG_TEXT_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    check_text_length,
    text_length_error,
)
from ocop.core.selectors import (
    address_on_map_of,
    province_of,
    unit_at_level,
    working_group_users,
)
from ocop.core.services.notifications import notify
from ocop.core.uploads import PDF, check_document
from products.enums import DocumentKind
from products.models import EvidenceDocument, Product
from products.selectors import producer_users

# Samples are collected for every product except tourism services (sector VI), which have
# nothing to sample. The number a working group usually collects is the form's default.
SECTORS_WITHOUT_SAMPLES = frozenset({6})
DEFAULT_SAMPLES = 5
# Up to this many unanswered criteria are named with their labels, more by their keys only.
MISSING_LISTED = 5


@dataclass(frozen=True)
class AnswerInput:
    option: str = ""
    note: str = ""
    documents: tuple[int, ...] = ()


@dataclass(frozen=True)
class ReturnItem:
    item_kind: str
    item_ref: str
    reason: str


# --- helpers ------------------------------------------------------------------------------


def _lock(dossier: Dossier) -> Dossier:
    """The dossier re-read under a row lock, with what the checks need."""
    return (
        Dossier.objects.select_for_update(of=("self",))
        .select_related(
            "round",
            "product__producer__address_unit",
            "product__product_set__group__sector",
            "first_level_unit__parent__parent",
            "scoring_form__version",
        )
        .get(pk=dossier.pk)
    )


def _require(actor, perm: str, dossier: Dossier) -> None:
    if not actor.has_perm(perm, dossier):
        raise PermissionDenied(_("You may not do this with this dossier."))


def _guard(dossier: Dossier, target: str) -> None:
    if not dossier_can_move(dossier.state, target):
        raise TransitionNotAllowed(
            _("This dossier is “%(state)s”: it cannot become “%(target)s”.")
            % {
                "state": DossierState(dossier.state).label,
                "target": DossierState(target).label,
            }
        )


def _require_editable(dossier: Dossier) -> None:
    if dossier.state not in DOSSIER_EDITABLE:
        raise DossierError(
            _("This dossier is “%(state)s”: only a draft or a returned dossier can be changed.")
            % {"state": DossierState(dossier.state).label}
        )


def _record(
    dossier: Dossier,
    *,
    actor,
    action: str,
    from_state: str,
    note: str = "",
    data: dict | None = None,
) -> DossierEvent:
    event = DossierEvent.objects.create(
        dossier=dossier,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=dossier.state,
        version=dossier.version,
        note=note,
    )
    audit_log(
        actor=actor,
        action=f"dossier.{action}",
        obj=dossier,
        data={"from": from_state, "to": dossier.state, "version": dossier.version, **(data or {})},
    )
    return event


def _move(dossier: Dossier, target: str, fields: Iterable[str] = ()) -> str:
    from_state = dossier.state
    dossier.state = target
    dossier.save(update_fields=["state", *fields])
    return from_state


def _producer_url(dossier: Dossier) -> str:
    return reverse("evaluations:dossier_detail", args=[dossier.pk])


def _check_url(dossier: Dossier) -> str:
    return reverse("evaluations:dossier_check", args=[dossier.pk])


def _names(dossier: Dossier) -> dict[str, str]:
    return {
        "product": dossier.product.name,
        "producer": dossier.product.producer.name,
        "round": str(dossier.round),
    }


def _notify_working_group(dossier: Dossier, subject: str, body: str) -> None:
    notify(
        users=working_group_users(dossier.first_level_unit),
        subject=subject,
        body=body,
        url=_check_url(dossier),
    )


def _notify_producer(dossier: Dossier, subject: str, body: str) -> None:
    notify(
        users=producer_users(dossier.product.producer_id),
        subject=subject,
        body=body,
        url=_producer_url(dossier),
    )


def _date(value: date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


# --- registering --------------------------------------------------------------------------


def dossier_create(
    *,
    round: Round,
    product: Product,
    kind: str,
    current_certificate_number: str = "",
    actor,
) -> Dossier:
    """Register a product to a round of its producer's province, as a draft."""
    if not actor.has_perm("evaluations.add_dossier", product):
        raise PermissionDenied(_("Only the producer's members may register its products."))
    errors: dict[str, str] = {}
    certificate = current_certificate_number.strip()
    if kind not in DossierKind.values:
        errors["kind"] = _("Choose first registration, upgrade or re-evaluation.")
    elif kind == DossierKind.FIRST:
        certificate = ""
    elif not certificate:
        errors["current_certificate_number"] = _(
            "An upgrade or a re-evaluation needs the number of the product's current "
            "OCOP certificate."
        )
    linked = None
    if certificate and "current_certificate_number" not in errors:
        # A certificate of this registry is linked (a new decision will supersede it); a
        # number it does not know is kept as typed: a certificate issued on paper before.
        from evaluations.models import Certificate

        linked = Certificate.objects.filter(number=certificate).first()
        if linked is not None and linked.product_id != product.pk:
            errors["current_certificate_number"] = _(
                "Certificate %(number)s belongs to another product."
            ) % {"number": certificate}
    producer = product.producer
    address, address_error = address_on_map_of(producer.address_unit, round.province)
    province = province_of(address)
    if address_error:
        errors["round"] = address_error
    elif province is None or province.pk != round.province_id:
        errors["round"] = _("This round belongs to another province than the producer's.")
    elif not round_is_open(round):
        errors["round"] = _("This round stopped taking dossiers on %(date)s.") % {
            "date": _date(round.submission_deadline)
        }
    if (
        "round" not in errors
        and Dossier.objects.filter(round=round, product=product)
        .exclude(state=DossierState.WITHDRAWN)
        .exists()
    ):
        errors["product"] = _("This product already has a dossier in this round.")
    form = current_form_for(round, product.product_set)
    if form is None:
        errors.setdefault(
            "product",
            _("Criteria %(version)s have no scoring form for product set %(set)s.")
            % {"version": round.criteria_version.code, "set": product.product_set},
        )
    elif not form.is_verified:
        errors.setdefault(
            "product",
            _(
                "The scoring form of product set %(set)s (criteria %(version)s) is not verified "
                "yet: it has defects and cannot be used until an administrator corrects it. "
                "The OCOP office of %(province)s, which runs this round, tells you when the "
                "product can be registered."
            )
            % {
                "version": round.criteria_version.code,
                "set": product.product_set,
                "province": round.province.name,
            },
        )
    level = checking_level(round.regime)
    unit = unit_at_level(address, level.level) if level and address else None
    if unit is None:
        errors.setdefault(
            "round",
            _("No working group of this round's regime covers the producer's commune."),
        )
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            dossier = Dossier.objects.create(
                round=round,
                product=product,
                kind=kind,
                current_certificate_number=certificate,
                current_certificate=linked,
                scoring_form=form,
                first_level_unit=unit,
                created_by=actor,
            )
            _record(
                dossier,
                actor=actor,
                action=DossierAction.CREATE,
                from_state=DossierState.DRAFT,
                data={
                    "round": round.pk,
                    "product": product.pk,
                    "kind": kind,
                    "current_certificate_number": certificate,
                    "form": form.key,
                    "first_level_unit": unit.code,
                },
            )
    except IntegrityError as error:
        raise ValidationError(
            {"product": _("This product already has a dossier in this round.")}
        ) from error
    return dossier


# --- the producer's edits -----------------------------------------------------------------


def _check_answers(spec: FormSpec, answers: Mapping[str, AnswerInput]) -> None:
    options = leaf_options(spec)
    for key, answer in answers.items():
        if key not in options:
            raise DossierError(_("The form has no criterion %(key)s.") % {"key": key})
        if answer.option and answer.option not in options[key]:
            raise DossierError(
                _("%(option)s is not an option of criterion %(key)s.")
                % {"option": answer.option, "key": key}
            )
    picked = {k: a.option for k, a in answers.items() if a.option}
    for group in spec.groups():
        if not group.choose_one:
            continue
        answered_cases = [
            case.key
            for case in group.criteria
            if any(picked.get(leaf.key) for leaf in case.leaves())
        ]
        if len(answered_cases) > 1:
            raise DossierError(
                _("%(group)s: answer one case only, not %(cases)s.")
                % {"group": group.label, "cases": ", ".join(answered_cases)}
            )


def dossier_save_answers(*, dossier: Dossier, answers: Mapping[str, AnswerInput], actor) -> Dossier:
    """Save the self-assessment as it stands (a draft may be incomplete).

    `answers` holds every criterion the producer has touched: the option ticked (or ""), a
    note and the evidence documents from the producer's library. Criteria left out are
    cleared.
    """
    with transaction.atomic():
        dossier = _lock(dossier)
        _require(actor, "evaluations.change_dossier", dossier)
        _require_editable(dossier)
        spec = form_spec(dossier.scoring_form)
        answers = {
            k: AnswerInput(a.option, a.note.strip(), tuple(sorted(set(a.documents))))
            for k, a in answers.items()
            if a.option or a.note.strip() or a.documents
        }
        for key, answer in answers.items():
            if (too_long := text_length_error(answer.note, NOTE_MAX_LENGTH)) is not None:
                raise DossierError(f"{key}: {too_long.messages[0]}")
        _check_answers(spec, answers)
        stored = dossier_answers(dossier)
        allowed = set(dossier_library(dossier).values_list("pk", flat=True))
        for key, answer in answers.items():
            previous = stored.get(key)
            kept = {d.pk for d in previous.documents.all()} if previous else set()
            unknown = set(answer.documents) - allowed - kept
            if unknown:
                raise DossierError(_("Evidence must come from the producer's current documents."))
        changed = []
        for key in [k for k in stored if k not in answers]:
            stored[key].delete()
            changed.append(key)
        for key, answer in answers.items():
            row = stored.get(key)
            if row is None:
                row = SelfAssessmentAnswer.objects.create(
                    dossier=dossier, criterion_key=key, option_key=answer.option, note=answer.note
                )
                if answer.documents:
                    row.documents.set(answer.documents)
                changed.append(key)
                continue
            updates = [
                name
                for name, value in (("option_key", answer.option), ("note", answer.note))
                if getattr(row, name) != value
            ]
            if updates:
                row.option_key = answer.option
                row.note = answer.note
                row.save(update_fields=updates)
            if {d.pk for d in row.documents.all()} != set(answer.documents):
                row.documents.set(answer.documents)
                updates.append("documents")
            if updates:
                changed.append(key)
        audit_log(
            actor=actor,
            action="dossier.save_answers",
            obj=dossier,
            data={
                "answered": sum(1 for a in answers.values() if a.option),
                "changed": sorted(changed),
            },
        )
    return dossier


def dossier_set_documents(
    *, dossier: Dossier, documents: Iterable[EvidenceDocument | int], actor
) -> Dossier:
    """Choose which of the producer's library documents go with the dossier."""
    ids = {d if isinstance(d, int) else d.pk for d in documents}
    with transaction.atomic():
        dossier = _lock(dossier)
        _require(actor, "evaluations.change_dossier", dossier)
        _require_editable(dossier)
        allowed = set(dossier_library(dossier).values_list("pk", flat=True))
        if ids - allowed:
            raise DossierError(_("Documents must come from the producer's current documents."))
        before = set(dossier.documents.values_list("pk", flat=True))
        if before != ids:
            dossier.documents.set(ids)
            audit_log(
                actor=actor,
                action="dossier.set_documents",
                obj=dossier,
                data={"added": sorted(ids - before), "removed": sorted(before - ids)},
            )
    return dossier


# --- submission ---------------------------------------------------------------------------


def dossier_replace_document(
    *, old: EvidenceDocument, new: EvidenceDocument, keep: set[int], actor
) -> list[int]:
    """A new version of a document takes the old one's place in every draft or returned
    dossier that carries it (its documents and its criteria's evidence), except the dossiers
    in `keep` and those of a product the new version is not about. Called inside the new
    version's transaction (products.services.documents); one audit entry per dossier.
    Returns the dossiers changed."""
    changed = []
    for dossier in dossiers_using_document(old).select_for_update(of=("self",)):
        if dossier.pk in keep:
            continue
        if new.product_id not in (None, dossier.product_id):
            continue
        if dossier.documents.filter(pk=old.pk).exists():
            dossier.documents.remove(old)
            dossier.documents.add(new)
        for answer in dossier.answers.filter(documents=old):
            answer.documents.remove(old)
            answer.documents.add(new)
        audit_log(
            actor=actor,
            action="dossier.replace_document",
            obj=dossier,
            data={"old": old.pk, "new": new.pk},
        )
        changed.append(dossier.pk)
    return changed


def submission_problems(dossier: Dossier, *, today: date | None = None) -> list[str]:
    """Everything that stops the dossier from being submitted today, in the producer's
    words; empty when it is ready."""
    today = today or timezone.localdate()
    problems = []
    producer = dossier.product.producer
    if not producer.is_verified:
        problems.append(
            _("%(producer)s is not verified yet: the commune or district must verify it first.")
            % {"producer": producer.name}
        )
    deadline = dossier.submission_deadline
    if today > deadline:
        problems.append(
            _("The submission deadline (%(date)s) has passed; ask the province for an extension.")
            % {"date": _date(deadline)}
        )
    if not dossier.scoring_form.is_verified:
        problems.append(
            _(
                "The scoring form is unverified and cannot be used until an administrator "
                "corrects it."
            )
        )
        return problems
    spec = form_spec(dossier.scoring_form)
    answers = {k: a.option_key for k, a in dossier_answers(dossier).items() if a.option_key}
    left = missing(spec, answers)
    if len(left) > MISSING_LISTED:
        # Named by their text, the first few; the page's "Next unanswered" finds the rest.
        problems.append(
            _("%(count)d criteria are not answered yet, among them: %(criteria)s.")
            % {
                "count": len(left),
                "criteria": "; ".join(str(m) for m in left[:MISSING_LISTED]),
            }
        )
    elif left:
        problems.append(
            _("Not answered yet: %(criteria)s.") % {"criteria": "; ".join(str(m) for m in left)}
        )
    documents = list(dossier.documents.all())
    for item in dossier_checklist(dossier, documents, today=today):
        if not item.mandatory or item.ok:
            continue
        if item.status == "expired":
            problems.append(
                _("%(kind)s: the document chosen has expired; add a valid one.")
                % {"kind": item.label}
            )
        else:
            problems.append(_("%(kind)s is required.") % {"kind": item.label})
    return problems


def pending_snapshot(dossier: Dossier) -> dict:
    """The dossier as it would be frozen if submitted now: answers with option labels and
    points, totals from the engine, documents with their hashes, product data. Raises
    SubmissionRefused when the answers cannot be scored."""
    spec = form_spec(dossier.scoring_form)
    stored = dossier_answers(dossier)
    picked = {k: a.option_key for k, a in stored.items() if a.option_key}
    try:
        sheet = score_sheet(form=spec, answers=picked)
    except (AnswerError, UnverifiedFormError) as error:
        raise SubmissionRefused(
            _("The dossier cannot be submitted."), problems=[str(error)]
        ) from error
    return build_snapshot(
        dossier=dossier,
        form=spec,
        answers=stored,
        sheet=sheet,
        documents=dossier.documents.all(),
    )


def _freeze(dossier: Dossier, *, actor, now) -> DossierVersion:
    """The version submitted (`pending_snapshot`)."""
    return DossierVersion.objects.create(
        dossier=dossier,
        number=dossier.version,
        submitted_at=now,
        submitted_by=actor,
        snapshot=pending_snapshot(dossier),
    )


def _submit(dossier: Dossier, *, actor, target: str, action: str) -> Dossier:
    with transaction.atomic():
        dossier = _lock(dossier)
        _require(actor, "evaluations.submit_dossier", dossier)
        _guard(dossier, target)
        problems = submission_problems(dossier)
        if problems:
            raise SubmissionRefused(_("The dossier cannot be submitted yet."), problems=problems)
        now = timezone.now()
        dossier.version += 1
        dossier.submitted_at = now
        version = _freeze(dossier, actor=actor, now=now)
        from_state = _move(dossier, target, ["version", "submitted_at"])
        _record(
            dossier,
            actor=actor,
            action=action,
            from_state=from_state,
            data={"total": version.snapshot["totals"]["total"]},
        )
        names = _names(dossier)
        if action == DossierAction.RESUBMIT:
            subject = _("Dossier resubmitted: %(product)s") % names
            body = (
                _(
                    "%(producer)s has corrected and resubmitted the dossier of %(product)s "
                    "(%(round)s). Please check it again."
                )
                % names
            )
        else:
            subject = _("New dossier: %(product)s") % names
            body = (
                _(
                    "%(producer)s has submitted the dossier of %(product)s (%(round)s). "
                    "Please check it for completeness."
                )
                % names
            )
        _notify_working_group(dossier, subject, body)
    return dossier


def dossier_submit(*, dossier: Dossier, actor) -> Dossier:
    """Send a draft to the working group, frozen as version 1."""
    return _submit(dossier, actor=actor, target=DossierState.SUBMITTED, action=DossierAction.SUBMIT)


def dossier_resubmit(*, dossier: Dossier, actor) -> Dossier:
    """Send a corrected dossier back to the working group, frozen as the next version."""
    return _submit(
        dossier, actor=actor, target=DossierState.RESUBMITTED, action=DossierAction.RESUBMIT
    )


# --- the working group's moves ------------------------------------------------------------


def _clean_reasons(reasons: Iterable[ReturnItem | tuple]) -> list[ReturnItem]:
    items = []
    for raw in reasons:
        item = raw if isinstance(raw, ReturnItem) else ReturnItem(*raw)
        if item.item_kind not in ReturnItemKind.values:
            raise ValidationError(
                _("%(kind)s is not a kind of returned item.") % {"kind": item.item_kind}
            )
        if not item.reason.strip():
            raise ValidationError(_("Every returned item needs a reason."))
        if len(item.item_ref) > 60:
            raise ValidationError(_("An item reference has at most 60 characters."))
        check_text_length(item.reason.strip(), REASON_MAX_LENGTH)
        items.append(ReturnItem(item.item_kind, item.item_ref.strip(), item.reason.strip()))
    if not items:
        raise ValidationError(_("Say what must be corrected: give at least one reason."))
    return items


def dossier_return(
    *, dossier: Dossier, reasons: Iterable[ReturnItem | tuple[str, str, str]], actor
) -> Dossier:
    """Return a dossier to the producer with itemised reasons (document, criterion or other)."""
    items = _clean_reasons(reasons)
    with transaction.atomic():
        dossier = _lock(dossier)
        _require(actor, "evaluations.check_dossier", dossier)
        _guard(dossier, DossierState.RETURNED)
        from_state = _move(dossier, DossierState.RETURNED)
        event = _record(
            dossier,
            actor=actor,
            action=DossierAction.RETURN,
            from_state=from_state,
            data={"reasons": [[i.item_kind, i.item_ref, i.reason] for i in items]},
        )
        ReturnReason.objects.bulk_create(
            ReturnReason(event=event, item_kind=i.item_kind, item_ref=i.item_ref, reason=i.reason)
            for i in items
        )
        names = _names(dossier)
        labels = criterion_labels(form_spec(dossier.scoring_form))
        lines = "\n".join(
            f"- {return_item_label(i.item_kind, i.item_ref, labels)}: {i.reason}" for i in items
        )
        _notify_producer(
            dossier,
            _("Dossier returned for correction: %(product)s") % names,
            _(
                "The working group has returned the dossier of %(product)s (%(round)s). "
                "Please correct the following and resubmit:"
            )
            % names
            + "\n"
            + lines,
        )
    return dossier


def criterion_labels(spec: FormSpec) -> dict[str, str]:
    """Leaf criterion key → its label's first line, to name returned items."""
    return {leaf.key: first_line(leaf.label) for leaf in spec.leaf_criteria()}


def return_item_label(kind: str, ref: str, labels: Mapping[str, str] | None = None) -> str:
    """What a returned item is about, in words: the document kind, the criterion."""
    if kind == ReturnItemKind.DOCUMENT and ref in DocumentKind.values:
        return _("Document: %(kind)s") % {"kind": DocumentKind(ref).label}
    if kind == ReturnItemKind.CRITERION and ref:
        label = (labels or {}).get(ref, "")
        return (_("Criterion %(key)s %(label)s") % {"key": ref, "label": label}).strip()
    if ref:
        return f"{ReturnItemKind(kind).label} {ref}"
    return str(ReturnItemKind(kind).label)


def samples_required(dossier: Dossier) -> bool:
    return dossier.product.product_set.group.sector.number not in SECTORS_WITHOUT_SAMPLES


def forwards_without_scoring(dossier: Dossier) -> bool:
    """The dossier's first level checks it but does not score (the commune under 1489/2025):
    its working group forwards it to the province with its assessment and letter
    (`dossier_forward_to_province`) rather than accepting it for its own council."""
    level = checking_level(dossier.round.regime)
    return level is not None and not level.scores


@dataclass(frozen=True)
class CommuneAssessmentInput:
    local_origin_met: bool
    local_origin_note: str
    dossier_assessment: str
    letter_number: str
    letter_date: date
    letter: object  # an uploaded PDF


def _samples_errors(dossier: Dossier, samples_count, samples_received_on) -> dict[str, str]:
    errors = {}
    if samples_count is None or samples_count < 0:
        errors["samples_count"] = _("Enter the number of samples received.")
    elif samples_count == 0 and samples_required(dossier):
        errors["samples_count"] = _(
            "Samples are required for this product; only tourism services have none."
        )
    if samples_received_on is None:
        errors["samples_received_on"] = _("Enter the date the samples were received.")
    elif samples_received_on > timezone.localdate():
        errors["samples_received_on"] = _("The date cannot be in the future.")
    return errors


def _accept(dossier: Dossier, samples_count: int, samples_received_on: date) -> str:
    """Record the samples and hand the dossier to the first level whose council scores."""
    dossier.samples_count = samples_count
    dossier.samples_received_on = samples_received_on
    dossier.accepted_at = timezone.now()
    dossier.level = first_scoring_level(dossier.round.regime)
    return _move(
        dossier,
        DossierState.ACCEPTED,
        ["samples_count", "samples_received_on", "accepted_at", "level"],
    )


def dossier_accept(
    *, dossier: Dossier, samples_count: int, samples_received_on: date, actor
) -> Dossier:
    """Accept a complete dossier, recording the product samples received."""
    with transaction.atomic():
        dossier = _lock(dossier)
        _require(actor, "evaluations.check_dossier", dossier)
        _guard(dossier, DossierState.ACCEPTED)
        if forwards_without_scoring(dossier):
            raise DossierError(
                _(
                    "Under this round's regime the commune does not accept dossiers for a "
                    "council of its own: it forwards them to the province with its assessment "
                    "and letter."
                )
            )
        errors = _samples_errors(dossier, samples_count, samples_received_on)
        if errors:
            raise ValidationError(errors)
        from_state = _accept(dossier, samples_count, samples_received_on)
        _record(
            dossier,
            actor=actor,
            action=DossierAction.ACCEPT,
            from_state=from_state,
            data={"samples_count": samples_count, "samples_received_on": samples_received_on},
        )
        names = _names(dossier)
        _notify_producer(
            dossier,
            _("Dossier accepted: %(product)s") % names,
            _(
                "The working group has accepted the dossier of %(product)s (%(round)s) and "
                "received %(samples)s sample(s). It will now be evaluated by the council."
            )
            % {**names, "samples": samples_count},
        )
    return dossier


def dossier_forward_to_province(
    *,
    dossier: Dossier,
    samples_count: int,
    samples_received_on: date,
    assessment: CommuneAssessmentInput,
    actor,
) -> Dossier:
    """The commune's step under 1489/2025: its working group records its assessment of the
    product's local origin and of the dossier, and forwards the dossier to the province with
    its signed letter (a PDF). A product that does not meet the local-origin criteria is
    returned with the reason instead (`dossier_return`)."""
    with transaction.atomic():
        dossier = _lock(dossier)
        _require(actor, "evaluations.check_dossier", dossier)
        _guard(dossier, DossierState.ACCEPTED)
        if not forwards_without_scoring(dossier):
            raise DossierError(
                _("Under this round's regime the working group accepts the dossier itself.")
            )
        errors = _samples_errors(dossier, samples_count, samples_received_on)
        if not assessment.local_origin_met:
            errors["local_origin_met"] = _(
                "A product that does not meet the local-origin criteria is not forwarded: "
                "return the dossier to the producer with the reason."
            )
        for field in ("local_origin_note", "dossier_assessment"):
            text = getattr(assessment, field).strip()
            if not text:
                errors[field] = _("Write the commune's assessment.")
            elif (error := text_length_error(text, LONG_TEXT_MAX_LENGTH)) is not None:
                errors[field] = error
        if not assessment.letter_number.strip():
            errors["letter_number"] = _("Enter the number of the forwarding letter.")
        if assessment.letter_date is None:
            errors["letter_date"] = _("Enter the date of the forwarding letter.")
        elif assessment.letter_date > timezone.localdate():
            errors["letter_date"] = _("The date cannot be in the future.")
        if assessment.letter is None:
            errors["letter"] = _("Upload the signed forwarding letter as a PDF.")
        else:
            try:
                checked = check_document(assessment.letter, kinds=(PDF,))
            except ValidationError as error:
                errors["letter"] = " ".join(error.messages)
        if errors:
            raise ValidationError(errors)
        from_state = _accept(dossier, samples_count, samples_received_on)
        record = CommuneAssessment(
            dossier=dossier,
            local_origin_met=True,
            local_origin_note=assessment.local_origin_note.strip(),
            dossier_assessment=assessment.dossier_assessment.strip(),
            letter_number=assessment.letter_number.strip(),
            letter_date=assessment.letter_date,
            forwarded_by=actor,
        )
        record.letter.save(checked.original_name, checked.content, save=False)
        record.save()
        _record(
            dossier,
            actor=actor,
            action=DossierAction.ACCEPT,
            from_state=from_state,
            note=_("Forwarded to the province with letter %(number)s.")
            % {"number": record.letter_number},
            data={
                "samples_count": samples_count,
                "samples_received_on": samples_received_on,
                "letter_number": record.letter_number,
                "letter_date": record.letter_date,
                "letter_sha256": checked.sha256,
                "to_level": dossier.level,
            },
        )
        names = _names(dossier)
        _notify_producer(
            dossier,
            _("Dossier forwarded to the province: %(product)s") % names,
            _(
                "The commune's working group has checked the dossier of %(product)s "
                "(%(round)s), received %(samples)s sample(s) and forwarded it to the "
                "province, whose council will evaluate it."
            )
            % {**names, "samples": samples_count},
        )
    return dossier


def dossier_start_evaluation(*, dossier: Dossier, actor, note: str = "") -> Dossier:
    """Hand an accepted (or forwarded) dossier to the council of its level: the one move to
    "under evaluation". Called by `councils.services.sessions.session_add_dossiers` inside
    its transaction when a session takes the dossier up (`note`: the session)."""
    with transaction.atomic():
        dossier = _lock(dossier)
        _require(actor, "evaluations.check_dossier", dossier)
        _guard(dossier, DossierState.UNDER_EVALUATION)
        from_state = _move(dossier, DossierState.UNDER_EVALUATION)
        _record(
            dossier,
            actor=actor,
            action=DossierAction.START_EVALUATION,
            from_state=from_state,
            note=note,
        )
    return dossier


def dossier_apply_result(*, dossier: Dossier, outcome: str, to_level: str, actor) -> str:
    """Move a dossier under evaluation by its council's final result. Called inside
    `services.sessions.item_finalise`'s transaction, which has locked the dossier and writes
    the audit entry; this records the dossier's event. Returns the new state."""
    from evaluations.enums import Outcome

    if outcome == Outcome.FORWARDED:
        target, action = DossierState.FORWARDED, DossierAction.FORWARD
    elif outcome in (Outcome.RECOGNISED, Outcome.REFERRED_DOWN):
        target, action = DossierState.RECOGNISED, DossierAction.RESULT
    else:
        target, action = DossierState.NOT_RECOGNISED, DossierAction.RESULT
    _guard(dossier, target)
    from_state = dossier.state
    dossier.state = target
    fields = ["state"]
    if target == DossierState.FORWARDED:
        dossier.level = to_level
        fields.append("level")
    dossier.save(update_fields=fields)
    DossierEvent.objects.create(
        dossier=dossier,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=target,
        version=dossier.version,
    )
    return target


# --- the producer withdraws; the province extends -----------------------------------------


def dossier_withdraw(*, dossier: Dossier, actor, reason: str = "") -> Dossier:
    """The producer takes the dossier back before it is accepted."""
    check_text_length(reason.strip(), REASON_MAX_LENGTH, field="reason")
    with transaction.atomic():
        dossier = _lock(dossier)
        _require(actor, "evaluations.withdraw_dossier", dossier)
        _guard(dossier, DossierState.WITHDRAWN)
        from_state = _move(dossier, DossierState.WITHDRAWN)
        _record(
            dossier,
            actor=actor,
            action=DossierAction.WITHDRAW,
            from_state=from_state,
            note=reason.strip(),
        )
        if from_state in DOSSIER_WAITING_FOR_CHECK | {DossierState.RETURNED}:
            names = _names(dossier)
            _notify_working_group(
                dossier,
                _("Dossier withdrawn: %(product)s") % names,
                _("%(producer)s has withdrawn the dossier of %(product)s (%(round)s).") % names,
            )
    return dossier


def dossier_extend_deadline(*, dossier: Dossier, until: date, reason: str, actor) -> Dossier:
    """Give one dossier more time to be submitted or resubmitted."""
    with transaction.atomic():
        dossier = _lock(dossier)
        _require(actor, "evaluations.extend_deadline", dossier)
        _require_editable(dossier)
        round_obj = dossier.round
        errors = {}
        if not reason.strip():
            errors["reason"] = _("Give the reason for the extension.")
        elif (too_long := text_length_error(reason.strip(), REASON_MAX_LENGTH)) is not None:
            errors["reason"] = too_long
        if until is None:
            errors["until"] = _("Enter the new deadline.")
        elif until <= round_obj.submission_deadline:
            errors["until"] = _("The new deadline must be after the round's (%(date)s).") % {
                "date": _date(round_obj.submission_deadline)
            }
        elif until < timezone.localdate():
            errors["until"] = _("The new deadline cannot be in the past.")
        elif until > round_obj.first_level_deadline:
            errors["until"] = _(
                "The new deadline cannot be after the first-level evaluation deadline (%(date)s)."
            ) % {"date": _date(round_obj.first_level_deadline)}
        if errors:
            raise ValidationError(errors)
        previous = dossier.deadline_extended_to
        dossier.deadline_extended_to = until
        dossier.save(update_fields=["deadline_extended_to"])
        _record(
            dossier,
            actor=actor,
            action=DossierAction.EXTEND_DEADLINE,
            from_state=dossier.state,
            note=reason.strip(),
            data={"until": until, "previous": previous, "reason": reason.strip()},
        )
        names = _names(dossier)
        _notify_producer(
            dossier,
            _("Deadline extended: %(product)s") % names,
            _("The dossier of %(product)s (%(round)s) may now be submitted until %(date)s.")
            % {**names, "date": _date(until)},
        )
    return dossier
