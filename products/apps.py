from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ProductsConfig(AppConfig):
    name = "products"
    verbose_name = _("Producers and products")
    role_permissions = {
        "producer_member": [
            "products.view_producer",
            "products.change_producer",
            "products.view_product",
            "products.add_product",
            "products.change_product",
            "products.view_evidencedocument",
            "products.add_evidencedocument",
            "products.add_productchangerequest",
        ],
        "commune_officer": [
            "products.view_producer",
            "products.add_producer",
            "products.verify_producer",
            "products.view_product",
            "products.view_evidencedocument",
        ],
        "district_officer": [
            "products.view_producer",
            "products.add_producer",
            "products.verify_producer",
            "products.view_product",
            "products.view_evidencedocument",
        ],
        "province_officer": [
            "products.view_producer",
            "products.add_producer",
            "products.verify_producer",
            "products.view_product",
            "products.view_evidencedocument",
            "products.view_productchangerequest",
            "products.decide_productchangerequest",
        ],
    }

    def navigation(self, user) -> list:
        import rules

        from ocop.core.context_processors import NavItem
        from ocop.core.enums import Role

        if not user.is_authenticated:
            return [
                NavItem(
                    _("Register a producer"), reverse("products:register"), "register", public=True
                )
            ]
        items = []
        if user.has_role(Role.PRODUCER_MEMBER):
            items.append(NavItem(_("My producer"), reverse("products:desk"), "desk"))
        if user.is_officer:
            items.append(
                NavItem(_("Producers"), reverse("products:producer_list"), "producer_list")
            )
        if user.has_perm("products.view_productchangerequest"):
            items.append(
                NavItem(
                    _("Product changes"),
                    reverse("products:change_request_list"),
                    "change_requests",
                    more=True,
                )
            )
        if rules.test_rule("products.manage_outlets", user):
            items.append(
                NavItem(
                    _("OCOP points of sale and fairs"),
                    reverse("products:outlet_list"),
                    "outlet_list",
                    more=True,
                )
            )
        return items

    def desk(self, user, today) -> list:
        from products.desk import desk

        return desk(user, today) if user.is_authenticated and user.is_active else []

    def personal_data(self, user) -> dict:
        """This app's part of a person's copy of their data (ocop.core.services.privacy)."""
        from products.models import ProducerMember

        memberships = ProducerMember.objects.filter(user=user).select_related(
            "producer__address_unit__parent__parent"
        )
        return {
            "producer_memberships": [
                {
                    "producer": m.producer.name,
                    "tax_code": m.producer.tax_code,
                    "address": m.producer.full_address,
                    "role": m.role,
                    "joined_at": m.joined_at.isoformat(),
                }
                for m in memberships
            ]
        }
