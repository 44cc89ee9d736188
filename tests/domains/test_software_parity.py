"""The pyWATS 0.x Software methods (issue #24) against the simulator, sync and async."""

from __future__ import annotations

import hashlib
import io
import uuid
import warnings
import zipfile
from datetime import datetime
from typing import Any

import pytest
from flavors import Flavor, drive, v

import pywats
from pywats import InvalidArgumentError, NotFoundError, ValidationError
from pywats.domains.software import FileAttribute, PackageStatus, SoftwareEntity, SoftwareEntityType
from pywats.simulator import Simulator
from pywats.simulator.routes.software import _uid, folder_uid

FW_V1 = _uid("package", "FirmwareUpdate:1")  # Revoked, a newer version (2) is Released
FW_V2 = _uid("package", "FirmwareUpdate:2")  # Released
FW_V3 = _uid("package", "FirmwareUpdate:3")  # Draft, one file Firmware/widget_fw.bin
FW_V3_FOLDER = folder_uid(FW_V3, "Firmware")
FW_V3_FILE = _uid("file", f"{FW_V3}/Firmware/widget_fw.bin")
TEST_SEQ = _uid("package", "TestSequence:1")  # Released, the only version
CAL = _uid("package", "CalibrationTool:1")  # Pending

# Example calls for the traffic test (tests/test_bindings.py), merged into test_software.FACADE_CALLS.
PARITY_CALLS: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {
    "submit_for_review": ((FW_V3,), {}),
    "return_to_draft": ((CAL,), {}),
    "release_package": ((CAL,), {}),
    "revoke_package": ((FW_V2,), {}),
    "update_file_attribute": ((FW_V3_FILE, "TopLevelFile"), {}),
    "is_connected": ((), {}),
    "get_file": ((FW_V3_FILE,), {}),
    "check_file": ((FW_V3, FW_V3_FOLDER, "widget_fw.bin", "0" * 40, 1700000000), {}),
    "create_package_folder": ((FW_V3, {"name": "Docs", "parent_id": FW_V3_FOLDER}), {}),
    "update_package_folder": (({"id": FW_V3_FOLDER, "name": "FW"},), {}),
    "delete_package_folder": ((FW_V3_FOLDER,), {}),
    "delete_package_folder_files": (([FW_V3_FILE],), {}),
    "get_package_history": (("product=WIDGET-001",), {"status": PackageStatus.RELEASED, "all_versions": True}),
    "get_package_download_history": ((1,), {}),
    "get_revoked_packages": (([FW_V1],), {"include_revoked_only": False}),
    "get_available_packages": (([FW_V1],), {}),
    "get_software_entity_details": ((FW_V3,), {}),
    "log_download": ((FW_V2, 1024), {}),
}


pytestmark = pytest.mark.filterwarnings("ignore::pywats.InternalAPIWarning")


def kw(sim: Simulator, **extra: Any) -> dict[str, Any]:
    return {"base_url": sim.url, "token": sim.token, **extra}


def test_status_moves_follow_the_life_cycle(wats_simulator: Simulator, flavor: Flavor) -> None:
    async def steps(api: Any) -> dict[str, Any]:
        s = api.software
        made = await v(s.create_package("ParityTool"))
        out = {"made": made.status}
        out["pending"] = (await v(s.submit_for_review(made.package_id))).status
        out["draft"] = (await v(s.return_to_draft(str(made.package_id)))).status
        with pytest.raises(ValidationError, match="Draft to Released"):
            await v(s.release_package(made.package_id))  # Draft cannot go straight to Released
        await v(s.submit_for_review(made.package_id))
        released = await v(s.release_package(made.package_id))
        out["released"], out["released_at"] = released.status, released.released
        out["revoked"] = (await v(s.revoke_package(made.package_id))).status
        out["stored"] = (await v(s.get_package(made.package_id))).status
        out["attribute"] = await v(s.update_file_attribute(FW_V3_FILE, FileAttribute.EXECUTE_ALWAYS))
        out["files"] = {f.file_id: f.attributes for f in await v(s.get_package_files(FW_V3))}
        with pytest.raises(InvalidArgumentError, match="attribute"):
            await v(s.update_file_attribute(FW_V3_FILE, "RunTwice"))
        return out

    out = flavor.run(kw(wats_simulator), drive(flavor, steps))
    assert out["made"] is PackageStatus.DRAFT
    assert (out["pending"], out["draft"]) == (PackageStatus.PENDING, PackageStatus.DRAFT)
    assert out["released"] is PackageStatus.RELEASED and out["released_at"] is not None
    assert out["revoked"] is out["stored"] is PackageStatus.REVOKED
    assert out["attribute"] is True and out["files"][FW_V3_FILE] == "ExecuteAlways"


