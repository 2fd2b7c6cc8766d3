"""Scoring at a council session: conflict declarations, score sheets, re-scoring, the
council's discussion and the final result of each product.

Each function re-reads what it changes under a row lock, checks who acts and that the move
is legal now, and writes one audit entry in the same transaction; notifications go out once
it has committed.
"""

from collections.abc import Iterable, Mapping
from decimal import ROUND_FLOOR, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations.councils.models import SheetReopening
from evaluations.councils.selectors import item_consolidation
from evaluations.councils.services.sessions import recuse_producer_members
from evaluations.councils.workflow import item_is_open, sheet_can_move
from evaluations.criteria.selectors import form_spec
from evaluations.criteria.services import scoring_form_freeze
from evaluations.engine.display import format_points
from evaluations.engine.scoring import AnswerError, score_sheet
from evaluations.enums import CouncilRole, ItemState, Outcome, SheetState
from evaluations.exceptions import SessionError
from evaluations.intake.selfassessment import keep_chosen_cases, leaf_options, missing
from evaluations.intake.services.dossiers import dossier_apply_result
from evaluations.models import (
    ConflictDeclaration,
    CouncilMember,
    Dossier,
    LevelResult,
    ScoreSheet,
    Session,
    SessionItem,
)
from evaluations.rules import council_membership
from ocop.core.audit import audit_log
from ocop.core.limits import NOTE_MAX_LENGTH, text_length_error
from ocop.core.selectors import unit_at_level, working_group_users
from ocop.core.services.notifications import notify
from products.selectors import producer_users

NOTE_MAX = 2000
_EIGHT_PLACES = Decimal("0.00000001")


def _lock_item(item: SessionItem) -> SessionItem:
    return (
        SessionItem.objects.select_for_update(of=("self",))
        .select_related(
            "session__council__unit",
            "session__round__regime",
            "session__round__criteria_version",
            "dossier__product__producer",
            "dossier__scoring_form__version",
        )
        .get(pk=item.pk)
    )


def _scoring_member(actor, item: SessionItem) -> CouncilMember:
    """The actor's membership if they may score this item; 404 otherwise (the item is not
    theirs to see)."""
    member = council_membership(actor, item)
    if member is None or not member.scores:
        raise Http404
    return member


def _recused(item: SessionItem, member: CouncilMember) -> bool:
    return item.conflicts.filter(member=member, has_conflict=True).exists()


def _require_scoring(item: SessionItem) -> None:
    """Anything about a product changes only while its result is still to come: while
    the item may still move to "final" (`ITEM_TRANSITIONS`)."""
    if not item_is_open(item.state):
        raise SessionError(_("The result of this product is final: nothing can be changed."))


def _require_chair(actor, item: SessionItem) -> CouncilMember:
    member = council_membership(actor, item)
    if member is None or member.role != CouncilRole.CHAIR:
        raise PermissionDenied(_("Only the council's chair may do this."))
    return member


# --- declarations -------------------------------------------------------------------------


def conflict_declare(
    *, item: SessionItem, has_conflict: bool, reason: str = "", actor
) -> ConflictDeclaration:
    """Before scoring, a member states "no conflict" (and gets a blank sheet) or declares a
    conflict with its reason (and is recused from the product)."""
    reason = reason.strip()
    if has_conflict and not reason:
        raise ValidationError({"reason": _("Give the reason for the conflict of interest.")})
    with transaction.atomic():
        item = _lock_item(item)
        member = _scoring_member(actor, item)
        _require_scoring(item)
        if ConflictDeclaration.objects.filter(item=item, member=member).exists():
            raise SessionError(_("You have already made your declaration for this product."))
        sheet = None
        recusals = recuse_producer_members(items=[item], members=[member])
        if recusals:
            # A member of the product's producer is recused whatever they declare.
            declaration = recusals[0]
        else:
            declaration = ConflictDeclaration.objects.create(
                item=item, member=member, has_conflict=has_conflict, reason=reason
            )
            if not has_conflict:
                sheet = ScoreSheet.objects.create(
                    item=item, member=member, scoring_form=item.dossier.scoring_form
                )
        data = {
            "member": member.pk,
            "has_conflict": declaration.has_conflict,
            "reason": declaration.reason,
            "sheet": sheet.pk if sheet else None,
        }
        if recusals:
            data["automatic"] = True
        audit_log(actor=actor, action="conflict.declare", obj=item, data=data)
    return declaration


