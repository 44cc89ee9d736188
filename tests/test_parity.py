"""What code written for pyWATS 0.x passes or imports works here too (issue 24), against the simulator."""

from __future__ import annotations

import importlib
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flavors import Flavor, drive, v

from pywats import InvalidArgumentError, Station, StationConfig, pyWATS
from pywats.core.exceptions import ConfigurationError, ErrorMode
from pywats.core.response_cache import ResponseCache, cache_key
from pywats.domains.analytics import WATSFilter
from pywats.simulator import Simulator
from pywats.tools.test_uut import TestUUT

VERSION = "/api/App/Version"


def kw(sim: Simulator, **extra: Any) -> dict[str, Any]:
    return {"base_url": sim.url, "token": sim.token, **extra}


def _uut(serial: str) -> TestUUT:
    uut = TestUUT(part_number="PARITY-1", serial_number=serial, revision="A", operator="Ada")
    uut.add_pass_fail_step("LED", True)
    return uut


# -- import paths ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "name", "new"),
    [
        ("pywats.domains.report", "WATSFilter", "pywats.domains.analytics.WATSFilter"),
        ("pywats.core", "Station", "pywats.Station"),
        ("pywats.core", "ErrorMode", "pywats.core.exceptions.ErrorMode"),
        ("pywats.models", "UUTReport", "pywats.UUTReport"),
        ("pywats.models", "UURReport", "pywats.UURReport"),
        ("pywats.domains.report.report_models", "UUTReport", "pywats.UUTReport"),
        ("pywats.domains.report.report_models", "UURReport", "pywats.UURReport"),
        ("pywats.domains.report.report_models.common_types", "StepStatus", "pywats.domains.report.StepStatus"),
        ("pywats.domains.report.report_models.common_types", "ReportStatus", "pywats.domains.report.ReportResult"),
        ("pywats.domains.product.enums", "ProductState", "pywats.domains.product.models.ProductState"),
        ("pywats_client.exceptions", "ConfigError", "pywats_client.config.ConfigError"),
        ("pywats_client.exceptions", "ConversionError", "pywats_client.converters.ConversionError"),
        ("pywats_client.core.config", "ClientConfig", "pywats_client.config.ClientConfig"),
        ("pywats_client.io", "AttachmentIO", "pywats_client.io.AttachmentIO"),
    ],
)
def test_old_import_paths_give_the_same_objects(old: str, name: str, new: str) -> None:
    module, _, attr = new.rpartition(".")
    assert getattr(importlib.import_module(old), name) is getattr(importlib.import_module(module), attr)


# -- WATSFilter's camelCase names -----------------------------------------------------------------


def test_watsfilter_takes_the_server_names() -> None:
    start, stop = datetime(2024, 1, 1, 8), datetime(2024, 1, 31, 17)
    old = WATSFilter(
        partNumber="W-1", productGroup="Boards", dateGrouping=2, periodCount=4, dateStart=start, dateStop=stop
    )
    new = WATSFilter(
        part_number="W-1", product_group="Boards", date_grouping=2, period_count=4,
        start_date_time=start, end_date_time=stop,
    )  # fmt: skip
    assert old == new
    assert old.to_wire()["partNumber"] == "W-1" and old.to_wire()["dateFrom"] == new.to_wire()["dateFrom"]
    with pytest.raises(ValueError, match="partNumber and part_number are the same filter field"):
        WATSFilter(partNumber="a", part_number="b")


def test_watsfilter_camelcase_reaches_the_server(wats_simulator: Simulator) -> None:
    with pyWATS(**kw(wats_simulator)) as api:
        api.report.submit_report(_uut("SN-F1"))
        mine = api.analytics.get_yield(WATSFilter(partNumber="PARITY-1"))
        other = api.analytics.get_yield(WATSFilter(partNumber="NO-SUCH-PART"))
    assert mine is not None and mine.total == 1
    assert other is None or other.total == 0


# -- Station(name=..., location=..., purpose=...) and api.stations --------------------------------


def test_station_keywords_are_the_config() -> None:
    short = Station(name="ICT-01", location="Line A", purpose=10)
    assert short == Station(config=StationConfig(station_name="ICT-01", location="Line A"))
    assert (short.name, short.location, int(short.purpose)) == ("ICT-01", "Line A", 10)
    with pytest.raises(InvalidArgumentError, match="not both"):
        Station(StationConfig(station_name="A"), name="B")
    with pytest.raises(InvalidArgumentError, match="config must be a StationConfig"):
        Station("ICT-01")  # type: ignore[arg-type]


