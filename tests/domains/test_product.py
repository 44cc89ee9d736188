"""The Product domain against the simulator, sync and async."""

from __future__ import annotations

import asyncio
import inspect
import uuid
import warnings
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import httpx
import pytest
from flavors import Flavor

import pywats
from pywats import AsyncWATS, EmptyResponseError, InvalidArgumentError, NotFoundError, ServerError, pyWATS
from pywats.core.exceptions import ErrorMode
from pywats.domains.product import (
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
from pywats.simulator import Simulator
from pywats.simulator.routes import product as product_routes


def _template_for_save() -> BoxBuildTemplate:
    """MAIN-ASSEMBLY rev A as seeded, then one subunit added, one changed and one removed."""
    relations = product_routes.seed()["product_relations"]
    template = BoxBuildTemplate(
        part_number="MAIN-ASSEMBLY",
        revision="A",
        product_revision_id=relations[0]["ParentProductRevisionId"],
        subunits=[
            BoxBuildSubunit(
                child_part_number=pn,
                child_revision=rev,
                quantity=qty,
                relation_id=r["ProductRevisionRelationId"],
                child_product_revision_id=r["ProductRevisionId"],
            )
            for (pn, rev, qty), r in zip(product_routes._MAIN_ASSEMBLY, relations, strict=True)
        ],
    )
    template._mark_saved()
    template.add_subunit("SSD-512GB", "A")
    template.update_subunit("CABLE-ASSY", "C", quantity=5)
    template.remove_subunit("ENCLOSURE", "A")
    return template


CATEGORY = product_routes.seed()["product_categories"][0]["ProductCategoryId"]

# Example calls for the framework's traffic test (tests/test_bindings.py): method -> (args, kwargs).
FACADE_CALLS: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {
    "get_products": ((), {}),
    "get_products_full": ((), {}),
    "get_active_products": ((), {}),
    "get_product": (("WIDGET-001",), {}),
    "get_products_batch": ((["WIDGET-001", "PN-001"],), {}),
    "create_product": (("NEW-1", "New"), {}),
    "update_product": ((Product(part_number="WIDGET-001", name="Renamed"),), {}),
    "bulk_save_products": (([Product(part_number="B-1"), Product(part_number="B-2")],), {}),
    "is_active": ((Product(part_number="X"),), {}),
    "get_revision": (("WIDGET-001", "A"), {}),
    "get_revisions": (("WIDGET-001",), {}),
    "get_revisions_batch": (([("WIDGET-001", "A"), ("PN-001", "B")],), {}),
    "create_revision": (("WIDGET-001", "C"), {}),
    "update_revision": ((ProductRevision(part_number="WIDGET-001", revision="A", name="x"),), {}),
    "bulk_save_revisions": (([ProductRevision(part_number="WIDGET-001", revision="D")],), {}),
    "get_product_tags": (("WIDGET-001",), {}),
    "set_product_tags": (("WIDGET-001", [{"key": "A", "value": "1"}]), {}),
    "add_product_tag": (("WIDGET-001", "A", "1"), {}),
    "get_revision_tags": (("WIDGET-001", "A"), {}),
    "set_revision_tags": (("WIDGET-001", "A", [{"key": "A", "value": "1"}]), {}),
    "add_revision_tag": (("WIDGET-001", "A", "A", "1"), {}),
    "get_groups": ((), {"filter_str": "contains(name,'e')", "top": 2}),
    "get_groups_for_product": (("WIDGET-001", "A"), {}),
    "get_vendors": ((), {}),
    "save_vendor": (({"name": "Acme", "contact": "x"},), {}),
    "delete_vendor": (("Acme Components Inc.",), {}),
    "get_product_categories": ((), {}),
    "save_product_categories": (("WIDGET-001", [CATEGORY]), {}),
    "get_bom_items": (("WIDGET-001", "A"), {}),
    "get_bom": (("WIDGET-001", "A"), {}),
    "update_bom": (("WIDGET-001", "B", [BomItem(part_number="R1", quantity=2)]), {}),
    "get_box_build_template": (("MAIN-ASSEMBLY", "A"), {}),
    "save_box_build_template": ((_template_for_save(),), {}),
    "create_group": (("Power", "Power supplies"), {}),
    "upload_bom": (("WIDGET-001", "B", [{"part_number": "R1", "quantity": 2}]), {"format": "json"}),
    "get_box_build_subunits": (("MAIN-ASSEMBLY", "A"), {}),
    "get_product_hierarchy": (("MAIN-ASSEMBLY", "A"), {}),
    "add_subunit": (("PSU-MODULE", "B", "PN-002", "A"), {"quantity": 2}),
    "remove_subunit": ((product_routes.seed()["product_relations"][0]["ProductRevisionRelationId"],), {}),
}


def kw(sim: Simulator, **extra: Any) -> dict[str, Any]:
    return {"base_url": sim.url, "token": sim.token, **extra}


async def aw(value: Any) -> Any:
    """The value of a service call in either flavour."""
    return await value if inspect.isawaitable(value) else value


def run(flavor: Flavor, sim: Simulator, scenario: Callable[[Any], Awaitable[Any]], **extra: Any) -> Any:
    """Run one scenario written with ``await aw(api.product...)`` against either client."""
    if flavor.name == "sync":
        with pyWATS(**kw(sim, **extra)) as api:
            return asyncio.run(scenario(api))
    return flavor.run(kw(sim, **extra), scenario)


@pytest.fixture(autouse=True)
def _quiet_internal() -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pywats.InternalAPIWarning)
        yield