def test_package_folders_and_files(wats_simulator: Simulator, flavor: Flavor) -> None:
    boot = b"boot loader image"

    async def steps(api: Any) -> dict[str, Any]:
        s = api.software
        out: dict[str, Any] = {}
        made = await v(s.create_package("ParityLoader"))
        pid = made.package_id
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w") as z:
            z.writestr("Boot/boot.bin", boot)
            z.writestr("Boot/cfg/setup.ini", b"[x]")
        await v(s.upload_zip(pid, archive.getvalue()))
        details = await v(s.get_software_entity_details(pid))
        out["paths"] = [(e.information, e.type) for e in details]
        boot_folder = next(e for e in details if e.information == "Boot")
        boot_file = next(e for e in details if e.information == "Boot/boot.bin")
        out["same"] = await v(s.check_file(pid, boot_folder.id, "boot.bin", hashlib.sha1(boot).hexdigest(), 0))
        out["md5"] = await v(s.check_file(pid, None, "Boot/boot.bin", hashlib.md5(boot).hexdigest(), datetime.now()))
        out["changed"] = await v(s.check_file(pid, boot_folder.id, "boot.bin", hashlib.sha1(b"new").hexdigest(), 0))
        out["absent"] = await v(s.check_file(pid, boot_folder.id, "other.bin", "00", 0))
        out["file"] = await v(s.get_file(boot_file.id))
        docs = await v(s.create_package_folder(pid, {"name": "Docs", "parent_id": boot_folder.id}))
        out["docs"] = docs
        with pytest.raises(ValidationError, match="already exists"):
            await v(s.create_package_folder(pid, SoftwareEntity(name="docs", parent_id=boot_folder.id)))
        out["renamed"] = await v(s.update_package_folder({"id": boot_folder.id, "name": "Loader"}))
        out["moved"] = await v(s.update_package_folder({"id": docs.id, "parentId": str(uuid.UUID(int=0))}))
        out["after_rename"] = sorted((f.folder, f.file_name) for f in await v(s.get_package_files(pid)))
        out["deleted_files"] = await v(s.delete_package_folder_files([boot_file.id, uuid.uuid4()]))
        out["after_files"] = sorted((f.folder, f.file_name) for f in await v(s.get_package_files(pid)))
        out["deleted_folder"] = await v(s.delete_package_folder(boot_folder.id))
        out["left"] = [e.information for e in await v(s.get_software_entity_details(pid))]
        with pytest.raises(ValidationError, match="Released"):  # only a Draft package's folders change
            await v(s.create_package_folder(FW_V2, {"name": "Late"}))
        with pytest.raises(NotFoundError):
            await v(s.delete_package_folder(uuid.uuid4()))
        return out

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = flavor.run(kw(wats_simulator), drive(flavor, steps))
    assert out["paths"] == [
        ("Boot", SoftwareEntityType.FOLDER),
        ("Boot/boot.bin", SoftwareEntityType.FILE),
        ("Boot/cfg", SoftwareEntityType.FOLDER),
        ("Boot/cfg/setup.ini", SoftwareEntityType.FILE),
    ]
    assert out["same"].valid is True and out["md5"].valid is True and out["same"]["fileSize"] == len(boot)
    assert out["changed"].valid is False and out["absent"] is None
    assert out["file"].name == "boot.bin" and out["file"].get("information") == "Boot/boot.bin"
    assert out["docs"].is_folder and out["docs"].information == "Boot/Docs"
    assert out["renamed"].information == "Loader" and out["moved"].information == "Docs"
    assert out["after_rename"] == [("Loader", "boot.bin"), ("Loader/cfg", "setup.ini")]
    assert out["deleted_files"] is True and out["after_files"] == [("Loader/cfg", "setup.ini")]
    assert out["deleted_folder"] is True and out["left"] == ["Docs"]
    assert any(issubclass(w.category, pywats.InternalAPIWarning) and "create_package_folder" in str(w.message)
               for w in caught)  # fmt: skip


