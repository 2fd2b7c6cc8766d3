from .documents import EvidenceDocument
from .producers import Producer, ProducerInvitation, ProducerMember
from .products import Product, ProductPhoto
from .taxonomy import ProductGroup, ProductSet, Sector

__all__ = [
    "EvidenceDocument",
    "Producer",
    "ProducerInvitation",
    "ProducerMember",
    "Product",
    "ProductGroup",
    "ProductPhoto",
    "ProductSet",
    "Sector",
]