# -- products ---------------------------------------------------------------------------------------


def test_get_product_and_the_error_modes(wats_simulator: Simulator, flavor: Flavor) -> None:
    async def strict(api: Any) -> Any:
        product = await aw(api.product.get_product("WIDGET-001"))
        with pytest.raises(NotFoundError) as info:
            await aw(api.product.get_product("UNKNOWN"))
        wats_simulator.inject("/api/Product/EMPTY-RESULT", empty=True)
        with pytest.raises(EmptyResponseError):
            await aw(api.product.get_product("EMPTY-RESULT"))
        return product, info.value

    product, error = run(flavor, wats_simulator, strict)
    assert isinstance(product, Product) and product.name == "Widget" and product.state is ProductState.ACTIVE
    assert product.revision == "B" and [r.revision for r in product.revisions] == ["A", "B"]
    assert error.operation == "get_product" and error.status_code == 404

    async def lenient(api: Any) -> Any:
        wats_simulator.inject("/api/Product/EMPTY-RESULT", empty=True)
        found = [await aw(api.product.get_product(pn)) for pn in ("UNKNOWN", "EMPTY-RESULT")]
        wats_simulator.inject("/api/Product/WIDGET-001", status=500, times=3)
        with pytest.raises(ServerError):
            await aw(api.product.get_product("WIDGET-001"))
        return found

    assert run(flavor, wats_simulator, lenient, error_mode=ErrorMode.LENIENT, retry_enabled=False) == [None, None]


def test_lists_of_products(wats_simulator: Simulator, flavor: Flavor) -> None:
    async def scenario(api: Any) -> Any:
        return (
            await aw(api.product.get_products()),
            await aw(api.product.get_active_products()),
            await aw(api.product.get_products_full()),
        )

    views, active, full = run(flavor, wats_simulator, scenario)
    assert all(isinstance(v, ProductView) for v in views) and "WIDGET-001" in [v.part_number for v in views]
    assert [v.part_number for v in views if v.state is not ProductState.ACTIVE] == ["PN-003"]
    assert len(active) == len(views) - 1 and all(v.state is ProductState.ACTIVE for v in active)
    assert [p.part_number for p in full] == [v.part_number for v in views]
    assert all(isinstance(p, Product) and p.product_id for p in full)


def test_create_update_and_get_are_stateful_and_keep_unknown_fields(wats_simulator: Simulator, flavor: Flavor) -> None:
    headers = {"Authorization": f"Basic {wats_simulator.token}"}
    httpx.put(f"{wats_simulator.url}/api/Product", json={"partNumber": "FUT-1", "future": {"x": 1}}, headers=headers)

    async def scenario(api: Any) -> Any:
        created = await aw(api.product.create_product("NEW-1", "New", "desc", non_serial=True))
        fetched = await aw(api.product.get_product("NEW-1"))
        fetched.state = ProductState.INACTIVE
        updated = await aw(api.product.update_product(fetched))
        future = await aw(api.product.get_product("FUT-1"))
        future.name = "named"
        await aw(api.product.update_product(future))
        return created, updated, await aw(api.product.is_active(updated))

    created, updated, active = run(flavor, wats_simulator, scenario)
    assert created.part_number == "NEW-1" and created.non_serial is True and created.product_id
    assert updated.product_id == created.product_id and updated.state is ProductState.INACTIVE and not active
    raw = httpx.get(f"{wats_simulator.url}/api/Product/FUT-1", headers=headers).json()
    assert raw["future"] == {"x": 1} and raw["name"] == "named"


