"""Fetching the API documents from a live server (over HTTP on 127.0.0.1)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from loopback import LoopbackServer, Reply

from pywats.spec.normalise import load_overrides
from pywats.spec.sources import SpecSourceError, load_documents

PACKAGES = load_overrides().packages


def test_documents_are_fetched_with_the_token(server: LoopbackServer, spec_dir: Path) -> None:
    public = (spec_dir / "openapi_public.json").read_bytes()
    internal = (spec_dir / "openapi_internal.json").read_bytes()
    server.route("GET", "/swagger/docs/v1", Reply(body=public))
    server.route("GET", "/swagger/docs/internal", Reply(body=internal))
    docs = load_documents(PACKAGES, server=server.url + "/", token="c2VjcmV0")
    assert docs["public"].sha256 == hashlib.sha256(public).hexdigest()
    assert docs["internal"].origin == server.url + "/swagger/docs/internal"
    assert {r.headers["Authorization"] for r in server.requests} == {"Basic c2VjcmV0"}
    assert docs["internal"].parsed()["swagger"] == "2.0"


def test_rejected_token_is_a_clear_error(server: LoopbackServer) -> None:
    server.route("GET", "/swagger/docs/v1", Reply(status=401, json={"Message": "Authorization has been denied"}))
    with pytest.raises(SpecSourceError, match=r"HTTP 401 \(set WATS_AUTH_TOKEN\)"):
        load_documents(PACKAGES, server=server.url, token="bad")


def test_unreachable_server_is_a_clear_error() -> None:
    with pytest.raises(
        SpecSourceError, match=re.escape("cannot fetch http://127.0.0.1:9/swagger/docs/v1: ConnectError")
    ):
        load_documents(PACKAGES, server="http://127.0.0.1:9", token="x")


def test_non_json_document_is_a_clear_error(server: LoopbackServer) -> None:
    server.route("GET", "/swagger/docs/v1", Reply(body=b"<html>login</html>"))
    server.route("GET", "/swagger/docs/internal", Reply(body=b"{}"))
    docs = load_documents(PACKAGES, server=server.url, token="x")
    with pytest.raises(SpecSourceError, match="is not valid JSON"):
        docs["public"].parsed()
