from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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


class ProductPhoto(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), upload_to=_photo_path)
    thumbnail = models.FileField(upload_to=_photo_path)
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