def test_bulk_save_products(wats_simulator: Simulator, flavor: Flavor) -> None:
    async def scenario(api: Any) -> Any:
        saved = await aw(api.product.bulk_save_products([Product(part_number=f"BATCH-{i}") for i in range(3)]))
        return saved, await aw(api.product.get_product("BATCH-2")), await aw(api.product.bulk_save_products([]))

    saved, fetched, empty = run(flavor, wats_simulator, scenario)
    assert [p.part_number for p in saved] == ["BATCH-0", "BATCH-1", "BATCH-2"] and all(p.product_id for p in saved)
    assert fetched.product_id == saved[2].product_id and empty == []


def test_bad_input_fails_before_sending(wats_simulator: Simulator) -> None:
    with pyWATS(**kw(wats_simulator)) as api:
        with pytest.raises(InvalidArgumentError, match="product must be a Product"):
            api.product.update_product({"part_number": "X"})  # type: ignore[arg-type]
        with pytest.raises(InvalidArgumentError):
            api.product.bulk_save_products(["X"])  # type: ignore[list-item]
        with pytest.raises(ValueError, match="not usable"):
            api.product.add_product_tag("WIDGET-001", "two words", "v")
        with pytest.raises(ValueError, match="not usable"):
            api.product.set_revision_tags("WIDGET-001", "A", [{"key": "ok", "value": "1"}, {"key": "9x", "value": "2"}])
        with pytest.raises(ValueError, match="unsupported group filter"):
            api.product.get_groups(filter_str="length(name) gt 3")
        with pytest.raises(ValueError, match="exactly one category"):
            api.product.save_product_categories("WIDGET-001", ["cat-id-1", "cat-id-2"])
        with pytest.raises(ValueError, match="not a UUID"):
            api.product.save_product_categories("WIDGET-001", ["cat-id-1"])
        with pytest.raises(ValueError, match="max_workers"):
            api.product.get_products_batch(["WIDGET-001"], max_workers=0)
    assert not wats_simulator.requests


# -- revisions --------------------------------------------------------------------------------------


def test_revisions(wats_simulator: Simulator, flavor: Flavor) -> None:
    async def scenario(api: Any) -> Any:
        with pytest.raises(NotFoundError):
            await aw(api.product.create_revision("NOPE", "A"))
        created = await aw(api.product.create_revision("WIDGET-001", "C", "Cost", "cheaper"))
        rev = await aw(api.product.get_revision("WIDGET-001", "B"))
        rev.description = "Updated"
        updated = await aw(api.product.update_revision(rev))
        product = await aw(api.product.get_product("WIDGET-001"))
        bulk = await aw(
            api.product.bulk_save_revisions(
                [
                    ProductRevision(part_number="WIDGET-001", revision="D", product_id=product.product_id),
                    ProductRevision(part_number="WIDGET-001", revision="E", product_id=product.product_id),
                ]
            )
        )
        return created, updated, bulk, await aw(api.product.get_revisions("WIDGET-001"))

    created, updated, bulk, revisions = run(flavor, wats_simulator, scenario)
    assert (created.revision, created.name, created.part_number) == ("C", "Cost", "WIDGET-001")
    assert updated.description == "Updated" and updated.revision == "B"
    assert [r.revision for r in bulk] == ["D", "E"]
    assert [r.revision for r in revisions] == ["A", "B", "C", "D", "E"]
    assert all(r.part_number == "WIDGET-001" for r in revisions)