# --- score sheets -------------------------------------------------------------------------


def _lock_sheet(sheet: ScoreSheet, actor) -> ScoreSheet:
    sheet = (
        ScoreSheet.objects.select_for_update(of=("self",))
        .select_related(
            "member__user",
            "scoring_form__version",
            "item__session__council",
            "item__dossier__product__producer",
        )
        .get(pk=sheet.pk)
    )
    if sheet.member.user_id != getattr(actor, "pk", None):
        raise Http404
    if _recused(sheet.item, sheet.member):
        raise Http404
    return sheet


def _clean_answers(spec, answers: Mapping[str, str], notes: Mapping[str, str]):
    options = leaf_options(spec)
    errors = {}
    for key, option in answers.items():
        if key not in options:
            errors[key] = _("The form has no criterion %(key)s.") % {"key": key}
        elif option and option not in options[key]:
            errors[key] = _("This is not an option of criterion %(key)s.") % {"key": key}
    for key, note in notes.items():
        if key not in options:
            errors[key] = _("The form has no criterion %(key)s.") % {"key": key}
        elif len(note) > NOTE_MAX:
            errors[key] = _("A note can have at most %(max)d characters.") % {"max": NOTE_MAX}
    if errors:
        raise ValidationError(errors)
    cleaned = keep_chosen_cases(spec, {k: v for k, v in answers.items() if v})
    return cleaned, {k: v.strip() for k, v in notes.items() if v.strip()}


def _open_draft(sheet: ScoreSheet, actor, locked_message: str) -> ScoreSheet:
    """The member's own draft sheet under a row lock, on a product still scoring."""
    sheet = _lock_sheet(sheet, actor)
    _require_scoring(sheet.item)
    # A draft is a sheet that can still be submitted.
    if not sheet_can_move(sheet.state, SheetState.SUBMITTED):
        raise SessionError(locked_message)
    last = _last_reopening(sheet)
    if last is not None and last.excused_at is not None:
        raise SessionError(
            _("The chair excused you from re-scoring this product: your sheet is not counted.")
        )
    return sheet


def _last_reopening(sheet: ScoreSheet, *, lock: bool = False) -> SheetReopening | None:
    reopenings = SheetReopening.objects.filter(sheet=sheet).order_by("-number")
    if lock:
        reopenings = reopenings.select_for_update()
    return reopenings.first()


def sheet_save(
    *, sheet: ScoreSheet, answers: Mapping[str, str], notes: Mapping[str, str], actor
) -> ScoreSheet:
    """Save a draft; an unchanged draft is not written again."""
    with transaction.atomic():
        sheet = _open_draft(sheet, actor, _("This score sheet is submitted and locked."))
        spec = form_spec(sheet.scoring_form)
        answers, notes = _clean_answers(spec, answers, notes)
        if answers == sheet.answers and notes == sheet.notes:
            return sheet
        sheet.answers, sheet.notes = answers, notes
        sheet.save(update_fields=["answers", "notes", "updated_at"])
        audit_log(
            actor=actor,
            action="score_sheet.save",
            obj=sheet,
            data={"answered": len(answers), "notes": len(notes)},
        )
    return sheet


