"""Products and their photos, kept by the producer's members.

Products may be created while the producer awaits verification; submitting a product to a
round (evaluations) requires a verified producer.
"""

import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.core import uploads
from ocop.core.audit import audit_log
from ocop.core.models import User
from ocop.core.public_cache import register_changed
from products.models import Producer, Product, ProductPhoto, ProductSet

PRODUCT_FIELDS = (
    "name",
    "product_set",
    "description",
    "ingredients",
    "packaging",
    "shelf_life",
    "capacity",
    "markets",
    "brand",
)
PHOTO_MAX_BYTES = 10 * uploads.MB
# What a certificate names: while the product holds a valid one, these change only through a
# request the OCOP office accepts (products.services.change_requests).
CERTIFIED_FIELDS = ("name", "product_set")


def _values(fields: dict) -> dict:
    unknown = set(fields) - set(PRODUCT_FIELDS)
    if unknown:
        raise ValueError(f"Not product fields: {sorted(unknown)}")
    return {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}


def _name_taken_error() -> ValidationError:
    return ValidationError(
        {"name": _("This producer already has a product with this name.")}, code="unique"
    )


def validate_product_name(product: Product, name: str) -> None:
    """No other product of the same producer has this name (letter case ignored)."""
    taken = (
        Product.objects.filter(producer_id=product.producer_id, name__iexact=name)
        .exclude(pk=product.pk)
        .exists()
    )
    if taken:
        raise _name_taken_error()


def _validate(product: Product) -> None:
    product.full_clean(
        exclude=["ocop_stars", "certificate_number", "certificate_valid_until"],
        validate_unique=False,
        validate_constraints=False,
    )
    validate_product_name(product, product.name)


def _audit_data(values: dict) -> dict:
    return {k: (v.pk if isinstance(v, ProductSet) else v) for k, v in values.items()}


def product_create(*, producer: Producer, actor: User, **fields) -> Product:
    values = _values(fields)
    try:
        with transaction.atomic():
            product = Product(producer=producer, **values)
            _validate(product)
            product.save()
            audit_log(
                actor=actor,
                action="product.create",
                obj=product,
                data={"producer": producer.pk, **_audit_data(values)},
            )
    except IntegrityError as error:
        raise _name_taken_error() from error
    return product


def product_update(*, product: Product, actor: User, **changes) -> Product:
    values = _values(changes)
    try:
        with transaction.atomic():
            locked = Product.objects.select_for_update().get(pk=product.pk)
            changed = {
                field: {"from": getattr(locked, field), "to": value}
                for field, value in values.items()
                if getattr(locked, field) != value
            }
            if not changed:
                return locked
            certified = [f for f in CERTIFIED_FIELDS if f in changed]
            if certified and locked.holds_valid_certificate(timezone.localdate()):
                raise ValidationError(
                    {
                        field: _(
                            "The product holds a valid OCOP certificate: a new name or product "
                            "set needs the OCOP office's approval. Request the change from the "
                            "product's page."
                        )
                        for field in certified
                    },
                    code="certified",
                )
            for field, value in values.items():
                setattr(locked, field, value)
            _validate(locked)
            locked.save(update_fields=[*changed, "updated_at"])
            register_changed()  # the catalogue shows the product's details
            audit_log(
                actor=actor,
                action="product.update",
                obj=locked,
                data={field: _audit_data(change) for field, change in changed.items()},
            )
    except IntegrityError as error:
        raise _name_taken_error() from error
    return locked


PHOTOS_AT_ONCE = 10
# The public page's size of a photo (ProductPhoto.medium).
MEDIUM_PHOTO = 1200


def product_photo_add(*, product: Product, upload, actor: User, caption: str = "") -> ProductPhoto:
    """One photo (`product_photos_add`)."""
    return product_photos_add(product=product, images=[upload], actor=actor, caption=caption)[0]


def product_photos_add(
    *, product: Product, images: list, actor: User, caption: str = ""
) -> list[ProductPhoto]:
    """Photos taken together (a phone sends several at once): each checked by its content and
    re-encoded (EXIF gone), stored with a thumbnail, in one transaction, one audit entry each.
    One refused image refuses them all, naming it."""
    if not images or len(images) > PHOTOS_AT_ONCE:
        raise ValidationError(_("Send between 1 and %(n)d photos.") % {"n": PHOTOS_AT_ONCE})
    checked_all = []
    for image in images:
        try:
            checked_all.append(uploads.check_image(image, max_bytes=PHOTO_MAX_BYTES))
        except ValidationError as error:
            if len(images) == 1:
                raise
            raise ValidationError(
                [f"{getattr(image, 'name', '')}: {message}" for message in error.messages]
            ) from error
    stored: list = []
    photos = []
    try:
        with transaction.atomic():
            locked = Product.objects.select_for_update().get(pk=product.pk)
            last = locked.photos.aggregate(last=Max("order"))["last"]
            order = 0 if last is None else last + 1
            for checked in checked_all:
                checked.content.seek(0)
                data = checked.content.read()
                stem = uuid.uuid4().hex
                photo = ProductPhoto(
                    product=product,
                    content_type=checked.kind.content_type,
                    caption=(caption or "").strip()[:200],
                    uploaded_by=actor,
                    order=order,
                )
                order += 1
                photo.image.save(f"{stem}.{checked.kind.extension}", checked.content, save=False)
                stored.append(photo.image)
                photo.thumbnail.save(f"{stem}-thumb.jpg", uploads.thumbnail(data), save=False)
                stored.append(photo.thumbnail)
                photo.medium.save(
                    f"{stem}-medium.jpg", uploads.thumbnail(data, size=MEDIUM_PHOTO), save=False
                )
                stored.append(photo.medium)
                photo.save()
                audit_log(
                    actor=actor,
                    action="product.photo_add",
                    obj=locked,
                    data={
                        "photo": photo.pk,
                        "original_name": checked.original_name,
                        "size": checked.size,
                        "sha256": checked.sha256,
                    },
                )
                photos.append(photo)
            register_changed()  # the catalogue shows the product's photos
    except Exception:
        for field in stored:
            field.storage.delete(field.name)
        raise
    return photos


def product_photo_delete(*, photo: ProductPhoto, actor: User) -> None:
    with transaction.atomic():
        locked = ProductPhoto.objects.select_for_update().select_related("product").get(pk=photo.pk)
        names = [locked.image.name, locked.thumbnail.name, locked.medium.name]
        storage = locked.image.storage
        audit_log(
            actor=actor,
            action="product.photo_delete",
            obj=locked.product,
            data={"photo": locked.pk, "caption": locked.caption},
        )
        locked.delete()
        register_changed()

        def _remove_files() -> None:
            for name in names:
                if name:
                    storage.delete(name)

        transaction.on_commit(_remove_files)
