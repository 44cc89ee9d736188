"""Product domain models: products, revisions, BOM items, groups, vendors, categories, box builds.

Attributes are snake_case; the server's field names (the WATS documents' schemas) are the
aliases, so ``Product.model_validate(server_json)`` and ``product.to_wire()`` round-trip. Fields
the server sends that these models do not know are kept (``model_extra``) and sent back.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import datetime
from enum import IntEnum
from typing import Any
from uuid import UUID
from xml.etree import ElementTree

from pydantic import AliasChoices, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from ...core.exceptions import InvalidArgumentError
from ...core.model import FacadeModel
from .._fields import wire_field as _alias

__all__ = [
    "AsyncBoxBuildTemplate",
    "BomItem",
    "BoxBuildSubunit",
    "BoxBuildTemplate",
    "Product",
    "ProductCategory",
    "ProductGroup",
    "ProductHierarchyNode",
    "ProductRevision",
    "ProductState",
    "ProductView",
    "SyncBoxBuildTemplate",
    "Vendor",
    "bom_to_wsbf",
    "replace_tags",
    "tags_from_xml",
    "tags_to_xml",
]


class ProductState(IntEnum):
    """A product's or revision's state; the server sends the integer (1 active, 0 inactive)."""

    INACTIVE = 0
    ACTIVE = 1

    def __str__(self) -> str:
        # Printed, a state reads as its name ("State: ACTIVE"); the integer is what goes on the wire.
        return self.name


class _WireModel(FacadeModel):
    """Base: snake_case attributes, server names as aliases, unknown server fields kept."""

    model_config = ConfigDict(populate_by_name=True, extra="allow", validate_assignment=True)

    def get(self, key: str, default: Any = None) -> Any:
        """Mapping-style read by attribute name, server field name or kept unknown field.

        Vendors and categories also read as dictionaries (``vendor.get("name")``).
        """
        name = _DICT_KEYS.get(type(self).__name__, {}).get(key, key)
        fields = type(self).model_fields
        if name in fields:
            value = getattr(self, name)
            return default if value is None else value
        for field_name, info in fields.items():
            if info.alias == key:
                value = getattr(self, field_name)
                return default if value is None else value
        return (self.model_extra or {}).get(key, default)

    def __getitem__(self, key: str) -> Any:
        missing = object()
        value = self.get(key, missing)
        if value is missing:
            raise KeyError(key)
        return value


def _local(default: Any = None, *wire: str) -> Any:
    """A field the documents do not define: accepted if a server sends it, never sent."""
    if not wire:
        return Field(default=default, exclude=True)
    return Field(default=default, exclude=True, validation_alias=AliasChoices(*wire))


_TAG_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")


# Characters XML 1.0 cannot hold, even escaped: the server would refuse the document.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def tags_to_xml(tags: list[dict[str, str]]) -> str:
    """The ``xmlData`` document WATS derives a product's or revision's tags from.

    Raises ``ValueError`` for a key that cannot be an XML element name, before anything is sent.
    """
    root = ElementTree.Element("Root")
    for tag in tags:
        key, value = tag.get("key"), tag.get("value")
        if not isinstance(key, str) or not _TAG_NAME.match(key) or key.lower().startswith("xml"):
            raise ValueError(f"tag key {key!r} is not usable: keys must be XML names (letters, digits, _ . -)")
        text = "" if value is None else str(value)
        if _NOT_XML.search(text):
            raise InvalidArgumentError(
                f"tag {key!r}: value {text[:40]!r} holds a control character XML cannot carry "
                "(only tab, CR and LF are allowed)"
            )
        ElementTree.SubElement(root, key, {"Value": text})
    return ElementTree.tostring(root, encoding="unicode")


def replace_tags(xml_data: str | None, tags: list[dict[str, str]]) -> str:
    """``xml_data`` with its tags replaced by ``tags``; a WSBF ``BOM`` element in it is kept.

    Raises ``ValueError`` for an unusable key (see :func:`tags_to_xml`).
    """
    root = ElementTree.fromstring(tags_to_xml(tags))
    if xml_data and xml_data.strip():
        try:
            old = ElementTree.fromstring(xml_data)
        except ElementTree.ParseError:
            old = None
        for element in old if old is not None else []:
            if element.tag.rsplit("}", 1)[-1] == "BOM":
                root.append(element)
    return ElementTree.tostring(root, encoding="unicode")


def tags_from_xml(xml_data: str | None) -> list[dict[str, str]]:
    """The key/value tags an ``xmlData`` document holds (``<Root><Key Value="..."/></Root>``)."""
    if not xml_data or not xml_data.strip():
        return []
    try:
        root = ElementTree.fromstring(xml_data)
    except ElementTree.ParseError:
        return []
    return [
        {"key": el.tag, "value": el.get("Value", el.text or "")} for el in root if el.tag.rsplit("}", 1)[-1] != "BOM"
    ]


class _Tagged(_WireModel):
    tags: list[dict[str, Any]] = Field(default_factory=list)
    xml_data: str | None = _alias("xmlData")

    def tag_list(self) -> list[dict[str, str]]:
        """Tags as ``{"key", "value"}`` dicts: the server's ``tags``, else parsed ``xmlData``."""
        if self.tags:
            return [{"key": str(t.get("key", "")), "value": str(t.get("value") or "")} for t in self.tags]
        return tags_from_xml(self.xml_data)