def test_what_a_station_client_asks(wats_simulator: Simulator, flavor: Flavor) -> None:
    async def steps(api: Any) -> dict[str, Any]:
        s = api.software
        out: dict[str, Any] = {"connected": await v(s.is_connected())}
        out["newest"] = await v(s.get_package_history("product=WIDGET-001"))
        out["all_released"] = await v(
            s.get_package_history({"product": "WIDGET-001", "type": "firmware"}, status=2, all_versions=True)
        )
        out["revoked"] = await v(s.get_revoked_packages([FW_V1, FW_V2, TEST_SEQ]))
        out["revoked_only"] = await v(s.get_revoked_packages(f"{FW_V1},{FW_V2}", include_revoked_only=True))
        out["available"] = await v(s.get_available_packages([FW_V1, TEST_SEQ]))
        out["none_installed"] = await v(s.get_available_packages([]))
        first = await v(s.log_download(FW_V2, 4096))
        await v(s.log_download(TEST_SEQ, 512))
        out["first"] = first
        out["history"] = await v(s.get_package_download_history(first["clientId"]))
        out["other_client"] = await v(s.get_package_download_history(first["clientId"] + 1))
        return out

    out = flavor.run(kw(wats_simulator), drive(flavor, steps))
    assert out["connected"] is True
    assert [(p.name, p.version, p.status) for p in out["newest"]] == [
        ("FirmwareUpdate", 3, PackageStatus.DRAFT),
        ("TestSequence", 1, PackageStatus.RELEASED),
    ]
    assert [(p.name, p.version) for p in out["all_released"]] == [("FirmwareUpdate", 2)]
    assert out["all_released"][0].tag_value("type") == "firmware"
    assert out["revoked"] == [uuid.UUID(FW_V1)] and out["revoked_only"] == []
    assert [(p.package_id, p.version) for p in out["available"]] == [(uuid.UUID(FW_V2), 2)]
    assert out["none_installed"] == []
    assert out["first"]["downloadSize"] == 4096 and out["first"]["packageId"] == FW_V2
    assert [r["packageId"] for r in out["history"]] == [TEST_SEQ, FW_V2] and out["other_client"] == []


def test_is_connected_is_false_for_a_refused_token(wats_simulator: Simulator, flavor: Flavor) -> None:
    assert flavor.run(kw(wats_simulator, token="bm9ib2R5Om5vcGU="), lambda api: api.software.is_connected()) is False


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda s: s.get_package_history("product"), "tag=value"),
        (lambda s: s.get_package_history({"product": 1}), "tags"),
        (lambda s: s.get_package_history("a=b", status=7), "0-3"),
        (lambda s: s.get_revoked_packages(["not-an-id"]), "installed_packages"),
        (lambda s: s.delete_package_folder_files([]), "file_ids"),
        (lambda s: s.create_package_folder(FW_V3, {"parent_id": FW_V3_FOLDER}), "name"),
        (lambda s: s.update_package_folder({"name": "x"}), "id"),
        (lambda s: s.check_file(FW_V3, None, "a.bin", "00", -5), "file_date_epoch"),
        (lambda s: s.log_download(FW_V2, -1), "download_size"),
        (lambda s: s.submit_for_review(12345), "package_id"),
    ],
)
def test_bad_arguments_are_refused_before_sending(wats_simulator: Simulator, call: Any, match: str) -> None:
    with pywats.pyWATS(**kw(wats_simulator)) as api:
        with pytest.raises(InvalidArgumentError, match=match):
            call(api.software)
    assert not wats_simulator.requests
