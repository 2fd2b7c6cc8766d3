from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ocop.core.enums import BadgeChoices, badges


class Classification(models.TextChoices):
    """Which decision's product classification a sector, group or set belongs to."""

    QD148_2023 = "148/2023", _("Decision 148/QĐ-TTg (2023)")


class ProducerKind(models.TextChoices):
    COOPERATIVE = "cooperative", _("Cooperative (HTX)")
    ENTERPRISE_LLC = "enterprise_llc", _("Enterprise: limited liability company (TNHH)")
    ENTERPRISE_JSC = "enterprise_jsc", _("Enterprise: joint-stock company (cổ phần)")
    ENTERPRISE_PRIVATE = "enterprise_private", _("Enterprise: private enterprise (DNTN)")
    COOPERATIVE_GROUP = "cooperative_group", _("Cooperative group (tổ hợp tác)")
    HOUSEHOLD = "household", _("Household business (hộ kinh doanh)")


@badges(PENDING="warning", VERIFIED="success", REJECTED="danger")
class ProducerState(BadgeChoices):
    PENDING = "pending", _("Awaiting verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Returned for correction")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class MemberRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    MEMBER = "member", _("Member")


class DocumentKind(models.TextChoices):
    BUSINESS_REGISTRATION = "business_registration", _("Business registration")
    PRODUCT_STANDARD = "product_standard", _("Product standard / quality declaration")
    LAB_TEST = "lab_test", _("Lab test report")
    FOOD_SAFETY = "food_safety", _("Food-safety eligibility certificate")
    TRADEMARK = "trademark", _("Trademark or geographical indication certificate")
    LABEL = "label", _("Label and packaging")
    PRODUCT_STORY = "product_story", _("Product story")
    BUSINESS_PLAN = "business_plan", _("Business plan")
    TRACEABILITY = "traceability", _("Traceability")
    OTHER = "other", _("Other")


# Named groups of states.
# A producer's members may correct its profile until it is verified; after that the profile
# is locked (a verified legal identity changes only through the officers).
PRODUCER_EDITABLE_STATES = frozenset({ProducerState.PENDING, ProducerState.REJECTED})


class ChangeRequestState(models.TextChoices):
    """A request to change a certified product's name or product set (the OCOP office
    decides; docs/decisions/0013-certificate-snapshot.md)."""

    PENDING = "pending", _("Waiting for the OCOP office")
    ACCEPTED = "accepted", pgettext_lazy("change request", "Accepted")
    REFUSED = "refused", pgettext_lazy("change request", "Refused")


class SalesPointKind(models.TextChoices):
    """Where a producer sells (decision 0030): a shop it names the address of, or a page
    online."""

    SHOP = "shop", _("Shop or counter")
    WEBSITE = "website", _("Own website or page")
    MARKETPLACE = "marketplace", _("E-commerce page")


# Online places: a web address, no street address.
ONLINE_SALES_POINT_KINDS = frozenset({SalesPointKind.WEBSITE, SalesPointKind.MARKETPLACE})


class OutletKind(models.TextChoices):
    """The places the province's OCOP office marks (decision 0030)."""

    POINT_OF_SALE = "point_of_sale", _("OCOP point of sale")
    FAIR = "fair", _("Fair")


class FairPeriod(models.TextChoices):
    """A fair against today, for the office's list."""

    UPCOMING = "upcoming", _("Upcoming fairs")
    ONGOING = "ongoing", _("Fairs under way")
    PAST = "past", _("Past fairs")
