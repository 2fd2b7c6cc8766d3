"""Members of a producer: invitations by mail and their acceptance.

An account acts for one producer only (a database constraint says so too): someone who
works for two producers uses two accounts. Officers cannot act for a producer.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ocop.core.audit import audit_log
from ocop.core.enums import Role
from ocop.core.mail import mail_on_commit
from ocop.core.models import User
from ocop.core.services.notifications import notify
from ocop.core.services.users import user_set_access
from products.enums import MemberRole
from products.models import Producer, ProducerInvitation, ProducerMember


def invitation_url(invitation: ProducerInvitation) -> str:
    return reverse("products:invitation", args=[invitation.token])


def producer_invite(*, producer: Producer, email: str, actor: User) -> ProducerInvitation:
    """Invite someone by mail to act for the producer (the owner invites)."""
    email = (email or "").strip()
    if ProducerMember.objects.filter(producer=producer, user__email__iexact=email).exists():
        raise ValidationError(
            {"email": _("Someone with this email address is already a member.")},
            code="already_member",
        )
    with transaction.atomic():
        invitation = ProducerInvitation.objects.create(
            producer=producer, email=email, invited_by=actor
        )
        audit_log(actor=actor, action="producer.invite", obj=producer, data={"email": email})
        site = getattr(settings, "OCOP_SITE_URL", "").rstrip("/")
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Invitation to act for %(name)s on the OCOP registry") % {
                "name": producer.name
            }
            body = _(
                "%(inviter)s invites you to act for %(name)s on the OCOP registry: keep its "
                "products and documents and submit its OCOP dossiers.\n\n"
                "Open this link to accept (it is valid until %(until)s):\n%(link)s\n\n"
                "If you did not expect this invitation, ignore this mail."
            ) % {
                "inviter": actor.get_full_name() or actor.username,
                "name": producer.name,
                "until": timezone.localtime(invitation.expires_at).strftime("%d/%m/%Y"),
                "link": f"{site}{invitation_url(invitation)}",
            }
        mail_on_commit(subject=subject, body=body, to=[email])
    return invitation


def _refuse_unless_open(invitation: ProducerInvitation) -> None:
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been accepted."), code="accepted")
    if not invitation.is_open():
        raise ValidationError(
            _("This invitation has expired. Ask the producer's owner for a new one."),
            code="expired",
        )


def invitation_accept(*, invitation: ProducerInvitation, user: User) -> ProducerMember:
    """The signed-in user joins the producer: as its owner if it has none yet, else as a
    member. The account gets the producer member role if it lacks it."""
    if user.is_officer:
        raise ValidationError(
            _("An officer's account cannot act for a producer. Use another account."),
            code="officer",
        )
    try:
        with transaction.atomic():
            locked = (
                ProducerInvitation.objects.select_for_update()
                .select_related("producer")
                .get(pk=invitation.pk)
            )
            _refuse_unless_open(locked)
            if ProducerMember.objects.filter(user=user).exists():
                raise ValidationError(
                    _(
                        "Your account already acts for a producer. An account acts for one "
                        "producer only: use another account for this one."
                    ),
                    code="one_producer",
                )
            producer = Producer.objects.select_for_update().get(pk=locked.producer_id)
            has_owner = producer.members.filter(role=MemberRole.OWNER).exists()
            member = ProducerMember.objects.create(
                producer=producer,
                user=user,
                role=MemberRole.MEMBER if has_owner else MemberRole.OWNER,
            )
            locked.accepted_at = timezone.now()
            locked.accepted_by = user
            locked.save(update_fields=["accepted_at", "accepted_by"])
            if not user.has_role(Role.PRODUCER_MEMBER):
                user_set_access(
                    user=user,
                    roles=[*user.role_names, Role.PRODUCER_MEMBER],
                    jurisdiction=user.jurisdiction,
                    actor=user,
                )
            audit_log(
                actor=user,
                action="producer.member_join",
                obj=producer,
                data={"user": user.username, "role": member.role, "invitation": locked.pk},
            )
            with translation.override(settings.LANGUAGE_CODE):
                subject = _("%(user)s joined %(name)s") % {
                    "user": user.get_full_name() or user.username,
                    "name": producer.name,
                }
                body = _("%(user)s accepted your invitation to act for %(name)s.") % {
                    "user": user.get_full_name() or user.username,
                    "name": producer.name,
                }
            notify(
                users=[locked.invited_by],
                subject=subject,
                body=body,
                url=reverse("products:producer_detail", args=[producer.pk]),
            )
    except IntegrityError as error:
        # The same account accepting two invitations at the same moment.
        raise ValidationError(
            _("Your account already acts for a producer."), code="one_producer"
        ) from error
    user.__dict__.pop("role_names", None)
    return member


def invitation_signup(
    *,
    invitation: ProducerInvitation,
    username: str,
    first_name: str,
    last_name: str,
    password: str,
) -> User:
    """Someone without an account creates one from the invitation and joins at once."""
    _refuse_unless_open(invitation)
    try:
        with transaction.atomic():
            user = User(
                username=username.strip(),
                first_name=first_name.strip(),
                last_name=last_name.strip(),
                email=invitation.email,
            )
            user.set_password(password)
            user.full_clean(exclude=["password", "jurisdiction"])
            user.save()
            user = user_set_access(
                user=user, roles=[Role.PRODUCER_MEMBER], jurisdiction=None, actor=user
            )
            invitation_accept(invitation=invitation, user=user)
    except IntegrityError as error:
        raise ValidationError({"username": _("This username is taken.")}) from error
    return user