def test_stations_switch_the_identity_reports_carry(flavor: Flavor, wats_simulator: Simulator) -> None:
    async def run(api: Any) -> Any:
        api.stations.add("ICT-01", location="Line A")
        api.stations.add("ICT-02", "Line B", 10)
        first = api.stations.set_active("ICT-01")
        one = await v(api.report.submit_report(_uut("SN-S1")))
        api.stations.set_active("ict-02")  # names are case-insensitive
        two = await v(api.report.submit_report(_uut("SN-S2")))
        back = [await v(api.report.get_report(i)) for i in (one, two)]
        return first, api.stations.active, api.station, api.stations.names, back

    first, active, station, names, back = flavor.run(
        kw(wats_simulator, station=Station(name="HOME")), drive(flavor, run)
    )
    assert first.name == "ICT-01" and active.name == "ICT-02" and station is active
    assert names == ["HOME", "ICT-01", "ICT-02"]
    assert [(r.station_name, r.location) for r in back] == [("ICT-01", "Line A"), ("ICT-02", "Line B")]


def test_stations_refuse_what_they_cannot_do(wats_simulator: Simulator) -> None:
    with pyWATS(**kw(wats_simulator)) as api:
        api.stations.add("A")
        with pytest.raises(InvalidArgumentError, match="already added"):
            api.stations.add("a")
        with pytest.raises(InvalidArgumentError, match="no station named 'B'"):
            api.stations.set_active("B")
        with pytest.raises(InvalidArgumentError, match="name"):
            api.stations.add("  ")
        assert api.stations.add("A", "Line 2", replace=True).location == "Line 2"


# -- get_recent_headers(count=...) ----------------------------------------------------------------


def test_recent_headers_by_count(flavor: Flavor, wats_simulator: Simulator) -> None:
    now = datetime.now().astimezone()
    starts = {"SN-OLD": datetime(2020, 1, 1, 12).astimezone(), "SN-R1": now + timedelta(hours=1)}
    starts["SN-R2"] = now + timedelta(hours=2)  # newer than any seeded report

    async def run(api: Any) -> Any:
        for serial, start in starts.items():
            uut = _uut(serial)
            uut.start = start
            await v(api.report.submit_report(uut))
        rep = api.report
        return (
            await v(rep.get_recent_headers(count=2)),
            await v(rep.get_recent_headers(count=10000)),
            await v(rep.get_recent_headers()),
            await v(rep.get_recent_headers(days=7, count=10000)),
        )

    newest, any_age, week, week_counted = flavor.run(kw(wats_simulator), drive(flavor, run))
    assert [h.serial_number for h in newest] == ["SN-R2", "SN-R1"]
    assert "SN-OLD" in [h.serial_number for h in any_age]  # count alone: no day window
    assert "SN-OLD" not in [h.serial_number for h in week] + [h.serial_number for h in week_counted]
    with pyWATS(**kw(wats_simulator)) as api, pytest.raises(InvalidArgumentError, match="count"):
        api.report.get_recent_headers(count=0)


# -- the opt-in GET cache -------------------------------------------------------------------------


def _sent(sim: Simulator, method: str, path: str) -> int:
    return sum(1 for r in sim.requests if r.method == method and r.path.lower() == path.lower())


def test_cache_is_off_by_default(flavor: Flavor, wats_simulator: Simulator) -> None:
    async def run(api: Any) -> Any:
        for _ in range(3):
            await v(api.get_version())
        return api.response_cache

    assert flavor.run(kw(wats_simulator), drive(flavor, run)) is None
    assert _sent(wats_simulator, "GET", VERSION) == 3


def test_cache_answers_gets_and_writes_empty_it(flavor: Flavor, wats_simulator: Simulator) -> None:
    async def run(api: Any) -> Any:
        versions = [await v(api.get_version()) for _ in range(3)]
        first = await v(api.process.get_processes())
        after_gets = _sent(wats_simulator, "GET", VERSION)
        await v(api.report.submit_report(_uut("SN-C1")))  # a POST: never cached, empties the cache
        await v(api.get_version())
        return versions, first, after_gets, len(api.response_cache), api.response_cache.stats.hits

    cached = kw(wats_simulator, enable_cache=True)
    versions, processes, after_gets, size, hits = flavor.run(cached, drive(flavor, run))
    assert len(set(versions)) == 1 and processes
    assert after_gets == 1  # three calls, one request
    assert _sent(wats_simulator, "GET", VERSION) == 2  # asked again after the write
    assert _sent(wats_simulator, "POST", "/api/Report/WSJF") == 1
    assert size == 1 and hits == 2