def sheet_submit(
    *, sheet: ScoreSheet, answers: Mapping[str, str], notes: Mapping[str, str], actor
) -> ScoreSheet:
    """Save and submit a complete sheet; it is locked from then on. A member of the
    product's producer is refused, and recused from the product."""
    recusal = None
    with transaction.atomic():
        sheet = _open_draft(sheet, actor, _("This score sheet is already submitted."))
        recusals = recuse_producer_members(items=[sheet.item], members=[sheet.member])
        if recusals:
            recusal = recusals[0]
            audit_log(
                actor=actor,
                action="conflict.recuse",
                obj=sheet.item,
                data={
                    "member": sheet.member_id,
                    "sheet": sheet.pk,
                    "reason": recusal.reason,
                    "automatic": True,
                },
            )
    if recusal is not None:
        raise SessionError(
            _(
                "You belong to the producer of this product: you are recused from it and "
                "cannot submit a score sheet."
            )
        )
    with transaction.atomic():
        sheet = _open_draft(sheet, actor, _("This score sheet is already submitted."))
        spec = form_spec(sheet.scoring_form)
        answers, notes = _clean_answers(spec, answers, notes)
        left = missing(spec, answers)
        if left:
            raise SessionError(
                _("Answer every criterion before submitting: %(count)d left.")
                % {"count": len(left)},
                problems=[str(m) for m in left[:5]],
            )
        try:
            score = score_sheet(form=spec, answers=answers)
        except AnswerError as error:
            raise ValidationError({error.key: str(error)}) from error
        sheet.answers, sheet.notes = answers, notes
        sheet.total = score.total
        sheet.state = SheetState.SUBMITTED
        sheet.submitted_at = timezone.now()
        sheet.save(
            update_fields=["answers", "notes", "total", "state", "submitted_at", "updated_at"]
        )
        reopening = _last_reopening(sheet, lock=True)
        if reopening is not None and reopening.open:
            reopening.total_after = score.total
            reopening.resubmitted_at = sheet.submitted_at
            reopening.save(update_fields=["total_after", "resubmitted_at"])
        else:
            reopening = None
        scoring_form_freeze(form=sheet.scoring_form, actor=actor)
        audit_log(
            actor=actor,
            action="score_sheet.submit",
            obj=sheet,
            data={
                "total": score.total,
                "item": sheet.item_id,
                "rescoring": reopening.number if reopening else None,
            },
        )
    return sheet


# --- the chair: re-scoring, discussion, result --------------------------------------------


def sheets_reopen(
    *, item: SessionItem, sheets: Iterable[ScoreSheet], reason: str, actor
) -> list[ScoreSheet]:
    """Send submitted sheets back to their members for re-scoring, with the reason."""
    reason = reason.strip()
    wanted = {s.pk for s in sheets}
    with transaction.atomic():
        item = _lock_item(item)
        _require_chair(actor, item)
        _require_scoring(item)
        errors = {}
        if not reason:
            errors["reason"] = _("Give the reason for re-scoring.")
        if not wanted:
            errors["sheets"] = _("Choose the sheets to reopen.")
        if errors:
            raise ValidationError(errors)
        locked = list(
            ScoreSheet.objects.select_for_update(of=("self",))
            .filter(item=item, pk__in=wanted)
            .select_related("member__user")
            .order_by("pk")
        )
        if len(locked) != len(wanted) or any(
            not sheet_can_move(s.state, SheetState.DRAFT) for s in locked
        ):
            raise SessionError(_("Only submitted sheets of this product can be reopened."))
        now = timezone.now()
        for sheet in locked:
            SheetReopening.objects.create(
                sheet=sheet,
                number=sheet.reopened_count + 1,
                reason=reason,
                discussion=item.discussion,
                requested_by=actor,
                reopened_at=now,
                total_before=sheet.total,
            )
            sheet.state = SheetState.DRAFT
            sheet.total = None
            sheet.submitted_at = None
            sheet.reopened_count += 1
            sheet.reopen_reason = reason
            sheet.save(
                update_fields=[
                    "state",
                    "total",
                    "submitted_at",
                    "reopened_count",
                    "reopen_reason",
                    "updated_at",
                ]
            )
        if item.discussion:
            item.discussion, item.discussion_at = "", None
            item.save(update_fields=["discussion", "discussion_at"])
        audit_log(
            actor=actor,
            action="score_sheet.reopen",
            obj=item,
            data={
                "sheets": [s.pk for s in locked],
                "reason": reason,
                "discussion": item.discussion,
            },
        )
        notify(
            users=[s.member.user for s in locked],
            subject=_("Please re-score: %(product)s") % {"product": item.dossier.product.name},
            body=_("The chair has reopened your score sheet for %(product)s. Reason: %(reason)s")
            % {"product": item.dossier.product.name, "reason": reason},
            url=reverse("evaluations:sheet", args=[item.session_id, item.pk]),
        )
    return locked


