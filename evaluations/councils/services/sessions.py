"""Council sessions: the working group sets one up and puts dossiers on its agenda; the
secretary sends reminders. Scoring and results are in `services.scoring`."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from evaluations.councils.selectors import eligible_dossiers
from evaluations.councils.workflow import item_is_open
from evaluations.criteria.selectors import regime_spec
from evaluations.enums import DossierState, ItemState, SheetState
from evaluations.exceptions import SessionError
from evaluations.intake.services.dossiers import dossier_start_evaluation
from evaluations.intake.workflow import dossier_can_move
from evaluations.models import (
    ConflictDeclaration,
    Council,
    CouncilMember,
    Dossier,
    LevelResult,
    Round,
    Session,
    SessionItem,
)
from ocop.core.audit import audit_log
from ocop.core.selectors import province_of
from ocop.core.services.notifications import notify
from products.models import ProducerMember


def _require(actor, perm: str, obj) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(_("You may not do this in this council session."))


def session_url(session: Session) -> str:
    return reverse("evaluations:session_detail", args=[session.pk])


def session_create(*, council: Council, round: Round, date: date, place: str, actor) -> Session:
    """The working group of the council's level sets up a meeting for a round."""
    _require(actor, "evaluations.prepare_session", council)
    errors = {}
    if round is None:
        errors["round"] = _("Choose the round.")
    else:
        if province_of(council.unit).pk != round.province_id:
            errors["round"] = _("The round is of another province.")
        else:
            try:
                level = regime_spec(round.regime).get(council.level)
            except ValueError:
                level = None
            if level is None or not level.scores:
                errors["round"] = _(
                    "Under this round's regime no council scores at the %(level)s level."
                ) % {"level": council.get_level_display().lower()}
    if date is None:
        errors["date"] = _("Enter the date of the meeting.")
    elif council.term_end and date > council.term_end:
        errors["date"] = _("The council's term ends on %(date)s.") % {
            "date": date_format(council.term_end, "SHORT_DATE_FORMAT")
        }
    elif date < council.term_start:
        errors["date"] = _("The council's term starts on %(date)s.") % {
            "date": date_format(council.term_start, "SHORT_DATE_FORMAT")
        }
    if not place.strip():
        errors["place"] = _("Enter where the council meets.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        session = Session.objects.create(
            council=council, round=round, date=date, place=place.strip(), created_by=actor
        )
        audit_log(
            actor=actor,
            action="session.create",
            obj=session,
            data={"council": council.pk, "round": round.pk, "date": date, "place": session.place},
        )
    return session


def recuse_producer_members(
    *, items: Iterable[SessionItem], members: Iterable[CouncilMember]
) -> list[ConflictDeclaration]:
    """Recuse every member who scores and belongs to the producer of an item's dossier: a
    producer's own member never scores its product, whatever they declared. A missing
    declaration is created, a "no conflict" one turned into an automatic recusal; one
    already recused is left as it is. Items whose result is final are left alone.

    Runs inside the caller's transaction, which holds the items (or their session or
    council) locked and writes the audit entry. Returns the declarations created or changed.
    """
    items = [item for item in items if item_is_open(item.state)]
    members = [member for member in members if member.scores]
    if not items or not members:
        return []
    producer_of = {item.pk: item.dossier.product.producer for item in items}
    belongs = set(
        ProducerMember.objects.filter(
            producer_id__in={producer.pk for producer in producer_of.values()},
            user_id__in={member.user_id for member in members},
        ).values_list("producer_id", "user_id")
    )
    if not belongs:
        return []
    existing = {
        (d.item_id, d.member_id): d
        for d in ConflictDeclaration.objects.select_for_update().filter(
            item__in=items, member__in=members
        )
    }
    changed = []
    for item in items:
        producer = producer_of[item.pk]
        reason = _("Member of the producer %(producer)s.") % {"producer": producer.name}
        for member in members:
            if (producer.pk, member.user_id) not in belongs:
                continue
            declaration = existing.get((item.pk, member.pk))
            if declaration is None:
                declaration = ConflictDeclaration.objects.create(
                    item=item, member=member, has_conflict=True, automatic=True, reason=reason
                )
            elif declaration.has_conflict:
                continue
            else:
                declaration.has_conflict, declaration.automatic = True, True
                declaration.reason = reason
                declaration.save(update_fields=["has_conflict", "automatic", "reason"])
            declaration.item, declaration.member = item, member
            changed.append(declaration)
    return changed


def session_reschedule(*, session: Session, date: date, actor) -> Session:
    """Move a session to another date, within the council's term. A session with a final
    result cannot be moved after the day that result was finalised (results are finalised
    on or after the session's date)."""
    with transaction.atomic():
        session = (
            Session.objects.select_for_update(of=("self",))
            .select_related("council")
            .get(pk=session.pk)
        )
        _require(actor, "evaluations.prepare_session", session)
        council = session.council
        error = None
        if date is None:
            error = _("Enter the date of the meeting.")
        elif council.term_end and date > council.term_end:
            error = _("The council's term ends on %(date)s.") % {
                "date": date_format(council.term_end, "SHORT_DATE_FORMAT")
            }
        elif date < council.term_start:
            error = _("The council's term starts on %(date)s.") % {
                "date": date_format(council.term_start, "SHORT_DATE_FORMAT")
            }
        else:
            first_final = (
                LevelResult.objects.filter(item__session=session)
                .order_by("finalised_at")
                .values_list("finalised_at", flat=True)
                .first()
            )
            if first_final is not None and date > timezone.localdate(first_final):
                error = _(
                    "A result of this session was finalised on %(date)s: the session cannot "
                    "be moved after that day."
                ) % {"date": date_format(timezone.localdate(first_final), "SHORT_DATE_FORMAT")}
        if error:
            raise ValidationError({"date": error})
        if date == session.date:
            return session
        previous = session.date
        session.date = date
        session.save(update_fields=["date"])
        audit_log(
            actor=actor,
            action="session.reschedule",
            obj=session,
            data={"from": previous, "to": date},
        )
        # The members were told the first date with the agenda: tell them the new one.
        notify(
            users=[m.user for m in session.council.members.select_related("user")],
            subject=_("Council session moved to %(date)s")
            % {"date": date_format(date, "SHORT_DATE_FORMAT")},
            body=_("The council session of %(previous)s at %(place)s now meets on %(date)s.")
            % {
                "previous": date_format(previous, "SHORT_DATE_FORMAT"),
                "place": session.place,
                "date": date_format(date, "SHORT_DATE_FORMAT"),
            },
            url=session_url(session),
        )
    return session


