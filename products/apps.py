from django.apps import AppConfig
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
        ],
    }
