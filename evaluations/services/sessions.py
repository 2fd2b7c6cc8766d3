"""Council sessions: the working group sets one up and puts dossiers on its agenda; the
secretary sends reminders. Scoring and results are in `services.scoring`."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from evaluations.enums import DossierAction, DossierState, ItemState, SheetState
from evaluations.models import (
    ConflictDeclaration,
    Council,
    CouncilMember,
    Dossier,
    DossierEvent,
    Round,
    Session,
    SessionItem,
)
from evaluations.selectors import province_of, regime_spec
from evaluations.selectors.sessions import eligible_dossiers
from evaluations.services.dossiers import DossierError
from evaluations.workflow import dossier_can_move
from ocop.core.audit import audit_log
from ocop.core.services.notifications import notify
from products.models import ProducerMember


class SessionError(DossierError):
    """A refusal about a session, an agenda item or a score sheet."""


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


def session_add_dossiers(
    *, session: Session, dossiers: Iterable[Dossier], actor
) -> list[SessionItem]:
    """Put dossiers on the agenda: each moves to "under evaluation", and council members who
    belong to its producer are recused automatically."""
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
        members = list(session.council.members.filter(role__in=["chair", "vice_chair", "member"]))
        producer_members = {}
        for pm in ProducerMember.objects.filter(
            producer_id__in={d.product.producer_id for d in locked},
            user_id__in=[m.user_id for m in members],
        ):
            producer_members.setdefault(pm.producer_id, set()).add(pm.user_id)
        next_order = session.items.count()
        items = []
        for dossier in locked:
            if not dossier_can_move(dossier.state, DossierState.UNDER_EVALUATION):
                raise SessionError(_("A dossier changed state meanwhile: nothing was added."))
            next_order += 1
            item = SessionItem.objects.create(session=session, dossier=dossier, order=next_order)
            items.append(item)
            from_state = dossier.state
            dossier.state = DossierState.UNDER_EVALUATION
            dossier.save(update_fields=["state"])
            DossierEvent.objects.create(
                dossier=dossier,
                actor=actor,
                action=DossierAction.START_EVALUATION,
                from_state=from_state,
                to_state=dossier.state,
                version=dossier.version,
                note=str(session),
            )
            recused = [
                m
                for m in members
                if m.user_id in producer_members.get(dossier.product.producer_id, ())
            ]
            ConflictDeclaration.objects.bulk_create(
                ConflictDeclaration(
                    item=item,
                    member=m,
                    has_conflict=True,
                    automatic=True,
                    reason=_("Member of the producer %(producer)s.")
                    % {"producer": dossier.product.producer.name},
                )
                for m in recused
            )
        audit_log(
            actor=actor,
            action="session.add_dossiers",
            obj=session,
            data={
                "dossiers": [d.pk for d in locked],
                "items": [i.pk for i in items],
                "recused": {
                    str(d.pk): sorted(producer_members.get(d.product.producer_id, ()))
                    for d in locked
                    if producer_members.get(d.product.producer_id)
                },
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
    """Scoring members → the items still scoring where they have not submitted and are not
    recused."""
    members = [m for m in session.council.members.select_related("user") if m.scores]
    items = list(
        session.items.filter(state=ItemState.SCORING)
        .select_related("dossier__product")
        .prefetch_related("conflicts", "sheets")
    )
    pending: dict[CouncilMember, list[SessionItem]] = {}
    for item in items:
        recused = {c.member_id for c in item.conflicts.all() if c.has_conflict}
        done = {s.member_id for s in item.sheets.all() if s.state == SheetState.SUBMITTED}
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
