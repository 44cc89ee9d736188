"""RootCause ticket attachments against the simulator, sync and async: multipart upload, download
of the same bytes, linking to a comment, and the errors."""

from __future__ import annotations

import io
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from flavors import Flavor

import pywats
from pywats import ErrorMode, InvalidArgumentError, pyWATS
from pywats.simulator import Simulator
from pywats.simulator.routes.rootcause import SEED_ATTACHMENT, SEED_ATTACHMENT_ID

T12345 = str(uuid.uuid5(uuid.UUID("0b6f8a52-7d0e-4f4e-9c1e-5d1a2f3b4c5d"), "12345"))
PAYLOAD = bytes(range(256)) * 64 + b"\r\n--boundary-lookalike--\r\n"  # binary, CRLFs, a fake boundary


def kw(sim: Simulator, **extra: Any) -> dict[str, Any]:
    return {"base_url": sim.url, "token": sim.token, **extra}


def test_upload_then_get_returns_the_same_bytes(flavor: Flavor, wats_simulator: Simulator) -> None:
    def body(api: Any) -> Any:
        if isinstance(api, pyWATS):
            aid = api.rootcause.upload_attachment(PAYLOAD, filename="dump.bin")
            return aid, api.rootcause.get_attachment(aid), api.rootcause.get_attachment(str(aid), file_name="x.bin")

        async def run() -> Any:
            aid = await api.rootcause.upload_attachment(io.BytesIO(PAYLOAD), filename="dump.bin")
            return aid, await api.rootcause.get_attachment(aid), await api.rootcause.get_attachment(aid, "x.bin")

        return run()

    aid, content, named = flavor.run(kw(wats_simulator), body)
    assert isinstance(aid, uuid.UUID)
    assert content == PAYLOAD and named == PAYLOAD
    (request,) = [r for r in wats_simulator.requests if r.method == "POST"]
    assert request.headers.get("content-type", request.headers.get("Content-Type", "")).startswith(
        "multipart/form-data"
    )
    stored = wats_simulator.store.collection("rootcause_attachments")
    assert [(a["filename"], a["contentType"]) for a in stored if a["attachmentId"] == str(aid)] == [
        ("dump.bin", "application/octet-stream")
    ]


def test_a_file_path_is_streamed_with_its_name_and_type(wats_simulator: Simulator, tmp_path: Path) -> None:
    photo = tmp_path / "scope.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + PAYLOAD)
    with pyWATS(**kw(wats_simulator)) as api:
        aid = api.rootcause.upload_attachment(photo)
        assert api.rootcause.get_attachment(aid) == photo.read_bytes()
    raw = httpx.get(
        f"{wats_simulator.url}/api/RootCause/Attachment",
        params={"attachmentId": str(aid), "fileName": "saved.png"},
        headers={"Authorization": f"Basic {wats_simulator.token}"},
    )
    assert raw.headers["Content-Type"] == "image/png"
    assert raw.headers["Content-Disposition"] == 'attachment; filename="saved.png"'


def test_an_uploaded_file_goes_with_a_comment(flavor: Flavor, wats_simulator: Simulator) -> None:
    def body(api: Any) -> Any:
        rc = api.rootcause
        if isinstance(api, pyWATS):
            aid = rc.upload_attachment(b"scope trace", filename="trace.csv")
            return aid, rc.add_comment(T12345, "Trace attached", assignee="simulator", attachments=[aid])

        async def run() -> Any:
            aid = await rc.upload_attachment(b"scope trace", filename="trace.csv")
            return aid, await rc.add_comment(T12345, "Trace attached", assignee="simulator", attachments=[aid])

        return run()

    aid, ticket = flavor.run(kw(wats_simulator), body)
    last = ticket.history[-1]
    assert last.content == "Trace attached"
    assert [(a.attachment_id, a.filename) for a in last.attachments] == [(aid, "trace.csv")]


def test_the_seeded_ticket_photo_can_be_fetched(wats_simulator: Simulator) -> None:
    with pyWATS(**kw(wats_simulator)) as api:
        ticket = api.rootcause.get_ticket(12345)
        assert ticket is not None
        (att,) = [a for u in ticket.history or [] for a in u.attachments or []]
        assert (str(att.attachment_id), att.filename) == (SEED_ATTACHMENT_ID, SEED_ATTACHMENT[0])
        assert api.rootcause.get_attachment(att.attachment_id) == SEED_ATTACHMENT[2]


def test_unknown_and_bad_ids(wats_simulator: Simulator) -> None:
    with pyWATS(**kw(wats_simulator)) as api:
        with pytest.raises(pywats.NotFoundError):
            api.rootcause.get_attachment(uuid.uuid4())
        with pytest.raises(ValueError, match="GUID"):
            api.rootcause.get_attachment("nope")
        with pytest.raises(pywats.ValidationError, match="was not uploaded"):
            api.rootcause.add_comment(T12345, "see file", assignee="simulator", attachments=[uuid.uuid4()])
    with pyWATS(**kw(wats_simulator, error_mode=ErrorMode.LENIENT)) as api:
        assert api.rootcause.get_attachment(uuid.uuid4()) is None
    assert wats_simulator.count("GET", "/api/RootCause/Attachment") == 2  # the bad id was not sent


def test_bad_uploads_send_nothing_or_get_the_servers_refusal(wats_simulator: Simulator, tmp_path: Path) -> None:
    with pyWATS(**kw(wats_simulator)) as api:
        with pytest.raises(ValueError, match="needs a filename"):
            api.rootcause.upload_attachment(b"data")
        with pytest.raises(ValueError, match="no file at"):
            api.rootcause.upload_attachment(tmp_path / "missing.bin")
        with pytest.raises(InvalidArgumentError, match="bytes, a binary file or a path"):
            api.rootcause.upload_attachment(12)  # type: ignore[arg-type]
    assert wats_simulator.count("POST", "/api/RootCause/Attachment") == 0
    auth = {"Authorization": f"Basic {wats_simulator.token}"}
    url = f"{wats_simulator.url}/api/RootCause/Attachment"
    not_multipart = httpx.post(url, content=b"raw", headers={**auth, "Content-Type": "application/octet-stream"})
    assert not_multipart.status_code == 415 and "multipart" in not_multipart.json()["Message"]
    no_file = httpx.post(url, data={"field": "value"}, files={"other": (None, b"x")}, headers=auth)
    assert no_file.status_code == 400 and "no file part" in no_file.json()["Message"]


def test_an_upload_is_never_retried(wats_simulator: Simulator) -> None:
    wats_simulator.inject("/api/RootCause/Attachment", method="POST", status=503, times=1)
    with pyWATS(**kw(wats_simulator)) as api, pytest.raises(pywats.ServerError):
        api.rootcause.upload_attachment(b"x", filename="x.txt")
    assert wats_simulator.count("POST", "/api/RootCause/Attachment") == 1
    assert wats_simulator.store.collection("rootcause_attachments")[-1]["attachmentId"] == SEED_ATTACHMENT_ID
