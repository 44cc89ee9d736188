"""The Software domain against the simulator, sync and async."""

from __future__ import annotations

import io
import uuid
import zipfile
from pathlib import Path
from typing import Any

import httpx
import pytest
from flavors import Flavor
from test_software_parity import PARITY_CALLS

import pywats
from pywats import NotFoundError, ServerError, ValidationError
from pywats.core.exceptions import ErrorMode
from pywats.domains.software import FileAttribute, Package, PackageStatus, PackageTag, VirtualFolder
from pywats.simulator import Simulator
from pywats.simulator.routes.software import _uid

FW_V1 = _uid("package", "FirmwareUpdate:1")  # Revoked
FW_V2 = _uid("package", "FirmwareUpdate:2")  # Released
FW_V3 = _uid("package", "FirmwareUpdate:3")  # Draft
CAL = _uid("package", "CalibrationTool:1")  # Pending
DIAG = _uid("package", "DiagnosticsSuite:1")  # Draft
FW_V2_FILE = _uid("file", f"{FW_V2}/Firmware/widget_fw.bin")


def zip_of(**files: str) -> bytes:
    """A zip archive; ``Folder__name_ext="text"`` is the file ``Folder/name.ext``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            stem, _, ext = name.rpartition("_")
            archive.writestr(f"{stem}.{ext}".replace("__", "/"), text)
    return buffer.getvalue()


# Example calls for the framework's traffic test (tests/test_bindings.py): method -> (args, kwargs).
FACADE_CALLS: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {
    "get_packages": ((), {"status": "Released", "with_files": True}),
    "get_package": ((FW_V2,), {}),
    "get_package_files": ((FW_V2,), {}),
    "get_package_by_name": (("FirmwareUpdate",), {"version": 2}),
    "get_released_package": (("FirmwareUpdate",), {}),
    "get_packages_by_tag": (("product", "WIDGET-001"), {"status": PackageStatus.RELEASED}),
    "get_virtual_folders": ((), {}),
    "get_packages_in_folder": (("Firmware/Stable",), {}),
    "create_package": (("NewTool",), {"description": "d", "tags": {"product": "X"}}),
    "update_package": ((Package(package_id=uuid.UUID(DIAG), name="DiagnosticsSuite", description="new"),), {}),
    "set_package_status": ((CAL, PackageStatus.RELEASED), {}),
    "delete_package": ((DIAG,), {}),
    "delete_package_by_name": (("FirmwareUpdate", 1), {}),
    "upload_zip": ((FW_V3, zip_of(Firmware__new_fw_bin="x")), {"clean_install": True}),
    "set_file_attribute": ((FW_V2_FILE, FileAttribute.EXECUTE_ONCE), {}),
}
FACADE_CALLS |= PARITY_CALLS  # the pyWATS 0.x methods' examples live with their tests


def kw(sim: Simulator, **extra: Any) -> dict[str, Any]:
    return {"base_url": sim.url, "token": sim.token, **extra}


def steps(api: Any, *calls: Any) -> Any:
    """Run service calls in order, on either flavour; returns their results."""
    if isinstance(api, pywats.AsyncWATS):

        async def run() -> list[Any]:
            results = []
            for call in calls:
                results.append(await call(results))
            return results

        return run()
    results: list[Any] = []
    for call in calls:
        results.append(call(results))
    return results


# -- life cycle ------------------------------------------------------------------------------------


def test_create_upload_release_revoke_delete(wats_simulator: Simulator, flavor: Flavor) -> None:
    stable = _uid("folder", "Stable")

    def body(api: Any) -> Any:
        s = api.software
        return steps(
            api,
            lambda r: s.create_package(
                "Bootloader", description="boot", tags={"product": "WIDGET-001"}, virtual_folder_id=stable,
                vendor="Acme",  # a field the facade does not model is still sent
            ),
            lambda r: s.get_package(r[0].package_id),
            lambda r: s.upload_zip(r[0].package_id, zip_of(Boot__boot_bin="b", Boot__readme_txt="r")),
            lambda r: s.get_package_files(r[0].package_id),
            lambda r: s.set_package_status(r[0].package_id, "pending"),
            lambda r: s.set_package_status(r[0].package_id, PackageStatus.RELEASED),
            lambda r: s.get_released_package("Bootloader"),
            lambda r: s.get_packages_in_folder("firmware\\stable"),
            lambda r: s.set_package_status(r[0].package_id, PackageStatus.OBSOLETE),
            lambda r: s.create_package("Bootloader"),
            lambda r: s.delete_package(r[0].package_id),
            lambda r: s.get_packages(),
        )  # fmt: skip

    created, fetched, uploaded, files, pending, released, latest, in_folder, revoked, second, deleted, after = (
        flavor.run(kw(wats_simulator), body)
    )
    assert created.status is PackageStatus.DRAFT and created.version == 1 and created.created_by == "simulator"
    assert created.tags == [PackageTag(tag="product", value="WIDGET-001")]
    assert fetched.model_dump() == created.model_dump() and fetched.files == []
    assert uploaded is True
    assert sorted((f.folder, f.file_name) for f in files) == [("Boot", "boot.bin"), ("Boot", "readme.txt")]
    assert pending.status is PackageStatus.PENDING
    assert released.status is PackageStatus.RELEASED and released.released is not None
    assert latest.package_id == created.package_id and len(latest.files) == 2
    assert created.package_id in {p.package_id for p in in_folder}
    assert revoked.status is PackageStatus.REVOKED and revoked.revoked_by == "simulator"
    assert second.version == 2  # a name that exists gets the next version
    assert deleted is True
    assert created.package_id not in {p.package_id for p in after}
    assert second.package_id in {p.package_id for p in after}


@pytest.mark.parametrize(
    ("package", "status"),
    [(FW_V3, "Released"), (FW_V3, "Revoked"), (FW_V2, "Draft"), (FW_V2, "Pending"), (FW_V1, "Released"),
     (CAL, "Revoked"), (FW_V3, "Draft")],
)  # fmt: skip
def test_invalid_status_transitions_are_refused(wats_simulator: Simulator, package: str, status: str) -> None:
    with pywats.pyWATS(**kw(wats_simulator)) as api:
        before = api.software.get_package(package)
        assert before is not None
        with pytest.raises(ValidationError, match="cannot change from"):
            api.software.set_package_status(package, status)
        after = api.software.get_package(package)
        assert after is not None and after.status is before.status


def test_pending_back_to_draft_is_allowed(wats_simulator: Simulator, flavor: Flavor) -> None:
    result = flavor.run(kw(wats_simulator), lambda api: api.software.set_package_status(CAL, PackageStatus.DRAFT))
    assert result.status is PackageStatus.DRAFT


def test_only_a_draft_package_takes_detail_changes(wats_simulator: Simulator, flavor: Flavor) -> None:
    def body(api: Any) -> Any:
        s = api.software
        return steps(
            api,
            lambda r: s.get_package(FW_V2),
            lambda r: s.get_package(FW_V3),
            lambda r: s.update_package(r[1].model_copy(update={"description": "beta 2", "priority": 5})),
            lambda r: s.update_package(
                r[0].model_copy(update={"tags": [*r[0].tags, PackageTag(tag="line", value="A")]})
            ),
            lambda r: s.get_package(FW_V3),
            lambda r: s.get_package(FW_V2),
        )

    released, _draft, ok_draft, ok_tags, draft_after, released_after = flavor.run(kw(wats_simulator), body)
    assert ok_draft is True and draft_after.description == "beta 2" and draft_after.priority == 5
    assert ok_tags is True and released_after.tag_value("line") == "A"
    with pytest.raises(ValidationError, match="only Status and Tags"):
        flavor.run(
            kw(wats_simulator),
            lambda api: api.software.update_package(released.model_copy(update={"description": "changed"})),
        )
    with pywats.pyWATS(**kw(wats_simulator)) as api:
        again = api.software.get_package(FW_V2)
    assert again is not None and again.description == released.description


def test_only_draft_or_revoked_packages_can_be_deleted(wats_simulator: Simulator, flavor: Flavor) -> None:
    for package in (FW_V2, CAL):
        with pytest.raises(ValidationError, match="only Draft or Revoked"):
            flavor.run(kw(wats_simulator), lambda api, p=package: api.software.delete_package(p))

    def body(api: Any) -> Any:
        s = api.software
        return steps(
            api,
            lambda r: s.delete_package_by_name("FirmwareUpdate", 1),
            lambda r: s.get_package_files(FW_V2),
            lambda r: s.get_packages(),
        )

    deleted, files_of_v2, left = flavor.run(kw(wats_simulator), body)
    assert deleted is True and files_of_v2  # the other versions keep their files
    assert {p.version for p in left if p.name == "FirmwareUpdate"} == {2, 3}


# -- lookups ---------------------------------------------------------------------------------------


def test_lookups_by_name_status_and_version(wats_simulator: Simulator, flavor: Flavor) -> None:
    def body(api: Any) -> Any:
        s = api.software
        return steps(
            api,
            lambda r: s.get_package_by_name("FirmwareUpdate"),
            lambda r: s.get_package_by_name("firmwareupdate", status=PackageStatus.RELEASED),
            lambda r: s.get_package_by_name("FirmwareUpdate", status="Revoked", version=1),
            lambda r: s.get_released_package("FirmwareUpdate"),
            lambda r: s.get_packages(status=PackageStatus.DEVELOPMENT),
            lambda r: s.get_packages(with_files=True),
        )

    latest, released, v1, released_again, drafts, with_files = flavor.run(kw(wats_simulator), body)
    assert (latest.version, latest.status) == (3, PackageStatus.DRAFT) and latest.files
    assert (released.version, released.status) == (2, PackageStatus.RELEASED)
    assert [f.file_name for f in released.files] == ["install.bat", "widget_fw.bin"]
    assert (v1.version, v1.status) == (1, PackageStatus.REVOKED)
    assert released_again.model_dump() == released.model_dump()
    assert {(p.name, p.version) for p in drafts} == {("FirmwareUpdate", 3), ("DiagnosticsSuite", 1)}
    assert all(p.files is not None for p in with_files)


def test_tags_name_is_case_sensitive_value_is_not(wats_simulator: Simulator, flavor: Flavor) -> None:
    def body(api: Any) -> Any:
        s = api.software
        return steps(
            api,
            lambda r: s.get_packages_by_tag("product", "widget-001"),
            lambda r: s.get_packages_by_tag("product", "WIDGET-001", status="Released"),
            lambda r: s.get_packages_by_tag("Product", "WIDGET-001"),
        )

    every, released, wrong_case = flavor.run(kw(wats_simulator), body)
    assert {(p.name, p.version) for p in every} == {
        ("FirmwareUpdate", 1), ("FirmwareUpdate", 2), ("FirmwareUpdate", 3), ("TestSequence", 1),
    }  # fmt: skip
    assert {(p.name, p.version) for p in released} == {("FirmwareUpdate", 2), ("TestSequence", 1)}
    assert wrong_case == []


def test_virtual_folders_have_paths_and_counts(wats_simulator: Simulator, flavor: Flavor) -> None:
    beta = _uid("folder", "Beta")

    def body(api: Any) -> Any:
        s = api.software
        return steps(
            api,
            lambda r: s.create_package("BetaTool", virtual_folder_id=beta),
            lambda r: s.get_virtual_folders(),
            lambda r: s.get_packages_in_folder("Firmware/Beta"),
            lambda r: s.get_packages_in_folder(uuid.UUID(beta)),
        )

    _, folders, by_path, by_id = flavor.run(kw(wats_simulator), body)
    assert all(isinstance(f, VirtualFolder) for f in folders)
    counts = {f.path: f.package_count for f in folders}
    assert counts == {"Firmware": 0, "Firmware/Stable": 2, "Firmware/Beta": 2, "Test Software": 2}
    assert {p.name for p in by_path} == {"FirmwareUpdate", "BetaTool"}
    assert [p.package_id for p in by_id] == [p.package_id for p in by_path]


def test_missing_things_strict_and_lenient(wats_simulator: Simulator, flavor: Flavor) -> None:
    unknown = uuid.uuid4()
    with pytest.raises(NotFoundError) as info:
        flavor.run(kw(wats_simulator), lambda api: api.software.get_package(unknown))
    assert info.value.operation == "get_package"
    for call in (
        lambda api: api.software.get_package_by_name("Nope"),
        lambda api: api.software.get_package_by_name("Nope", status="Released"),
        lambda api: api.software.get_released_package("DiagnosticsSuite"),  # exists, never released
        lambda api: api.software.get_packages_in_folder("Firmware/Nope"),
        lambda api: api.software.delete_package(unknown),
    ):
        with pytest.raises(NotFoundError):
            flavor.run(kw(wats_simulator), call)

    def lenient(api: Any) -> Any:
        s = api.software
        return steps(
            api,
            lambda r: s.get_package(unknown),
            lambda r: s.get_package_by_name("Nope"),
            lambda r: s.get_released_package("DiagnosticsSuite"),
            lambda r: s.get_packages_in_folder("Firmware/Nope"),
            lambda r: s.delete_package(unknown),
            lambda r: s.get_package_files(unknown),
        )

    assert flavor.run(kw(wats_simulator, error_mode=ErrorMode.LENIENT), lenient) == [None, None, None, [], False, []]


def test_not_found_found_by_the_client_claims_no_http_status(wats_simulator: Simulator, flavor: Flavor) -> None:
    # the server answered 200 to every request; the client concluded "none of them": no 404 was seen
    for call in (
        lambda api: api.software.get_package_by_name("Nope"),
        lambda api: api.software.get_packages_in_folder("Firmware/Nope"),
    ):
        with pytest.raises(NotFoundError) as info:
            flavor.run(kw(wats_simulator), call)
        assert info.value.status_code is None and "HTTP" not in str(info.value)
    with pytest.raises(NotFoundError) as answered:
        flavor.run(kw(wats_simulator), lambda api: api.software.get_package(uuid.uuid4()))
    assert answered.value.status_code == 404


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: s.get_package(12345), "must be a UUID"),
        (lambda s: s.get_package("not-a-uuid"), "must be a UUID"),
        (lambda s: s.get_package_by_name("FirmwareUpdate", version="2.1.0"), "positive integer"),
        (lambda s: s.get_package_by_name(""), "non-empty"),
        (lambda s: s.get_packages(status="Obsolete-ish"), "status must be one of"),
        (lambda s: s.get_packages_by_tag("product=x", "y"), "without '='"),
        (lambda s: s.upload_zip(FW_V3, b"not a zip"), "not a zip"),
        (lambda s: s.upload_zip(FW_V3, "/no/such/file.zip"), "no zip file"),
        (lambda s: s.set_file_attribute(FW_V2_FILE, "RunTwice"), "attribute must be one of"),
        (lambda s: s.delete_package_by_name("FirmwareUpdate", 0), "positive integer"),
        (lambda s: s.create_package("X", tags=[("a", "b")]), "tags must be"),
        (lambda s: s.get_packages_in_folder(" / "), "folder path"),
    ],
)
def test_bad_input_is_refused_before_sending(wats_simulator: Simulator, call: Any, message: str) -> None:
    with pywats.pyWATS(**kw(wats_simulator)) as api:
        with pytest.raises(ValueError, match=message):
            call(api.software)
    assert list(wats_simulator.requests) == []


# -- files -----------------------------------------------------------------------------------------


def test_zip_upload_merges_replaces_and_streams(wats_simulator: Simulator, flavor: Flavor, tmp_path: Path) -> None:
    path = tmp_path / "update.zip"
    path.write_bytes(zip_of(Docs__notes_txt="n"))

    def body(api: Any) -> Any:
        s = api.software
        return steps(
            api,
            lambda r: s.upload_zip(FW_V3, zip_of(Firmware__widget_fw_bin="new", Tools__flash_exe="f")),
            lambda r: s.get_package_files(FW_V3),
            lambda r: s.upload_zip(FW_V3, path),
            lambda r: s.upload_zip(FW_V3, io.BytesIO(zip_of(Only__one_txt="1")), clean_install=True),
            lambda r: s.get_package_files(FW_V3),
        )

    _, merged, from_path, _, clean = flavor.run(kw(wats_simulator), body)
    assert sorted((f.folder, f.file_name) for f in merged) == [("Firmware", "widget_fw.bin"), ("Tools", "flash.exe")]
    assert from_path is True
    assert [(f.folder, f.file_name) for f in clean] == [("Only", "one.txt")]
    request = next(r for r in wats_simulator.requests if r.method == "POST")
    content_type = next(v for k, v in request.headers.items() if k.lower() == "content-type")
    assert content_type.startswith("multipart/form-data") and b"application/zip" in request.body


def test_zip_rules_of_the_server(wats_simulator: Simulator, flavor: Flavor) -> None:
    with pytest.raises(ValidationError, match="files on root"):
        flavor.run(kw(wats_simulator), lambda api: api.software.upload_zip(FW_V3, zip_of(root_txt="r")))
    with pytest.raises(ValidationError, match="Draft"):
        flavor.run(kw(wats_simulator), lambda api: api.software.upload_zip(FW_V2, zip_of(A__b_txt="r")))
    with pywats.pyWATS(**kw(wats_simulator)) as api:
        files = api.software.get_package_files(FW_V3)
    assert [(f.folder, f.file_name) for f in files] == [("Firmware", "widget_fw.bin")]  # nothing lost


def test_file_attribute_is_kept(wats_simulator: Simulator, flavor: Flavor) -> None:
    def body(api: Any) -> Any:
        s = api.software
        return steps(
            api,
            lambda r: s.set_file_attribute(FW_V2_FILE, "executeonce"),
            lambda r: s.get_package_files(FW_V2),
        )

    ok, files = flavor.run(kw(wats_simulator), body)
    assert ok is True
    assert {f.file_id: f.attributes for f in files}[FW_V2_FILE] == "ExecuteOnce"


# -- transport policy and wire -----------------------------------------------------------------------


def test_post_is_never_retried(wats_simulator: Simulator, flavor: Flavor) -> None:
    wats_simulator.inject("/api/Software/Package", status=503, times=1)
    with pytest.raises(ServerError):
        flavor.run(kw(wats_simulator), lambda api: api.software.create_package("Once"))
    posts = [r for r in wats_simulator.requests if r.method == "POST"]
    assert len(posts) == 1
    with pywats.pyWATS(**kw(wats_simulator)) as api:
        assert "Once" not in {p.name for p in api.software.get_packages()}


def test_simulator_errors_on_the_wire(wats_simulator: Simulator) -> None:
    headers = {"Authorization": f"Basic {wats_simulator.token}"}
    with httpx.Client(base_url=wats_simulator.url, headers=headers) as http:
        missing = http.post("/api/Software/Package", json={"description": "no name"})
        bad_status = http.get("/api/Software/PackageByName", params={"name": "FirmwareUpdate", "status": "Gone"})
        bad_tag = http.get("/api/Software/PackagesByTag", params={"tag": "product", "status": "Released"})
        not_multipart = http.post(f"/api/Software/Package/UploadZip/{FW_V3}", content=b"PK", headers={"Content-Type": "application/zip"})  # noqa: E501
        unknown = http.get(f"/api/Software/Package/{uuid.uuid4()}")
    assert missing.status_code == 400 and "Name" in missing.json()["Message"]
    assert bad_status.status_code == 400 and "Draft, Pending, Released, Revoked" in bad_status.json()["Message"]
    assert bad_tag.status_code == 400 and "tagName=tagValue" in bad_tag.json()["Message"]
    assert not_multipart.status_code == 415
    assert unknown.status_code == 404 and "Message" in unknown.json()


def test_models_keep_unknown_fields_and_alias_statuses() -> None:
    package = Package.model_validate(
        {"packageId": str(uuid.uuid4()), "name": "P", "version": 4, "status": "released", "futureField": 1}
    )
    assert package.status is PackageStatus.RELEASED and package.model_extra == {"futureField": 1}
    assert package.to_wire()["futureField"] == 1 and "files" not in package.to_wire()
    assert PackageStatus.DEVELOPMENT is PackageStatus.DRAFT and PackageStatus.OBSOLETE is PackageStatus.REVOKED
    assert PackageStatus("OBSOLETE") is PackageStatus.REVOKED and f"{PackageStatus.RELEASED}" == "Released"
    assert package.id == package.package_id


def test_simulator_data_loads_packages(tmp_path: Path) -> None:
    data = {"softwarePackages": [{"name": "Mine", "version": 7, "status": "released"}]}
    with Simulator(data=data) as sim, pywats.pyWATS(base_url=sim.url, token=sim.token) as api:
        found = api.software.get_released_package("Mine")
    assert found is not None and found.version == 7 and found.files == []
    with pytest.raises(ValueError, match="unknown status"):
        Simulator(data={"softwarePackages": [{"name": "Mine", "status": "Shipped"}]})
