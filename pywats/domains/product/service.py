# DO NOT EDIT — generated from pywats/domains/product/async_service.py by `python -m pywats._unasync`.
"""The Product service: catalogue, revisions, tags, BOMs, groups, vendors, categories, box builds.

Public operations are used wherever the WATS documents have one; BOM reading, categories and
box build templates exist only in the internal API (those methods say so and warn).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from uuid import UUID

from wats_internal.api.product import product_bom as get_bom_op
from wats_internal.api.product import product_delete_product_revision_relation as delete_relation_op
from wats_internal.api.product import product_get_product_categories as get_categories_op
from wats_internal.api.product import product_get_product_info as get_product_info_op
from wats_internal.api.product import product_post_product_revision_relation as post_relation_op
from wats_internal.api.product import product_put_bom as put_bom_internal_op
from wats_internal.api.product import product_put_product_revision_relation as put_relation_op
from wats_internal.api.product_selection import product_selection_post_product_selection as post_group_op
from wats_public.api.app import app_product_groups as get_groups_op
from wats_public.api.product import product_bom as put_bom_op
from wats_public.api.product import product_delete_vendors as delete_vendors_op
from wats_public.api.product import product_get_product_groups_by_product as groups_by_product_op
from wats_public.api.product import product_public_get_product as get_product_op
from wats_public.api.product import product_public_get_product_revision as get_revision_op
from wats_public.api.product import product_public_get_products as query_products_op
from wats_public.api.product import product_public_put_product as put_product_op
from wats_public.api.product import product_public_put_product_revision as put_revision_op
from wats_public.api.product import product_put_product_revisions as put_revisions_op
from wats_public.api.product import product_put_products as put_products_op
from wats_public.api.product import product_put_vendors as put_vendors_op
from wats_public.api.product import product_vendors as get_vendors_op

from ..._sync.service import SyncService
from ...core.batch import SyncBatch, BatchResult
from ...core.binding import uses
from ...core.exceptions import InvalidArgumentError, NotFoundError
from ...core.wire import (
    aliases,
    count,
    guid,
    ignore_body,
    invalid,
    json_body,
    parse_list,
    parse_list_or_none,
    parse_model,
    positive,
    text,
    unset,
)
from . import models
from .models import (
    BomItem,
    BoxBuildSubunit,
    Product,
    ProductCategory,
    ProductGroup,
    ProductHierarchyNode,
    ProductRevision,
    ProductState,
    ProductView,
    Vendor,
    bom_to_wsbf,
    replace_tags,
)

__all__ = ["ProductService"]

M = TypeVar("M", Product, ProductRevision, Vendor)
C = TypeVar("C", Product, ProductRevision)
Tag = Mapping[str, Any]


@dataclass(frozen=True)
class _Catalogue(Generic[C]):
    """Products or revisions: the same save and bulk save, on their own model and operations."""

    model: type[C]
    put_one: Any  # put_product_op / put_revision_op: ``request_kwargs(body=...)``
    put_many: Any  # put_products_op / put_revisions_op
    resource_type: str

    def identifier(self, item: C) -> str:
        return f"{item.part_number}/{item.revision}" if isinstance(item, ProductRevision) else str(item.part_number)

    def checked(self, items: Iterable[C], method: str) -> list[C]:
        found = list(items)
        if not all(isinstance(i, self.model) for i in found):
            raise TypeError(f"{method} takes {self.model.__name__} objects")
        return found


_PRODUCT = _Catalogue(Product, put_product_op, put_products_op, "product")
_REVISION = _Catalogue(ProductRevision, put_revision_op, put_revisions_op, "product revision")


def _tag_pairs(tags: Iterable[Tag]) -> list[dict[str, str]]:
    """Tags as ``{"key": ..., "value": ...}`` dicts, checked before anything is sent."""
    pairs = []
    for tag in tags:
        if not isinstance(tag, Mapping) or "key" not in tag:
            raise invalid("a tag", tag, "a mapping with 'key' and 'value'")
        pairs.append({"key": str(tag["key"]), "value": "" if tag.get("value") is None else str(tag["value"])})
    return pairs


def _with_tag(current: list[dict[str, str]], key: str, value: str) -> list[dict[str, str]]:
    # A key holds one value: adding an existing key replaces its value in place.
    out = [dict(t) for t in current]
    for tag in out:
        if tag["key"] == key:
            tag["value"] = value
            return out
    return [*out, {"key": key, "value": value}]


# -- the OData subset get_groups() understands -------------------------------------------------

_CLAUSE = re.compile(
    r"^\s*(?:(?P<fn>contains|startswith|endswith)\(\s*(?P<f1>\w+)\s*,\s*'(?P<v1>(?:[^']|'')*)'\s*\)"
    r"|(?P<f2>\w+)\s+(?P<op>eq|ne)\s+'(?P<v2>(?:[^']|'')*)')\s*$",
    re.IGNORECASE,
)
_GROUP_FIELDS = {"name": "name", "description": "description", "owner": "owner"}


def _group_filter(filter_str: str) -> list[tuple[str, str, str]]:
    """(op, attribute, value) clauses joined by ``and``; InvalidArgumentError for anything else."""
    clauses = []
    for part in re.split(r"\s+and\s+", filter_str.strip(), flags=re.IGNORECASE):
        found = _CLAUSE.match(part)
        field = (found.group("f1") or found.group("f2")).lower() if found else ""
        if found is None or field not in _GROUP_FIELDS:
            raise InvalidArgumentError(
                f"unsupported group filter {part!r}: use contains/startswith/endswith(field,'text') or "
                f"field eq/ne 'text' on {sorted(_GROUP_FIELDS)}, joined with 'and'"
            )
        op = (found.group("fn") or found.group("op")).lower()
        value = (found.group("v1") if found.group("fn") else found.group("v2")).replace("''", "'")
        clauses.append((op, _GROUP_FIELDS[field], value))
    return clauses


def _group_matches(group: ProductGroup, clauses: list[tuple[str, str, str]]) -> bool:
    for op, attr, value in clauses:
        text = (getattr(group, attr) or "").casefold()
        wanted = value.casefold()
        ok = {
            "contains": wanted in text,
            "startswith": text.startswith(wanted),
            "endswith": text.endswith(wanted),
            "eq": text == wanted,
            "ne": text != wanted,
        }[op]
        if not ok:
            return False
    return True


class ProductService(SyncService):
    """Products (part numbers) and their revisions, tags, BOMs, groups, vendors and box builds.

    Look-ups of one thing (``get_product``, ``get_revision``) raise ``NotFoundError`` in STRICT
    mode and return ``None`` in LENIENT mode; list methods return ``[]`` when there is nothing.
    """

    # -- products ------------------------------------------------------------------------------

    @uses(query_products_op)
    def get_products(self) -> list[ProductView]:
        """Every product as a short view (part number, name, category, non-serial, state)."""
        found = self._call_parsed(query_products_op, query_products_op.request_kwargs(), parse_list(ProductView))
        return found or []

    @uses(query_products_op, get_product_op)
    def get_products_full(self, max_workers: int = 10) -> list[Product]:
        """Every product with all its fields and revisions.

        The public API lists products only as views, so this fetches each product (up to
        ``max_workers`` at a time). A product deleted between the two steps is left out.
        """
        positive("max_workers", max_workers)
        views = self.get_products()
        results = self.get_products_batch([v.part_number for v in views], max_workers=max_workers)
        failures = [r.error for r in results if r.error is not None and not _is_not_found(r.error)]
        if failures:
            raise failures[0]
        return [r.value for r in results if r.value is not None]

    @uses(query_products_op)
    def get_active_products(self) -> list[ProductView]:
        """The products whose state is ACTIVE."""
        return [p for p in self.get_products() if p.state is ProductState.ACTIVE]

    @uses(get_product_op)
    def get_product(self, part_number: str) -> Product | None:
        """The product with this part number, with its revisions and tags."""
        kwargs = get_product_op.request_kwargs(part_number=part_number)
        return self._call_parsed(
            get_product_op, kwargs, parse_model(Product), resource_type="product", identifier=part_number
        )

    @uses(get_product_op)
    def get_products_batch(
        self, part_numbers: Iterable[str], max_workers: int = 10
    ) -> list[BatchResult[str, Product]]:
        """Fetch several products concurrently; one ``BatchResult`` per part number, in order.

        A failure (not found in STRICT mode, a server error, ...) is kept in its result instead
        of stopping the others.
        """
        return SyncBatch.map_limited(self.get_product, list(part_numbers), max_workers)

    @uses(put_product_op)
    def create_product(
        self,
        part_number: str,
        name: str | None = None,
        description: str | None = None,
        *,
        state: ProductState = ProductState.ACTIVE,
        non_serial: bool = False,
        xml_data: str | None = None,
        product_category_id: UUID | None = None,
    ) -> Product | None:
        """Add a product (an existing part number is updated with these values instead)."""
        product = Product(
            part_number=part_number,
            name=name,
            description=description,
            state=state,
            non_serial=non_serial,
            xml_data=xml_data,
            product_category_id=product_category_id,
        )
        return self.update_product(product)

    @uses(put_product_op)
    def update_product(self, product: Product) -> Product | None:
        """Save a product's fields (its ``product_id`` identifies it; without one, its part number)."""
        return self._save(_PRODUCT, product, "update_product")

    @uses(put_products_op)
    def bulk_save_products(self, products: Iterable[Product]) -> list[Product]:
        """Add or update several products in one request (all or none, as the server decides).

        Returns the saved products as the server gives them back, else the products sent.
        """
        return self._save_all(_PRODUCT, _PRODUCT.checked(products, "bulk_save_products"))

    @uses()
    def is_active(self, product: Product | ProductView | ProductRevision | None) -> bool:
        """True if the product (or revision) is ACTIVE; False for None. Sends nothing."""
        return product is not None and product.state is ProductState.ACTIVE

    # -- revisions -----------------------------------------------------------------------------

    @uses(get_revision_op)
    def get_revision(self, part_number: str, revision: str) -> ProductRevision | None:
        """One revision of a product."""
        kwargs = get_revision_op.request_kwargs(part_number=part_number, revision=revision)
        return self._call_parsed(
            get_revision_op,
            kwargs,
            parse_model(ProductRevision),
            resource_type="product revision",
            identifier=f"{part_number}/{revision}",
        )

    @uses(get_product_op)
    def get_revisions(self, part_number: str) -> list[ProductRevision]:
        """Every revision of a product (the product must exist: STRICT raises NotFoundError)."""
        product = self.get_product(part_number)
        if product is None:
            return []
        for rev in product.revisions:
            if rev.part_number is None:
                rev.part_number = product.part_number
        return list(product.revisions)

    @uses(get_revision_op)
    def get_revisions_batch(
        self, pairs: Iterable[tuple[str, str]], max_workers: int = 10
    ) -> list[BatchResult[tuple[str, str], ProductRevision]]:
        """Fetch several ``(part_number, revision)`` pairs concurrently; one ``BatchResult`` each, in order."""

        def one(pair: tuple[str, str]) -> ProductRevision | None:
            part_number, revision = pair
            return self.get_revision(part_number, revision)

        return SyncBatch.map_limited(one, list(pairs), max_workers)

    @uses(put_revision_op)
    def create_revision(
        self,
        part_number: str,
        revision: str,
        name: str | None = None,
        description: str | None = None,
        *,
        state: ProductState = ProductState.ACTIVE,
        xml_data: str | None = None,
        product_id: UUID | None = None,
    ) -> ProductRevision | None:
        """Add a revision to an existing product (an existing revision is updated instead)."""
        rev = ProductRevision(
            part_number=part_number,
            revision=revision,
            name=name,
            description=description,
            state=state,
            xml_data=xml_data,
            product_id=product_id,
        )
        return self.update_revision(rev)

    @uses(put_revision_op)
    def update_revision(self, revision: ProductRevision) -> ProductRevision | None:
        """Save a revision's fields (``product_revision_id`` identifies it; else part number + revision)."""
        return self._save(_REVISION, revision, "update_revision")

    @uses(put_revisions_op)
    def bulk_save_revisions(self, revisions: Iterable[ProductRevision]) -> list[ProductRevision]:
        """Add or update several revisions in one request; returns them as saved (else as sent)."""
        return self._save_all(_REVISION, _REVISION.checked(revisions, "bulk_save_revisions"))

    def _save(self, kind: _Catalogue[C], item: C, method: str) -> C | None:
        if not isinstance(item, kind.model):
            raise TypeError(f"{method} takes a {kind.model.__name__}, not {type(item).__name__}")
        kwargs = kind.put_one.request_kwargs(body=item.to_wire())
        return self._call_parsed(
            kind.put_one,
            kwargs,
            parse_model(kind.model),
            resource_type=kind.resource_type,
            identifier=kind.identifier(item),
        )

    def _save_all(self, kind: _Catalogue[C], items: list[C]) -> list[C]:
        if not items:
            return []
        kwargs = kind.put_many.request_kwargs(body=[i.to_wire() for i in items])
        saved = self._call_parsed(kind.put_many, kwargs, parse_list_or_none(kind.model), expect_data=False)
        return saved if saved is not None else items

    # -- tags ----------------------------------------------------------------------------------

    @uses(get_product_op)
    def get_product_tags(self, part_number: str) -> list[dict[str, str]]:
        """A product's tags as ``{"key": ..., "value": ...}`` dicts."""
        product = self.get_product(part_number)
        return product.tag_list() if product else []

    @uses(get_product_op, put_product_op)
    def set_product_tags(self, part_number: str, tags: Iterable[Tag]) -> Product | None:
        """Replace all of a product's tags (WATS keeps them as ``xmlData``; a BOM in it stays)."""
        pairs = _tag_pairs(tags)
        replace_tags(None, pairs)  # a bad key fails here, before the product is read
        product = self.get_product(part_number)
        if product is None:
            return None
        product.xml_data = replace_tags(product.xml_data, pairs)
        product.tags = []
        return self.update_product(product)

    @uses(get_product_op, put_product_op)
    def add_product_tag(self, part_number: str, key: str, value: str) -> Product | None:
        """Set one tag on a product, keeping the others (an existing key gets the new value)."""
        replace_tags(None, [{"key": key, "value": value}])
        product = self.get_product(part_number)
        if product is None:
            return None
        product.xml_data = replace_tags(product.xml_data, _with_tag(product.tag_list(), key, str(value)))
        product.tags = []
        return self.update_product(product)

    @uses(get_revision_op)
    def get_revision_tags(self, part_number: str, revision: str) -> list[dict[str, str]]:
        """A revision's tags as ``{"key": ..., "value": ...}`` dicts."""
        rev = self.get_revision(part_number, revision)
        return rev.tag_list() if rev else []

    @uses(get_revision_op, put_revision_op)
    def set_revision_tags(self, part_number: str, revision: str, tags: Iterable[Tag]) -> ProductRevision | None:
        """Replace all of a revision's tags."""
        pairs = _tag_pairs(tags)
        replace_tags(None, pairs)
        rev = self.get_revision(part_number, revision)
        if rev is None:
            return None
        rev.xml_data = replace_tags(rev.xml_data, pairs)
        rev.tags = []
        return self.update_revision(rev)

    @uses(get_revision_op, put_revision_op)
    def add_revision_tag(self, part_number: str, revision: str, key: str, value: str) -> ProductRevision | None:
        """Set one tag on a revision, keeping the others."""
        replace_tags(None, [{"key": key, "value": value}])
        rev = self.get_revision(part_number, revision)
        if rev is None:
            return None
        rev.xml_data = replace_tags(rev.xml_data, _with_tag(rev.tag_list(), key, str(value)))
        rev.tags = []
        return self.update_revision(rev)

    # -- groups --------------------------------------------------------------------------------

    @uses(get_groups_op)
    @aliases(filter_str="odata_filter")
    def get_groups(self, odata_filter: str | None = None, top: int | None = None) -> list[ProductGroup]:
        """Product groups; ``odata_filter`` (or ``filter_str``) is an OData-style filter on name/description/owner.

        The server's group list takes no filter, so the filter is applied here; it understands
        ``contains(name,'x')``, ``startswith``, ``endswith``, ``name eq 'x'``, ``ne`` and ``and``
        (InvalidArgumentError for anything else, before any request). ``top`` keeps the first n.
        """
        clauses = _group_filter(odata_filter) if odata_filter else []
        if top is not None:
            count("top", top)
        groups = self._call_parsed(get_groups_op, get_groups_op.request_kwargs(), parse_list(ProductGroup)) or []
        found = [g for g in groups if _group_matches(g, clauses)]
        return found if top is None else found[:top]

    @uses(groups_by_product_op, query=["revision"])
    def get_groups_for_product(self, part_number: str, revision: str | None = None) -> list[ProductGroup]:
        """The groups that include this product (and revision, if given)."""
        kwargs = groups_by_product_op.request_kwargs(part_number=part_number, revision=unset(revision))
        found = self._call_parsed(groups_by_product_op, kwargs, parse_list(ProductGroup))
        return found or []

    # -- vendors -------------------------------------------------------------------------------

    @uses(get_vendors_op)
    def get_vendors(self) -> list[Vendor]:
        """Every vendor. Each reads like a dict too: ``vendor.get("name")``."""
        return self._call_parsed(get_vendors_op, get_vendors_op.request_kwargs(), parse_list(Vendor)) or []

    @uses(put_vendors_op)
    def save_vendor(self, vendor_data: Mapping[str, Any] | Vendor) -> Vendor | None:
        """Add a vendor, or update the one with the same name; other fields are sent as given.

        ``vendor_data`` is a :class:`Vendor` or a dict with ``name`` (or ``VendorName``).
        """
        vendor = vendor_data if isinstance(vendor_data, Vendor) else Vendor.model_validate(dict(vendor_data))
        kwargs = put_vendors_op.request_kwargs(body=[vendor.to_wire()])
        saved = self._call_parsed(put_vendors_op, kwargs, parse_list_or_none(Vendor), expect_data=False)
        return saved[0] if saved else vendor

    @uses(delete_vendors_op)
    def delete_vendor(self, vendor_name: str) -> bool:
        """Delete a vendor by its name (a vendor's only identity in WATS). True once the server accepts."""
        text("vendor_name", vendor_name)
        kwargs = delete_vendors_op.request_kwargs(body=[{"VendorName": vendor_name}])
        result = self._call_parsed(delete_vendors_op, kwargs, ignore_body, expect_data=False)
        return bool(result)

    # -- categories (internal) -----------------------------------------------------------------

    @uses(get_categories_op)
    def get_product_categories(self) -> list[ProductCategory]:
        """⚠️ INTERNAL API: every product category (reads like a dict: ``category.get("name")``)."""
        kwargs = get_categories_op.request_kwargs()
        return self._call_parsed(get_categories_op, kwargs, parse_list(ProductCategory)) or []

    @uses(get_product_op, put_product_op)
    def save_product_categories(self, part_number: str, category_ids: Iterable[UUID | str]) -> bool:
        """Put a product in a category. WATS gives a product one category: pass one id (a UUID).

        ValueError, before any request, for no id, several ids or an id that is not a UUID.
        """
        ids = list(category_ids)
        if len(ids) != 1:
            raise invalid("category_ids", ids, "exactly one category id (a WATS product has one productCategoryId)")
        try:
            category_id = ids[0] if isinstance(ids[0], UUID) else UUID(str(ids[0]))
        except ValueError:
            raise InvalidArgumentError(f"category id {ids[0]!r} is not a UUID") from None
        product = self.get_product(part_number)
        if product is None:
            return False
        product.product_category_id = category_id
        return self.update_product(product) is not None

    # -- BOM -----------------------------------------------------------------------------------

    @uses(get_bom_op)
    def get_bom_items(self, part_number: str, revision: str) -> list[BomItem]:
        """⚠️ INTERNAL API: a revision's bill of materials as items (WATS reads BOMs only internally)."""
        kwargs = get_bom_op.request_kwargs(part_number=part_number, revision=revision)
        found = self._call_parsed(
            get_bom_op,
            kwargs,
            parse_list(BomItem),
            resource_type="product revision",
            identifier=f"{part_number}/{revision}",
        )
        return found or []

    @uses(get_bom_op)
    def get_bom(self, part_number: str, revision: str) -> str | None:
        """⚠️ INTERNAL API: a revision's BOM as a WSBF (WATS Standard BOM Format) XML document."""
        kwargs = get_bom_op.request_kwargs(part_number=part_number, revision=revision)
        found = self._call_parsed(
            get_bom_op,
            kwargs,
            parse_list(BomItem),
            resource_type="product revision",
            identifier=f"{part_number}/{revision}",
        )
        return None if found is None else bom_to_wsbf(part_number, revision, found)

    @uses(put_bom_op)
    def update_bom(
        self, part_number: str, revision: str, bom_items: Iterable[BomItem], description: str | None = None
    ) -> bool:
        """Replace a revision's BOM (sent as WSBF XML). True once the server accepts it."""
        items = list(bom_items)
        if not all(isinstance(i, BomItem) for i in items):
            raise TypeError("update_bom takes BomItem objects")
        kwargs = put_bom_op.request_kwargs()
        kwargs["content"] = bom_to_wsbf(part_number, revision, items, description).encode("utf-8")
        kwargs["headers"] = {"Content-Type": "application/xml; charset=utf-8"}
        result = self._call_parsed(
            put_bom_op, kwargs, ignore_body, expect_data=False, resource_type="product revision", identifier=revision
        )
        return bool(result)

    # -- box build templates (internal) --------------------------------------------------------

    @uses(get_product_info_op)
    def get_box_build_template(self, part_number: str, revision: str) -> models.SyncBoxBuildTemplate | None:
        """⚠️ INTERNAL API: what a product revision is built from (its required subunits).

        Edit it with ``add_subunit`` / ``update_subunit`` / ``remove_subunit`` and write the
        changes with ``template.save()``.
        """
        return self._box_build(part_number, revision)

    def _box_build(self, part_number: str, revision: str) -> models.SyncBoxBuildTemplate | None:
        kwargs = get_product_info_op.request_kwargs(part_number=part_number, revision=revision)
        info = self._call_parsed(
            get_product_info_op,
            kwargs,
            json_body,
            resource_type="product revision",
            identifier=f"{part_number}/{revision}",
        )
        if info is None:
            return None
        subunits = []
        for rel in info.get("ChildProductRevisionRelations") or []:
            child = rel.get("ChildProductRevision") or {}
            subunits.append(
                BoxBuildSubunit(
                    child_part_number=(child.get("Product") or {}).get("PartNumber", ""),
                    child_revision=child.get("Revision", ""),
                    quantity=rel.get("Quantity") or 1,
                    relation_id=rel.get("ProductRevisionRelationId"),
                    child_product_revision_id=rel.get("ProductRevisionId"),
                    revision_mask=rel.get("RevisionMask"),
                )
            )
        template = models.SyncBoxBuildTemplate(
            part_number=part_number,
            revision=info.get("Revision", revision),
            product_revision_id=info.get("ProductRevisionId"),
            subunits=subunits,
        )
        template._mark_saved()
        template._saver = self.save_box_build_template
        return template

    @uses(get_revision_op, post_relation_op, put_relation_op, delete_relation_op)
    def save_box_build_template(self, template: models.SyncBoxBuildTemplate) -> bool:
        """⚠️ INTERNAL API: write a template's added, changed and removed subunits.

        New children are looked up first (each must exist as a product revision: STRICT raises
        NotFoundError before anything is written).
        """
        if template.product_revision_id is None:
            raise invalid("template.product_revision_id", None, "set: read the template with get_box_build_template()")
        added, changed, removed = template.changes()
        for sub in added:
            if sub.child_product_revision_id is None:
                child = self.get_revision(sub.child_part_number, sub.child_revision)
                if child is None:
                    return False
                sub.child_product_revision_id = child.product_revision_id
        parent = str(template.product_revision_id)
        for sub in removed:
            if sub.relation_id is None:  # never saved, so nothing to delete
                continue
            kwargs = delete_relation_op.request_kwargs(product_revision_relation_id=sub.relation_id)
            self._call_parsed(delete_relation_op, kwargs, ignore_body, expect_data=False)
        for sub in changed:
            body = {"ProductRevisionRelationId": str(sub.relation_id), "Quantity": sub.quantity}
            kwargs = put_relation_op.request_kwargs(body=body)
            if self._call_parsed(put_relation_op, kwargs, ignore_body, expect_data=False) is None:
                return False  # a 404 in LENIENT mode: not saved
        for sub in added:
            body = {
                "ParentProductRevisionId": parent,
                "ProductRevisionId": str(sub.child_product_revision_id),
                "Quantity": sub.quantity,
            }
            kwargs = post_relation_op.request_kwargs(body=body)
            saved = self._call_parsed(post_relation_op, kwargs, json_body, expect_data=False)
            if saved is None:
                return False  # a 404 in LENIENT mode: not saved
            if isinstance(saved, dict) and saved.get("ProductRevisionRelationId"):
                sub.relation_id = UUID(str(saved["ProductRevisionRelationId"]))
        template._mark_saved()
        return True

    # -- pyWATS 0.x names ------------------------------------------------------------------------

    @uses(post_group_op)
    def create_group(self, name: str, description: str | None = None) -> ProductGroup | None:
        """⚠️ INTERNAL API: add a product group (WATS stores groups as "product selections").

        Uses ``POST /api/internal/ProductSelection/PostProductSelection``; returns the new group
        with its ``product_group_id``. Add products to it with their part numbers in WATS (or
        ``POST /api/Product/ProductGroupFilter``).
        """
        text("name", name)
        if description is not None and not isinstance(description, str):
            raise invalid("description", description, "text or None")
        body: dict[str, Any] = {"name": name.strip(), "description": description or "", "details": []}
        kwargs = post_group_op.request_kwargs(body=body)
        return self._call_parsed(post_group_op, kwargs, parse_model(ProductGroup), resource_type="product group")

    @uses(put_bom_internal_op)
    def upload_bom(
        self,
        part_number: str,
        revision: str,
        bom_items: Iterable[BomItem | Mapping[str, Any]],
        format: str = "json",
    ) -> bool:
        """⚠️ INTERNAL API: replace a revision's BOM, sent as JSON items (``format="json"``) or as a
        WSBF document (``format="xml"``). True once the server accepts it.

        Uses ``PUT /api/internal/Product/BOM``. ``bom_items`` are :class:`BomItem` objects or dicts
        of their fields (``part_number``/``Number``, ``quantity``/``Qty``, ...), all checked before
        anything is sent. :meth:`update_bom` does the same through the public WSBF operation.
        """
        text("part_number", part_number)
        text("revision", revision)
        kind = format.strip().lower() if isinstance(format, str) else None
        if kind not in ("json", "xml", "wsbf"):
            raise invalid("format", format, "'json' or 'xml' (WSBF)")
        if isinstance(bom_items, str | bytes | Mapping):
            raise invalid("bom_items", bom_items, "a list of BomItem objects or dicts")
        items = [i if isinstance(i, BomItem) else BomItem.model_validate(dict(i)) for i in bom_items]
        kwargs = put_bom_internal_op.request_kwargs(
            part_number=part_number, revision=revision, format_="json" if kind == "json" else "xml"
        )
        if kind == "json":
            kwargs["json"] = [i.to_wire() for i in items]
        else:
            kwargs["content"] = bom_to_wsbf(part_number, revision, items).encode("utf-8")
            kwargs["headers"] = {"Content-Type": "application/xml; charset=utf-8"}
        result = self._call_parsed(
            put_bom_internal_op,
            kwargs,
            ignore_body,
            expect_data=False,
            resource_type="product revision",
            identifier=f"{part_number}/{revision}",
        )
        return bool(result)

    @uses(get_product_info_op)
    def get_box_build_subunits(self, part_number: str, revision: str) -> list[BoxBuildSubunit]:
        """⚠️ INTERNAL API: the subunits a product revision is built from (its box build's lines)."""
        template = self._box_build(part_number, revision)
        return [] if template is None else list(template.subunits)

    @uses(get_product_info_op)
    def get_product_hierarchy(self, part_number: str, revision: str) -> ProductHierarchyNode | None:
        """⚠️ INTERNAL API: a product revision's whole box-build tree (subunits, their subunits, ...).

        One ``GET /api/internal/Product/GetProductInfo`` per revision in the tree.
        """
        template = self._box_build(part_number, revision)
        if template is None:
            return None
        root = ProductHierarchyNode(part_number=template.part_number, revision=template.revision)
        self._fill_hierarchy(root, template.subunits, {_revision_key(part_number, revision)})
        return root

    def _fill_hierarchy(
        self, node: ProductHierarchyNode, subunits: list[BoxBuildSubunit], above: set[tuple[str, str]]
    ) -> None:
        for sub in subunits:
            child = ProductHierarchyNode(
                part_number=sub.child_part_number,
                revision=sub.child_revision,
                quantity=sub.quantity,
                relation_id=sub.relation_id,
                revision_mask=sub.revision_mask,
            )
            node.children.append(child)
            key = _revision_key(sub.child_part_number, sub.child_revision)
            if key in above:
                continue
            template = self._box_build(sub.child_part_number, sub.child_revision)
            if template is not None:
                self._fill_hierarchy(child, template.subunits, above | {key})

    @uses(get_revision_op, post_relation_op)
    def add_subunit(
        self,
        parent_part_number: str,
        parent_revision: str,
        child_part_number: str,
        child_revision: str,
        quantity: int = 1,
        revision_mask: str | None = None,
    ) -> BoxBuildSubunit | None:
        """⚠️ INTERNAL API: make a product revision require ``quantity`` of another (a box-build line).

        Both revisions must exist (STRICT: NotFoundError before anything is written; LENIENT:
        None). ``revision_mask`` (e.g. ``"1.%"``) lets units of matching child revisions fit.
        Returns the new line with its ``relation_id`` (for :meth:`remove_subunit`).
        """
        positive("quantity", quantity)
        if revision_mask is not None:
            text("revision_mask", revision_mask)
        parent = self.get_revision(parent_part_number, parent_revision)
        child = self.get_revision(child_part_number, child_revision)
        if parent is None or child is None:
            return None
        body: dict[str, Any] = {
            "ParentProductRevisionId": str(parent.product_revision_id),
            "ProductRevisionId": str(child.product_revision_id),
            "Quantity": quantity,
        }
        if revision_mask is not None:
            body["RevisionMask"] = revision_mask
        kwargs = post_relation_op.request_kwargs(body=body)
        saved = self._call_parsed(post_relation_op, kwargs, json_body, resource_type="product revision relation")
        if not isinstance(saved, dict):
            return None
        return BoxBuildSubunit(
            child_part_number=child_part_number,
            child_revision=child_revision,
            quantity=saved.get("Quantity") or quantity,
            relation_id=saved.get("ProductRevisionRelationId"),
            child_product_revision_id=child.product_revision_id,
            revision_mask=saved.get("RevisionMask", revision_mask),
        )

    @uses(delete_relation_op)
    def remove_subunit(self, relation_id: UUID | str) -> bool:
        """⚠️ INTERNAL API: delete a box-build line by its ``relation_id``. True once deleted.

        Unknown id: NotFoundError (LENIENT: False).
        """
        rid = guid("relation_id", relation_id, "a box-build line's relation_id (a GUID)")
        kwargs = delete_relation_op.request_kwargs(product_revision_relation_id=rid)
        result = self._call_parsed(
            delete_relation_op,
            kwargs,
            ignore_body,
            expect_data=False,
            resource_type="product revision relation",
            identifier=str(rid),
        )
        return bool(result)

    # -- deprecated ----------------------------------------------------------------------------

    @property
    def repository(self) -> SyncProductRepository:
        """Deprecated data-access object (each method warns); use the service's methods."""
        return SyncProductRepository(self)


class SyncProductRepository:
    """Deprecated: the old repository layer. Each method warns and forwards to the service."""

    def __init__(self, service: ProductService) -> None:
        self._service = service

    def get_bom(self, part_number: str, revision: str) -> str | None:
        """Deprecated: use ``api.product.get_bom_items()`` (or ``get_bom()`` for the XML)."""
        warnings.warn(
            "ProductRepository.get_bom() uses an internal API endpoint and is deprecated; "
            "use api.product.get_bom_items(part_number, revision) instead",
            DeprecationWarning,
            stacklevel=2,
        )
        return self._service.get_bom(part_number, revision)


def _revision_key(part_number: str, revision: str) -> tuple[str, str]:
    return part_number.strip().casefold(), revision.strip().casefold()


def _is_not_found(error: BaseException) -> bool:
    return isinstance(error, NotFoundError)
