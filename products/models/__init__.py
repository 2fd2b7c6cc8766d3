from .taxonomy import ProductGroup, ProductSet, Sector

__all__ = ["ProductGroup", "ProductSet", "Sector"]
