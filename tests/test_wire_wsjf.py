"""WSJF round trips: ``load_report(doc).to_wsjf() == doc`` for documents built from the server's
own WSJF definitions (``$WATS_SPEC_DIR/openapi_internal.json``, ``Virinco.WATS.Schemas.WSJF.*``),
with unknown keys (also named like attributes), integers beyond 2**53, the named floats, and
values of the wrong type in documented keys. Then what such reports do at submit.
"""

from __future__ import annotations

import copy
import json
import math
import os
from pathlib import Path
from typing import Any

import httpx
import pytest
from guide_examples import guide
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pywats import InvalidArgumentError, pyWATS
from pywats.domains.report import MAX_STEP_DEPTH, MiscInfo, UURInfo, UURReport, UUTReport, load_report
from pywats.simulator import Simulator

WSJF = "Virinco.WATS.Schemas.WSJF."
EXAMPLES = 500

# Unknown keys that read like the models' attributes, and pydantic's own names: each must stay an
# unknown key, written back under its own name.
ATTRIBUTE_NAMES = [
    "info", "start_utc", "misc_info", "sub_units", "station_name", "part_number", "serial_number",
    "operator", "step_type", "numeric_meas", "comp_op", "type_def", "process_code", "seq_call",
    "usage_count", "content_type", "model_config", "model_fields", "KIND", "root_", "Type", "ID",
]  # fmt: skip

JSON_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=6)
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=4,
)
# JSON numbers as they come: small and huge integers (2**53 and beyond stay integers), floats,
# and the named values the WSJF numbers may carry as strings.
NUMBERS = st.one_of(
    st.integers(-(2**31), 2**31),
    st.integers(min_value=2**53 + 1, max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["NaN", "Infinity", "-Infinity", "1.2E+3"]),
)


def _definitions() -> dict[str, Any]:
    spec = Path(os.environ.get("WATS_SPEC_DIR", "")) / "openapi_internal.json"
    if not spec.is_file():
        if os.environ.get("CI"):
            pytest.fail("WATS_SPEC_DIR must point at the WATS documents (openapi_internal.json)")
        pytest.skip("WATS_SPEC_DIR not set")
    definitions: dict[str, Any] = json.loads(spec.read_text(encoding="utf-8"))["definitions"]
    return definitions


def _value(schema: dict[str, Any], definitions: dict[str, Any], depth: int) -> st.SearchStrategy[Any] | None:
    ref = schema.get("$ref")
    if ref:
        name = ref.rsplit("/", 1)[-1]
        return None if depth <= 0 else _object(name, definitions, depth - 1)
    kind, fmt = schema.get("type"), schema.get("format")
    if kind == "array":
        items = _value(schema["items"], definitions, depth)
        return None if items is None else st.lists(items, max_size=2)
    if kind == "integer":
        return st.one_of(st.integers(-(2**31), 2**31 - 1), st.integers(2**53 + 1, 2**64))
    if kind == "number":
        return NUMBERS
    if kind == "boolean":
        return st.booleans()
    if fmt == "uuid":
        return st.uuids().map(str)
    if fmt == "date-time":
        return st.datetimes().map(lambda d: d.isoformat()) | st.text(max_size=4)
    return st.text(max_size=8)


def _object(name: str, definitions: dict[str, Any], depth: int) -> st.SearchStrategy[dict[str, Any]]:
    properties: dict[str, Any] = definitions[name].get("properties", {})
    values: dict[str, st.SearchStrategy[Any]] = {}
    for key, schema in properties.items():
        documented = _value(schema, definitions, depth)
        if documented is not None:
            # now and then a documented key holds a value of another type: kept, never a failure
            values[key] = st.one_of(*[documented] * 9, JSON_VALUES)
    always = {"type": st.sampled_from(["T", "R", "X"])} if name == WSJF + "Report" else {}
    keys = sorted(set(values) - set(always))
    unknown = (st.sampled_from(ATTRIBUTE_NAMES) | st.text(min_size=1, max_size=6)).filter(lambda k: k not in values)

    @st.composite
    def document(draw: st.DrawFn) -> dict[str, Any]:
        # a few documented keys each time (drawing all ~30 of a step is what makes generation slow)
        chosen = draw(st.lists(st.sampled_from(keys), max_size=6, unique=True)) if keys else []
        found = {key: draw(values[key]) for key in chosen} | {key: draw(value) for key, value in always.items()}
        extras = draw(st.dictionaries(unknown, JSON_VALUES, max_size=2))
        return {**extras, **found}

    return document()