class ProductRevision(_Tagged):
    """One revision of a product (wire: the public ``ProductRevision`` schema).

    ``effective_date``, ``created`` and ``modified`` are not in the WATS documents; they are
    ``None`` unless a server sends them, and are never sent.
    """

    revision: str
    product_revision_id: UUID | None = _alias("productRevisionId")
    product_id: UUID | None = _alias("productId")
    name: str | None = None
    description: str | None = None
    state: ProductState = ProductState.ACTIVE
    # The public document spells this one field with a capital P.
    part_number: str | None = _alias("PartNumber", "partNumber")
    effective_date: datetime | None = _local(None, "effectiveDate")
    created: datetime | None = _local(None, "created")
    modified: datetime | None = _local(None, "modified")


class Product(_Tagged):
    """A product (part number) in the catalogue (wire: the public ``Product`` schema).

    ``revision`` is the current revision's name, taken from the last of ``revisions`` the
    server listed; ``created`` and ``modified`` are not in the WATS documents (``None`` unless a
    server sends them). None of these three is sent.
    """

    part_number: str = _alias("partNumber", default=...)
    product_id: UUID | None = _alias("productId")
    name: str | None = None
    description: str | None = None
    non_serial: bool = _alias("nonSerial", default=False)
    state: ProductState = ProductState.ACTIVE
    product_category_id: UUID | None = _alias("productCategoryId")
    product_category_name: str | None = _alias("productCategoryName")
    revisions: list[ProductRevision] = Field(default_factory=list)
    revision: str | None = _local(None)
    created: datetime | None = _local(None, "created")
    modified: datetime | None = _local(None, "modified")

    @field_validator("non_serial", mode="before")
    @classmethod
    def _null_is_false(cls, value: Any) -> Any:
        return False if value is None else value

    @model_validator(mode="after")
    def _current_revision(self) -> Product:
        if self.revision is None and self.revisions:
            # Direct __dict__ write: validate_assignment would re-run this validator.
            self.__dict__["revision"] = self.revisions[-1].revision
        return self


class ProductView(_WireModel):
    """A product as the product list gives it (wire: ``ProductView``)."""

    part_number: str = _alias("partNumber", default=...)
    name: str | None = None
    category: str | None = None
    non_serial: bool | None = _alias("nonSerial")
    state: ProductState | None = None


class BomItem(_WireModel):
    """One line of a bill of materials (wire: WSBF ``BOMComponent``)."""

    part_number: str = _alias("Number", default=...)
    revision: str | None = _alias("Rev")
    quantity: int = _alias("Qty", default=1)
    description: str | None = _alias("Desc")
    reference_designator: str | None = _alias("Ref")
    function_block: str | None = _alias("FunctionBlock")

    @field_validator("quantity")
    @classmethod
    def _positive(cls, value: int) -> int:
        if value < 0:
            raise ValueError("quantity must not be negative")
        return value


_WSBF_NS = "http://wats.virinco.com/schemas/WATS/wsbf"


def bom_to_wsbf(part_number: str, revision: str, items: list[BomItem], description: str | None = None) -> str:
    """The WSBF (WATS Standard BOM Format) XML document for a revision's BOM."""
    attrs = {"xmlns": _WSBF_NS, "Partnumber": part_number, "Revision": revision}
    if description:
        attrs["Desc"] = description
    root = ElementTree.Element("BOM", attrs)
    for item in items:
        comp = {"Number": item.part_number, "Qty": str(item.quantity)}
        for key, value in (
            ("Rev", item.revision),
            ("Desc", item.description),
            ("Ref", item.reference_designator),
            ("FunctionBlock", item.function_block),
        ):
            if value is not None:
                comp[key] = value
        ElementTree.SubElement(root, "Component", comp)
    return ElementTree.tostring(root, encoding="unicode")


class ProductGroup(_WireModel):
    """A product group (wire: the internal document's ``ProductSelection``; ``id`` is an integer)."""

    product_group_id: int | None = _alias("id")
    name: str = ""
    description: str | None = None
    owner: str | None = None
    sync_id: UUID | None = _alias("syncId")


class Vendor(_WireModel):
    """A vendor (wire: ``Vendor``, whose only documented field is ``VendorName``).

    Other fields (``contact``, ``email``, ...) are kept as given. ``vendor.get("name")`` works.
    """

    vendor_name: str = _alias("VendorName", "name", "vendorName", default=...)


class ProductCategory(_WireModel):
    """A product category (wire: internal ``ProductCategory``). ``category.get("id")`` works."""

    product_category_id: UUID | None = _alias("ProductCategoryId")
    name: str | None = _alias("Name")
    description: str | None = _alias("Description")


