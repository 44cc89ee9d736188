"""Product models: the documents' field names round-trip, unknown fields survive, guide names work."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from uuid import UUID
from xml.etree import ElementTree

import pytest
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from pywats import InvalidArgumentError
from pywats.domains.product import (
    BomItem,
    BoxBuildTemplate,
    Product,
    ProductCategory,
    ProductGroup,
    ProductRevision,
    ProductState,
    ProductView,
    Vendor,
)
from pywats.domains.product.models import bom_to_wsbf, replace_tags, tags_from_xml, tags_to_xml

PID = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
RID = "6fa459ea-ee8a-3ca4-894e-db77e160355e"

# model, document, schema name (suffix of the definition key)
SCHEMAS = [
    (Product, "openapi_public.json", "Mes.Product.Public.Product"),
    (ProductRevision, "openapi_public.json", "Mes.Product.Public.ProductRevision"),
    (ProductView, "openapi_public.json", "Mes.Product.ProductView"),
    (Vendor, "openapi_public.json", "Mes.ERP.Vendor"),
    (BomItem, "openapi_internal.json", "WSBF.BOMComponent"),
    (ProductCategory, "openapi_internal.json", "Mes.Product.ProductCategory"),
]
# Documented fields the models do not model on purpose (the rest are aliases).
NOT_MODELLED = {"WSBF.BOMComponent": {"QtySpecified"}}


def _wire_names(model: type[BaseModel]) -> set[str]:
    return {info.alias or name for name, info in model.model_fields.items() if not info.exclude}


@pytest.mark.parametrize(("model", "doc", "schema"), SCHEMAS, ids=[s for _, _, s in SCHEMAS])
def test_every_documented_field_is_an_alias(model: type[BaseModel], doc: str, schema: str, spec_dir: Path) -> None:
    definitions = json.loads((spec_dir / doc).read_text(encoding="utf-8"))["definitions"]
    (props,) = [d["properties"] for key, d in definitions.items() if key.endswith("." + schema)]
    assert set(props) - NOT_MODELLED.get(schema, set()) <= _wire_names(model)


def product_wire() -> dict[str, Any]:
    return {
        "productId": PID,
        "partNumber": "WIDGET-001",
        "name": "Widget",
        "description": "A widget",
        "nonSerial": True,
        "state": 0,
        "xmlData": '<Root><Site Value="01"/></Root>',
        "productCategoryId": PID,
        "productCategoryName": "PCB",
        "tags": [{"key": "Site", "value": "01", "change": 0}],
        "revisions": [
            {
                "productRevisionId": RID,
                "productId": PID,
                "revision": "A",
                "name": "Rev A",
                "description": "first",
                "state": 1,
                "xmlData": None,
                "PartNumber": "WIDGET-001",
                "tags": [],
                "futureRevisionField": [1, 2],
            }
        ],
        "futureField": {"kept": True},
    }


def test_product_round_trips_the_wire_format_and_keeps_unknown_fields() -> None:
    wire = product_wire()
    product = Product.model_validate(wire)
    assert product.part_number == "WIDGET-001"
    assert product.product_id == UUID(PID)
    assert product.non_serial is True
    assert product.state is ProductState.INACTIVE
    assert product.revisions[0].part_number == "WIDGET-001"
    assert product.model_extra == {"futureField": {"kept": True}}
    expected = dict(wire)
    expected["revisions"] = [{k: v for k, v in wire["revisions"][0].items() if v is not None}]
    assert product.to_wire() == expected


def test_guide_attribute_names_and_derived_fields() -> None:
    product = Product.model_validate(product_wire())
    assert product.revision == "A"  # the current (last listed) revision
    assert product.created is None and product.modified is None
    assert product.revisions[0].effective_date is None
    for name in ("revision", "created", "modified"):
        assert name not in product.to_wire()
    made = Product(part_number="BATCH-001", name="Batch", state=ProductState.ACTIVE)
    assert made.to_wire() == {
        "partNumber": "BATCH-001",
        "name": "Batch",
        "nonSerial": False,
        "state": 1,
        "tags": [],
        "revisions": [],
    }
    revision = ProductRevision(part_number="W", revision="D", product_id=UUID(PID))
    assert revision.to_wire()["PartNumber"] == "W" and revision.to_wire()["productId"] == PID


def test_assignment_is_validated() -> None:
    product = Product(part_number="X")
    product.state = ProductState.INACTIVE
    assert product.to_wire()["state"] == 0
    with pytest.raises(InvalidArgumentError, match="state"):
        product.state = 7  # type: ignore[assignment]
    with pytest.raises(PydanticValidationError):
        Product.model_validate({"name": "no part number"})


def test_state_prints_its_name_and_sends_its_number() -> None:
    assert f"{ProductState.ACTIVE}" == "ACTIVE"
    assert json.dumps(ProductView(part_number="X", state=ProductState.ACTIVE).to_wire()) == (
        '{"partNumber": "X", "state": 1}'
    )
    view = ProductView.model_validate({"partNumber": "X", "name": "n", "category": "c", "nonSerial": False, "state": 1})
    assert (view.part_number, view.category, view.non_serial, view.state) == ("X", "c", False, ProductState.ACTIVE)


def test_bom_item_wire_names_and_wsbf() -> None:
    item = BomItem.model_validate({"Number": "R1", "Rev": "A", "Qty": 5, "Desc": "res", "Ref": "R1,R2", "X": 1})
    assert (item.part_number, item.revision, item.quantity, item.reference_designator) == ("R1", "A", 5, "R1,R2")
    assert item.to_wire() == {"Number": "R1", "Rev": "A", "Qty": 5, "Desc": "res", "Ref": "R1,R2", "X": 1}
    with pytest.raises(InvalidArgumentError, match="quantity"):
        BomItem(part_number="R1", quantity=-1)
    root = ElementTree.fromstring(bom_to_wsbf("W", "A", [item, BomItem(part_number="C1")], "desc"))
    ns = "{http://wats.virinco.com/schemas/WATS/wsbf}"
    assert root.tag == f"{ns}BOM" and root.attrib == {"Partnumber": "W", "Revision": "A", "Desc": "desc"}
    comps = [c.attrib for c in root]
    assert comps == [
        {"Number": "R1", "Qty": "5", "Rev": "A", "Desc": "res", "Ref": "R1,R2"},
        {"Number": "C1", "Qty": "1"},
    ]


def test_tags_xml_round_trip_and_bad_keys() -> None:
    tags = [{"key": "RoHS", "value": "Compliant"}, {"key": "Lead.Time", "value": '2 <weeks> & "more"'}]
    assert tags_from_xml(tags_to_xml(tags)) == tags
    assert tags_from_xml(None) == [] and tags_from_xml("not xml") == []
    for bad in ("has space", "1digit", "", "xmlFoo"):
        with pytest.raises(ValueError, match="not usable"):
            tags_to_xml([{"key": bad, "value": "v"}])


def test_vendor_and_category_read_like_the_guides_dicts() -> None:
    vendor = Vendor.model_validate({"name": "Acme", "contact": "John"})
    assert vendor.vendor_name == "Acme"
    assert (vendor.get("name"), vendor.get("VendorName"), vendor.get("contact"), vendor.get("email", "N/A")) == (
        "Acme",
        "Acme",
        "John",
        "N/A",
    )
    assert vendor.to_wire() == {"VendorName": "Acme", "contact": "John"}
    assert vendor["contact"] == "John"
    with pytest.raises(KeyError):
        vendor["phone"]
    category = ProductCategory.model_validate({"ProductCategoryId": PID, "Name": "PCB"})
    assert (category.get("id"), category.get("name"), category.get("Name")) == (UUID(PID), "PCB", "PCB")


def test_product_group_wire() -> None:
    group = ProductGroup.model_validate({"id": 3, "name": "G", "description": None, "type": 0, "syncId": PID})
    assert (group.product_group_id, group.name, group.sync_id) == (3, "G", UUID(PID))
    assert group.to_wire() == {"id": 3, "name": "G", "type": 0, "syncId": PID}


def test_box_build_template_editing_and_changes() -> None:
    template = BoxBuildTemplate(part_number="MAIN", revision="A")
    template.add_subunit("PCBA", "A")
    template._mark_saved()
    template.add_subunit("PSU", "B", quantity=2)
    template.add_subunit("PSU", "B", quantity=3)  # the same child again sets its quantity
    template.update_subunit("PCBA", "A", quantity=4)
    assert [(s.child_part_number, s.quantity) for s in template.subunits] == [("PCBA", 4), ("PSU", 3)]
    added, changed, removed = template.changes()
    assert ([s.child_part_number for s in added], [s.child_part_number for s in changed], removed) == (
        ["PSU"],
        ["PCBA"],
        [],
    )
    assert template.remove_subunit("PCBA", "A") is True
    assert template.remove_subunit("PCBA", "A") is False
    assert [s.child_part_number for s in template.changes()[2]] == ["PCBA"]
    with pytest.raises(KeyError, match="no subunit NOPE"):
        template.update_subunit("NOPE", "A", quantity=1)
    with pytest.raises(ValueError, match="at least 1"):
        template.add_subunit("X", "A", quantity=0)
    with pytest.raises(RuntimeError, match="get_box_build_template"):
        template.save()


def test_replacing_tags_keeps_a_bom_in_xml_data() -> None:
    xml = (
        '<Root><Old Value="x"/><BOM xmlns="http://wats.virinco.com/schemas/WATS/wsbf" Partnumber="W" Revision="A">'
        '<Component Number="C1"/></BOM></Root>'
    )
    replaced = replace_tags(xml, [{"key": "New", "value": "1"}])
    assert tags_from_xml(replaced) == [{"key": "New", "value": "1"}]
    bom = ElementTree.fromstring(replaced)[1]
    assert bom.tag.endswith("BOM") and bom[0].get("Number") == "C1"
    assert tags_from_xml(replace_tags(None, [])) == []
