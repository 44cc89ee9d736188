"""One spelling per parameter across the domains, the other spellings in use kept as aliases.

Every alias must name a real parameter (an alias pointing at nothing would silently drop the
caller's value), and each alias added to line the domains up acts exactly like its target.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from typing import Any

import pytest

import pywats.domains
from pywats import InvalidArgumentError, pyWATS
from pywats.simulator import Simulator


def _aliased_methods() -> list[tuple[str, Any, dict[str, str]]]:
    found = []
    for info in pkgutil.iter_modules(pywats.domains.__path__):
        if not info.ispkg:
            continue
        module = importlib.import_module(f"pywats.domains.{info.name}.async_service")
        for cls in vars(module).values():
            if inspect.isclass(cls) and cls.__module__ == module.__name__ and cls.__name__.endswith("Service"):
                for name, method in vars(cls).items():
                    spellings = getattr(method, "__pywats_aliases__", None)
                    if spellings and not name.startswith("_"):
                        found.append((f"{cls.__name__}.{name}", method, spellings))
    return found


ALIASED = _aliased_methods()


def test_the_domains_declare_aliases() -> None:
    names = {name for name, _, _ in ALIASED}
    assert {
        "AsyncReportService.query_headers",
        "AsyncProductionService.add_child_to_assembly",
        "AsyncAssetService.get_child_assets",
        "AsyncRootCauseService.get_attachment",
    } <= names


@pytest.mark.parametrize(("name", "method", "spellings"), ALIASED, ids=[a[0] for a in ALIASED])
def test_every_alias_names_a_parameter_of_its_method(name: str, method: Any, spellings: dict[str, str]) -> None:
    parameters = inspect.signature(inspect.unwrap(method)).parameters
    for alias, target in spellings.items():
        assert target in parameters, f"{name}: alias {alias} points at {target}, which is no parameter"
        assert alias not in parameters, f"{name}: {alias} is a parameter and an alias"


def test_the_other_spellings_act_like_the_canonical_ones(wats_simulator: Simulator) -> None:
    with pyWATS(base_url=wats_simulator.url, token=wats_simulator.token) as api:
        query = "partNumber eq 'WIDGET-001'"
        assert api.report.query_headers(filter_str=query, top=5) == api.report.query_headers(odata_filter=query, top=5)
        assert api.report.query_uut_headers(filter_str=query) == api.report.query_uut_headers(odata_filter=query)

        children = api.asset.get_child_assets(parent_serial="ICT-STATION-01")
        assert children and api.asset.get_child_assets(parent_serial_number="ICT-STATION-01") == children

        with pytest.raises(InvalidArgumentError, match="filter_str is another name for odata_filter"):
            api.report.query_headers(filter_str=query, odata_filter=query)
        with pytest.raises(InvalidArgumentError, match="parent_serial_number is another name for parent_serial"):
            api.asset.get_child_assets(parent_serial="ICT-STATION-01", parent_serial_number="ICT-STATION-01")


def test_assembly_moves_take_the_serial_number_spellings_of_the_internal_methods(wats_simulator: Simulator) -> None:
    with pyWATS(base_url=wats_simulator.url, token=wats_simulator.token) as api:
        unit = api.production.get_unit("WIDGET-12345", "WIDGET-001")
        assert unit is not None
        done = api.production.remove_all_children_from_assembly(
            parent_serial_number="WIDGET-12345", parent_part_number="WIDGET-001"
        )
        assert done is api.production.remove_all_children_from_assembly(
            parent_serial="WIDGET-12345", parent_part="WIDGET-001"
        )
        with pytest.raises(InvalidArgumentError, match="child_part_number is another name for child_part"):
            api.production.add_child_to_assembly(
                "WIDGET-12345", "WIDGET-001", "SN-001", child_part="WIDGET-001", child_part_number="WIDGET-001"
            )