def test_batches_keep_order_and_failures(wats_simulator: Simulator, flavor: Flavor) -> None:
    async def scenario(api: Any) -> Any:
        products = await aw(api.product.get_products_batch(["PN-002", "NOPE", "PN-001"], max_workers=2))
        revisions = await aw(api.product.get_revisions_batch([("PN-001", "B"), ("PN-001", "Z")]))
        return products, revisions

    products, revisions = run(flavor, wats_simulator, scenario)
    assert [r.key for r in products] == ["PN-002", "NOPE", "PN-001"]
    assert [r.ok for r in products] == [True, False, True] and products[2].value.name == "Sensor board"
    assert isinstance(products[1].error, NotFoundError) and products[1].error.operation == "get_products_batch"
    assert revisions[0].value.revision == "B" and isinstance(revisions[1].error, NotFoundError)


# -- tags -------------------------------------------------------------------------------------------


def test_product_and_revision_tags(wats_simulator: Simulator, flavor: Flavor) -> None:
    async def scenario(api: Any) -> Any:
        await aw(api.product.add_product_tag("WIDGET-001", "ManufacturingLocation", "Factory-A"))
        await aw(api.product.add_product_tag("WIDGET-001", "RoHS", "Exempt"))  # replaces the value
        after_add = await aw(api.product.get_product_tags("WIDGET-001"))
        await aw(api.product.set_product_tags("WIDGET-001", [{"key": "Category", "value": "Electronics"}]))
        after_set = await aw(api.product.get_product_tags("WIDGET-001"))
        await aw(api.product.set_revision_tags("WIDGET-001", "B", [{"key": "ApprovedBy", "value": "J.Smith"}]))
        await aw(api.product.add_revision_tag("WIDGET-001", "B", "ECO", "ECO-2024-0542"))
        return after_add, after_set, await aw(api.product.get_revision_tags("WIDGET-001", "B"))

    after_add, after_set, revision_tags = run(flavor, wats_simulator, scenario)
    assert {t["key"]: t["value"] for t in after_add} == {
        "Category": "Electronics",
        "RoHS": "Exempt",
        "ManufacturingLocation": "Factory-A",
    }
    assert after_set == [{"key": "Category", "value": "Electronics"}]
    assert revision_tags == [{"key": "ApprovedBy", "value": "J.Smith"}, {"key": "ECO", "value": "ECO-2024-0542"}]


# -- BOM --------------------------------------------------------------------------------------------


def test_bom_round_trip(wats_simulator: Simulator, flavor: Flavor) -> None:
    items = [
        BomItem(part_number="RESISTOR-10K", revision="A", quantity=5, reference_designator="R1,R2", description="10K"),
        BomItem(part_number="IC-MCU", revision="B", quantity=1),
    ]

    async def scenario(api: Any) -> Any:
        ok = await aw(api.product.update_bom("WIDGET-001", "B", items, description="cost down"))
        return (
            ok,
            await aw(api.product.get_bom_items("WIDGET-001", "B")),
            await aw(api.product.get_bom("WIDGET-001", "B")),
        )

    ok, read_back, xml = run(flavor, wats_simulator, scenario)
    assert ok is True
    assert [(i.part_number, i.revision, i.quantity, i.reference_designator) for i in read_back] == [
        ("RESISTOR-10K", "A", 5, "R1,R2"),
        ("IC-MCU", "B", 1, None),
    ]
    root = ElementTree.fromstring(xml)
    assert root.get("Partnumber") == "WIDGET-001" and [c.get("Number") for c in root] == ["RESISTOR-10K", "IC-MCU"]


def test_bom_of_unknown_revision(wats_simulator: Simulator) -> None:
    with pyWATS(**kw(wats_simulator)) as api, pytest.raises(NotFoundError):
        api.product.update_bom("WIDGET-001", "Z", [BomItem(part_number="R1")])
    with pyWATS(**kw(wats_simulator, error_mode=ErrorMode.LENIENT)) as api:
        assert api.product.get_bom_items("NOPE", "A") == [] and api.product.get_bom("NOPE", "A") is None


def test_internal_methods_warn_at_the_callers_line(wats_simulator: Simulator) -> None:
    with pyWATS(**kw(wats_simulator)) as api, warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        api.product.get_bom_items("WIDGET-001", "A")
        api.product.get_products()
    assert [r.category for r in record] == [pywats.InternalAPIWarning]
    assert record[0].filename == __file__