def test_cache_keeps_no_errors(wats_simulator: Simulator) -> None:
    missing = "00000000-0000-0000-0000-00000000abcd"
    with pyWATS(**kw(wats_simulator, enable_cache=True, error_mode=ErrorMode.LENIENT)) as api:
        assert api.report.get_report(missing) is None
        assert api.report.get_report(missing) is None
    assert sum(1 for r in wats_simulator.requests if missing in r.path) == 2


def test_cache_key_and_expiry() -> None:
    import httpx

    assert cache_key({"method": "POST", "url": "/a"}) is None
    assert cache_key({"method": "GET", "url": "/a", "json": {}}) is None
    assert cache_key({"method": "GET", "url": "/a", "params": {"x": 1, "y": "2"}}) == cache_key(
        {"method": "get", "url": "/a", "params": {"y": "2", "x": "1"}}
    )
    assert cache_key({"method": "GET", "url": "/a", "params": {"x": 1}}) != cache_key({"method": "GET", "url": "/a"})
    now = [0.0]
    cache = ResponseCache(ttl=10, max_size=2, clock=lambda: now[0])
    get = {"method": "GET", "url": "/a"}
    cache.store(get, httpx.Response(200, json=1))
    assert cache.lookup(get) is not None
    now[0] = 10.5
    assert cache.lookup(get) is None  # expired
    cache.store(get, httpx.Response(503))
    assert cache.lookup(get) is None


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"enable_cache": "yes"}, "enable_cache"),
        ({"cache_ttl": 0}, "cache_ttl"),
        ({"cache_max_size": 0}, "cache_max_size"),
    ],
)
def test_cache_arguments_are_checked(kwargs: dict[str, Any], name: str) -> None:
    with pytest.raises(ConfigurationError, match=name):
        pyWATS(base_url="https://wats.example.com", token="dG9rZW4=", **kwargs)


# -- pyWATS 0.x environment variables -------------------------------------------------------------


def test_pywats_environment_names(wats_simulator: Simulator, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("WATS_BASE_URL", "WATS_AUTH_TOKEN", "WATS_STATION_NAME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PYWATS_SERVER_URL", wats_simulator.url)
    monkeypatch.setenv("PYWATS_API_TOKEN", wats_simulator.token)
    monkeypatch.setenv("PYWATS_STATION", "ENV-STATION")
    with pyWATS() as api:
        assert api.base_url.rstrip("/") == wats_simulator.url.rstrip("/")
        assert api.get_version()
        assert api.station.name == "ENV-STATION"
    # ours win where both are set
    monkeypatch.setenv("WATS_BASE_URL", "https://ours.example.com")
    monkeypatch.setenv("WATS_STATION_NAME", "OURS")
    with pyWATS() as api:
        assert api.base_url.startswith("https://ours.example.com") and api.station.name == "OURS"


# -- pywats_client.io -----------------------------------------------------------------------------


def test_attachment_files_round_trip_through_the_server(wats_simulator: Simulator, tmp_path: Path) -> None:
    from pywats_client.io import AttachmentIO, load_attachment, save_attachment

    picture = tmp_path / "screen.png"
    picture.write_bytes(b"\x89PNG fake image")
    attachment = AttachmentIO.from_file(picture)
    assert (attachment.name, attachment.content_type, attachment.get_bytes()) == (
        "screen.png", "image/png", b"\x89PNG fake image",
    )  # fmt: skip
    uut = _uut("SN-A1")
    uut.add_attachment(attachment)
    with pyWATS(**kw(wats_simulator)) as api:
        report_id = api.report.submit_report(uut)
        downloaded = api.report.get_attachments(report_id)
    out = tmp_path / "out"
    out.mkdir()
    written = save_attachment(downloaded[0], out)
    assert written == out / "screen.png" and written.read_bytes() == b"\x89PNG fake image"
    with pytest.raises(FileExistsError):
        save_attachment(downloaded[0], out)
    assert AttachmentIO.save(load_attachment(picture, name="copy.bin"), out / "copy.bin").read_bytes() == (
        b"\x89PNG fake image"
    )
    with pytest.raises(InvalidArgumentError, match="readable file"):
        load_attachment(tmp_path / "missing.png")


def test_attachment_names_cannot_leave_the_folder(tmp_path: Path) -> None:
    from pywats.domains.report import ReportAttachment
    from pywats_client.io import save_attachment

    evil = ReportAttachment(file_name="../../etc/passwd", size=1, content=b"x")
    written = save_attachment(evil, tmp_path)
    assert written == tmp_path / "passwd" and written.parent == tmp_path
