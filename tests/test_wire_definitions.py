"""Every facade model that goes to or comes from the server against the definition it represents
(``pywats.domains._definitions``): each wire name is a property of that definition, spelled as the
documents spell it, and each property the definition requires is there. Read from
``$WATS_SPEC_DIR`` (the server's own documents).
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import AliasChoices, BaseModel

import pywats.domains
from pywats.domains._definitions import CLIENT_SIDE, UNDOCUMENTED, WIRE_MODELS, WireModel
from pywats.domains.analytics.models import UnitFlowFilter, WATSFilter


@pytest.fixture(scope="module")
def documents(spec_dir: Path) -> dict[str, Any]:
    public = json.loads((spec_dir / "openapi_public.json").read_text(encoding="utf-8"))
    internal = json.loads((spec_dir / "openapi_internal.json").read_text(encoding="utf-8"))
    operations = {
        op["operationId"]: op
        for doc in (public, internal)
        for ops in doc["paths"].values()
        for op in ops.values()
        if isinstance(op, dict) and "operationId" in op
    }
    return {"definitions": {**internal["definitions"], **public["definitions"]}, "operations": operations}


def _model(entry: WireModel | Any) -> type[BaseModel]:
    module, _, name = entry.model.partition(":")
    model: type[BaseModel] = getattr(importlib.import_module(module), name)
    return model


def wire_names(model: type[BaseModel]) -> dict[str, set[str]]:
    """Field name -> every name it has on the wire (written and read)."""
    found: dict[str, set[str]] = {}
    for name, field in model.model_fields.items():
        names = {a for a in (field.serialization_alias, field.alias) if a}
        alias = field.validation_alias
        choices = alias.choices if isinstance(alias, AliasChoices) else [alias] if alias else []
        names |= {c for c in choices if isinstance(c, str)}
        found[name] = names or {name}
    return found


# every argument of the filters set, so to_wire() shows each name it writes
FULL: dict[str, WATSFilter | UnitFlowFilter] = {}
FULL["WATSFilter"] = WATSFilter(
    serial_number="S", part_number="P", revision="A", batch_number="B", station="ST", test_operation="10",
    status="Passed", yield_=1, misc_description="d", misc_value="v", product_group="g", level="l",
    sw_filename="f", sw_version="1", socket="0", days=7, date_grouping=1, period_count=2,
    include_current_period=True, max_count=3, min_count=1, top_count=5, dimensions="partNumber",
)  # fmt: skip


FULL["UnitFlowFilter"] = UnitFlowFilter(
    part_number="P", revision="A", serial_numbers=["S1", "S2"], station_name="ST", test_operation="10",
    product_group="g", level="l", days=3,
)  # fmt: skip


def _checked_names(entry: WireModel) -> set[str]:
    if entry.by_to_wire:
        return set(FULL[entry.model.rsplit(":", 1)[-1]].to_wire())
    return {n for names in wire_names(_model(entry)).values() for n in names}


@pytest.mark.parametrize("entry", WIRE_MODELS, ids=lambda e: e.model.rsplit(":", 1)[-1])
def test_every_wire_name_is_a_property_of_its_definition(entry: WireModel, documents: dict[str, Any]) -> None:
    definitions = documents["definitions"]
    missing_definitions = [d for d in entry.definitions if d not in definitions]
    assert not missing_definitions, f"{entry.model}: no definition {missing_definitions} in the documents"
    properties = {p for d in entry.definitions for p in definitions[d].get("properties", {})}
    required = {p for d in entry.definitions for p in definitions[d].get("required", []) or []}
    names = _checked_names(entry)
    off = names - properties - set(entry.local) - set(entry.also_read)
    assert not off, f"{entry.model}: {sorted(off)} are not properties of {entry.definitions}"
    assert required <= names, f"{entry.model}: lacks the required {sorted(required - names)}"
    # the exceptions stay honest: really not documented, and named by the model
    listed = set(entry.local) | set(entry.also_read)
    assert not (listed & properties), f"{entry.model}: {sorted(listed & properties)} are documented after all"
    assert listed <= names | {n for n in wire_names(_model(entry))}, f"{entry.model}: lists names it does not use"
    for operation in entry.untyped_answers:
        schema = documents["operations"][operation]["responses"]["200"].get("schema", {})
        assert schema in ({"type": "object"}, {}), f"{operation} is typed now: {schema}; use its definition"


@pytest.mark.parametrize("entry", UNDOCUMENTED, ids=lambda e: e.model.rsplit(":", 1)[-1])
def test_undocumented_models_travel_only_in_untyped_bodies(entry: Any, documents: dict[str, Any]) -> None:
    _model(entry)  # it exists
    untyped = ({"type": "object"}, {}, {"type": "array", "items": {"type": "string"}})
    for operation in entry.operations:
        op = documents["operations"][operation]
        bodies = [p.get("schema", {}) for p in op.get("parameters", []) if p.get("in") == "body"]
        answer = op["responses"].get("200", {}).get("schema", {})
        for schema in [answer] if entry.body_typed else [*bodies, answer]:
            assert schema in untyped, f"{operation} is typed now ({schema}): move {entry.model} to WIRE_MODELS"


def test_the_table_covers_every_model_the_report_domain_sends() -> None:
    from pywats.domains.report import models

    listed = {e.model for e in WIRE_MODELS}
    wsjf = {
        f"{models.__name__}:{name}"
        for name, cls in vars(models).items()
        if isinstance(cls, type) and issubclass(cls, models.WSJFModel) and not name.startswith("_")
        and cls not in (models.WSJFModel, models.Report)
    }  # fmt: skip
    assert wsjf <= listed, sorted(wsjf - listed)


def _domain_models() -> dict[str, type[BaseModel]]:
    """Every public pydantic model the domains define (``module:Class``), bases of others aside."""
    from pywats.domains.report.models import Report, WSJFModel

    found: dict[str, type[BaseModel]] = {}
    for info in pkgutil.walk_packages(pywats.domains.__path__, pywats.domains.__name__ + "."):
        if info.name.rsplit(".", 1)[-1] in ("service", "async_service"):
            continue
        module = importlib.import_module(info.name)
        for name, cls in vars(module).items():
            if (
                isinstance(cls, type) and issubclass(cls, BaseModel) and cls.__module__ == module.__name__
                and not name.startswith("_") and cls.__name__ == name and cls not in (WSJFModel, Report)
            ):  # fmt: skip
                found[f"{module.__name__}:{name}"] = cls
    return found


def test_every_domain_model_is_in_one_table() -> None:
    tables = {
        "WIRE_MODELS": [e.model for e in WIRE_MODELS],
        "UNDOCUMENTED": [e.model for e in UNDOCUMENTED],
        "CLIENT_SIDE": [e.model for e in CLIENT_SIDE],
    }
    listed = [model for models in tables.values() for model in models]
    models = _domain_models()
    assert len(models) >= 100, sorted(models)  # the walk found the domains' models
    assert not set(models) - set(listed), f"models in no table: {sorted(set(models) - set(listed))}"
    assert not set(listed) - set(models), f"listed models that do not exist: {sorted(set(listed) - set(models))}"
    twice = {m for m in listed if listed.count(m) > 1}
    assert not twice, f"listed more than once: {sorted(twice)}"


def _services_source() -> str:
    root = Path(pywats.domains.__file__).parent
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(root.glob("*/async_service.py")))


@pytest.mark.parametrize("entry", CLIENT_SIDE, ids=lambda e: e.model.rsplit(":", 1)[-1])
def test_client_side_models_read_no_server_json(entry: Any) -> None:
    model = _model(entry)
    name = model.__name__
    reads = re.findall(
        rf"(?:parse_model|parse_list|parse_list_or_none)\(\s*{name}\b|\b{name}\.(?:model_validate\w*|from_wire)\(",
        _services_source(),
    )
    assert not reads, f"{entry.model} is read from server JSON ({reads}): list it with its definition"
    aliased = {f: n for f, n in wire_names(model).items() if n != {f}}
    assert not aliased, f"{entry.model} has wire names {aliased}: list it with its definition"


def test_size_of_the_table() -> None:
    checked = sum(len(_checked_names(e)) for e in WIRE_MODELS)
    print(f"model <-> definition table: {len(WIRE_MODELS)} models, {checked} wire names checked, "
          f"{len(UNDOCUMENTED)} models in untyped bodies, {len(CLIENT_SIDE)} built by the client")  # fmt: skip
    assert len(WIRE_MODELS) >= 60 and checked >= 600
