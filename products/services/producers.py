"""Producers: registration, creation by officers, profile changes and verification.

Every function runs in one transaction with its audit entry; mail goes out on commit.
State changes re-read the row with select_for_update() and follow products.workflow, for
everyone (superusers included).
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ocop.core.audit import audit_log
from ocop.core.enums import Role, UnitLevel
from ocop.core.limits import NOTE_MAX_LENGTH, check_text_length
from ocop.core.models import AdministrativeUnit, User
from ocop.core.public_cache import register_changed
from ocop.core.selectors import units_now
from ocop.core.services.notifications import notify
from ocop.core.services.users import user_set_access
from products.enums import MemberRole, ProducerState
from products.models import Producer, ProducerMember
from products.services.invitations import producer_invite
from products.validators import (
    DUPLICATE_REGISTRATION_NO,
    DUPLICATE_TAX_CODE,
    normalise_business_number,
    normalise_phone,
)
from products.workflow import producer_can_move

PROFILE_FIELDS = (
    "kind",
    "name",
    "registration_no",
    "tax_code",
    "representative_name",
    "representative_title",
    "representative_gender",
    "representative_ethnic_minority",
    "address_unit",
    "address_detail",
    "phone",
    "email",
)
_DUPLICATE_MESSAGES = {
    "registration_no": DUPLICATE_REGISTRATION_NO,
    "tax_code": DUPLICATE_TAX_CODE,
}


# --- validation ---------------------------------------------------------------------------


def _normalised(profile: dict) -> dict:
    unknown = set(profile) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not producer profile fields: {sorted(unknown)}")
    values = dict(profile)
    for field in ("registration_no", "tax_code"):
        if field in values:
            values[field] = normalise_business_number(values[field])
    if "phone" in values:
        values["phone"] = normalise_phone(values["phone"])
    for field in ("name", "representative_name", "representative_title", "address_detail"):
        if field in values:
            values[field] = (values[field] or "").strip()
    return values


def _validate(producer: Producer) -> None:
    """Field validation with our own messages for duplicates and the address level."""
    errors: dict[str, list] = {}
    try:
        producer.full_clean(
            exclude=["state", "state_reason", "verified_at", "verified_by"], validate_unique=False
        )
    except ValidationError as error:
        errors = dict(error.error_dict)
    for field, message in _DUPLICATE_MESSAGES.items():
        value = getattr(producer, field)
        if field not in errors and value:
            taken = Producer.objects.filter(**{field: value}).exclude(pk=producer.pk).exists()
            if taken:
                errors[field] = [ValidationError(message, code="unique")]
    unit = producer.address_unit if producer.address_unit_id else None
    if unit is not None and unit.level != UnitLevel.COMMUNE:
        errors.setdefault("address_unit", []).append(
            ValidationError(_("Choose the commune (ward, town)."), code="not_a_commune")
        )
    if errors:
        raise ValidationError(errors)


def _duplicate_from_integrity(error: IntegrityError) -> ValidationError:
    """Two registrations of one number at the same moment: the loser gets the field message."""
    text = str(error)
    for field, message in _DUPLICATE_MESSAGES.items():
        if field in text:
            return ValidationError({field: ValidationError(message, code="unique")})
    if "username" in text:
        return ValidationError(
            {"username": ValidationError(_("This username is taken."), code="unique")}
        )
    return ValidationError(_("This was saved by someone else meanwhile; try again."))


# --- who hears about it -------------------------------------------------------------------


def officers_receiving(commune: AdministrativeUnit) -> list[User]:
    """Who receives a producer's registration: the district officers whose jurisdiction
    contains the commune and the commune officers of the commune; where there are none
    (two-tier map, or nobody appointed yet), the province officers."""
    chain = [*commune.ancestors(), commune]
    ids = [unit.pk for unit in chain]
    province = chain[0]
    users = User.objects.filter(is_active=True)
    receiving = list(
        users.filter(
            Q(groups__name=Role.DISTRICT_OFFICER, jurisdiction_id__in=ids)
            | Q(groups__name=Role.COMMUNE_OFFICER, jurisdiction_id=commune.pk)
        ).distinct()
    )
    if not receiving:
        receiving = list(
            users.filter(groups__name=Role.PROVINCE_OFFICER, jurisdiction_id=province.pk)
        )
    return receiving


def _notify_officers_of_registration(producer: Producer, *, resubmitted: bool) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        if resubmitted:
            subject = _("Producer resubmitted for verification: %(name)s")
        else:
            subject = _("New producer registration: %(name)s")
        subject %= {"name": producer.name}
        body = _("%(name)s (tax code %(tax)s), %(address)s, is waiting for verification.") % {
            "name": producer.name,
            "tax": producer.tax_code,
            "address": producer.address_unit.full_path,
        }
    notify(
        users=officers_receiving(producer.address_unit),
        subject=subject,
        body=body,
        url=reverse("products:producer_detail", args=[producer.pk]),
    )


def _notify_members(producer: Producer, *, subject: str, body: str) -> None:
    members = User.objects.filter(producer_memberships__producer=producer)
    notify(users=members, subject=subject, body=body, url=reverse("products:desk"))


# --- creating -----------------------------------------------------------------------------


def _producer_insert(profile: dict) -> Producer:
    producer = Producer(**_normalised(profile))
    _validate(producer)
    producer.save()
    return producer


def _profile_data(producer: Producer) -> dict:
    return {
        "kind": producer.kind,
        "name": producer.name,
        "registration_no": producer.registration_no,
        "tax_code": producer.tax_code,
        "commune": producer.address_unit.code,
    }


def producer_register(
    *,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    password: str,
    profile: dict,
) -> tuple[User, Producer]:
    """Self-registration: the account (a producer member), the producer (pending) and the
    account's membership as owner. The district and commune officers are told."""
    try:
        with transaction.atomic():
            user = User(
                username=username.strip(),
                first_name=first_name.strip(),
                last_name=last_name.strip(),
                email=email.strip(),
            )
            user.set_password(password)
            user.full_clean(exclude=["password", "jurisdiction"])
            user.save()
            user = user_set_access(
                user=user, roles=[Role.PRODUCER_MEMBER], jurisdiction=None, actor=user
            )
            producer = _producer_insert(profile)
            ProducerMember.objects.create(producer=producer, user=user, role=MemberRole.OWNER)
            audit_log(
                actor=user,
                action="producer.register",
                obj=producer,
                data={**_profile_data(producer), "owner": user.username},
            )
            _notify_officers_of_registration(producer, resubmitted=False)
    except IntegrityError as error:
        raise _duplicate_from_integrity(error) from error
    return user, producer