def session_add_dossiers(
    *, session: Session, dossiers: Iterable[Dossier], actor
) -> list[SessionItem]:
    """Put dossiers on the agenda: each moves to "under evaluation" through
    `dossier_start_evaluation` (its event, noting the session, and its audit entry) in this
    transaction, and council members who belong to its producer are recused automatically."""
    wanted = sorted({d.pk for d in dossiers})
    if not wanted:
        raise ValidationError({"dossiers": _("Choose at least one dossier.")})
    with transaction.atomic():
        session = (
            Session.objects.select_for_update()
            .select_related("council__unit", "round__regime")
            .get(pk=session.pk)
        )
        _require(actor, "evaluations.prepare_session", session)
        locked = list(
            Dossier.objects.select_for_update(of=("self",))
            .filter(pk__in=wanted)
            .select_related("product")
            .order_by("pk")
        )
        eligible = set(
            eligible_dossiers(session).filter(pk__in=wanted).values_list("pk", flat=True)
        )
        refused = [d for d in locked if d.pk not in eligible] + [
            pk for pk in wanted if pk not in {d.pk for d in locked}
        ]
        if refused:
            raise SessionError(
                _(
                    "Some dossiers cannot be put on this session's agenda (already on one, or not "
                    "ready at this level): nothing was added."
                )
            )
        if any(not dossier_can_move(d.state, DossierState.UNDER_EVALUATION) for d in locked):
            raise SessionError(_("A dossier changed state meanwhile: nothing was added."))
        members = [m for m in session.council.members.all() if m.scores]
        next_order = session.items.count()
        items = []
        for dossier in locked:
            # The dossier's one move to "under evaluation", with its event and audit entry.
            dossier = dossier_start_evaluation(dossier=dossier, actor=actor, note=str(session))
            next_order += 1
            item = SessionItem.objects.create(session=session, dossier=dossier, order=next_order)
            items.append(item)
        recusals = recuse_producer_members(items=items, members=members)
        recused: dict[str, list[int]] = {}
        for declaration in recusals:
            recused.setdefault(str(declaration.item.dossier_id), []).append(
                declaration.member.user_id
            )
        audit_log(
            actor=actor,
            action="session.add_dossiers",
            obj=session,
            data={
                "dossiers": [d.pk for d in locked],
                "items": [i.pk for i in items],
                "recused": {key: sorted(users) for key, users in recused.items()},
            },
        )
        notify(
            users=[m.user for m in session.council.members.select_related("user")],
            subject=_("Products to score: %(session)s") % {"session": session},
            body=_(
                "%(count)d product(s) were put on the agenda of the council session of "
                "%(date)s at %(place)s. Declare any conflict of interest, then score each one."
            )
            % {
                "count": len(items),
                "date": date_format(session.date, "SHORT_DATE_FORMAT"),
                "place": session.place,
            },
            url=session_url(session),
        )
    return items


def pending_sheets(session: Session) -> dict[CouncilMember, list[SessionItem]]:
    """Scoring members → the items still scoring where they have not submitted and are
    neither recused nor excused from re-scoring."""
    members = [m for m in session.council.members.select_related("user") if m.scores]
    items = list(
        session.items.filter(state=ItemState.SCORING)
        .select_related("dossier__product")
        .prefetch_related("conflicts", "sheets__reopenings")
    )
    pending: dict[CouncilMember, list[SessionItem]] = {}
    for item in items:
        recused = {c.member_id for c in item.conflicts.all() if c.has_conflict}
        done = {
            s.member_id
            for s in item.sheets.all()
            if s.state == SheetState.SUBMITTED
            or any(r.excused_at for r in s.reopenings.all() if r.number == s.reopened_count)
        }
        for member in members:
            if member.pk not in recused | done:
                pending.setdefault(member, []).append(item)
    return pending


def send_reminders(session: Session) -> int:
    """Mail each member with unsubmitted sheets the list of products left; returns how many
    members were reminded. Used by the command and by `session_remind`."""
    pending = pending_sheets(session)
    for member, items in pending.items():
        notify(
            users=[member.user],
            subject=_("Reminder: %(count)d product(s) to score") % {"count": len(items)},
            body=_(
                "The council session of %(date)s at %(place)s is waiting for your score sheet "
                "for: %(products)s."
            )
            % {
                "date": date_format(session.date, "SHORT_DATE_FORMAT"),
                "place": session.place,
                "products": ", ".join(item.dossier.product.name for item in items),
            },
            url=session_url(session),
        )
    return len(pending)


def session_remind(*, session: Session, actor) -> int:
    """The secretary (or chair, or working group) reminds members now."""
    _require(actor, "evaluations.remind_session", session)
    with transaction.atomic():
        count = send_reminders(session)
        audit_log(actor=actor, action="session.remind", obj=session, data={"members": count})
    return count
