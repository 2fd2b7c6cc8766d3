from django.db import models
from django.utils.translation import gettext_lazy as _

from products.enums import Classification


class Sector(models.Model):
    """Ngành: I Thực phẩm … VI Dịch vụ du lịch."""

    classification = models.CharField(
        _("classification"), max_length=16, choices=Classification.choices
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["classification", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["classification", "number"], name="sector_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.roman_number}. {self.name}"

    @property
    def roman_number(self) -> str:
        return ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"][self.number - 1]


class ProductGroup(models.Model):
    """Nhóm: e.g. 1.3 Thực phẩm chế biến."""

    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), on_delete=models.PROTECT, related_name="groups"
    )
    code = models.CharField(_("code"), max_length=8, help_text=_("e.g. 1.3"))
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"))

    class Meta:
        verbose_name = _("product group")
        verbose_name_plural = _("product groups")
        ordering = ["sector__number", "order"]
        constraints = [
            models.UniqueConstraint(fields=["sector", "code"], name="product_group_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ProductSet(models.Model):
    """Bộ sản phẩm: one of the 26 sets of Decision 148, each scored on its own form."""

    group = models.ForeignKey(
        ProductGroup,
        verbose_name=_("product group"),
        on_delete=models.PROTECT,
        related_name="product_sets",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120)

    class Meta:
        verbose_name = _("product set")
        verbose_name_plural = _("product sets")
        ordering = ["group__sector__classification", "number"]
        constraints = [
            models.UniqueConstraint(fields=["group", "number"], name="product_set_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    @property
    def classification(self) -> str:
        return self.group.sector.classification
