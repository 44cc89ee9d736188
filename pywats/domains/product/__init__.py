"""The Product domain: products, revisions, BOMs, groups, tags, vendors, categories, box builds."""

from .models import (
    AsyncBoxBuildTemplate,
    BomItem,
    BoxBuildSubunit,
    BoxBuildTemplate,
    Product,
    ProductCategory,
    ProductGroup,
    ProductRevision,
    ProductState,
    ProductView,
    Vendor,
)

__all__ = [
    "AsyncBoxBuildTemplate",
    "BomItem",
    "BoxBuildSubunit",
    "BoxBuildTemplate",
    "Product",
    "ProductCategory",
    "ProductGroup",
    "ProductRevision",
    "ProductState",
    "ProductView",
    "Vendor",
]