def test_documents_built_from_the_wsjf_definitions_round_trip_unchanged() -> None:
    definitions = _definitions()
    reports = _object(WSJF + "Report", definitions, depth=4)
    seen = {"examples": 0, "uur": 0, "unreadable": 0, "big": 0}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(reports)
    def round_trip(document: dict[str, Any]) -> None:
        original = copy.deepcopy(document)
        report = load_report(document)
        assert document == original  # reading does not touch the caller's document
        assert report.to_wsjf() == document
        assert json.loads(report.to_json()) == document
        assert isinstance(report, UURReport) == (document.get("type") == "R")
        seen["examples"] += 1
        seen["uur"] += isinstance(report, UURReport)
        seen["unreadable"] += bool(report.wire_problems())
        seen["big"] += any(isinstance(v, int) and v > 2**53 for v in _leaves(document))

    round_trip()
    print(f"WSJF round trips: {seen}")
    assert seen["examples"] >= 500
    assert seen["uur"] and seen["unreadable"] and seen["big"]  # the generator reached each case


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    if isinstance(value, list):
        return [leaf for v in value for leaf in _leaves(v)]
    return [value]


def test_the_guide_example_report_round_trips() -> None:
    path = guide("wsjf_uut_example.json")
    if not path.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{path} missing (set WATS_GUIDES_DIR)")
        pytest.skip(f"{path} missing (set WATS_GUIDES_DIR)")
    text = path.read_text(encoding="utf-8")
    document = json.loads(text)
    assert load_report(text).to_wsjf() == document
    assert load_report(document).wire_problems() == []


def test_the_cases_of_the_issue_round_trip() -> None:
    document = {
        "type": "T", "pn": "P", "sn": "S", "info": {"kept": True}, "start_utc": "as is", "misc_info": "a string",
        "uut": {"user": "op", "execTime": 12345678901234567890},
        "root": {"stepType": "ET_NLT", "numericMeas": [{"value": 12345678901234567890, "lowLimit": "NaN"}]},
    }  # fmt: skip
    report = load_report(json.dumps(document))
    assert report.to_wsjf() == document
    assert report.info is not None and report.info.user == "op" and report.start_utc is None
    assert report.model_extra == {"info": {"kept": True}, "start_utc": "as is", "misc_info": "a string"}
    assert report.misc_info is None and report.wire_problems() == []


def test_uur_operator_is_user_on_the_wire() -> None:
    uur = UURReport(pn="P", sn="S", process_code=500)
    uur.operator = "RepairOperator"
    assert uur.to_wsjf()["uur"]["user"] == "RepairOperator" and "userLoginName" not in uur.to_json()
    export = {"type": "R", "uur": {"user": "RepairOperator", "processCode": 100}}
    assert load_report(export).operator == "RepairOperator"
    assert load_report(export).to_wsjf() == export
    older = load_report({"type": "R", "uur": {"userLoginName": "Old"}})  # as older pyWATS wrote it
    assert older.operator == "Old" and older.to_wsjf() == {"type": "R", "uur": {"user": "Old"}}
    # the simulator reads the operator where the server does: the header names the repairer
    uur = UURReport(pn="P", sn="UUR-USER", process_code=500, operator="Fixer")  # the property, as an argument
    with Simulator() as sim, pyWATS(base_url=sim.url, token=sim.token) as api:
        back = api.report.get_report(api.report.submit_report(uur))
        headers = api.report.query_uur_headers("serialNumber eq 'UUR-USER'")
    assert isinstance(back, UURReport) and back.operator == "Fixer"
    assert [h.user_name for h in headers] == ["Fixer"]


