"""Where to buy (decision 0030): the places a producer publishes for its products, and the
OCOP points of sale and fairs the province's OCOP office marks. Everything here is public on
the catalogue; nothing is copied from the producer's private profile."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from products.enums import OutletKind, SalesPointKind
from products.validators import normalise_phone, validate_published_phone, validate_web_url

# Empty, or an http(s) address (what `validate_web_url` lets through).
# (A CharField rather than a URLField: one validator, one message.)
_WEB_URL_OR_EMPTY = Q(url="") | Q(url__istartswith="http://") | Q(url__istartswith="https://")


class SalesPoint(models.Model):
    """A place where a producer sells some of its products: a shop or counter (a commune of
    today's map and a street address), its own website or page, or an e-commerce page."""

    producer = models.ForeignKey(
        "products.Producer",
        verbose_name=_("producer"),
        on_delete=models.CASCADE,
        related_name="sales_points",
    )
    kind = models.CharField(_("kind of place"), max_length=12, choices=SalesPointKind.choices)
    name = models.CharField(_("name"), max_length=120)
    address_unit = models.ForeignKey(
        "core.AdministrativeUnit",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    address_detail = models.CharField(_("street address"), max_length=200, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    # Published as typed ("0218 3 861 234"); `phone_link` is its tel: form.
    phone = models.CharField(
        _("phone"), max_length=20, blank=True, validators=[validate_published_phone]
    )
    url = models.CharField(
        _("web address"), max_length=500, blank=True, validators=[validate_web_url]
    )
    products = models.ManyToManyField(
        "products.Product", verbose_name=_("products sold there"), related_name="sales_points"
    )
    order = models.PositiveSmallIntegerField(_("position in the list"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The area of its audit entries (ocop.core.audit.audit_unit_id).
    audit_unit_path = "producer__address_unit"

    class Meta:
        verbose_name = _("place to buy")
        verbose_name_plural = _("places to buy")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SalesPointKind.values), name="salespoint_kind_known"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="salespoint_has_a_name"),
            # A shop has its commune and street address; a page online has neither.
            models.CheckConstraint(
                condition=(
                    Q(kind=SalesPointKind.SHOP, address_unit__isnull=False) & ~Q(address_detail="")
                )
                | (~Q(kind=SalesPointKind.SHOP) & Q(address_unit__isnull=True, address_detail="")),
                name="salespoint_address_by_kind",
            ),
            # A page online has its address on the web.
            models.CheckConstraint(
                condition=Q(kind=SalesPointKind.SHOP) | ~Q(url=""),
                name="salespoint_online_has_url",
            ),
            models.CheckConstraint(condition=_WEB_URL_OR_EMPTY, name="salespoint_url_is_web"),
            models.UniqueConstraint(
                "producer", Lower("name"), name="salespoint_unique_name_per_producer"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_shop(self) -> bool:
        return self.kind == SalesPointKind.SHOP

    @property
    def phone_link(self) -> str:
        """The phone as a tel: link wants it (digits and a leading +)."""
        return normalise_phone(self.phone)

    @property
    def full_address(self) -> str:
        """Street address, commune, province (the commune's parents read with it)."""
        parts = [self.address_detail] if self.address_detail else []
        if self.address_unit_id:
            parts.append(self.address_unit.full_path)
        return ", ".join(parts)


class Outlet(models.Model):
    """A place the province's OCOP office marks: an OCOP point of sale ("điểm giới thiệu và
    bán sản phẩm OCOP") or a fair, in a commune of the province on today's map. Listing no
    product, it stands for the province's OCOP products in general."""

    province = models.ForeignKey(
        "core.AdministrativeUnit",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind of place"), max_length=16, choices=OutletKind.choices)
    name = models.CharField(_("name"), max_length=200)
    address_unit = models.ForeignKey(
        "core.AdministrativeUnit",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    address_detail = models.CharField(_("street address"), max_length=200)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    phone = models.CharField(
        _("phone"), max_length=20, blank=True, validators=[validate_published_phone]
    )
    url = models.CharField(
        _("web address"), max_length=500, blank=True, validators=[validate_web_url]
    )
    # A fair's days; a point of sale has none.
    first_day = models.DateField(_("first day"), null=True, blank=True)
    last_day = models.DateField(_("last day"), null=True, blank=True)
    products = models.ManyToManyField(
        "products.Product",
        verbose_name=_("products sold or shown there"),
        related_name="outlets",
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The area of its audit entries (ocop.core.audit.audit_unit_id).
    audit_unit_path = "province"

    class Meta:
        verbose_name = _("OCOP point of sale or fair")
        verbose_name_plural = _("OCOP points of sale and fairs")
        ordering = ["kind", "first_day", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OutletKind.values), name="outlet_kind_known"
            ),
            models.CheckConstraint(
                condition=~Q(name="") & ~Q(address_detail=""),
                name="outlet_has_a_name_and_address",
            ),
            # A fair has its first and last day, in that order; a point of sale has none.
            models.CheckConstraint(
                condition=Q(
                    kind=OutletKind.POINT_OF_SALE,
                    first_day__isnull=True,
                    last_day__isnull=True,
                )
                | Q(
                    kind=OutletKind.FAIR,
                    first_day__isnull=False,
                    last_day__isnull=False,
                    last_day__gte=models.F("first_day"),
                ),
                name="outlet_fair_days",
            ),
            models.CheckConstraint(condition=_WEB_URL_OR_EMPTY, name="outlet_url_is_web"),
        ]
        indexes = [models.Index(fields=["province", "kind"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_fair(self) -> bool:
        return self.kind == OutletKind.FAIR

    @property
    def phone_link(self) -> str:
        return normalise_phone(self.phone)

    @property
    def full_address(self) -> str:
        parts = [self.address_detail] if self.address_detail else []
        if self.address_unit_id:
            parts.append(self.address_unit.full_path)
        return ", ".join(parts)

    def has_ended(self, today) -> bool:
        """A fair whose last day is past (a point of sale never ends)."""
        return self.is_fair and self.last_day is not None and self.last_day < today
