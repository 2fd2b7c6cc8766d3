from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from products.enums import ChangeRequestState


def _photo_path(instance, filename: str) -> str:
    return f"producers/{instance.product.producer_id}/photos/{filename}"


class Product(models.Model):
    producer = models.ForeignKey(
        "products.Producer",
        verbose_name=_("producer"),
        on_delete=models.PROTECT,
        related_name="products",
    )
    name = models.CharField(_("product name"), max_length=200)
    product_set = models.ForeignKey(
        "products.ProductSet",
        verbose_name=_("product set"),
        on_delete=models.PROTECT,
        related_name="products",
    )
    description = models.TextField(_("description"), blank=True)
    ingredients = models.TextField(_("ingredients"), blank=True)
    packaging = models.CharField(_("packaging"), max_length=200, blank=True)
    shelf_life = models.CharField(_("shelf life"), max_length=100, blank=True)
    capacity = models.CharField(_("production capacity"), max_length=200, blank=True)
    markets = models.TextField(_("markets"), blank=True)
    brand = models.CharField(_("brand or trademark"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Created by the historical import from a published decision (evaluations.history).
    imported = models.BooleanField(_("imported from published results"), default=False)
    # Current OCOP standing, written by an evaluations service (never by products code).
    ocop_stars = models.PositiveSmallIntegerField(_("OCOP stars"), null=True, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=40, blank=True)
    certificate_valid_until = models.DateField(_("certificate valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["producer", "name"], name="product_unique_name")
        ]

    # The area of its audit entries (ocop.core.audit.audit_unit_id).
    audit_unit_path = "producer__address_unit"

    def __str__(self) -> str:
        return self.name

    def holds_valid_certificate(self, on) -> bool:
        """Whether the product stands certified on that day (its standing is written by the
        evaluations services and cleared when the certificate ends)."""
        return bool(
            self.certificate_number
            and self.certificate_valid_until
            and self.certificate_valid_until >= on
        )


class ProductPhoto(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), upload_to=_photo_path)
    thumbnail = models.FileField(upload_to=_photo_path)
    # A JPEG at most MEDIUM_PHOTO pixels wide or high, for the public product page on a
    # phone (the original may be several megabytes); empty for photos taken before it.
    medium = models.FileField(upload_to=_photo_path, blank=True)
    content_type = models.CharField(max_length=40)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("product photo")
        verbose_name_plural = _("product photos")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.caption or f"photo {self.pk}"


class ProductChangeRequest(models.Model):
    """A producer asks to rename a certified product or move it to another product set; the
    province's OCOP office accepts (the product changes; its certificate keeps what was
    certified) or refuses with a reason."""

    audit_unit_path = "product__producer__address_unit"

    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="change_requests", verbose_name=_("product")
    )
    old_name = models.CharField(_("current name"), max_length=200)
    old_product_set = models.ForeignKey(
        "products.ProductSet", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("new name"), max_length=200)
    product_set = models.ForeignKey(
        "products.ProductSet",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("new product set"),
    )
    reason = models.TextField(_("reason for the change"), max_length=2000)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=ChangeRequestState.choices,
        default=ChangeRequestState.PENDING,
        editable=False,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("note"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("product change request")
        verbose_name_plural = _("product change requests")
        ordering = ["-requested_at", "-pk"]
        permissions = [("decide_productchangerequest", "Can decide product change requests")]
        constraints = [
            models.UniqueConstraint(
                fields=["product"],
                condition=models.Q(state="pending"),
                name="product_one_pending_change_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.old_name} → {self.name}"