# The dictionary keys read by name, per model.
_DICT_KEYS: dict[str, dict[str, str]] = {
    "Vendor": {"name": "vendor_name"},
    "ProductCategory": {"id": "product_category_id"},
}


class BoxBuildSubunit(FacadeModel):
    """A subunit a box build requires: a child product revision and how many of it."""

    model_config = ConfigDict(validate_assignment=True)

    child_part_number: str
    child_revision: str
    quantity: int = Field(default=1, ge=1)
    relation_id: UUID | None = None
    child_product_revision_id: UUID | None = None
    revision_mask: str | None = None


class _BoxBuildBase(FacadeModel):
    """What a product revision is built from (design time). ⚠️ INTERNAL API behind it."""

    model_config = ConfigDict(validate_assignment=True)

    part_number: str
    revision: str
    product_revision_id: UUID | None = None
    subunits: list[BoxBuildSubunit] = Field(default_factory=list)
    _saved: list[BoxBuildSubunit] = PrivateAttr(default_factory=list)

    def _find(self, part_number: str, revision: str) -> BoxBuildSubunit | None:
        for sub in self.subunits:
            if sub.child_part_number == part_number and sub.child_revision == revision:
                return sub
        return None

    def add_subunit(self, part_number: str, revision: str, quantity: int = 1) -> BoxBuildSubunit:
        """Require ``quantity`` of a child revision; if already required, its quantity becomes this.

        Setting rather than adding keeps a script that defines a structure safe to run twice.
        """
        if quantity < 1:
            raise ValueError(f"quantity must be at least 1, not {quantity}")
        existing = self._find(part_number, revision)
        if existing is not None:
            existing.quantity = quantity
            return existing
        sub = BoxBuildSubunit(child_part_number=part_number, child_revision=revision, quantity=quantity)
        self.subunits.append(sub)
        return sub

    def update_subunit(self, part_number: str, revision: str, quantity: int) -> BoxBuildSubunit:
        """Change a required subunit's quantity; ``KeyError`` if the template does not have it."""
        if quantity < 1:
            raise ValueError(f"quantity must be at least 1, not {quantity}")
        existing = self._find(part_number, revision)
        if existing is None:
            raise KeyError(f"{self.part_number} rev {self.revision} has no subunit {part_number} rev {revision}")
        existing.quantity = quantity
        return existing

    def remove_subunit(self, part_number: str, revision: str) -> bool:
        """Drop a subunit; False if the template did not have it."""
        existing = self._find(part_number, revision)
        if existing is None:
            return False
        self.subunits.remove(existing)
        return True

    def _mark_saved(self) -> None:
        self._saved = [sub.model_copy() for sub in self.subunits]

    def changes(self) -> tuple[list[BoxBuildSubunit], list[BoxBuildSubunit], list[BoxBuildSubunit]]:
        """(added, changed, removed) subunits since the template was read or last saved."""
        before = {(s.child_part_number, s.child_revision): s for s in self._saved}
        now = {(s.child_part_number, s.child_revision): s for s in self.subunits}
        added = [s for k, s in now.items() if k not in before]
        changed = [s for k, s in now.items() if k in before and before[k].quantity != s.quantity]
        removed = [s for k, s in before.items() if k not in now]
        return added, changed, removed


class BoxBuildTemplate(_BoxBuildBase):
    """A box build template from ``pyWATS``; ``save()`` writes the changes to the server."""

    _saver: Callable[[BoxBuildTemplate], bool] | None = PrivateAttr(default=None)

    def save(self) -> bool:
        """Send the added, changed and removed subunits to the server."""
        if self._saver is None:
            raise RuntimeError("this template was not read from a server; use api.product.get_box_build_template()")
        return self._saver(self)


class AsyncBoxBuildTemplate(_BoxBuildBase):
    """A box build template from ``AsyncWATS``; ``await template.save()`` writes the changes."""

    _saver: Callable[[AsyncBoxBuildTemplate], Awaitable[bool]] | None = PrivateAttr(default=None)

    async def save(self) -> bool:
        """Send the added, changed and removed subunits to the server."""
        if self._saver is None:
            raise RuntimeError("this template was not read from a server; use api.product.get_box_build_template()")
        return await self._saver(self)


# The blocking service is generated from the async one, which spells this class
# ``AsyncBoxBuildTemplate``; unasync turns that into ``SyncBoxBuildTemplate``.
SyncBoxBuildTemplate = BoxBuildTemplate


class ProductHierarchyNode(FacadeModel):
    """A product revision in a box-build tree: what it is, how many its parent needs, its own subunits.

    The root (the revision asked for) has quantity 1 and no ``relation_id``. A revision met again
    below itself (a loop in the box builds) is listed once more without its children.
    """

    part_number: str
    revision: str
    quantity: int = 1
    relation_id: UUID | None = None
    revision_mask: str | None = None
    children: list[ProductHierarchyNode] = Field(default_factory=list)

    def walk(self) -> list[tuple[int, ProductHierarchyNode]]:
        """Every node with its depth (the root is 0), parents before their children."""
        found = [(0, self)]
        for child in self.children:
            found.extend((depth + 1, node) for depth, node in child.walk())
        return found
