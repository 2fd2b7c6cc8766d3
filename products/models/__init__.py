from .documents import EvidenceDocument
from .producers import Producer, ProducerInvitation, ProducerMember
from .products import Product, ProductChangeRequest, ProductPhoto
from .taxonomy import ProductGroup, ProductSet, Sector

__all__ = [
    "EvidenceDocument",
    "Producer",
    "ProducerInvitation",
    "ProducerMember",
    "Product",
    "ProductChangeRequest",
    "ProductGroup",
    "ProductPhoto",
    "ProductSet",
    "Sector",
]
