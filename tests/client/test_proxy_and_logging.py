"""The service honours proxy_mode/proxy_url and log_level (real service processes, a recording proxy)."""

from __future__ import annotations

import http.client
import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from loopback import dead_url

from pywats.simulator import Simulator
from pywats_client.config import ClientConfig, ConfigError
from pywats_client.control import ControlError
from pywats_client.service import proxy_for

from .helpers import configure, csv_text, drop, service, stored_serials, wait_for

PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


class RecordingProxy:
    """A forward HTTP proxy on 127.0.0.1 that records the URL of every request it relays."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _relay(self) -> None:
                proxy.seen.append(f"{self.command} {self.path}")
                target = urlsplit(self.path)  # a proxy is sent the absolute URL
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("proxy-connection", "connection")}
                conn = http.client.HTTPConnection(target.hostname or "", target.port or 80, timeout=30)
                try:
                    path = target.path + (f"?{target.query}" if target.query else "")
                    conn.request(self.command, path, body=body or None, headers=headers)
                    resp = conn.getresponse()
                    data = resp.read()
                finally:
                    conn.close()
                self.send_response(resp.status)
                for key, value in resp.getheaders():
                    if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _relay

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


@contextmanager
def recording_proxy() -> Iterator[RecordingProxy]:
    proxy = RecordingProxy()
    try:
        yield proxy
    finally:
        proxy.close()


def _env(**proxies: str) -> dict[str, str]:
    """This environment without any proxy variable, plus ``proxies`` (upper case, as most stations set them)."""
    env = {k: v for k, v in os.environ.items() if k.lower() not in PROXY_VARS}
    env.update({k.upper(): v for k, v in proxies.items()})
    return env


def _submitted(proxy: RecordingProxy) -> list[str]:
    return [s for s in proxy.seen if s.startswith("POST ") and s.lower().endswith("/api/report/wsjf")]


@pytest.mark.parametrize("mode", ["manual", "none", "system"])
def test_the_service_uses_the_proxy_the_config_says(tmp_path: Path, mode: str) -> None:
    with Simulator() as sim, recording_proxy() as proxy:
        cfg = configure(tmp_path, sim, proxy_mode=mode, **({"proxy_url": proxy.url} if mode == "manual" else {}))
        # what the station's environment says: a dead proxy (manual/none must ignore it) or the real one
        env = _env(http_proxy=proxy.url if mode == "system" else dead_url())
        with service(cfg, env=env):
            drop(tmp_path / "watch", "p.csv", csv_text(f"PROXY-{mode}", part=f"PX{mode}"))
            wait_for(lambda: stored_serials(sim, f"PX{mode}") == [f"PROXY-{mode}"], 30, "the report")
        if mode == "none":
            assert proxy.seen == []
        else:
            assert len(_submitted(proxy)) == 1 and sim.url in _submitted(proxy)[0]


def test_proxy_settings_apply_on_restart_and_a_manual_proxy_needs_a_url(tmp_path: Path) -> None:
    with Simulator() as sim, recording_proxy() as proxy:
        cfg = configure(tmp_path, sim)
        with service(cfg, env=_env()) as svc:
            drop(tmp_path / "watch", "a.csv", csv_text("DIRECT", part="PXR"))
            wait_for(lambda: stored_serials(sim, "PXR") == ["DIRECT"], 30, "the direct report")
            assert proxy.seen == []

            svc.api.request("POST", "/config", {"proxy_mode": "manual"})
            with pytest.raises(ControlError, match="HTTP 400 not restarted: proxy_mode is manual but proxy_url"):
                svc.api.request("POST", "/restart")
            assert svc.status()["state"] == "running"  # refused before anything was stopped

            svc.api.request("POST", "/config", {"proxy_url": proxy.url})
            assert svc.api.request("POST", "/restart")["state"] == "running"
            drop(tmp_path / "watch", "b.csv", csv_text("VIA-PROXY", part="PXR"))
            wait_for(lambda: sorted(stored_serials(sim, "PXR")) == ["DIRECT", "VIA-PROXY"], 30, "the proxied report")
            assert len(_submitted(proxy)) == 1


def test_proxy_for_each_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setenv("https_proxy", "system-proxy:3128")
    monkeypatch.setenv("NO_PROXY", "intranet.example.com")
    cfg = tmp_path / "config.json"

    def proxy(**values: str) -> str | None:
        cfg.write_text(json.dumps({"service_address": "https://wats.example.com", **values}))
        return proxy_for(ClientConfig.load(cfg))

    assert proxy() == "http://system-proxy:3128"  # system is the default
    assert proxy(service_address="http://wats.example.com") is None  # no http proxy set
    assert proxy(service_address="https://intranet.example.com") is None  # NO_PROXY
    assert proxy(proxy_mode="none") is None
    assert proxy(proxy_mode="manual", proxy_url="http://user:pw@corp:8080") == "http://user:pw@corp:8080"
    assert ClientConfig.load(cfg).to_dict()["proxy_url"] == "http://user:****@corp:8080"  # never shown
    with pytest.raises(ConfigError, match="proxy_url is empty"):
        proxy(proxy_mode="manual")


def test_log_level_applies_at_once_and_after_a_restart(tmp_path: Path) -> None:
    with Simulator() as sim:
        cfg = configure(tmp_path, sim, log_level="INFO")
        with service(cfg) as svc:
            drop(tmp_path / "watch", "a.csv", csv_text("LOG-1", part="LOG"))
            wait_for(lambda: stored_serials(sim, "LOG") == ["LOG-1"], 30, "the first report")
            answer = svc.api.request("POST", "/config", {"log_level": "DEBUG", "station_name": "LOG-ST"})
            assert answer["applied"] == ["log_level"] and answer["restart_required"] == ["station_name"]
            drop(tmp_path / "watch", "b.csv", csv_text("LOG-2", part="LOG"))
            wait_for(lambda: len(stored_serials(sim, "LOG")) == 2, 30, "the second report")
            wait_for(lambda: "submitted" in svc.log_path.read_text(), 10, "the DEBUG line of the submission")
            for _ in range(5):  # a GUI polls: not one line per request, even at DEBUG
                svc.status()
            svc.api.request("POST", "/restart")  # the saved level holds after a restart
            drop(tmp_path / "watch", "c.csv", csv_text("LOG-3", part="LOG"))
            wait_for(lambda: len(stored_serials(sim, "LOG")) == 3, 30, "the third report")
            wait_for(lambda: svc.log_path.read_text().count("submitted") >= 2, 10, "the DEBUG line after restart")
        before, after = svc.log_path.read_text().split("configuration applied", 1)
        assert " DEBUG " not in before and "a.csv: 1 report(s) queued" in before
        assert any(" DEBUG pywats_client.uploader: report " in line for line in after.splitlines())
        assert "control API" not in after.replace("control API on", "")  # no per-request lines