def test_a_value_of_the_wrong_type_is_kept_and_named_at_submit() -> None:
    document = {"type": "T", "pn": "P", "sn": "S", "miscInfos": "not a list", "processCode": "10"}
    report = load_report(document)
    assert report.to_wsjf() == document
    with Simulator() as sim, pyWATS(base_url=sim.url, token=sim.token) as api:
        with pytest.raises(InvalidArgumentError) as caught:
            api.report.submit_report(report)
        assert api.report.query_uut_headers("serialNumber eq 'S'") == []  # nothing was sent
    message = str(caught.value)
    assert "miscInfos is 'not a list', expected list[MiscInfo]" in message
    assert "processCode is '10', expected int" in message


def test_nan_and_infinity_travel_as_strings() -> None:
    uut = UUTReport(pn="P", sn="NAN-1", process_code=10)
    root = uut.get_root_sequence_call()
    for name, value in (("nan", math.nan), ("inf", math.inf), ("-inf", -math.inf)):
        root.add_numeric_step(name, value, unit="V")

    def no_bare_token(token: str) -> Any:
        raise AssertionError(f"bare {token} in the JSON")

    sent = json.loads(uut.to_json(), parse_constant=no_bare_token)
    values = [s["numericMeas"][0]["value"] for s in sent["root"]["steps"]]
    assert values == ["NaN", "Infinity", "-Infinity"]
    assert [s["numericMeas"][0]["value"] for s in uut.to_wsjf()["root"]["steps"]] == values
    with Simulator() as sim, pyWATS(base_url=sim.url, token=sim.token) as api:
        back = api.report.get_report(api.report.submit_report(uut))
    assert isinstance(back, UUTReport)
    assert [s.value for s in back.get_root_sequence_call().steps or []] == values  # type: ignore[union-attr]


def _nested(depth: int) -> UUTReport:
    uut = UUTReport(pn="P", sn=f"DEEP-{depth}", process_code=10)
    sequence = uut.get_root_sequence_call()
    for level in range(depth - 1):
        sequence = sequence.add_sequence_call(f"level {level + 2}")
    sequence.add_numeric_step("deepest", 1.0, low_limit=0.0, high_limit=2.0)
    return uut


def test_what_submits_reads_back_and_deeper_is_refused_before_sending() -> None:
    with Simulator() as sim, pyWATS(base_url=sim.url, token=sim.token) as api:
        deepest = _nested(MAX_STEP_DEPTH)
        back = api.report.get_report(api.report.submit_report(deepest))
        server_adds = {"startUTC"}  # the server fills in the UTC start time
        assert {k: v for k, v in back.to_wsjf().items() if k not in server_adds} == deepest.to_wsjf()
        for depth in (MAX_STEP_DEPTH + 1, 250):
            with pytest.raises(InvalidArgumentError, match=f"more than the {MAX_STEP_DEPTH} allowed"):
                api.report.submit_report(_nested(depth))
        assert [h.serial_number for h in api.report.query_uut_headers("startswith(serialNumber, 'DEEP')")] == [
            f"DEEP-{MAX_STEP_DEPTH}"
        ]


def _deep_document(depth: int) -> dict[str, Any]:
    document: dict[str, Any] = {"type": "T", "root": {"stepType": "SequenceCall", "steps": []}}
    node = document["root"]
    for _ in range(depth - 1):
        node["steps"].append({"stepType": "SequenceCall", "steps": []})
        node = node["steps"][0]
    return document


def test_deeper_documents_load_and_writing_them_names_the_depth() -> None:
    within = _deep_document(MAX_STEP_DEPTH)
    assert load_report(json.dumps(within)).to_wsjf() == within
    past = _deep_document(100)  # read from anywhere: kept exactly, but not sendable
    report = load_report(past)
    assert report.to_wsjf() == past
    assert [p for p in report.wire_problems() if f"more than the {MAX_STEP_DEPTH} allowed" in p]
    for depth in (130, 2000):  # beyond what can be written: a clear error, never a RecursionError
        with pytest.raises(InvalidArgumentError, match=f"steps nest {MAX_STEP_DEPTH + 1} sequence calls deep"):
            load_report(_deep_document(depth)).to_wsjf()
    text = '{"type": "T", "root": ' + '{"stepType": "SequenceCall", "steps": [' * 3000 + "]}" * 3000 + "}"
    with pytest.raises(InvalidArgumentError, match="data nests too deep to read as JSON"):
        load_report(text)


