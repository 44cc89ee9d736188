"""The pyWATS 0.x names of the Product service against the simulator, sync and async."""

from __future__ import annotations

import warnings
from typing import Any

import pytest
from flavors import Flavor, drive, v

from pywats import InternalAPIWarning, InvalidArgumentError, NotFoundError, pyWATS
from pywats.core.exceptions import ErrorMode
from pywats.domains.product import BomItem, BoxBuildSubunit, ProductGroup, ProductHierarchyNode
from pywats.simulator import Simulator

pytestmark = pytest.mark.filterwarnings("ignore::pywats.InternalAPIWarning")


def kw(sim: Simulator, **extra: Any) -> dict[str, Any]:
    return {"base_url": sim.url, "token": sim.token, **extra}


def test_create_group_lists_it(flavor: Flavor, wats_simulator: Simulator) -> None:
    async def steps(api: Any) -> Any:
        made = await v(api.product.create_group("Power supplies", "PSU modules"))
        second = await v(api.product.create_group("Cables"))
        return made, second, await v(api.product.get_groups())

    made, second, groups = flavor.run(kw(wats_simulator), drive(flavor, steps))
    assert isinstance(made, ProductGroup) and made.name == "Power supplies" and made.description == "PSU modules"
    assert second.product_group_id == made.product_group_id + 1
    listed = {g.name: g for g in groups}
    assert listed["Power supplies"].product_group_id == made.product_group_id
    assert listed["Cables"].description == ""


def test_create_group_needs_a_name(wats_simulator: Simulator) -> None:
    with pyWATS(**kw(wats_simulator)) as api:
        for bad in ("", "   ", None):
            with pytest.raises(InvalidArgumentError, match="name"):
                api.product.create_group(bad)  # type: ignore[arg-type]
    assert not wats_simulator.requests


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_upload_bom_replaces_the_bom(flavor: Flavor, wats_simulator: Simulator, fmt: str) -> None:
    lines = [
        {"part_number": "R-10K", "quantity": 4, "reference_designator": "R1;R2;R3;R4"},
        BomItem(part_number="C-100N", revision="B", quantity=2, description="100nF"),
        {"Number": "U-MCU", "Qty": 1, "FunctionBlock": "CPU"},
    ]

    async def steps(api: Any) -> Any:
        ok = await v(api.product.upload_bom("PCBA-001", "A", lines, format=fmt))
        return ok, await v(api.product.get_bom_items("PCBA-001", "A"))

    ok, items = flavor.run(kw(wats_simulator), drive(flavor, steps))
    assert ok is True
    assert [(i.part_number, i.quantity) for i in items] == [("R-10K", 4), ("C-100N", 2), ("U-MCU", 1)]
    assert items[0].reference_designator == "R1;R2;R3;R4" and items[1].revision == "B"
    assert items[1].description == "100nF" and items[2].function_block == "CPU"


def test_upload_bom_checks_before_sending(wats_simulator: Simulator) -> None:
    with pyWATS(**kw(wats_simulator)) as api:
        with pytest.raises(InvalidArgumentError, match="format"):
            api.product.upload_bom("PCBA-001", "A", [], format="csv")
        with pytest.raises(InvalidArgumentError, match="bom_items"):
            api.product.upload_bom("PCBA-001", "A", {"part_number": "X"})  # type: ignore[arg-type]
        with pytest.raises(InvalidArgumentError):
            api.product.upload_bom("PCBA-001", "A", [{"quantity": 2}])  # no part number
        assert not wats_simulator.requests
        with pytest.raises(NotFoundError):
            api.product.upload_bom("NO-SUCH-PART", "A", [{"part_number": "X"}])


def test_subunits_add_list_and_remove(flavor: Flavor, wats_simulator: Simulator) -> None:
    async def steps(api: Any) -> Any:
        p = api.product
        before = await v(p.get_box_build_subunits("PSU-MODULE", "B"))
        added = await v(p.add_subunit("PSU-MODULE", "B", "PN-002", "A", quantity=2, revision_mask="A%"))
        during = await v(p.get_box_build_subunits("PSU-MODULE", "B"))
        removed = await v(p.remove_subunit(added.relation_id))
        after = await v(p.get_box_build_subunits("PSU-MODULE", "B"))
        with pytest.raises(NotFoundError):
            await v(p.remove_subunit(added.relation_id))
        with pytest.raises(NotFoundError):
            await v(p.add_subunit("PSU-MODULE", "B", "NO-SUCH-PART", "A"))
        return before, added, during, removed, after

    before, added, during, removed, after = flavor.run(kw(wats_simulator), drive(flavor, steps))
    assert before == [] and after == [] and removed is True
    assert isinstance(added, BoxBuildSubunit) and added.relation_id is not None
    assert (added.child_part_number, added.quantity, added.revision_mask) == ("PN-002", 2, "A%")
    assert [(s.child_part_number, s.child_revision, s.quantity, s.relation_id) for s in during] == [
        ("PN-002", "A", 2, added.relation_id)
    ]


def test_add_subunit_checks_and_lenient_mode(wats_simulator: Simulator) -> None:
    with pyWATS(**kw(wats_simulator)) as api:
        with pytest.raises(InvalidArgumentError, match="quantity"):
            api.product.add_subunit("PSU-MODULE", "B", "PN-002", "A", quantity=0)
        with pytest.raises(InvalidArgumentError, match="relation_id"):
            api.product.remove_subunit("not-a-guid")
        assert not wats_simulator.requests
    with pyWATS(**kw(wats_simulator, error_mode=ErrorMode.LENIENT)) as api:
        assert api.product.add_subunit("PSU-MODULE", "B", "NO-SUCH-PART", "A") is None


def test_hierarchy_walks_every_level(flavor: Flavor, wats_simulator: Simulator) -> None:
    async def steps(api: Any) -> Any:
        p = api.product
        await v(p.add_subunit("PSU-MODULE", "B", "PN-002", "A", quantity=2))
        await v(p.add_subunit("PN-002", "A", "SCREW-M3-6MM", "A", quantity=4))
        # a loop (PN-002 inside itself, through SCREW) ends the walk instead of running forever
        await v(p.add_subunit("SCREW-M3-6MM", "A", "PN-002", "A"))
        return await v(p.get_product_hierarchy("MAIN-ASSEMBLY", "A")), await v(p.get_product_hierarchy("PN-004", "A"))

    tree, leaf = flavor.run(kw(wats_simulator), drive(flavor, steps))
    assert isinstance(tree, ProductHierarchyNode) and (tree.part_number, tree.revision) == ("MAIN-ASSEMBLY", "A")
    shape = [(depth, n.part_number, n.quantity) for depth, n in tree.walk()]
    assert shape == [
        (0, "MAIN-ASSEMBLY", 1),
        (1, "PCBA-001", 1),
        (1, "PSU-MODULE", 1),
        (2, "PN-002", 2),
        (3, "SCREW-M3-6MM", 4),
        (4, "PN-002", 1),
        (1, "ENCLOSURE", 1),
        (1, "CABLE-ASSY", 3),
    ]
    assert tree.walk()[5][1].children == []
    assert leaf.children == [] and leaf.relation_id is None


def test_internal_calls_warn_once(wats_simulator: Simulator) -> None:
    with pyWATS(**kw(wats_simulator)) as api, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        api.product.get_product_hierarchy("MAIN-ASSEMBLY", "A")
        api.product.get_box_build_subunits("MAIN-ASSEMBLY", "A")
    assert [w.category for w in caught] == [InternalAPIWarning, InternalAPIWarning]
    assert all(w.filename == __file__ for w in caught)