def sheet_excuse(*, sheet: ScoreSheet, reason: str, actor) -> SheetReopening:
    """The chair excuses a member from re-scoring a reopened sheet, with the reason (the
    minutes print it): the sheet is then not counted, and the result no longer waits for
    it."""
    reason = reason.strip()
    with transaction.atomic():
        item = _lock_item(sheet.item)
        _require_chair(actor, item)
        _require_scoring(item)
        if not reason:
            raise ValidationError({"reason": _("Give the reason for excusing the member.")})
        too_long = text_length_error(reason, NOTE_MAX_LENGTH)
        if too_long is not None:
            raise ValidationError({"reason": too_long})
        sheet = (
            ScoreSheet.objects.select_for_update(of=("self",))
            .select_related("member__user")
            .filter(item=item, pk=sheet.pk)
            .first()
        )
        if sheet is None:
            raise Http404
        reopening = _last_reopening(sheet, lock=True)
        # A reopened sheet not resubmitted is a draft again: one that can be submitted.
        if (
            not sheet_can_move(sheet.state, SheetState.SUBMITTED)
            or reopening is None
            or not reopening.open
        ):
            raise SessionError(
                _("Only a member whose reopened sheet is not resubmitted can be excused.")
            )
        reopening.excuse_reason = reason
        reopening.excused_by = actor
        reopening.excused_at = timezone.now()
        reopening.save(update_fields=["excuse_reason", "excused_by", "excused_at"])
        audit_log(
            actor=actor,
            action="score_sheet.excuse",
            obj=item,
            data={
                "sheet": sheet.pk,
                "member": sheet.member_id,
                "rescoring": reopening.number,
                "reason": reason,
            },
        )
        notify(
            users=[sheet.member.user],
            subject=_("Excused from re-scoring: %(product)s")
            % {"product": item.dossier.product.name},
            body=_(
                "The chair has excused you from re-scoring %(product)s; your sheet is not "
                "counted. Reason: %(reason)s"
            )
            % {"product": item.dossier.product.name, "reason": reason},
            url=reverse("evaluations:session_detail", args=[item.session_id]),
        )
    return reopening


def item_record_discussion(*, item: SessionItem, conclusion: str, actor) -> SessionItem:
    """Record the council's discussion conclusion. A result with a wide spread stands once
    the conclusion is recorded after the last sheet and, unless the council's rules let a
    discussion alone clear it, the members have re-scored (`consolidation`)."""
    conclusion = conclusion.strip()
    with transaction.atomic():
        item = _lock_item(item)
        _require_chair(actor, item)
        _require_scoring(item)
        if not conclusion:
            raise ValidationError({"conclusion": _("Write the council's conclusion.")})
        item.discussion = conclusion
        item.discussion_at = timezone.now()
        item.save(update_fields=["discussion", "discussion_at"])
        audit_log(
            actor=actor, action="session_item.discussion", obj=item, data={"text": conclusion}
        )
    return item