def test_a_report_built_with_an_argument_it_does_not_have_is_refused() -> None:
    # kept, it would travel as an unknown key and set nothing
    with pytest.raises(InvalidArgumentError, match=r"UUTReport\(\) got serail_number, which it does not have") as e:
        UUTReport(pn="P", serail_number="S")
    assert e.value.details["argument"] == "serail_number" and "did you mean serial_number" in str(e.value)
    with pytest.raises(InvalidArgumentError, match=r"MiscInfo\(\) got txt, which it does not have; did you mean text"):
        MiscInfo(description="k", txt="v")
    with pytest.raises(InvalidArgumentError, match=r"did you mean operator\?"):
        UUTReport(pn="P", operater="Op")
    with pytest.raises(InvalidArgumentError, match=r"UUTReport: pn: Input should be a valid string \(given 5\)") as e:
        UUTReport(pn=5)  # type: ignore[arg-type]
    assert e.value.details["argument"] == "pn" and isinstance(e.value, ValueError)  # old `except ValueError` holds
    with pytest.raises(InvalidArgumentError, match=r"info: .*UUTInfo\(\) got bogus"):
        UUTReport(pn="P", info={"bogus": 1})  # type: ignore[arg-type]
    assert UUTReport(pn="P", sn="S", operator="Op", station="ST").to_wsjf()["uut"] == {"user": "Op"}


@pytest.mark.parametrize("bad", ["[1, 2]", b"{not json", 5])
def test_what_is_not_a_report_gets_a_clear_error(bad: Any) -> None:
    with pytest.raises(InvalidArgumentError, match="data"):
        load_report(bad)


@pytest.mark.parametrize("digits", ["١٢", "１２", "1.5e٣"])
def test_a_number_as_text_is_written_in_ascii_digits(digits: str) -> None:
    # .NET reads a double from ASCII digits only: the builder refuses others, and so does the simulator
    step = UUTReport(pn="P", sn="DIGITS-1", process_code=10).get_root_sequence_call()
    with pytest.raises(InvalidArgumentError, match="value"):
        step.add_numeric_step("n", digits)
    uut = UUTReport(pn="P", sn="DIGITS-1", process_code=10)
    uut.get_root_sequence_call().add_numeric_step("n", "12", unit="V")
    document = uut.to_wsjf()
    with Simulator() as sim, httpx.Client(base_url=sim.url, headers={"Authorization": f"Basic {sim.token}"}) as http:
        document["root"]["steps"][0]["numericMeas"][0]["value"] = digits
        assert http.post("/api/Report/WSJF", json=document).status_code == 400
        document["root"]["steps"][0]["numericMeas"][0]["value"] = "12"
        assert http.post("/api/Report/WSJF", json=document).status_code == 200


def test_a_measured_value_given_as_text_must_be_a_number() -> None:
    root = UUTReport(pn="P", sn="TEXT-1", process_code=10).get_root_sequence_call()
    with pytest.raises(InvalidArgumentError, match="value"):
        root.add_numeric_step("n", "abc")
    multi = root.add_multiple_numeric_limit_test("m")
    with pytest.raises(InvalidArgumentError, match="value"):
        multi.add_measurement("m1", "abc")
    assert multi.measurements == []
    assert root.add_numeric_step("ok", " 1.2E+3").value == " 1.2E+3"


def test_link_to_uut_takes_a_guid_and_a_refused_call_changes_nothing() -> None:
    before = {"type": "R", "pn": "P", "sn": "LINK-1", "processCode": 500}  # read without its uur header
    uur = load_report(before)
    assert isinstance(uur, UURReport)
    with pytest.raises(InvalidArgumentError, match="uut_id"):
        uur.link_to_uut("not-a-guid")
    assert uur.to_wsjf() == before  # no empty uur header left behind
    info = UURInfo()
    with pytest.raises(InvalidArgumentError, match="uut_id"):
        info.link_to_uut("not-a-guid")
    assert info.ref_uut is None
    guid = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
    uur.link_to_uut(guid.upper())
    assert uur.to_wsjf()["uur"]["refUUT"] == guid
