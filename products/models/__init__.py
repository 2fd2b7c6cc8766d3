from .documents import EvidenceDocument
from .producers import Producer, ProducerInvitation, ProducerMember
from .products import Product, ProductChangeRequest, ProductPhoto
from .sales import Outlet, SalesPoint
from .taxonomy import ProductGroup, ProductSet, Sector

__all__ = [
    "EvidenceDocument",
    "Outlet",
    "Producer",
    "ProducerInvitation",
    "ProducerMember",
    "Product",
    "ProductChangeRequest",
    "ProductGroup",
    "ProductPhoto",
    "ProductSet",
    "SalesPoint",
    "Sector",
]
