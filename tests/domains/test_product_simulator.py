"""The simulator's Product routes, spoken to with plain httpx (no facade): wire format and state."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from pywats.simulator import Simulator
from pywats.simulator.routes import product as routes
from pywats.simulator.routes import route_table
from pywats.simulator.wire import DataError


@pytest.fixture
def http(wats_simulator: Simulator) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Basic {wats_simulator.token}", "Referer": wats_simulator.url}
    with httpx.Client(base_url=wats_simulator.url, headers=headers) as client:
        yield client


def test_every_route_is_registered_by_this_module() -> None:
    owners = route_table().owners
    assert {owners[key] for key in routes.ROUTES} == {"product"}


def test_seeded_catalogue_has_the_guides_product(http: httpx.Client) -> None:
    product = http.get("/api/Product/WIDGET-001").json()
    assert product["partNumber"] == "WIDGET-001" and product["state"] == 1
    assert [r["revision"] for r in product["revisions"]] == ["A", "B"]
    assert product["revisions"][0]["PartNumber"] == "WIDGET-001"
    assert {t["key"]: t["value"] for t in product["tags"]} == {"Category": "Electronics", "RoHS": "Compliant"}
    views = http.get("/api/Product/Query").json()
    assert {"partNumber", "name", "category", "nonSerial", "state"} == set(views[0])
    assert "WIDGET-001" in [v["partNumber"] for v in views]


def test_unknown_product_and_revision_are_404(http: httpx.Client) -> None:
    for path in ("/api/Product/UNKNOWN", "/api/Product/WIDGET-001/Z", "/api/Product/UNKNOWN/A"):
        response = http.get(path)
        assert response.status_code == 404 and "not found" in response.json()["Message"]


def test_create_then_get_returns_it_with_unknown_fields_and_tags(http: httpx.Client) -> None:
    body = {"partNumber": "NEW-1", "name": "New", "xmlData": '<Root><Site Value="01"/></Root>', "future": [1]}
    created = http.put("/api/Product", json=body).json()
    fetched = http.get("/api/Product/new-1").json()  # part numbers match regardless of case
    assert created == fetched
    assert fetched["future"] == [1] and fetched["tags"] == [{"key": "Site", "value": "01", "change": 0}]
    fetched["name"] = "Renamed"
    assert http.put("/api/Product", json=fetched).json()["name"] == "Renamed"
    assert http.get("/api/Product/NEW-1").json()["productId"] == created["productId"]


@pytest.mark.parametrize(
    "body",
    [{"name": "no part number"}, {"partNumber": "X", "state": 5}, {"partNumber": "X", "xmlData": "<Root>"}, [1]],
)
def test_invalid_product_is_400_and_stores_nothing(http: httpx.Client, body: Any) -> None:
    before = http.get("/api/Product/Query").json()
    response = http.put("/api/Product", json=body)
    assert response.status_code == 400 and response.json()["Message"]
    assert http.get("/api/Product/Query").json() == before


def test_revision_needs_its_product(http: httpx.Client) -> None:
    assert http.put("/api/Product/Revision", json={"PartNumber": "NOPE", "revision": "A"}).status_code == 404
    saved = http.put("/api/Product/Revision", json={"PartNumber": "WIDGET-001", "revision": "C", "name": "C"}).json()
    assert http.get("/api/Product/WIDGET-001/C").json() == saved


def test_bulk_revisions_are_all_or_nothing(http: httpx.Client) -> None:
    bad = [{"PartNumber": "WIDGET-001", "revision": "D"}, {"PartNumber": "NOPE", "revision": "A"}]
    assert http.put("/api/Products/Revisions", json=bad).status_code == 404
    assert http.get("/api/Product/WIDGET-001/D").status_code == 404
    good = [{"PartNumber": "WIDGET-001", "revision": "D"}, {"PartNumber": "PN-001", "revision": "C"}]
    assert [r["revision"] for r in http.put("/api/Products/Revisions", json=good).json()] == ["D", "C"]


def test_bulk_products_validate_every_item_first(http: httpx.Client) -> None:
    response = http.put("/api/Products", json=[{"partNumber": "OK-1"}, {"name": "bad"}])
    assert response.status_code == 400 and "[1]" in response.json()["Message"]
    assert http.get("/api/Product/OK-1").status_code == 404


def test_bom_is_read_through_the_internal_api(http: httpx.Client) -> None:
    bom = http.get("/api/internal/Product/Bom", params={"partNumber": "WIDGET-001", "revision": "A"}).json()
    assert bom[0]["Number"] == "RESISTOR-10K" and bom[0]["Qty"] == 4
    assert http.get("/api/internal/Product/Bom", params={"partNumber": "WIDGET-001", "revision": "B"}).json() == []
    missing = http.get("/api/internal/Product/Bom", params={"partNumber": "NOPE", "revision": "A"})
    assert missing.status_code == 404


WSBF = (
    '<BOM xmlns="http://wats.virinco.com/schemas/WATS/wsbf" Partnumber="WIDGET-001" Revision="B">'
    '<Component Number="C1" Rev="A" Qty="2" Ref="C1;C2"/></BOM>'
)


def test_bom_upload_takes_wsbf_xml(http: httpx.Client) -> None:
    def put(xml: str) -> httpx.Response:
        return http.put("/api/Product/BOM", content=xml.encode(), headers={"Content-Type": "application/xml"})

    assert put(WSBF).status_code == 200
    bom = http.get("/api/internal/Product/Bom", params={"partNumber": "WIDGET-001", "revision": "B"}).json()
    assert bom == [{"Number": "C1", "Rev": "A", "Qty": 2, "QtySpecified": True, "Ref": "C1;C2"}]
    assert put("<BOM").status_code == 400
    assert put('<BOM Partnumber="NOPE" Revision="A"/>').status_code == 404
    bad_qty = put('<BOM Partnumber="WIDGET-001" Revision="B"><Component Number="X" Qty="many"/></BOM>')
    assert bad_qty.status_code == 400 and "Qty" in bad_qty.json()["Message"]
    # a refused upload leaves the stored BOM as it was
    assert http.get("/api/internal/Product/Bom", params={"partNumber": "WIDGET-001", "revision": "B"}).json() == bom


def test_groups_and_groups_by_product(http: httpx.Client) -> None:
    groups = http.get("/api/App/ProductGroups").json()
    assert [g["name"] for g in groups] == ["Electronics", "Widgets", "New Products"]
    assert "details" not in groups[0]
    assert http.get("/api/App/ProductGroups", params={"includeFilters": "true"}).json()[0]["details"]
    by_rev_b = http.get("/api/Product/ProductGroupsByProduct", params={"partNumber": "WIDGET-001", "revision": "B"})
    assert [g["name"] for g in by_rev_b.json()] == ["Electronics"]
    by_rev_a = http.get("/api/Product/ProductGroupsByProduct", params={"partNumber": "WIDGET-001", "revision": "A"})
    assert [g["name"] for g in by_rev_a.json()] == ["Electronics", "Widgets"]


def test_vendors_put_get_delete(http: httpx.Client) -> None:
    assert http.put("/api/Product/Vendors", json=[{"name": "no VendorName"}]).status_code == 400
    saved = http.put("/api/Product/Vendors", json=[{"VendorName": "Zeta", "email": "z@z"}]).json()
    assert saved == [{"VendorName": "Zeta", "email": "z@z"}]
    http.put("/api/Product/Vendors", json=[{"VendorName": "zeta", "phone": "1"}])
    zeta = [v for v in http.get("/api/Product/Vendors").json() if v["VendorName"].lower() == "zeta"]
    assert zeta == [{"VendorName": "zeta", "email": "z@z", "phone": "1"}]
    assert http.request("DELETE", "/api/Product/Vendors", json=[{"VendorName": "ZETA"}]).json() == {"Deleted": 1}
    assert all(v["VendorName"].lower() != "zeta" for v in http.get("/api/Product/Vendors").json())


def test_categories(http: httpx.Client) -> None:
    names = [c["Name"] for c in http.get("/api/internal/Product/GetProductCategories").json()]
    assert names == ["Assembly", "PCB"]
    saved = http.put("/api/internal/Product/PutProductCategories", json=[{"Name": "Cables"}]).json()
    assert saved[0]["ProductCategoryId"] and saved[0]["Name"] == "Cables"
    assert len(http.get("/api/internal/Product/GetProductCategories").json()) == 3


def test_box_build_relations(http: httpx.Client) -> None:
    params = {"partNumber": "MAIN-ASSEMBLY", "revision": "A"}
    info = http.get("/api/internal/Product/GetProductInfo", params=params).json()
    children = {r["ChildProductRevision"]["Product"]["PartNumber"]: r for r in info["ChildProductRevisionRelations"]}
    assert children["CABLE-ASSY"]["Quantity"] == 3 and children["CABLE-ASSY"]["ChildProductRevision"]["Revision"] == "C"
    ssd = http.get("/api/Product/SSD-512GB/A").json()["productRevisionId"]
    new = {"ParentProductRevisionId": info["ProductRevisionId"], "ProductRevisionId": ssd, "Quantity": 2}
    relation = http.post("/api/internal/Product/PostProductRevisionRelation", json=new).json()
    relation["Quantity"] = 5
    assert http.put("/api/internal/Product/PutProductRevisionRelation", json=relation).json()["Quantity"] == 5
    assert (
        http.put("/api/internal/Product/PutProductRevisionRelation", json={**relation, "Quantity": 0}).status_code
        == 400
    )
    rid = {"productRevisionRelationId": relation["ProductRevisionRelationId"]}
    assert http.delete("/api/internal/Product/DeleteProductRevisionRelation", params=rid).status_code == 200
    assert http.delete("/api/internal/Product/DeleteProductRevisionRelation", params=rid).status_code == 404
    bad = {**new, "ProductRevisionId": "00000000-0000-0000-0000-000000000001"}
    assert http.post("/api/internal/Product/PostProductRevisionRelation", json=bad).status_code == 400
    self_ref = {**new, "ProductRevisionId": info["ProductRevisionId"]}
    assert http.post("/api/internal/Product/PostProductRevisionRelation", json=self_ref).status_code == 400


def test_reset_returns_to_the_seed(wats_simulator: Simulator, http: httpx.Client) -> None:
    http.put("/api/Product", json={"partNumber": "TEMP"})
    wats_simulator.reset()
    assert http.get("/api/Product/TEMP").status_code == 404


def test_user_data_replaces_the_catalogue() -> None:
    data = {"products": [{"partNumber": "MY-1", "name": "Mine", "revisions": [{"revision": "1.0"}], "extra": 1}]}
    with Simulator(data=data) as sim:
        headers = {"Authorization": f"Basic {sim.token}"}
        product = httpx.get(f"{sim.url}/api/Product/MY-1", headers=headers).json()
        assert product["name"] == "Mine" and product["extra"] == 1 and product["revisions"][0]["revision"] == "1.0"
        assert [p["partNumber"] for p in httpx.get(f"{sim.url}/api/Product/Query", headers=headers).json()] == ["MY-1"]
        assert httpx.get(f"{sim.url}/api/Product/WIDGET-001", headers=headers).status_code == 404


@pytest.mark.parametrize(
    ("products", "message"),
    [
        ({"partNumber": "X"}, "must be a list"),
        ([{"name": "no pn"}], r"products\[0\]: partNumber is required"),
        ([{"partNumber": "X"}, {"partNumber": "x"}], "appears twice"),
        ([{"partNumber": "X", "revisions": [{"name": "no rev"}]}], r"revisions\[0\]: revision is required"),
    ],
)
def test_bad_user_data_is_named(products: Any, message: str) -> None:
    with pytest.raises(DataError, match=message):
        Simulator(data={"products": products})