def test_deprecated_repository_get_bom(wats_simulator: Simulator, flavor: Flavor) -> None:
    async def scenario(api: Any) -> Any:
        with warnings.catch_warnings(record=True) as record:
            warnings.simplefilter("always")
            xml = await aw(api.product.repository.get_bom("WIDGET-001", "A"))
        return xml, [r for r in record if r.category is DeprecationWarning]

    xml, deprecations = run(flavor, wats_simulator, scenario)
    assert xml.startswith("<BOM") and "RESISTOR-10K" in xml
    assert len(deprecations) == 1 and "get_bom_items" in str(deprecations[0].message)
    assert Path(deprecations[0].filename) == Path(__file__)


# -- groups, vendors, categories --------------------------------------------------------------------


def test_groups(wats_simulator: Simulator, flavor: Flavor) -> None:
    async def scenario(api: Any) -> Any:
        return (
            await aw(api.product.get_groups()),
            await aw(api.product.get_groups(filter_str="contains(name,'electronics')")),
            await aw(api.product.get_groups(filter_str="name eq 'New Products'")),
            await aw(api.product.get_groups(top=1)),
            await aw(api.product.get_groups_for_product("WIDGET-001", "B")),
            await aw(api.product.get_groups_for_product("WIDGET-001")),
        )

    every, contains, eq, top, for_b, for_any = run(flavor, wats_simulator, scenario)
    assert all(isinstance(g, ProductGroup) for g in every) and len(every) == 3
    assert [g.name for g in contains] == ["Electronics"] and [g.name for g in eq] == ["New Products"]
    assert len(top) == 1
    assert [g.name for g in for_b] == ["Electronics"] and [g.name for g in for_any] == ["Electronics", "Widgets"]


def test_vendors(wats_simulator: Simulator, flavor: Flavor) -> None:
    async def scenario(api: Any) -> Any:
        saved = await aw(api.product.save_vendor({"name": "Zeta Parts", "contact": "Z", "email": "z@z"}))
        await aw(api.product.save_vendor(Vendor(vendor_name="Zeta Parts", phone="1")))
        vendors = await aw(api.product.get_vendors())
        deleted = await aw(api.product.delete_vendor("Zeta Parts"))
        return saved, vendors, deleted, await aw(api.product.get_vendors())

    saved, vendors, deleted, after = run(flavor, wats_simulator, scenario)
    assert saved.get("name") == "Zeta Parts" and saved.get("contact") == "Z"
    zeta = next(v for v in vendors if v.get("name") == "Zeta Parts")
    assert (zeta.get("email"), zeta.get("phone")) == ("z@z", "1")
    assert deleted is True and "Zeta Parts" not in [v.get("name") for v in after]


def test_categories(wats_simulator: Simulator, flavor: Flavor) -> None:
    async def scenario(api: Any) -> Any:
        categories = await aw(api.product.get_product_categories())
        pcb = next(c for c in categories if c.get("name") == "PCB")
        ok = await aw(api.product.save_product_categories("WIDGET-001", [pcb.get("id")]))
        return categories, pcb, ok, await aw(api.product.get_product("WIDGET-001"))

    categories, pcb, ok, product = run(flavor, wats_simulator, scenario)
    assert all(isinstance(c, ProductCategory) for c in categories) and ok is True
    assert product.product_category_id == pcb.product_category_id


# -- box build --------------------------------------------------------------------------------------


def test_box_build_template_edit_and_save(wats_simulator: Simulator, flavor: Flavor) -> None:
    async def scenario(api: Any) -> Any:
        template = await aw(api.product.get_box_build_template("MAIN-ASSEMBLY", "A"))
        before = [(s.child_part_number, s.child_revision, s.quantity) for s in template.subunits]
        template.add_subunit("SSD-512GB", "A", quantity=2)
        template.update_subunit("CABLE-ASSY", "C", quantity=5)
        template.remove_subunit("ENCLOSURE", "A")
        saved = await aw(template.save())
        nothing_left = template.changes()
        again = await aw(api.product.get_box_build_template("MAIN-ASSEMBLY", "A"))
        return before, saved, nothing_left, [(s.child_part_number, s.quantity) for s in again.subunits]

    before, saved, nothing_left, after = run(flavor, wats_simulator, scenario)
    assert before == [("PCBA-001", "A", 1), ("PSU-MODULE", "B", 1), ("ENCLOSURE", "A", 1), ("CABLE-ASSY", "C", 3)]
    assert saved is True and nothing_left == ([], [], [])
    assert after == [("PCBA-001", 1), ("PSU-MODULE", 1), ("CABLE-ASSY", 5), ("SSD-512GB", 2)]