def producer_create(*, profile: dict, actor: User, owner_email: str = "") -> Producer:
    """An officer enters a producer of the area (from a paper registration).

    It starts pending like any other, and has no members until someone accepts an
    invitation (the first to accept becomes its owner); with `owner_email`, that invitation
    is sent at once.
    """
    unit = profile.get("address_unit")
    if not (actor.is_superuser or (actor.jurisdiction_id and actor.jurisdiction.contains(unit))):
        raise ValidationError(
            {"address_unit": _("This commune is outside your jurisdiction.")},
        )
    try:
        with transaction.atomic():
            producer = _producer_insert(profile)
            audit_log(
                actor=actor, action="producer.create", obj=producer, data=_profile_data(producer)
            )
            if owner_email:
                producer_invite(producer=producer, email=owner_email, actor=actor)
    except IntegrityError as error:
        raise _duplicate_from_integrity(error) from error
    return producer


# --- changing -----------------------------------------------------------------------------


def producer_update(*, producer: Producer, actor: User, **changes) -> Producer:
    """Members correct the profile while it awaits verification or was returned."""
    values = _normalised(changes)
    try:
        with transaction.atomic():
            locked = Producer.objects.select_for_update().get(pk=producer.pk)
            if not locked.is_editable:
                raise ValidationError(
                    _(
                        "A verified producer's profile is locked. Ask the OCOP officers of "
                        "your commune or province to change it."
                    ),
                    code="locked",
                )
            changed = {
                field: {"from": getattr(locked, field), "to": value}
                for field, value in values.items()
                if getattr(locked, field) != value
            }
            if not changed:
                return locked
            for field, value in values.items():
                setattr(locked, field, value)
            _validate(locked)
            locked.save(update_fields=list(changed))
            register_changed()  # a certified producer's page shows its name and place
            audit_log(
                actor=actor,
                action="producer.update",
                obj=locked,
                data={
                    field: {
                        k: (v.pk if isinstance(v, AdministrativeUnit) else v)
                        for k, v in change.items()
                    }
                    for field, change in changed.items()
                },
            )
    except IntegrityError as error:
        raise _duplicate_from_integrity(error) from error
    return locked