def item_finalise(*, item: SessionItem, comments: str = "", actor) -> LevelResult:
    """Record the level's result for one product: the chair only, with quorum, and with a
    spread within the threshold or a discussion conclusion. Moves the dossier on."""
    with transaction.atomic():
        item = _lock_item(item)
        # The session's row too: its date decides whether a result may stand today, and
        # session_reschedule moves it under the same lock (one waits for the other).
        item.session.date = (
            Session.objects.select_for_update().only("date").get(pk=item.session_id).date
        )
        chair = _require_chair(actor, item)
        _require_scoring(item)  # the item's move to "final" (ITEM_TRANSITIONS)
        dossier = Dossier.objects.select_for_update(of=("self",)).get(pk=item.dossier_id)
        consolidation = item_consolidation(item)
        if not consolidation.can_finalise:
            raise SessionError(
                _("The result cannot be finalised yet."),
                problems=consolidation.blockers_for(chair),
            )
        result, outcome = consolidation.result, consolidation.outcome
        level = item.session.council.level
        now = timezone.now()
        level_result = LevelResult.objects.create(
            item=item,
            dossier=dossier,
            level=level,
            mean=result.mean.quantize(_EIGHT_PLACES, rounding=ROUND_FLOOR),
            display_mean=result.display_mean,
            band_stars=result.band_stars,
            stars=result.stars,
            spread=result.spread,
            outcome=Outcome(outcome.kind.value),
            to_level=outcome.to_level or "",
            reason=outcome.reason,
            comments=comments.strip(),
            details={
                "parts": result.part_means,
                "groups": result.group_means,
                "criteria": result.criterion_means,
                "failed_minimums": [
                    {"criterion": r.criterion_key, "stars": r.min_stars, "points": r.points}
                    for r in result.failed_minimums
                ],
                "submitted": result.submitted_count,
                "eligible": result.eligible_count,
                "recused": [m.member.pk for m in consolidation.recused],
                "excused": [m.member.pk for m in consolidation.members if m.excused],
                "discussion": item.discussion,
                "form": dossier.scoring_form_id,
            },
            finalised_by=actor,
            finalised_at=now,
        )
        item.state = ItemState.FINAL
        item.save(update_fields=["state"])
        dossier_state = dossier_apply_result(
            dossier=dossier,
            outcome=level_result.outcome,
            to_level=level_result.to_level,
            actor=actor,
        )
        audit_log(
            actor=actor,
            action="session_item.finalise",
            obj=item,
            data={
                "dossier": dossier.pk,
                "level": level,
                "mean": result.mean,
                "display_mean": result.display_mean,
                "stars": result.stars,
                "outcome": level_result.outcome,
                "to_level": level_result.to_level,
                "dossier_state": dossier_state,
                "sheets": {str(m.member.pk): m.sheet.total for m in consolidation.submitted},
            },
        )
        _notify_result(item, dossier, level_result)
    return level_result


def _notify_result(item: SessionItem, dossier: Dossier, result: LevelResult) -> None:
    names = {
        "product": item.dossier.product.name,
        "level": result.get_level_display().lower(),
        "score": format_points(result.display_mean),
        "stars": result.stars,
    }
    notify(
        users=producer_users(item.dossier.product.producer_id),
        subject=_("Council result: %(product)s") % names,
        body=_(
            "The %(level)s council's result for %(product)s is final: %(score)s points, "
            "%(stars)d★. Open the dossier to see where points were lost."
        )
        % names,
        url=reverse("evaluations:dossier_result", args=[dossier.pk]),
    )
    if result.outcome == Outcome.FORWARDED:
        unit = unit_at_level(dossier.first_level_unit, result.to_level)
        if unit is not None:
            notify(
                users=working_group_users(unit),
                subject=_("Forwarded for evaluation: %(product)s") % names,
                body=_(
                    "The %(level)s council forwarded %(product)s (%(score)s points) to your "
                    "level. Put it on a council session's agenda."
                )
                % names,
                url=reverse("evaluations:dossier_check", args=[dossier.pk]),
            )