def test_box_build_unknown_child_writes_nothing(wats_simulator: Simulator) -> None:
    with pyWATS(**kw(wats_simulator)) as api:
        template = api.product.get_box_build_template("LAPTOP-X1", "A")
        assert template is not None and template.subunits == []
        template.add_subunit("RAM-8GB", "A", quantity=2)
        template.add_subunit("NO-SUCH-PART", "A")
        with pytest.raises(NotFoundError):
            template.save()
        assert api.product.get_box_build_template("LAPTOP-X1", "A").subunits == []  # type: ignore[union-attr]
        with pytest.raises(NotFoundError):
            api.product.get_box_build_template("NOPE", "A")


def test_async_template_save_is_awaitable(wats_simulator: Simulator) -> None:
    async def main() -> Any:
        async with AsyncWATS(**kw(wats_simulator)) as api:
            template = await api.product.get_box_build_template("LAPTOP-X1", "A")
            assert template is not None
            template.add_subunit("RAM-8GB", "A", quantity=2)
            pending = template.save()
            assert inspect.isawaitable(pending)
            return await pending

    assert asyncio.run(main()) is True


def test_ids_in_the_seed_are_stable() -> None:
    # FACADE_CALLS builds a template from the seed; the simulator must seed the same ids each time.
    assert product_routes.seed() == product_routes.seed()
    assert uuid.UUID(CATEGORY)


def test_lenient_mode_gives_empty_results_for_a_missing_product(wats_simulator: Simulator, flavor: Flavor) -> None:
    async def scenario(api: Any) -> Any:
        return (
            await aw(api.product.get_revisions("NOPE")),
            await aw(api.product.get_product_tags("NOPE")),
            await aw(api.product.get_revision_tags("WIDGET-001", "Z")),
            await aw(api.product.add_product_tag("NOPE", "Key", "v")),
            await aw(api.product.set_revision_tags("NOPE", "A", [])),
            await aw(api.product.get_box_build_template("NOPE", "A")),
            await aw(api.product.save_product_categories("NOPE", [CATEGORY])),
        )

    assert run(flavor, wats_simulator, scenario, error_mode=ErrorMode.LENIENT) == ([], [], [], None, None, None, False)
    assert wats_simulator.count("PUT", "/api/Product") == 0


def test_concurrent_writes_and_reads_lose_nothing(wats_simulator: Simulator) -> None:
    async def main() -> Any:
        async with AsyncWATS(**kw(wats_simulator)) as api:
            writes = [api.product.create_revision("WIDGET-001", f"R{i}") for i in range(20)]
            reads = [api.product.get_product("WIDGET-001") for _ in range(20)]
            results = await asyncio.gather(*writes, *reads)
            return results, await api.product.get_revisions("WIDGET-001")

    results, revisions = asyncio.run(main())
    assert all(r is not None for r in results)
    assert {f"R{i}" for i in range(20)} <= {r.revision for r in revisions}


def test_a_box_build_save_answered_404_in_lenient_mode_is_not_saved(wats_simulator: Simulator) -> None:
    """LENIENT turns a 404 into "nothing": save() is then False and the changes stay pending."""
    with warnings.catch_warnings(), pyWATS(**kw(wats_simulator, error_mode=ErrorMode.LENIENT)) as api:
        warnings.simplefilter("ignore", pywats.InternalAPIWarning)
        template = api.product.get_box_build_template("MAIN-ASSEMBLY", "A")
        assert template is not None
        template.add_subunit("SSD-512GB", "A", quantity=2)
        wats_simulator.inject("/api/internal/Product/PostProductRevisionRelation", method="POST", status=404)
        assert template.save() is False
        assert template.changes()[0]  # still to be written
        template.update_subunit("CABLE-ASSY", "C", quantity=5)
        wats_simulator.inject("/api/internal/Product/PutProductRevisionRelation", method="PUT", status=404)
        assert template.save() is False
        assert template.save() is True and template.changes() == ([], [], [])
