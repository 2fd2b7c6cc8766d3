"""A certified product's name and product set change only with the OCOP office's approval.

The certificate froze what was certified when it was issued (its public page, the open data
and the PDF keep showing it); the product itself is what the producer sells and registers to
rounds. While it holds a valid certificate, its members ask for a new name or product set,
and the province's OCOP office accepts (the product changes) or refuses with a reason.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ocop.core.audit import audit_log
from ocop.core.enums import Role
from ocop.core.exceptions import DomainError
from ocop.core.limits import NOTE_MAX_LENGTH, check_text_length, normalise_newlines
from ocop.core.models import User
from ocop.core.public_cache import register_changed
from ocop.core.services.notifications import notify
from products.enums import ChangeRequestState
from products.models import Product, ProductChangeRequest, ProductSet
from products.services.products import CERTIFIED_FIELDS, validate_product_name


class ChangeRequestError(DomainError):
    """A move the request's state does not allow (shown to the user as a message)."""


def _require(actor: User, permission: str, obj) -> None:
    if not actor.has_perm(permission, obj):
        raise PermissionDenied


def province_office(product: Product) -> list[User]:
    """The province officers whose jurisdiction is the producer's province."""
    commune = product.producer.address_unit
    chain = [*commune.ancestors(), commune]
    return list(
        User.objects.filter(
            is_active=True, groups__name=Role.PROVINCE_OFFICER, jurisdiction_id=chain[0].pk
        )
    )


def _members(product: Product):
    return User.objects.filter(producer_memberships__producer_id=product.producer_id)


def product_change_request(
    *, product: Product, name: str, product_set: ProductSet, reason: str, actor: User
) -> ProductChangeRequest:
    """Ask the OCOP office to rename a certified product or move it to another set."""
    name = (name or "").strip()
    reason = normalise_newlines((reason or "").strip())
    with transaction.atomic():
        locked = (
            Product.objects.select_for_update(of=("self",))
            .select_related("producer__address_unit", "product_set")
            .get(pk=product.pk)
        )
        _require(actor, "products.add_productchangerequest", locked)
        check_text_length(reason, NOTE_MAX_LENGTH, field="reason")
        errors = {}
        if not reason:
            errors["reason"] = _("Say why the product changes its name or product set.")
        if name == locked.name and product_set.pk == locked.product_set_id:
            errors["name"] = _("Nothing changes: give a new name or another product set.")
        if errors:
            raise ValidationError(errors)
        validate_product_name(locked, name)
        if not locked.holds_valid_certificate(timezone.localdate()):
            raise ChangeRequestError(
                _("This product holds no valid certificate: edit it directly.")
            )
        try:
            with transaction.atomic():
                request = ProductChangeRequest.objects.create(
                    product=locked,
                    old_name=locked.name,
                    old_product_set=locked.product_set,
                    name=name,
                    product_set=product_set,
                    reason=reason,
                    requested_by=actor,
                )
        except IntegrityError as error:  # one pending request a product
            raise ChangeRequestError(
                _("A change of this product already waits for the OCOP office.")
            ) from error
        audit_log(
            actor=actor,
            action="product.change_request",
            obj=request,
            data={
                "product": locked.pk,
                "name": {"from": locked.name, "to": name},
                "product_set": {"from": locked.product_set.number, "to": product_set.number},
            },
        )
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Change of a certified product requested: %(product)s") % {
                "product": locked.name
            }
            body = _(
                "%(producer)s asks to change %(old)s (%(old_set)s) to %(new)s (%(new_set)s)."
            ) % {
                "producer": locked.producer.name,
                "old": locked.name,
                "old_set": locked.product_set,
                "new": name,
                "new_set": product_set,
            }
        notify(
            users=province_office(locked),
            subject=subject,
            body=body,
            url=reverse("products:change_request_list"),
        )
    return request


def _decide(
    *, change_request: ProductChangeRequest, accept: bool, note: str, actor: User
) -> ProductChangeRequest:
    note = normalise_newlines((note or "").strip())
    check_text_length(note, NOTE_MAX_LENGTH, field="note")
    with transaction.atomic():
        request = (
            ProductChangeRequest.objects.select_for_update(of=("self",))
            .select_related("product__producer", "product_set", "old_product_set")
            .get(pk=change_request.pk)
        )
        _require(actor, "products.decide_productchangerequest", request)
        if request.state != ChangeRequestState.PENDING:
            raise ChangeRequestError(_("This request was already decided."))
        if not accept and not note:
            raise ValidationError({"note": _("Say why the change is refused.")})
        product = Product.objects.select_for_update().get(pk=request.product_id)
        if accept:
            outdated = (
                product.name != request.old_name
                or product.product_set_id != request.old_product_set_id
                or not product.holds_valid_certificate(timezone.localdate())
            )
            if outdated:
                # The certificate has ended or the product changed since the request: the
                # request no longer describes a change to a certified product.
                raise ChangeRequestError(
                    _(
                        "This request is out of date: the product has changed or holds no "
                        "valid certificate any more. Refuse it; the producer can ask again."
                    )
                )
            validate_product_name(product, request.name)
            product.name = request.name
            product.product_set_id = request.product_set_id
            try:
                with transaction.atomic():
                    product.save(update_fields=[*CERTIFIED_FIELDS, "updated_at"])
            except IntegrityError as error:  # another product took the name meanwhile
                raise ValidationError(
                    {"note": _("This producer already has a product with this name.")}
                ) from error
            register_changed()  # the producer's public page names its products
        request.state = ChangeRequestState.ACCEPTED if accept else ChangeRequestState.REFUSED
        request.decided_by = actor
        request.decided_at = timezone.now()
        request.decision_note = note
        request.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
        audit_log(
            actor=actor,
            action="product.change_accept" if accept else "product.change_refuse",
            obj=request,
            data={"product": product.pk, "name": request.name, "note": note},
        )
        with translation.override(settings.LANGUAGE_CODE):
            if accept:
                subject = _("Change accepted: %(old)s is now %(new)s") % {
                    "old": request.old_name,
                    "new": request.name,
                }
                body = _(
                    "The OCOP office accepted the change. The certificate keeps the name and "
                    "product set it was issued for until a new decision."
                )
            else:
                subject = _("Change refused: %(product)s") % {"product": request.old_name}
                body = _("The OCOP office refused the change: %(note)s") % {"note": note}
        notify(
            users=_members(product),
            subject=subject,
            body=body,
            url=reverse("products:product_detail", args=[product.pk]),
        )
    return request


def product_change_accept(
    *, change_request: ProductChangeRequest, note: str = "", actor: User
) -> ProductChangeRequest:
    """The OCOP office accepts: the product takes the new name and product set."""
    return _decide(change_request=change_request, accept=True, note=note, actor=actor)


def product_change_refuse(
    *, change_request: ProductChangeRequest, note: str, actor: User
) -> ProductChangeRequest:
    """The OCOP office refuses, saying why; the product keeps its name and product set."""
    return _decide(change_request=change_request, accept=False, note=note, actor=actor)