def producer_locate_on_todays_map(
    *, producer: Producer, commune: AdministrativeUnit, actor: User
) -> Producer:
    """A producer recorded on the map abolished on 01/07/2025 says which commune of today's
    map it lies in (decision 0020): one of the communes its old commune went to (several when
    it was split). Allowed whatever the producer's state (the address is the same place,
    named on today's map); its members or the officers who verify it may. The dossiers and
    certificates made before keep the units they were made with."""
    if not (
        actor.has_perm("products.change_producer", producer)
        or actor.has_perm("products.verify_producer", producer)
    ):
        raise PermissionDenied(_("Only the producer's members or its officers may do this."))
    with transaction.atomic():
        locked = (
            Producer.objects.select_for_update(of=("self",))
            .select_related("address_unit")
            .get(pk=producer.pk)
        )
        old = locked.address_unit
        if old.in_force_on(timezone.localdate()):
            raise ValidationError(
                _("The address is already on today's map."), code="already_on_todays_map"
            )
        choices = units_now(old)
        if commune not in choices:
            raise ValidationError(
                {
                    "commune": _("Choose one of the communes %(old)s went to: %(choices)s.")
                    % {"old": old.name, "choices": ", ".join(u.name for u in choices)}
                }
            )
        locked.address_unit = commune
        locked.save(update_fields=["address_unit"])
        register_changed()
        audit_log(
            actor=actor,
            action="producer.locate_on_todays_map",
            obj=locked,
            data={
                "from": {"id": old.pk, "code": old.code, "scheme": old.scheme},
                "to": {"id": commune.pk, "code": commune.code, "scheme": commune.scheme},
                "split": len(choices) > 1,
            },
        )
    return locked


def _move(
    *, producer: Producer, target: str, actor: User, reason: str = ""
) -> tuple[Producer, str]:
    """Lock the row, check the transition table, change the state. Call inside atomic()."""
    locked = (
        Producer.objects.select_for_update(of=("self",))
        .select_related("address_unit")
        .get(pk=producer.pk)
    )
    source = locked.state
    if not producer_can_move(source, target):
        raise ValidationError(
            _("A producer cannot go from “%(from)s” to “%(to)s”.")
            % {"from": ProducerState(source).label, "to": ProducerState(target).label},
            code="illegal_transition",
        )
    locked.state = target
    locked.state_reason = reason
    fields = ["state", "state_reason"]
    if target == ProducerState.VERIFIED:
        locked.verified_at = timezone.now()
        locked.verified_by = actor
        fields += ["verified_at", "verified_by"]
    locked.save(update_fields=fields)
    return locked, source


def producer_verify(*, producer: Producer, actor: User) -> Producer:
    with transaction.atomic():
        locked, source = _move(producer=producer, target=ProducerState.VERIFIED, actor=actor)
        audit_log(
            actor=actor,
            action="producer.verify",
            obj=locked,
            data={"from": source, "to": locked.state},
        )
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Your producer is verified: %(name)s") % {"name": locked.name}
            body = _(
                "The officers have verified %(name)s. You can now register its products "
                "for OCOP rounds."
            ) % {"name": locked.name}
        _notify_members(locked, subject=subject, body=body)
    return locked


def producer_reject(*, producer: Producer, actor: User, reason: str) -> Producer:
    """Return the registration for correction, with the reason the members will read."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say what the producer has to correct.")}, code="required"
        )
    check_text_length(reason, NOTE_MAX_LENGTH, field="reason")
    with transaction.atomic():
        locked, source = _move(
            producer=producer, target=ProducerState.REJECTED, actor=actor, reason=reason
        )
        audit_log(
            actor=actor,
            action="producer.reject",
            obj=locked,
            data={"from": source, "to": locked.state, "reason": reason},
        )
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Your producer registration was returned: %(name)s") % {"name": locked.name}
            body = _(
                "The officers returned the registration of %(name)s for correction:\n\n"
                "%(reason)s\n\nCorrect the profile and submit it again."
            ) % {"name": locked.name, "reason": reason}
        _notify_members(locked, subject=subject, body=body)
    return locked


def producer_resubmit(*, producer: Producer, actor: User) -> Producer:
    """After correcting a returned profile, the members submit it again."""
    with transaction.atomic():
        locked, source = _move(producer=producer, target=ProducerState.PENDING, actor=actor)
        audit_log(
            actor=actor,
            action="producer.resubmit",
            obj=locked,
            data={"from": source, "to": locked.state},
        )
        _notify_officers_of_registration(locked, resubmitted=True)
    return locked


def producer_move(*, producer: Producer, target: str, actor: User, reason: str = "") -> Producer:
    """The one entry point by target state (used by tests over the whole table)."""
    if target == ProducerState.VERIFIED:
        return producer_verify(producer=producer, actor=actor)
    if target == ProducerState.REJECTED:
        return producer_reject(producer=producer, actor=actor, reason=reason)
    if target == ProducerState.PENDING:
        return producer_resubmit(producer=producer, actor=actor)
    raise ValueError(f"Unknown producer state: {target}")
