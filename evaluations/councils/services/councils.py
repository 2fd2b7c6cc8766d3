"""Setting up councils and their members. Each change is checked, atomic and audited."""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from evaluations.councils.services.sessions import recuse_producer_members
from evaluations.criteria.selectors import regime_in_force
from evaluations.enums import CouncilRole, ItemState, Level
from evaluations.models import ConflictDeclaration, Council, CouncilMember, ScoreSheet, SessionItem
from ocop.core.audit import audit_log
from ocop.core.models import AdministrativeUnit

COUNCIL_FIELDS = (
    "level",
    "unit",
    "name",
    "decision_number",
    "decision_date",
    "term_start",
    "term_end",
    "quorum",
    "spread_threshold",
    "discussion_clears_spread",
)
MEMBER_FIELDS = ("user", "role", "organisation", "title")


def _require(actor, perm: str, obj) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(_("You may not do this with this council."))


def _check_council(values: Mapping) -> dict[str, str]:
    errors = {}
    level, unit = values.get("level"), values.get("unit")
    if level not in Level.values:
        errors["level"] = _("Choose the council's level.")
    elif unit is not None and unit.level != level:
        errors["unit"] = _("The unit must be a %(level)s.") % {"level": Level(level).label.lower()}
    elif (
        unit is not None and values.get("term_start") and not unit.in_force_on(values["term_start"])
    ):
        # A council is set up by a People's Committee of the map in force when its term
        # starts: today's councils on today's map, a past council on the map of its time.
        errors["unit"] = _(
            "%(unit)s did not exist when this term starts (%(date)s): choose a unit of the "
            "map in force then. Since 01/07/2025 there are no districts."
        ) % {
            "unit": unit.name,
            "date": date_format(values["term_start"], "SHORT_DATE_FORMAT"),
        }
    elif unit is not None and values.get("term_start") and "unit" not in errors:
        regime = regime_in_force(values["term_start"])
        if regime is not None and not regime.levels.filter(level=level, scores=True).exists():
            errors["level"] = _(
                "Under %(regime)s, in force when this term starts, no %(level)s council "
                "scores products."
            ) % {"regime": regime.code, "level": Level(level).label.lower()}
    if not str(values.get("name", "")).strip():
        errors["name"] = _("Enter the council's name.")
    if not str(values.get("decision_number", "")).strip():
        errors["decision_number"] = _("Enter the number of the decision that set it up.")
    start, end = values.get("term_start"), values.get("term_end")
    if start and end and end < start:
        errors["term_end"] = _("The term cannot end before it starts.")
    decided = values.get("decision_date")
    if decided and start and start < decided:
        errors["term_start"] = _("The term cannot start before the establishing decision.")
    quorum = values.get("quorum")
    if quorum is not None and not Decimal("0.5") <= Decimal(quorum) <= 1:
        errors["quorum"] = _("The quorum is a share between 0.5 and 1 (3/4 is 0.75).")
    spread = values.get("spread_threshold")
    if spread is not None and Decimal(spread) < 0:
        errors["spread_threshold"] = _("The spread threshold cannot be negative.")
    return errors


def council_create(
    *,
    level: str,
    unit: AdministrativeUnit,
    name: str,
    decision_number: str,
    decision_date: date,
    term_start: date,
    term_end: date | None = None,
    quorum: Decimal = Decimal("0.75"),
    spread_threshold: Decimal = Decimal(10),
    discussion_clears_spread: bool = False,
    actor,
) -> Council:
    values = {
        "level": level,
        "unit": unit,
        "name": name.strip(),
        "decision_number": decision_number.strip(),
        "decision_date": decision_date,
        "term_start": term_start,
        "term_end": term_end,
        "quorum": quorum,
        "spread_threshold": spread_threshold,
        "discussion_clears_spread": bool(discussion_clears_spread),
    }
    council = Council(**values)
    _require(actor, "evaluations.manage_council", council)
    errors = _check_council(values)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        council.save()
        audit_log(
            actor=actor,
            action="council.create",
            obj=council,
            data={k: v.pk if k == "unit" else v for k, v in values.items()},
        )
    return council


def council_update(*, council: Council, actor, **changes) -> Council:
    """Change a council's name, decision, term or rules (not its level or unit)."""
    editable = set(COUNCIL_FIELDS) - {"level", "unit"}
    unknown = set(changes) - editable
    if unknown:
        raise ValueError(f"Cannot change {sorted(unknown)} of a council.")
    with transaction.atomic():
        council = Council.objects.select_for_update().select_related("unit").get(pk=council.pk)
        _require(actor, "evaluations.manage_council", council)
        values = {f: getattr(council, f) for f in COUNCIL_FIELDS} | changes
        errors = _check_council(values)
        if errors:
            raise ValidationError(errors)
        changed = {k: v for k, v in changes.items() if getattr(council, k) != v}
        if not changed:
            return council
        for key, value in changed.items():
            setattr(council, key, value)
        council.save(update_fields=list(changed))
        audit_log(actor=actor, action="council.update", obj=council, data=changed)
    return council


def council_add_member(
    *,
    council: Council,
    user,
    role: str,
    organisation: str = "",
    title: str = "",
    actor,
) -> CouncilMember:
    with transaction.atomic():
        council = Council.objects.select_for_update().select_related("unit").get(pk=council.pk)
        _require(actor, "evaluations.manage_council", council)
        errors = {}
        if role not in CouncilRole.values:
            errors["role"] = _("Choose the member's role.")
        elif role == CouncilRole.CHAIR and council.members.filter(role=CouncilRole.CHAIR).exists():
            errors["role"] = _("The council already has a chair.")
        if user is None or not user.is_active:
            errors["user"] = _("Choose an active account.")
        elif council.members.filter(user=user).exists():
            errors["user"] = _("This person is already a member of the council.")
        if errors:
            raise ValidationError(errors)
        try:
            with transaction.atomic():
                member = CouncilMember.objects.create(
                    council=council,
                    user=user,
                    role=role,
                    organisation=organisation.strip(),
                    title=title.strip(),
                )
        except IntegrityError as error:
            raise ValidationError(
                _("This member was added at the same time by someone else.")
            ) from error
        # A member who belongs to the producer of a product on one of the council's open
        # agendas is recused from it at once.
        open_items = list(
            SessionItem.objects.select_for_update(of=("self",))
            .filter(session__council=council, state=ItemState.SCORING)
            .select_related("dossier__product__producer")
            .order_by("pk")
        )
        recusals = recuse_producer_members(items=open_items, members=[member])
        audit_log(
            actor=actor,
            action="council.add_member",
            obj=council,
            data={
                "member": member.pk,
                "user": user.pk,
                "role": role,
                "recused_items": [d.item_id for d in recusals],
            },
        )
    return member


def council_remove_member(*, member: CouncilMember, actor) -> None:
    """Remove a member who has not scored anything (a member who has scored stays: the
    sheets and minutes name them)."""
    with transaction.atomic():
        member = (
            CouncilMember.objects.select_for_update()
            .select_related("council__unit")
            .get(pk=member.pk)
        )
        council = member.council
        _require(actor, "evaluations.manage_council", council)
        if (
            ScoreSheet.objects.filter(member=member).exists()
            or ConflictDeclaration.objects.filter(member=member).exists()
        ):
            raise ValidationError(
                _("%(name)s has score sheets in this council's sessions and cannot be removed.")
                % {"name": member.name}
            )
        data = {"member": member.pk, "user": member.user_id, "role": member.role}
        member.delete()
        audit_log(actor=actor, action="council.remove_member", obj=council, data=data)
